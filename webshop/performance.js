// One performance: details, the seat picker (map, standing room, best available) and the basket.
import { $, api, basketTotal, clientId, el, formatEuro, formatWhen, framed, holdLink, href, lang, languageNav,
  loadAdmission, loadHold, makeT, mmss, params, saveAdmission, saveHold } from "./i18n.js";
import { createSeatMap, legendIcon } from "./seatmap.js";

const TEXT = {
  nl: {
    programme: "← Programma", loading: "Laden…", notFound: "Deze voorstelling vonden we niet.",
    loadError: "De voorstelling kon niet geladen worden. Probeer het later opnieuw.",
    venue: "Locatie", duration: "Duur", minutes: (n) => `${n} minuten`, age: "Leeftijd",
    ageFrom: (n) => `vanaf ${n} jaar`, languages: "Taal", sales: "Verkoop", access: "Toegankelijkheid",
    tariffs: "Tarieven", tariff: "Tarief",
    status: { on_sale: "In verkoop", not_yet_on_sale: "Binnenkort in verkoop", sales_closed: "Verkoop gesloten",
      sold_out: "Uitverkocht", cancelled: "Geannuleerd" },
    opens: (d) => `De verkoop start ${d}.`, closed: "De online verkoop voor deze voorstelling is gesloten.",
    soldOut: "Deze voorstelling is uitverkocht.", cancelled: "Deze voorstelling is geannuleerd.",
    pick: "Kies je plaatsen", mapLabel: "Zaalplan: kies je stoelen", stage: "PODIUM",
    mapHelp: "Tab naar het zaalplan, beweeg met de pijltjestoetsen en kies een stoel met Enter of spatie.",
    free: "vrij", unavailable: "bezet", blocked: "niet beschikbaar", selectedState: "gekozen",
    wheelchair: "rolstoelplaats", companion: "begeleidersplaats", restricted: "beperkt zicht",
    notFree: (l) => `${l} is niet vrij.`, max: (n) => `Je kan maximaal ${n} plaatsen kiezen.`,
    selected: (l, n) => `${l} gekozen. ${n} ${n === 1 ? "plaats" : "plaatsen"} gekozen.`,
    deselected: (l, n) => `${l} niet meer gekozen. ${n} ${n === 1 ? "plaats" : "plaatsen"} gekozen.`,
    chosen: (n, total) => n ? `${n} ${n === 1 ? "plaats" : "plaatsen"} gekozen · ${total}` : "Nog geen plaatsen gekozen.",
    clear: "Keuze wissen", holdSeats: "Reserveer deze plaatsen", zoomIn: "Zaalplan vergroten", zoomOut: "Zaalplan verkleinen",
    left: (name, n) => `${name}: ${n} over`, quantity: "Aantal", less: "Eén minder", more: "Eén meer",
    holdPool: "Reserveer staanplaatsen", best: "Beste plaatsen",
    bestHelp: "Wij kiezen de beste vrije plaatsen naast elkaar.", zone: "Zone", anyZone: "Alle zones",
    bestSubmit: "Zoek beste plaatsen", holding: "Even geduld, we houden je plaatsen vast…",
    basket: "Je mandje", expires: "Je plaatsen blijven vast nog", total: "Totaal", fees: "waarvan servicekosten",
    tariffFor: (l) => `Tarief voor ${l}`, release: "Vrijgeven", checkout: "Verder naar betalen",
    released: "Je plaatsen zijn vrijgegeven.", held: (n) => `${n} ${n === 1 ? "plaats" : "plaatsen"} voor je vastgehouden.`,
    minutesLeft: (n) => n === 1 ? "Nog 1 minuut om je bestelling af te ronden." : `Nog ${n} minuten om je bestelling af te ronden.`,
    expired: "Je reservering is verlopen. Kies je plaatsen opnieuw.",
    heldHint: "Je houdt al plaatsen vast. Geef ze eerst vrij om andere te kiezen.",
    taken: "Deze plaats is net door iemand anders genomen. Het zaalplan is bijgewerkt.",
    network: "Geen verbinding met Podium. Controleer je internet en probeer opnieuw.", retry: "Opnieuw proberen",
    problem: "Dat lukte niet.",
    queueTitle: "Deze verkoop verloopt via een wachtrij",
    queueText: "Veel mensen willen tegelijk plaatsen kopen. Sluit aan in de wachtrij: wie vóór de opening komt, krijgt bij de opening een willekeurige plaats, daarna is het wie eerst komt, eerst maalt. Als het jouw beurt is, kies je hier je plaatsen.",
    queueButton: "Naar de wachtrij",
    admissionLabel: "Het is jouw beurt. Je hebt nog", admissionUntil: (time) => `om je plaatsen te kiezen (tot ${time}).`,
    admissionSay: (n) => `Het is jouw beurt. Je hebt ${n} minuten om je plaatsen te kiezen.`,
    admissionMinutes: (n) => n === 1 ? "Nog 1 minuut om je plaatsen te kiezen." : `Nog ${n} minuten om je plaatsen te kiezen.`,
    admissionOver: "Je tijd om plaatsen te kiezen is voorbij. Sluit opnieuw aan in de wachtrij.",
    toQueue: "Voor deze verkoop ga je eerst door de wachtrij. We brengen je erheen…",
  },
  fr: {
    programme: "← Programme", loading: "Chargement…", notFound: "Représentation introuvable.",
    loadError: "La représentation n'a pas pu être chargée. Réessayez plus tard.",
    venue: "Lieu", duration: "Durée", minutes: (n) => `${n} minutes`, age: "Âge",
    ageFrom: (n) => `à partir de ${n} ans`, languages: "Langue", sales: "Vente", access: "Accessibilité",
    tariffs: "Tarifs", tariff: "Tarif",
    status: { on_sale: "En vente", not_yet_on_sale: "Bientôt en vente", sales_closed: "Vente clôturée",
      sold_out: "Complet", cancelled: "Annulé" },
    opens: (d) => `La vente commence le ${d}.`, closed: "La vente en ligne pour cette représentation est clôturée.",
    soldOut: "Cette représentation est complète.", cancelled: "Cette représentation est annulée.",
    pick: "Choisissez vos places", mapLabel: "Plan de salle : choisissez vos sièges", stage: "SCÈNE",
    mapHelp: "Allez au plan avec Tab, déplacez-vous avec les flèches et choisissez un siège avec Entrée ou Espace.",
    free: "libre", unavailable: "occupé", blocked: "indisponible", selectedState: "choisi",
    wheelchair: "place PMR (fauteuil roulant)", companion: "place accompagnateur", restricted: "visibilité réduite",
    notFree: (l) => `${l} n'est pas libre.`, max: (n) => `Vous pouvez choisir ${n} places au maximum.`,
    selected: (l, n) => `${l} choisi. ${n} place${n > 1 ? "s" : ""} choisie${n > 1 ? "s" : ""}.`,
    deselected: (l, n) => `${l} retiré. ${n} place${n > 1 ? "s" : ""} choisie${n > 1 ? "s" : ""}.`,
    chosen: (n, total) => n ? `${n} place${n > 1 ? "s" : ""} choisie${n > 1 ? "s" : ""} · ${total}` : "Aucune place choisie.",
    clear: "Effacer le choix", holdSeats: "Réserver ces places", zoomIn: "Agrandir le plan", zoomOut: "Réduire le plan",
    left: (name, n) => `${name} : encore ${n}`, quantity: "Nombre", less: "Un de moins", more: "Un de plus",
    holdPool: "Réserver des places debout", best: "Meilleures places",
    bestHelp: "Nous choisissons les meilleures places libres côte à côte.", zone: "Zone", anyZone: "Toutes les zones",
    bestSubmit: "Trouver les meilleures places", holding: "Un instant, nous bloquons vos places…",
    basket: "Votre panier", expires: "Vos places restent bloquées encore", total: "Total", fees: "dont frais de service",
    tariffFor: (l) => `Tarif pour ${l}`, release: "Libérer", checkout: "Passer au paiement",
    released: "Vos places ont été libérées.", held: (n) => `${n} place${n > 1 ? "s" : ""} bloquée${n > 1 ? "s" : ""} pour vous.`,
    minutesLeft: (n) => n === 1 ? "Plus qu'une minute pour finaliser votre commande." : `Encore ${n} minutes pour finaliser votre commande.`,
    expired: "Votre réservation a expiré. Choisissez à nouveau vos places.",
    heldHint: "Vous bloquez déjà des places. Libérez-les d'abord pour en choisir d'autres.",
    taken: "Cette place vient d'être prise par quelqu'un d'autre. Le plan a été mis à jour.",
    network: "Pas de connexion avec Podium. Vérifiez votre connexion et réessayez.", retry: "Réessayer",
    problem: "Cela n'a pas fonctionné.",
    queueTitle: "Cette vente passe par une file d'attente",
    queueText: "Beaucoup de personnes veulent acheter en même temps. Rejoignez la file d'attente : les personnes arrivées avant l'ouverture reçoivent une place tirée au sort à l'ouverture, ensuite c'est premier arrivé, premier servi. Quand ce sera votre tour, vous choisirez vos places ici.",
    queueButton: "Rejoindre la file d'attente",
    admissionLabel: "C'est votre tour. Il vous reste", admissionUntil: (time) => `pour choisir vos places (jusqu'à ${time}).`,
    admissionSay: (n) => `C'est votre tour. Vous avez ${n} minutes pour choisir vos places.`,
    admissionMinutes: (n) => n === 1 ? "Plus qu'une minute pour choisir vos places." : `Encore ${n} minutes pour choisir vos places.`,
    admissionOver: "Votre temps pour choisir des places est écoulé. Rejoignez à nouveau la file d'attente.",
    toQueue: "Cette vente passe d'abord par la file d'attente. Nous vous y emmenons…",
  },
  en: {
    programme: "← What's on", loading: "Loading…", notFound: "We could not find this performance.",
    loadError: "The performance could not be loaded. Please try again later.",
    venue: "Venue", duration: "Duration", minutes: (n) => `${n} minutes`, age: "Age",
    ageFrom: (n) => `${n}+`, languages: "Language", sales: "Sales", access: "Accessibility",
    tariffs: "Prices", tariff: "Price type",
    status: { on_sale: "On sale", not_yet_on_sale: "On sale soon", sales_closed: "Sales closed",
      sold_out: "Sold out", cancelled: "Cancelled" },
    opens: (d) => `Sales open on ${d}.`, closed: "Online sales for this performance have closed.",
    soldOut: "This performance is sold out.", cancelled: "This performance has been cancelled.",
    pick: "Choose your seats", mapLabel: "Seating plan: choose your seats", stage: "STAGE",
    mapHelp: "Tab to the seating plan, move with the arrow keys and choose a seat with Enter or Space.",
    free: "available", unavailable: "taken", blocked: "not available", selectedState: "chosen",
    wheelchair: "wheelchair space", companion: "companion seat", restricted: "restricted view",
    notFree: (l) => `${l} is not available.`, max: (n) => `You can choose at most ${n} seats.`,
    selected: (l, n) => `${l} chosen. ${n} seat${n === 1 ? "" : "s"} chosen.`,
    deselected: (l, n) => `${l} removed. ${n} seat${n === 1 ? "" : "s"} chosen.`,
    chosen: (n, total) => n ? `${n} seat${n === 1 ? "" : "s"} chosen · ${total}` : "No seats chosen yet.",
    clear: "Clear choice", holdSeats: "Reserve these seats", zoomIn: "Zoom in on the plan", zoomOut: "Zoom out",
    left: (name, n) => `${name}: ${n} left`, quantity: "Number", less: "One fewer", more: "One more",
    holdPool: "Reserve standing places", best: "Best available",
    bestHelp: "We pick the best free seats next to each other.", zone: "Zone", anyZone: "Any zone",
    bestSubmit: "Find the best seats", holding: "One moment, holding your seats…",
    basket: "Your basket", expires: "Your seats are held for another", total: "Total", fees: "including service fees of",
    tariffFor: (l) => `Price type for ${l}`, release: "Release", checkout: "Continue to payment",
    released: "Your seats have been released.", held: (n) => `${n} place${n === 1 ? "" : "s"} held for you.`,
    minutesLeft: (n) => n === 1 ? "1 minute left to complete your order." : `${n} minutes left to complete your order.`,
    expired: "Your reservation has expired. Please choose your seats again.",
    heldHint: "You are already holding seats. Release them first to choose others.",
    taken: "This seat was just taken by someone else. The seating plan has been updated.",
    network: "No connection to Podium. Check your internet connection and try again.", retry: "Try again",
    problem: "That did not work.",
    queueTitle: "This sale goes through a waiting room",
    queueText: "Many people want to buy at the same time. Join the waiting room: everyone who arrives before the opening gets a random place when sales open, after that it is first come, first served. When it is your turn, you choose your seats here.",
    queueButton: "Go to the waiting room",
    admissionLabel: "It's your turn. You have", admissionUntil: (time) => `left to choose your seats (until ${time}).`,
    admissionSay: (n) => `It's your turn. You have ${n} minutes to choose your seats.`,
    admissionMinutes: (n) => n === 1 ? "1 minute left to choose your seats." : `${n} minutes left to choose your seats.`,
    admissionOver: "Your time to choose seats is over. Please join the waiting room again.",
    toQueue: "This sale goes through a waiting room first. Taking you there…",
  },
};
const t = makeT(TEXT);
const MAX = 10;
const id = params.get("id") || "";
const base = `/v1/performances/${encodeURIComponent(id)}`;

