// Browsing reads the pre-rendered catalogue JSON (no API call per browse); the filters
// (house, genre, dates in Europe/Brussels, title text) are applied here, in the browser.
const TEXT = {
  nl: { heading: "Programma", loading: "Laden…", empty: "Geen voorstellingen gevonden.",
        error: "Het programma kon niet geladen worden. Probeer het later opnieuw.",
        from: "vanaf", count: (n) => (n === 1 ? "1 voorstelling" : `${n} voorstellingen`),
        filters: "Filters", q: "Zoek op titel", house: "Locatie", allHouses: "Alle locaties",
        genre: "Genre", allGenres: "Alle genres", dateFrom: "Vanaf", dateTo: "Tot en met",
        clear: "Wis filters", noMatch: "Geen voorstellingen voor deze filters. Pas ze aan of wis ze.",
        genres: { theatre: "Theater", dance: "Dans", music: "Muziek", comedy: "Humor", youth: "Jeugd",
                  festival: "Festival", opera: "Opera", circus: "Circus" },
        status: { on_sale: "In verkoop", not_yet_on_sale: "Binnenkort in verkoop",
                  sales_closed: "Verkoop gesloten", sold_out: "Uitverkocht", cancelled: "Geannuleerd" } },
  fr: { heading: "Programme", loading: "Chargement…", empty: "Aucune représentation trouvée.",
        error: "Le programme n'a pas pu être chargé. Réessayez plus tard.",
        from: "à partir de", count: (n) => (n === 1 ? "1 représentation" : `${n} représentations`),
        filters: "Filtres", q: "Rechercher un titre", house: "Lieu", allHouses: "Tous les lieux",
        genre: "Genre", allGenres: "Tous les genres", dateFrom: "Du", dateTo: "Au (inclus)",
        clear: "Effacer", noMatch: "Aucune représentation pour ces filtres. Modifiez-les ou effacez-les.",
        genres: { theatre: "Théâtre", dance: "Danse", music: "Musique", comedy: "Humour",
                  youth: "Jeune public", festival: "Festival", opera: "Opéra", circus: "Cirque" },
        status: { on_sale: "En vente", not_yet_on_sale: "Bientôt en vente",
                  sales_closed: "Vente clôturée", sold_out: "Complet", cancelled: "Annulé" } },
  en: { heading: "What's on", loading: "Loading…", empty: "No performances found.",
        error: "The programme could not be loaded. Please try again later.",
        from: "from", count: (n) => (n === 1 ? "1 performance" : `${n} performances`),
        filters: "Filters", q: "Search titles", house: "Venue", allHouses: "All venues",
        genre: "Genre", allGenres: "All genres", dateFrom: "From", dateTo: "To (inclusive)",
        clear: "Clear", noMatch: "No performances match these filters. Change or clear them.",
        genres: { theatre: "Theatre", dance: "Dance", music: "Music", comedy: "Comedy", youth: "Youth",
                  festival: "Festival", opera: "Opera", circus: "Circus" },
        status: { on_sale: "On sale", not_yet_on_sale: "On sale soon",
                  sales_closed: "Sales closed", sold_out: "Sold out", cancelled: "Cancelled" } },
};
const LOCALE = { nl: "nl-BE", fr: "fr-BE", en: "en-GB" };
const GENRES = ["theatre", "dance", "music", "comedy", "youth", "festival", "opera", "circus"];
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const params = new URLSearchParams(location.search);
let lang = TEXT[params.get("lang")] ? params.get("lang") : "nl";
let cluster = params.get("cluster") || "gent";
const filters = {
  house: params.get("house") || "",
  genre: GENRES.includes(params.get("genre")) ? params.get("genre") : "",
  from: DAY.test(params.get("from") || "") ? params.get("from") : "",
  to: DAY.test(params.get("to") || "") ? params.get("to") : "",
  q: (params.get("q") || "").slice(0, 100),
};
let catalogue = null; // the loaded {cluster, houses, performances}
let loadId = 0;

const $ = (id) => document.getElementById(id);
const fields = { house: $("f-house"), genre: $("f-genre"), from: $("f-from"), to: $("f-to"), q: $("f-q") };

function when(iso) {
  return new Intl.DateTimeFormat(LOCALE[lang], {
    weekday: "short", day: "numeric", month: "long", hour: "2-digit", minute: "2-digit",
    timeZone: "Europe/Brussels",
  }).format(new Date(iso));
}

// The calendar day (YYYY-MM-DD) of an instant in Brussels, comparable with <input type=date>.
const brusselsDay = new Intl.DateTimeFormat("en-CA", {
  year: "numeric", month: "2-digit", day: "2-digit", timeZone: "Europe/Brussels" });
