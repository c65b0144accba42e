// Browsing reads the pre-rendered catalogue JSON (no API call per browse).
const TEXT = {
  nl: { heading: "Programma", loading: "Laden…", empty: "Geen voorstellingen gevonden.",
        error: "Het programma kon niet geladen worden. Probeer het later opnieuw.",
        from: "vanaf", count: (n) => `${n} voorstellingen`,
        status: { on_sale: "In verkoop", not_yet_on_sale: "Binnenkort in verkoop",
                  sales_closed: "Verkoop gesloten", sold_out: "Uitverkocht", cancelled: "Geannuleerd" } },
  fr: { heading: "Programme", loading: "Chargement…", empty: "Aucune représentation trouvée.",
        error: "Le programme n'a pas pu être chargé. Réessayez plus tard.",
        from: "à partir de", count: (n) => `${n} représentations`,
        status: { on_sale: "En vente", not_yet_on_sale: "Bientôt en vente",
                  sales_closed: "Vente clôturée", sold_out: "Complet", cancelled: "Annulé" } },
  en: { heading: "What's on", loading: "Loading…", empty: "No performances found.",
        error: "The programme could not be loaded. Please try again later.",
        from: "from", count: (n) => `${n} performances`,
        status: { on_sale: "On sale", not_yet_on_sale: "On sale soon",
                  sales_closed: "Sales closed", sold_out: "Sold out", cancelled: "Cancelled" } },
};
const LOCALE = { nl: "nl-BE", fr: "fr-BE", en: "en-GB" };
const params = new URLSearchParams(location.search);
let lang = TEXT[params.get("lang")] ? params.get("lang") : "nl";
let cluster = params.get("cluster") || "gent";

const $ = (id) => document.getElementById(id);

function when(iso) {
  return new Intl.DateTimeFormat(LOCALE[lang], {
    weekday: "short", day: "numeric", month: "long", hour: "2-digit", minute: "2-digit",
    timeZone: "Europe/Brussels",
  }).format(new Date(iso));
}

function euro(cents) {
  return new Intl.NumberFormat(LOCALE[lang], { style: "currency", currency: "EUR" }).format(cents / 100);
}

async function load(path) {
  const response = await fetch(path);
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.json();
}

async function render() {
  const t = TEXT[lang];
  document.documentElement.lang = lang;
  $("heading").textContent = t.heading;
  $("status").textContent = t.loading;
  document.querySelectorAll("[data-lang]").forEach((b) =>
    b.setAttribute("aria-pressed", String(b.dataset.lang === lang)));
  try {
    const [clusters, catalogue] = await Promise.all([
      load(`/catalogue/${lang}/clusters.json`), load(`/catalogue/${lang}/${cluster}.json`)]);
    $("clusters").replaceChildren(...clusters.items.map((c) => {
      const b = document.createElement("button");
      b.type = "button"; b.textContent = c.name;
      b.setAttribute("aria-pressed", String(c.id === cluster));
      b.addEventListener("click", () => { cluster = c.id; update(); });
      return b;
    }));
    const houses = Object.fromEntries(catalogue.houses.map((h) => [h.id, h.name]));
    $("performances").replaceChildren(...catalogue.performances.map((p) => {
      const li = document.createElement("li");
      const h2 = document.createElement("h2");
      const link = document.createElement("a");
      link.href = `/performance.html?id=${encodeURIComponent(p.id)}&lang=${lang}`;
      link.textContent = p.title;
      h2.append(link);
      const badge = document.createElement("span");
      badge.className = `badge ${p.sales_status}`;
      badge.textContent = t.status[p.sales_status] || p.sales_status;
      h2.append(badge);
      const meta = document.createElement("p");
      meta.className = "meta";
      const price = p.price_from_cents == null ? "" : ` · ${t.from} ${euro(p.price_from_cents)}`;
      meta.textContent = `${when(p.starts_at)} · ${houses[p.house] || p.house}${price}`;
      li.append(h2, meta);
      return li;
    }));
    $("status").textContent = catalogue.performances.length
      ? t.count(catalogue.performances.length) : t.empty;
  } catch (error) {
    $("performances").replaceChildren();
    $("status").textContent = t.error;
  }
}

function update() {
  const url = new URL(location.href);
  url.searchParams.set("lang", lang);
  url.searchParams.set("cluster", cluster);
  history.replaceState(null, "", url);
  render();
}

document.querySelectorAll("[data-lang]").forEach((b) =>
  b.addEventListener("click", () => { lang = b.dataset.lang; update(); }));
render();