let perf = null;   // GET /v1/performances/{id}
let plan = null;   // GET …/seats
let map = null;    // the seat map
let state = null;  // {hold, tariffs: {place: tariff id}, performance}
let timer = 0;
let retryAction = null;
let admissionTimer = 0;
let admissionSaid = "";  // the admission whose minutes were last announced

const announce = (text) => { $("announce").textContent = ""; setTimeout(() => { $("announce").textContent = text; }, 50); };
const standard = () => perf.tariffs[0];
const priceFor = (zone, tariff = standard()) => tariff?.prices.find((p) => p.zone === zone)?.cents;

function problem(text, retry = null) {
  retryAction = retry;
  $("problem").hidden = !text;
  $("problem-text").textContent = text || "";
  $("retry").hidden = !retry;
  if (text) $("problem").scrollIntoView({ block: "nearest" });
}

function explain(result) {
  if (result.network) return t("network");
  const body = result.body || {};
  const details = (body.errors || []).map((e) => e.detail).filter(Boolean).join("; ");
  return [body.title || t("problem"), body.detail || details].filter(Boolean).join(": ");
}

// ---- details -------------------------------------------------------------------------------

function renderDetails() {
  const p = perf;
  document.title = `${p.title} — ${p.house.name} — Podium`;
  $("title").textContent = p.title;
  $("when").textContent = `${formatWhen(p.starts_at)} · ${p.house.name}`;
  const facts = [
    [t("venue"), `${p.venue.name}, ${p.hall.name} — ${p.venue.address}`],
    [t("duration"), p.production.duration_minutes ? t("minutes", p.production.duration_minutes) : null],
    [t("age"), p.production.age_advice ? t("ageFrom", p.production.age_advice) : null],
    [t("languages"), p.production.languages.map((l) => l.toUpperCase()).join(", ") || null],
    [t("sales"), t("status")[p.sales_status] || p.sales_status],
  ].filter(([, v]) => v);
  $("facts").replaceChildren(...facts.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { text: v })]));
  $("description").textContent = p.production.description || "";
  $("access").hidden = !p.venue.accessibility;
  $("access-title").textContent = t("access");
  $("access-text").textContent = p.venue.accessibility || "";
  $("tariffs-title").textContent = t("tariffs");
  const zones = p.hall.price_zones;
  $("tariffs").replaceChildren(
    el("thead", {}, el("tr", {}, el("th", { scope: "col", text: t("tariff") }),
      ...zones.map((z) => el("th", { scope: "col" }, el("span", { class: "swatch", style: `background:${z.color}` }), z.name)))),
    el("tbody", {}, ...p.tariffs.map((tariff) => el("tr", {}, el("th", { scope: "row", text: tariff.name }),
      ...zones.map((z) => { const c = priceFor(z.id, tariff); return el("td", { text: c == null ? "—" : formatEuro(c) }); })))));
  const notice = { cancelled: t("cancelled"), sold_out: t("soldOut"), sales_closed: t("closed"),
    not_yet_on_sale: t("opens", formatWhen(p.sales_opens_at)) }[p.sales_status];
  $("sales").hidden = !notice;
  $("sales").textContent = notice || "";
  $("details").hidden = false;
}

