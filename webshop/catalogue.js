// The cluster's programme (index.html) and a house's own page (house.html, data-page="house").
// Browsing reads the pre-rendered catalogue JSON (no API call per browse); the filters
// (house, genre, dates in Europe/Brussels, title text) are applied here, in the browser.
// Live availability ("few seats left", "sold out") comes from a static snapshot per cluster,
// /catalogue/availability/<cluster>.json, fetched again every minute.
import { $, LOCALE, SKIP, el, formatEuro, lang as firstLanguage } from "./i18n.js";

const TEXT = {
  nl: { heading: "Programma", loading: "Laden…", empty: "Geen voorstellingen gevonden.",
        error: "Het programma kon niet geladen worden. Probeer het later opnieuw.",
        from: "vanaf", count: (n) => (n === 1 ? "1 voorstelling" : `${n} voorstellingen`),
        filters: "Filters", q: "Zoek op titel", house: "Locatie", allHouses: "Alle locaties",
        genre: "Genre", allGenres: "Alle genres", dateFrom: "Vanaf", dateTo: "Tot en met",
        clear: "Wis filters", noMatch: "Geen voorstellingen voor deze filters. Pas ze aan of wis ze.",
        limited: "Nog enkele plaatsen", back: (c) => `← Programma ${c}`, website: "Website",
        houseNotFound: "Dit huis vonden we niet in deze regio.",
        houseHeading: (h) => `Programma van ${h}`,
        types: { cultuurcentrum: "Cultuurcentrum", gemeenschapscentrum: "Gemeenschapscentrum",
                 kunstenorganisatie: "Kunstenorganisatie", partner: "Partner" },
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
        limited: "Dernières places", back: (c) => `← Programme ${c}`, website: "Site web",
        houseNotFound: "Ce lieu est introuvable dans cette région.",
        houseHeading: (h) => `Programme de ${h}`,
        types: { cultuurcentrum: "Centre culturel", gemeenschapscentrum: "Centre communautaire",
                 kunstenorganisatie: "Organisation artistique", partner: "Partenaire" },
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
        limited: "Few seats left", back: (c) => `← What's on in ${c}`, website: "Website",
        houseNotFound: "We could not find this venue in this region.",
        houseHeading: (h) => `What's on at ${h}`,
        types: { cultuurcentrum: "Cultural centre", gemeenschapscentrum: "Community centre",
                 kunstenorganisatie: "Arts organisation", partner: "Partner" },
        genres: { theatre: "Theatre", dance: "Dance", music: "Music", comedy: "Comedy", youth: "Youth",
                  festival: "Festival", opera: "Opera", circus: "Circus" },
        status: { on_sale: "On sale", not_yet_on_sale: "On sale soon",
                  sales_closed: "Sales closed", sold_out: "Sold out", cancelled: "Cancelled" } },
};
const GENRES = ["theatre", "dance", "music", "comedy", "youth", "festival", "opera", "circus"];
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const AVAILABILITY_EVERY_MS = 60_000;
const housePage = document.body.dataset.page === "house";
const params = new URLSearchParams(location.search);
// The link's ?lang=, else the browser's language (i18n.js); the buttons change it in place.
let lang = TEXT[firstLanguage] ? firstLanguage : "nl";
let cluster = params.get("cluster") || "gent";
const filters = {
  house: params.get("house") || "",
  genre: GENRES.includes(params.get("genre")) ? params.get("genre") : "",
  from: DAY.test(params.get("from") || "") ? params.get("from") : "",
  to: DAY.test(params.get("to") || "") ? params.get("to") : "",
  q: (params.get("q") || "").slice(0, 100),
};
let catalogue = null; // the loaded {cluster, houses, performances}
let availability = {}; // performance id → {level, free, capacity}, for on-sale performances
let loadId = 0;

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

async function load(path) {
  const response = await fetch(path);
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.json();
}

function option(value, text, selected) {
  const o = el("option", { value, text });
  o.selected = selected;
  return o;
}

const pageUrl = (path, extra) => `${path}?${new URLSearchParams({ cluster, ...extra, lang })}`;
const houseUrl = (id) => pageUrl("/house.html", { house: id });

