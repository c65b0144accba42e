// Shared helpers for the webshop pages: language, texts, money, dates, API calls.
export const LANGS = ["nl", "fr", "en"];
export const LOCALE = { nl: "nl-BE", fr: "fr-BE", en: "en-GB" };

export const params = new URLSearchParams(location.search);
// The buyer's language: ?lang= when a link carries it (every link of the shop, the payment
// page's way back and the mail do), else the browser's first language we speak (what it also
// sends as Accept-Language), else Dutch.
function browserLanguage() {
  for (const tag of navigator.languages || [navigator.language]) {
    const primary = String(tag || "").toLowerCase().split("-")[0];
    if (LANGS.includes(primary)) return primary;
  }
  return "nl";
}
export const lang = LANGS.includes(params.get("lang")) ? params.get("lang") : browserLanguage();

// t(key, ...args) over a page's { nl: {...}, fr: {...}, en: {...} } table; functions are called.
export function makeT(table) {
  const texts = table[lang] || table.nl;
  return (key, ...args) => {
    const value = key in texts ? texts[key] : table.nl[key];
    return typeof value === "function" ? value(...args) : (value ?? key);
  };
}

// "€ 24,00" in nl, "24,00 €" in fr, "€24.00" in en: as the API, the mail and the ticket write
// a price (Babel's nl_BE, fr_BE and en), so a buyer reads one amount the same way everywhere.
export function formatEuro(cents, language = lang) {
  return new Intl.NumberFormat(LOCALE[language] || "nl-BE",
    { style: "currency", currency: "EUR" }).format(cents / 100);
}

export function formatWhen(iso, language = lang, options = {}) {
  return new Intl.DateTimeFormat(LOCALE[language] || "nl-BE", {
    weekday: "long", day: "numeric", month: "long", year: "numeric",
    hour: "2-digit", minute: "2-digit", timeZone: "Europe/Brussels", ...options,
  }).format(new Date(iso));
}

// A link to another page of the shop in the same language.
export function href(path, extra = {}) {
  const query = new URLSearchParams({ ...extra, lang });
  return `${path}?${query}`;
}

// The shop's random browser id (24 url-safe characters), sent as X-Client-Id.
export function clientId() {
  let id = localStorage.getItem("podium-client-id");
  if (!id || !/^[A-Za-z0-9_-]{24}$/.test(id)) {
    const abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    id = Array.from(crypto.getRandomValues(new Uint8Array(24)), (b) => abc[b & 63]).join("");
    try { localStorage.setItem("podium-client-id", id); } catch { /* private mode: per page */ }
  }
  return id;
}

// fetch + JSON: {ok, status, body}; {status: 0, network: true} when the network is down.
// `cache: "no-store"` for answers that must be fresh each time (a CDN may still share them).
export async function api(path, { method = "GET", body, headers = {}, cache } = {}) {
  const init = { method, headers: { "Accept-Language": lang, ...headers } };
  if (cache) init.cache = cache;
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    return { ok: false, status: 0, network: true, body: {} };
  }
  let data = {};
  try { data = response.status === 204 ? {} : await response.json(); } catch { /* no body */ }
  return { ok: response.ok, status: response.status, body: data };
}

export const SKIP = { nl: "Naar de inhoud", fr: "Aller au contenu", en: "Skip to content" };

// The language buttons in the header: keep the page, change ?lang=.
export function languageNav() {
  document.documentElement.lang = lang;
  document.querySelectorAll(".skip").forEach((link) => { link.textContent = SKIP[lang]; });
  document.querySelectorAll("[data-lang]").forEach((button) => {
    button.setAttribute("aria-pressed", String(button.dataset.lang === lang));
    button.addEventListener("click", () => {
      const url = new URL(location.href);
      url.searchParams.set("lang", button.dataset.lang);
      location.href = url;
    });
  });
}

export const $ = (id) => document.getElementById(id);

export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value == null || value === false) continue;
    if (key === "text") node.textContent = value;
    else if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key in node && typeof value !== "string") node[key] = value;
    else node.setAttribute(key, value === true ? "" : value);
  }
  node.append(...children.filter((c) => c != null));
  return node;
}

// The hold kept between the performance page and the checkout.
export const HOLD_KEY = "podium-hold";
export function loadHold() {
  try { return JSON.parse(sessionStorage.getItem(HOLD_KEY)); } catch { return null; }
}
export function saveHold(value) {
  if (value) sessionStorage.setItem(HOLD_KEY, JSON.stringify(value));
  else sessionStorage.removeItem(HOLD_KEY);
}

// The admission a waiting room granted, kept per room (this tab only) while it lasts:
// {token, expires_at, room, performances, saved_at}. An expired or damaged one is dropped.
const ADMISSION_KEY = "podium-admission:";
export function loadAdmission(room) {
  const key = ADMISSION_KEY + room;
  try {
    const value = JSON.parse(sessionStorage.getItem(key));
    if (value === null) return null;
    if (typeof value.token === "string" && Date.parse(value.expires_at) > Date.now()) return value;
  } catch { /* damaged: dropped below */ }
  sessionStorage.removeItem(key);
  return null;
}
export function saveAdmission(room, value) {
  if (value) sessionStorage.setItem(ADMISSION_KEY + room, JSON.stringify(value));
  else sessionStorage.removeItem(ADMISSION_KEY + room);
}

// What an order of these places will charge: each tariff's price for the place's zone, plus the
// house's service fee per paid ticket (free tickets carry none), as the server prices it.
export function basketTotal(places, chosen, tariffs, feeCents) {
  return places.reduce((sum, place) => {
    const tariff = tariffs.find((x) => x.id === chosen[place.key]);
    const price = tariff?.prices.find((p) => p.zone === place.zone)?.cents || 0;
    const fee = price > 0 ? feeCents || 0 : 0;
    return { all: sum.all + price + fee, fees: sum.fees + fee };
  }, { all: 0, fees: 0 });
}

// Inside the widget's iframe the checkout opens in the top window: payment pages refuse to be
// framed, and the iframe's sessionStorage is not the top window's. The hold travels in the
// URL fragment (never sent to a server), and the checkout takes it out of the address at once.
export const framed = window.top !== window.self;
const FRAGMENT = "#hold=";
export function holdLink(path, value) {
  const json = new TextEncoder().encode(JSON.stringify(value));
  const packed = btoa(String.fromCharCode(...json)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  return `${path}${FRAGMENT}${packed}`;
}
export function takeHoldFromUrl() {
  if (!location.hash.startsWith(FRAGMENT)) return;
  try {
    const packed = location.hash.slice(FRAGMENT.length).replace(/-/g, "+").replace(/_/g, "/");
    const bytes = Uint8Array.from(atob(packed), (c) => c.charCodeAt(0));
    saveHold(JSON.parse(new TextDecoder().decode(bytes)));
  } catch { /* a damaged link: the checkout says there is no hold */ }
  history.replaceState(null, "", location.pathname + location.search);
}

// "mm:ss" until an instant; negative → "00:00".
export function mmss(ms) {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${String(Math.floor(s / 60)).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;
}