function jsonLd() {
  const p = perf;
  // The server's level (one rule for the badges and this): sold_out, limited or available.
  const level = p.sales_status === "sold_out" ? "sold_out" : plan?.summary.level;
  const availability = "https://schema.org/" + ({ sold_out: "SoldOut", limited: "LimitedAvailability" }[level] || "InStock");
  const url = new URL(href("/performance.html", { id: p.id }), location.origin).href;
  const abs = (u) => new URL(u, location.origin).href;
  const data = {
    "@context": "https://schema.org", "@type": "Event", name: p.title, url,
    startDate: p.starts_at, endDate: p.ends_at, inLanguage: lang,
    description: p.production.description,
    image: p.production.images.map((i) => abs(i.url)),
    eventStatus: `https://schema.org/${p.status === "cancelled" || p.sales_status === "cancelled" ? "EventCancelled" : "EventScheduled"}`,
    eventAttendanceMode: "https://schema.org/OfflineEventAttendanceMode",
    location: { "@type": "Place", name: `${p.venue.name} — ${p.hall.name}`,
      address: { "@type": "PostalAddress", streetAddress: p.venue.address, addressLocality: p.venue.city, addressCountry: "BE" } },
    organizer: { "@type": "Organization", name: p.house.name, url: p.house.website },
    offers: standard() ? standard().prices.map((price) => ({
      "@type": "Offer", name: `${standard().name} — ${p.hall.price_zones.find((z) => z.id === price.zone)?.name || price.zone}`,
      price: (price.cents / 100).toFixed(2), priceCurrency: "EUR", availability, url,
      validFrom: p.sales_opens_at, validThrough: p.sales_closes_at,
    })) : [],
  };
  let script = document.querySelector('script[type="application/ld+json"]');
  if (!script) { script = el("script", { type: "application/ld+json" }); document.head.append(script); }
  script.textContent = JSON.stringify(data).replace(/</g, "\\u003c");
}