function labels() {
  const t = TEXT[lang];
  document.documentElement.lang = lang;
  if (!housePage) $("heading").textContent = t.heading;
  $("filters").setAttribute("aria-label", t.filters);
  document.querySelectorAll("[data-text]").forEach((n) => { n.textContent = t[n.dataset.text]; });
  document.querySelectorAll(".skip").forEach((n) => { n.textContent = SKIP[lang]; });
  document.querySelectorAll("[data-lang]").forEach((b) =>
    b.setAttribute("aria-pressed", String(b.dataset.lang === lang)));
}

// Fill the selects from the catalogue: the houses and genres that have performances.
function fillSelects() {
  const t = TEXT[lang];
  const performances = catalogue ? catalogue.performances.filter(inHouse) : [];
  if (fields.house) {
    const playing = new Set(performances.map((p) => p.house));
    const houses = (catalogue ? catalogue.houses : [])
      .filter((h) => playing.has(h.id) || h.id === filters.house)
      .sort((a, b) => a.name.localeCompare(b.name, LOCALE[lang]));
    if (catalogue && !houses.some((h) => h.id === filters.house)) filters.house = "";
    fields.house.replaceChildren(option("", t.allHouses, !filters.house),
      ...houses.map((h) => option(h.id, h.name, h.id === filters.house)));
  }
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

const inHouse = (p) => !filters.house || p.house === filters.house;

function matches(p) {
  if (!inHouse(p)) return false;
  if (filters.genre && p.genre !== filters.genre) return false;
  if (filters.from || filters.to) {
    const day = dayOf(p.starts_at);
    if (filters.from && day < filters.from) return false;
    if (filters.to && day > filters.to) return false;
  }
  return !filters.q || fold(p.title).includes(fold(filters.q));
}

// Which filters a person set; on a house page the house is the page, not a filter.
const active = () => Object.entries(filters).some(([key, value]) => value && !(housePage && key === "house"));

// What a buyer can do now: the sales status, refined by live availability while on sale.
function badge(p) {
  const t = TEXT[lang];
  const level = p.sales_status === "on_sale" ? availability[p.id]?.level : null;
  if (level === "sold_out") return { kind: "sold_out", text: t.status.sold_out };
  if (level === "limited") return { kind: "limited", text: t.limited };
  return { kind: p.sales_status, text: t.status[p.sales_status] || p.sales_status };
}

function card(p, houses) {
  const t = TEXT[lang];
  const b = badge(p);
  const link = el("a", { href: `/performance.html?id=${encodeURIComponent(p.id)}&lang=${lang}`, text: p.title });
  const title = el("h2", {}, link, el("span", { class: `badge ${b.kind}`, text: b.text }));
  // Decorative: the title next to it says what it is.
  const image = el("img", { class: "card-image", src: p.image?.url || `/img/placeholder/${p.genre}.svg`,
    alt: "", width: "320", height: "180", loading: "lazy", decoding: "async" });
  const meta = el("p", { class: "meta" }, `${when(p.starts_at)} · `);
  const house = houses[p.house];
  meta.append(house && !housePage ? el("a", { href: houseUrl(p.house), text: house.name })
    : (house ? house.name : p.house));
  const genre = t.genres[p.genre] ? ` · ${t.genres[p.genre]}` : "";
  const price = p.price_from_cents == null ? "" : ` · ${t.from} ${formatEuro(p.price_from_cents, lang)}`;
  meta.append(`${genre}${price}`);
  return el("li", { "data-id": p.id }, image, el("div", { class: "card-body" }, title, meta));
}

function show() {
  if (!catalogue) return;
  const t = TEXT[lang];
  const houses = Object.fromEntries(catalogue.houses.map((h) => [h.id, h]));
  const shown = catalogue.performances.filter(matches);
  $("performances").replaceChildren(...shown.map((p) => card(p, houses)));
  $("status").textContent = shown.length ? t.count(shown.length) : t.empty;
  $("empty").textContent = t.noMatch;
  $("empty").hidden = shown.length > 0 || !active();
}

// Only the badges change: the list, focus and scroll position stay as they are.
function refreshBadges() {
  if (!catalogue) return;
  const byId = Object.fromEntries(catalogue.performances.map((p) => [p.id, p]));
  document.querySelectorAll("#performances li[data-id]").forEach((li) => {
    const p = byId[li.dataset.id];
    const span = li.querySelector(".badge");
    if (!p || !span) return;
    const b = badge(p);
    span.className = `badge ${b.kind}`;
    span.textContent = b.text;
  });
}

async function loadAvailability() {
  try {
    const snapshot = await load(`/catalogue/availability/${encodeURIComponent(cluster)}.json`);
    availability = snapshot.performances || {};
  } catch {
    availability = {}; // no snapshot yet: the sales status alone still tells the truth
  }
}

function renderClusters(clusters) {
  $("clusters").replaceChildren(...clusters.items.map((c) => {
    const b = el("button", { type: "button", text: c.name, "aria-pressed": String(c.id === cluster) });
    b.addEventListener("click", () => {
      if (c.id !== cluster) filters.house = ""; // houses belong to one cluster
      cluster = c.id; update();
    });
    return b;
  }));
}

function renderHouse() {
  const t = TEXT[lang];
  const house = catalogue.houses.find((h) => h.id === filters.house);
  $("back").textContent = t.back(catalogue.cluster.name);
  $("back").href = pageUrl("/", {});
  if (!house) {
    $("heading").textContent = t.houseNotFound;
    document.title = `${t.houseNotFound} — Podium`;
    $("house-info").hidden = true;
    $("filters").hidden = true;
    return false;
  }
  $("heading").textContent = house.name;
  document.title = `${house.name} — ${t.heading} — Podium`;
  $("house-meta").textContent = [t.types[house.type], house.city].filter(Boolean).join(" · ");
  $("house-description").textContent = house.description || "";
  $("house-website").hidden = !house.website;
  if (house.website) { $("house-website").href = house.website; $("house-website").textContent = `${t.website}: ${new URL(house.website).host}`; }
  $("programme-heading").textContent = t.houseHeading(house.name);
  $("house-info").hidden = false;
  $("filters").hidden = false;
  return true;
}

async function render() {
  const id = ++loadId;
  const t = TEXT[lang];
  labels();
  $("status").textContent = t.loading;
  try {
    const [clusters, data] = await Promise.all([
      housePage ? null : load(`/catalogue/${lang}/clusters.json`),
      load(`/catalogue/${lang}/${encodeURIComponent(cluster)}.json`), loadAvailability()]);
    if (id !== loadId) return; // a newer cluster or language was chosen meanwhile
    if (clusters) renderClusters(clusters);
    catalogue = data;
    if (housePage && !renderHouse()) {
      $("performances").replaceChildren();
      $("status").textContent = "";
      return;
    }
    fillSelects();
    show();
  } catch {
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
  if (fields.house) filters.house = fields.house.value;
  filters.genre = fields.genre.value;
  filters.from = DAY.test(fields.from.value) ? fields.from.value : "";
  filters.to = DAY.test(fields.to.value) ? fields.to.value : "";
  filters.q = fields.q.value.slice(0, 100);
  writeUrl();
  show();
}

for (const input of Object.values(fields)) {
  if (!input) continue;
  input.addEventListener(input.tagName === "SELECT" ? "change" : "input", filtered);
  if (input.type === "date") input.addEventListener("change", filtered);
}
$("filters").addEventListener("submit", (event) => event.preventDefault());
$("clear").addEventListener("click", () => {
  for (const key of Object.keys(filters)) if (!(housePage && key === "house")) filters[key] = "";
  fillSelects();
  writeUrl();
  show();
  fields.q.focus();
});
document.querySelectorAll("[data-lang]").forEach((b) =>
  b.addEventListener("click", () => { lang = b.dataset.lang; update(); }));
setInterval(async () => {
  if (document.hidden || !catalogue) return;
  await loadAvailability();
  refreshBadges();
}, AVAILABILITY_EVERY_MS);
render();