function dayOf(iso) {
  const parts = Object.fromEntries(brusselsDay.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

// Lower case without accents: "Déménagement" → "demenagement".
function fold(text) {
  return String(text).normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().trim();
}

function euro(cents) {
  return new Intl.NumberFormat(LOCALE[lang], { style: "currency", currency: "EUR" }).format(cents / 100);
}

async function load(path) {
  const response = await fetch(path);
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.json();
}

function option(value, text, selected) {
  const o = document.createElement("option");
  o.value = value; o.textContent = text; o.selected = selected;
  return o;
}

function labels() {
  const t = TEXT[lang];
  document.documentElement.lang = lang;
  $("heading").textContent = t.heading;
  $("filters").setAttribute("aria-label", t.filters);
  document.querySelectorAll("[data-text]").forEach((node) => { node.textContent = t[node.dataset.text]; });
  document.querySelectorAll("[data-lang]").forEach((b) =>
    b.setAttribute("aria-pressed", String(b.dataset.lang === lang)));
}

// Fill the selects from the catalogue: the houses and genres that have performances.
function fillSelects() {
  const t = TEXT[lang];
  const performances = catalogue ? catalogue.performances : [];
  const playing = new Set(performances.map((p) => p.house));
  const houses = (catalogue ? catalogue.houses : [])
    .filter((h) => playing.has(h.id) || h.id === filters.house)
    .sort((a, b) => a.name.localeCompare(b.name, LOCALE[lang]));
  if (catalogue && !houses.some((h) => h.id === filters.house)) filters.house = "";
  fields.house.replaceChildren(option("", t.allHouses, !filters.house),
    ...houses.map((h) => option(h.id, h.name, h.id === filters.house)));
  const present = new Set(performances.map((p) => p.genre));
  fields.genre.replaceChildren(option("", t.allGenres, !filters.genre),
    ...GENRES.filter((g) => present.has(g) || g === filters.genre)
      .map((g) => option(g, t.genres[g], g === filters.genre)));
  fields.from.value = filters.from; fields.to.value = filters.to; fields.q.value = filters.q;
  const days = performances.map((p) => dayOf(p.starts_at)).sort();
  for (const input of [fields.from, fields.to]) {
    input.min = days[0] || ""; input.max = days[days.length - 1] || "";
  }
}

function matches(p) {
  if (filters.house && p.house !== filters.house) return false;
  if (filters.genre && p.genre !== filters.genre) return false;
  if (filters.from || filters.to) {
    const day = dayOf(p.starts_at);
    if (filters.from && day < filters.from) return false;
    if (filters.to && day > filters.to) return false;
  }
  return !filters.q || fold(p.title).includes(fold(filters.q));
}

const active = () => Object.values(filters).some(Boolean);

function show() {
  if (!catalogue) return;
  const t = TEXT[lang];
  const houses = Object.fromEntries(catalogue.houses.map((h) => [h.id, h.name]));
  const shown = catalogue.performances.filter(matches);
  $("performances").replaceChildren(...shown.map((p) => {
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
    const genre = t.genres[p.genre] ? ` · ${t.genres[p.genre]}` : "";
    meta.textContent = `${when(p.starts_at)} · ${houses[p.house] || p.house}${genre}${price}`;
    li.append(h2, meta);
    return li;
  }));
  $("status").textContent = shown.length ? t.count(shown.length) : t.empty;
  $("empty").textContent = t.noMatch;
  $("empty").hidden = shown.length > 0 || !active();
}

async function render() {
  const id = ++loadId;
  const t = TEXT[lang];
  labels();
  $("status").textContent = t.loading;
  try {
    const [clusters, data] = await Promise.all([
      load(`/catalogue/${lang}/clusters.json`), load(`/catalogue/${lang}/${cluster}.json`)]);
    if (id !== loadId) return; // a newer cluster or language was chosen meanwhile
    $("clusters").replaceChildren(...clusters.items.map((c) => {
      const b = document.createElement("button");
      b.type = "button"; b.textContent = c.name;
      b.setAttribute("aria-pressed", String(c.id === cluster));
      b.addEventListener("click", () => {
        if (c.id !== cluster) filters.house = ""; // houses belong to one cluster
        cluster = c.id; update();
      });
      return b;
    }));
    catalogue = data;
    fillSelects();
    show();
  } catch (error) {
    if (id !== loadId) return;
    catalogue = null;
    $("performances").replaceChildren();
    $("empty").hidden = true;
    $("status").textContent = t.error;
  }
}

function writeUrl() {
  const url = new URL(location.href);
  url.searchParams.set("cluster", cluster);
  url.searchParams.set("lang", lang);
  for (const [key, value] of Object.entries(filters)) {
    if (value) url.searchParams.set(key, value); else url.searchParams.delete(key);
  }
  history.replaceState(null, "", url);
}

function update() {
  writeUrl();
  render();
}

function filtered() {
  filters.house = fields.house.value;
  filters.genre = fields.genre.value;
  filters.from = DAY.test(fields.from.value) ? fields.from.value : "";
  filters.to = DAY.test(fields.to.value) ? fields.to.value : "";
  filters.q = fields.q.value.slice(0, 100);
  writeUrl();
  show();
}

for (const input of Object.values(fields)) {
  input.addEventListener(input.tagName === "SELECT" ? "change" : "input", filtered);
  if (input.type === "date") input.addEventListener("change", filtered);
}
$("filters").addEventListener("submit", (event) => event.preventDefault());
$("clear").addEventListener("click", () => {
  for (const key of Object.keys(filters)) filters[key] = "";
  fillSelects();
  writeUrl();
  show();
  fields.q.focus();
});
document.querySelectorAll("[data-lang]").forEach((b) =>
  b.addEventListener("click", () => { lang = b.dataset.lang; update(); }));
render();