// ---- picker --------------------------------------------------------------------------------

function qtyPicker(key, max, onInput = () => {}) {
  const input = el("input", { id: `qty-${key}`, type: "number", inputmode: "numeric", min: "1", max: String(max), value: "1",
    class: "qty-input" });
  const set = (n) => { input.value = String(Math.min(max, Math.max(1, n || 1))); onInput(+input.value); };
  input.addEventListener("change", () => set(parseInt(input.value, 10)));
  const node = el("div", { class: "qty" },
    el("label", { for: input.id, text: t("quantity") }),
    el("div", { class: "qty-row" },
      el("button", { type: "button", "aria-label": t("less"), "aria-controls": input.id, text: "−", onclick: () => set(+input.value - 1) }),
      input,
      el("button", { type: "button", "aria-label": t("more"), "aria-controls": input.id, text: "+", onclick: () => set(+input.value + 1) })));
  return { node, get value() { return Math.min(max, Math.max(1, parseInt(input.value, 10) || 1)); } };
}

function renderLegend() {
  const items = plan.zones.filter((z) => plan.seats.some((s) => s.zone === z.id)).map((z) => {
    const cents = priceFor(z.id);
    return el("li", {}, legendIcon("free", z.color), `${z.name}${cents == null ? "" : ` · ${formatEuro(cents)}`}`);
  });
  const grey = "#888";
  items.push(
    el("li", {}, legendIcon("free", grey, false, true), t("selectedState")),
    el("li", {}, legendIcon("unavailable", grey), t("unavailable")),
    el("li", {}, legendIcon("blocked", grey), t("blocked")));
  if (plan.seats.some((s) => s.attributes.includes("wheelchair"))) items.push(el("li", {}, legendIcon("free", grey, true), t("wheelchair")));
  $("legend").replaceChildren(...items);
  $("legend").setAttribute("aria-label", lang === "fr" ? "Légende" : lang === "en" ? "Key" : "Legende");
}

function onSelection(seats) {
  const total = seats.reduce((sum, s) => sum + (priceFor(s.zone) || 0), 0);
  $("chosen").textContent = t("chosen", seats.length, formatEuro(total));
  $("hold-seats").disabled = !seats.length || !!state;
  $("clear").disabled = !seats.length;
}

let zoom = 1;
function setZoom(z) {
  zoom = Math.min(4, Math.max(1, z));
  $("map").style.setProperty("--zoom", zoom);
  $("zoom-out").disabled = zoom === 1;
  $("zoom-in").disabled = zoom === 4;
}

function renderPicker() {
  $("picker-title").textContent = t("pick");
  const seated = plan.seats.length > 0;
  $("seated").hidden = !seated;
  if (seated) {
    $("map-help").textContent = t("mapHelp");
    $("zoom-in").setAttribute("aria-label", t("zoomIn"));
    $("zoom-out").setAttribute("aria-label", t("zoomOut"));
    $("clear").textContent = t("clear");
    $("hold-seats").textContent = t("holdSeats");
    renderLegend();
    if (map) map.update(plan);
    else map = createSeatMap({ container: $("map"), plan, t, lang, priceFor, max: MAX, onChange: onSelection, announce });
    setZoom(zoom);
  }
  $("pools").replaceChildren(...plan.pools.map((pool) => {
    const cents = priceFor(pool.zone);
    const picker = qtyPicker(pool.id, Math.max(1, Math.min(MAX, pool.remaining)));
    const title = el("h3", { id: `pool-${pool.id}`, text: `${pool.name}${cents == null ? "" : ` · ${formatEuro(cents)}`}` });
    return el("form", { class: "panel", "aria-labelledby": title.id,
      onsubmit: (e) => { e.preventDefault(); makeHold({ quantity: picker.value, pool: pool.id }); } },
      title, el("p", { class: "left", text: t("left", pool.name, pool.remaining) }), picker.node,
      el("button", { type: "submit", class: "primary", text: t("holdPool"), disabled: !pool.remaining || !!state }));
  }));
  const seatZones = plan.zones.filter((z) => plan.seats.some((s) => s.zone === z.id && s.state === "free"));
  $("best").hidden = !seated || !plan.summary.free_seats;
  $("best-title").textContent = t("best");
  $("best-help").textContent = t("bestHelp");
  $("best-zone-label").textContent = t("zone");
  $("best-zone").replaceChildren(el("option", { value: "", text: t("anyZone") }),
    ...seatZones.map((z) => el("option", { value: z.id, text: z.name })));
  const qty = qtyPicker("best", Math.max(1, Math.min(MAX, plan.summary.free_seats)));
  $("best-qty").replaceChildren(qty.node);
  $("best").onsubmit = (e) => {
    e.preventDefault();
    const body = { quantity: qty.value };
    if ($("best-zone").value) body.zone = $("best-zone").value;
    makeHold(body);
  };
  $("best-submit").textContent = t("bestSubmit");
  $("best-submit").disabled = !!state;
  $("held-hint").hidden = !state;
  $("held-hint").textContent = t("heldHint");
  if (seated) onSelection(map.selected());
  $("picker").hidden = false;
}

async function loadSeats() {
  const result = await api(`${base}/seats?lang=${lang}`);
  if (!result.ok) { problem(explain(result), loadSeats); return; }
  plan = result.body;
  if (retryAction === loadSeats) problem("");
  jsonLd();
  if (renderQueue()) return;
  if (perf.sales_status === "on_sale") renderPicker();
}

// ---- the waiting room ----------------------------------------------------------------------

const ADMISSION_PROBLEMS = ["admission_required", "admission_expired", "admission_invalid"];
const QUEUE_STATUSES = ["on_sale", "not_yet_on_sale"];
const FRESH_MS = 30_000; // a token this young that the gate refuses is not worth a round trip
const timeOnly = (iso) => formatWhen(iso, lang, { weekday: undefined, day: undefined, month: undefined, year: undefined });

// This tab's admission for the room that gates holds on this performance now, while it lasts.
const admission = () => (plan?.waiting_room ? loadAdmission(plan.waiting_room) : null);

function waitingRoomUrl(room, reason) {
  const extra = { room, performance: perf.id };
  if (reason) extra.reason = reason;
  return new URL(href("/waiting-room.html", extra), location.href).href;
}

// While a waiting room gates the holds and this tab has no admission for it, the buyer queues
// first: a banner instead of a seat picker that could only refuse. Returns whether it shows.
function renderQueue() {
  const room = plan?.waiting_room;
  const gated = !!room && !state && !admission() && QUEUE_STATUSES.includes(perf.sales_status);
  $("queue").hidden = !gated;
  if (gated) {
    $("queue-title").textContent = t("queueTitle");
    $("queue-text").textContent = t("queueText");
    const link = $("to-queue");
    link.textContent = t("queueButton");
    link.href = waitingRoomUrl(room);
    // From the widget's iframe the waiting room opens in the top window: the place and the
    // admission then belong to the shop's own tab, where the buyer carries on.
    if (framed) link.target = "_top";
    $("picker").hidden = true;
  }
  renderAdmission();
  return gated;
}

// How long the admission lasts, while no seats are held yet (then the basket's clock counts).
function renderAdmission() {
  clearInterval(admissionTimer);
  const pass = state ? null : admission();
  $("admission").hidden = !pass;
  if (!pass) return;
  const expires = Date.parse(pass.expires_at);
  $("admission-label").textContent = t("admissionLabel");
  $("admission-until").textContent = t("admissionUntil", timeOnly(pass.expires_at));
  let lastMinute = Math.ceil((expires - Date.now()) / 60000);
  if (admissionSaid !== pass.token) {
    admissionSaid = pass.token;
    $("timer-announce").textContent = t("admissionSay", lastMinute);
  }
  const tick = () => {
    const left = expires - Date.now();
    $("admission-countdown").textContent = mmss(left);
    if (left <= 0) { admissionOver(); return; }
    const minutes = Math.ceil(left / 60000);
    if (minutes !== lastMinute) {
      lastMinute = minutes;
      if ([5, 2, 1].includes(minutes)) $("timer-announce").textContent = t("admissionMinutes", minutes);
    }
  };
  tick();
  admissionTimer = setInterval(tick, 1000);
}

function admissionOver() {
  clearInterval(admissionTimer);
  saveAdmission(plan.waiting_room, null);
  if (state) { $("admission").hidden = true; return; }
  if (map) map.clear();
  problem(t("admissionOver"));
  renderQueue();
}

// The gate wants (another) admission: drop the stale one and queue in the room it names.
function toWaitingRoom(result, pass) {
  const room = result.body.waiting_room || plan?.waiting_room;
  for (const id of new Set([room, plan?.waiting_room, pass?.room])) if (id) saveAdmission(id, null);
  if (!room) { problem(explain(result)); return; }
  plan = { ...plan, waiting_room: room };
  if (map) map.clear();
  renderQueue();
  // A token granted moments ago and refused at once would send the buyer round in circles:
  // say why, and leave the way to the room (the banner) to the buyer.
  if (result.body.code === "admission_invalid" && Date.now() - (pass?.saved_at || 0) < FRESH_MS) {
    problem(explain(result));
    return;
  }
  announce(t("toQueue"));
  const url = waitingRoomUrl(room, result.body.code);
  if (!framed) { location.assign(url); return; }
  // The click that asked for the hold lets the frame send its top window on; should a browser
  // refuse, the banner's link (target=_top) is right there.
  problem(explain(result));
  try { window.top.location.href = url; } catch { /* the banner's link leaves the frame */ }
}

// ---- holds and basket ----------------------------------------------------------------------

async function makeHold(body) {
  if (state) { problem(t("heldHint")); return; }
  problem("");
  announce(t("holding"));
  const pass = admission();
  const headers = { "X-Client-Id": clientId() };
  if (pass) headers["X-Admission-Token"] = pass.token;
  const result = await api(`${base}/holds`, { method: "POST", body, headers });
  if (!result.ok && ADMISSION_PROBLEMS.includes(result.body.code)) {
    toWaitingRoom(result, pass);
  } else if (result.ok) {
    const hold = result.body;
    const tariffs = {};
    for (const place of places(hold)) tariffs[place.key] = standard().id;
    state = { hold, tariffs, performance: { id: perf.id, title: perf.title, house: perf.house.name,
      starts_at: perf.starts_at, venue: `${perf.venue.name}, ${perf.hall.name}`, tariffs: perf.tariffs, lang,
      service_fee_cents: perf.house.service_fee_cents || 0 } };
    state.places = places(hold);
    saveHold(state);
    if (map) map.clear();
    renderAdmission(); // the basket's clock counts from here
    renderBasket(true);
    announce(t("held", places(hold).length));
    loadSeats();
  } else if (result.status === 409) {
    const taken = (result.body.unavailable || []).map((sid) => plan?.seats.find((s) => s.id === sid)?.label).filter(Boolean);
    problem(`${t("taken")}${taken.length ? ` (${taken.join(", ")})` : ""}`);
    await loadSeats();
  } else {
    problem(explain(result), result.network ? () => makeHold(body) : null);
  }
}

// Every ticket of a hold: its seats, and one place per standing ticket.
function places(hold) {
  const list = hold.seats.map((s) => ({ key: s.id, seat: s.id, label: s.label, zone: s.zone }));
  for (const ga of hold.ga) {
    const zone = plan?.pools.find((p) => p.id === ga.pool)?.zone;
    for (let i = 0; i < ga.quantity; i++) {
      list.push({ key: `ga:${ga.pool}:${i}`, pool: ga.pool, label: `${ga.name} ${i + 1}`, zone });
    }
  }
  return list;
}

function renderBasket(focus = false) {
  clearInterval(timer);
  $("basket").hidden = !state;
  if (!state) return;
  $("basket-title").textContent = t("basket");
  $("countdown-label").textContent = t("expires");
  $("total-label").textContent = t("total");
  $("release").textContent = t("release");
  $("to-checkout").textContent = t("checkout");
  checkoutLink();
  const list = state.places || places(state.hold);
  // What the order will charge: the tariff's price plus the house's service fee per paid ticket.
  const total = () => {
    const sums = basketTotal(list, state.tariffs, perf.tariffs, perf.house.service_fee_cents);
    return sums.fees ? `${formatEuro(sums.all)} (${t("fees")} ${formatEuro(sums.fees)})` : formatEuro(sums.all);
  };
  $("basket-lines").replaceChildren(...list.map((place, i) => {
    const select = el("select", { id: `tariff-${i}`, onchange: () => {
      state.tariffs[place.key] = select.value; saveHold(state); checkoutLink(); $("total").textContent = total();
    } }, ...perf.tariffs.filter((x) => priceFor(place.zone, x) != null).map((x) =>
      el("option", { value: x.id, text: `${x.name} — ${formatEuro(priceFor(place.zone, x))}`, selected: state.tariffs[place.key] === x.id })));
    return el("li", {}, el("span", { class: "place", text: place.label }),
      el("label", { for: select.id, class: "visually-hidden", text: t("tariffFor", place.label) }), select);
  }));
  $("total").textContent = total();
  const expires = Date.parse(state.hold.expires_at);
  let lastMinute = Math.ceil((expires - Date.now()) / 60000);
  const tick = () => {
    const left = expires - Date.now();
    $("countdown").textContent = mmss(left);
    if (left <= 0) { expire(); return; }
    const minutes = Math.ceil(left / 60000);
    if (minutes !== lastMinute) {
      lastMinute = minutes;
      if (minutes <= 5 || minutes % 5 === 0 || minutes === 1) $("timer-announce").textContent = t("minutesLeft", minutes);
    }
  };
  tick();
  timer = setInterval(tick, 1000);
  if (focus) $("basket-title").focus();
}

// In the widget's iframe the link leaves the frame and carries the hold with it.
function checkoutLink() {
  const link = $("to-checkout");
  if (framed) {
    link.target = "_top";
    link.href = new URL(holdLink(href("/checkout.html"), state), location.href).href;
  } else {
    link.href = href("/checkout.html");
  }
}

function expire() {
  clearInterval(timer);
  state = null;
  saveHold(null);
  renderBasket();
  problem(t("expired"));
  loadSeats();
}

async function release() {
  const hold = state.hold;
  const result = await api(`/v1/holds/${encodeURIComponent(hold.hold_id)}`, { method: "DELETE",
    headers: { "X-Hold-Token": hold.hold_token, "X-Client-Id": clientId() } });
  if (!result.ok && result.status !== 404) { problem(explain(result), result.network ? release : null); return; }
  state = null;
  saveHold(null);
  renderBasket();
  problem("");
  announce(t("released"));
  await loadSeats();
  $("picker-title").setAttribute("tabindex", "-1");
  $("picker-title").focus();
}

// A hold kept from before (back from the checkout): still alive?
async function restoreHold() {
  const saved = loadHold();
  if (!saved || saved.performance?.id !== perf.id || Date.parse(saved.hold.expires_at) <= Date.now()) {
    if (saved && saved.performance?.id === perf.id) saveHold(null);
    return;
  }
  const result = await api(`/v1/holds/${encodeURIComponent(saved.hold.hold_id)}`,
    { headers: { "X-Hold-Token": saved.hold.hold_token } });
  if (result.ok && result.body.state === "active") {
    state = { ...saved, hold: { ...saved.hold, ...result.body, hold_token: saved.hold.hold_token } };
    saveHold(state);
  } else if (!result.network) {
    saveHold(null);
  } else {
    state = saved;
  }
}

// ---- start ---------------------------------------------------------------------------------

async function start() {
  languageNav();
  $("back").textContent = t("programme");
  $("back").href = href("/");
  $("home").href = href("/");
  $("retry").textContent = t("retry");
  $("retry").addEventListener("click", () => { const again = retryAction; problem(""); again?.(); });
  $("release").addEventListener("click", release);
  $("clear").addEventListener("click", () => map?.clear());
  $("hold-seats").addEventListener("click", () => makeHold({ seats: map.selected().map((s) => s.id) }));
  $("zoom-in").addEventListener("click", () => setZoom(zoom + 1));
  $("zoom-out").addEventListener("click", () => setZoom(zoom - 1));
  $("to-checkout").addEventListener("click", () => saveHold(state));
  $("status").textContent = t("loading");
  const result = await api(`${base}?lang=${lang}`);
  if (!result.ok) {
    $("status").textContent = result.status === 404 ? t("notFound") : t("loadError");
    if (result.network) problem(t("network"), () => location.reload());
    return;
  }
  perf = result.body;
  $("status").textContent = "";
  renderDetails();
  jsonLd();
  await restoreHold();
  await loadSeats();
  renderBasket();
}
start();
