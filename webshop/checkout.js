// Checkout: who is buying, consents, terms → POST /v1/orders → the payment page.
import { $, api, basketTotal, el, formatEuro, formatWhen, href, lang, languageNav, loadHold, makeT, mmss,
  saveHold, takeHoldFromUrl } from "./i18n.js";

const TEXT = {
  nl: {
    heading: "Afrekenen", back: "← Terug naar je plaatsen", summary: "Je bestelling", total: "Totaal", fees: "waarvan servicekosten",
    expires: "Je plaatsen blijven vast nog", name: "Naam", email: "E-mailadres",
    emailHint: "Hier sturen we je tickets naartoe.", phone: "Telefoon (niet verplicht)", language: "Taal van je tickets en mails",
    consents: "Nieuwsbrieven (niet verplicht)", nh: (h) => `Ja, ik ontvang graag de nieuwsbrief van ${h}.`,
    nc: "Ja, ik ontvang graag de nieuwsbrief van alle huizen in de regio.",
    terms: "Ik ga akkoord met de verkoopsvoorwaarden.", pay: "Bestellen en betalen",
    empty: "Je hebt geen plaatsen vast. Kies eerst je plaatsen.", expired: "Je reservering is verlopen. Kies je plaatsen opnieuw.",
    errName: "Vul je naam in.", errEmail: "Vul een geldig e-mailadres in, bv. naam@voorbeeld.be.",
    errPhone: "Vul een geldig telefoonnummer in, bv. +32 470 12 34 56.", errTerms: "Ga akkoord met de verkoopsvoorwaarden om te bestellen.",
    errors: (n) => n === 1 ? "Er is 1 fout in het formulier." : `Er zijn ${n} fouten in het formulier.`,
    sending: "Je bestelling wordt geplaatst…", redirect: "Je gaat naar de betaalpagina…",
    network: "Geen verbinding met Podium. Controleer je internet en probeer opnieuw.",
    failed: "Je bestelling kon niet geplaatst worden.",
  },
  fr: {
    heading: "Commander", back: "← Retour à vos places", summary: "Votre commande", total: "Total", fees: "dont frais de service",
    expires: "Vos places restent bloquées encore", name: "Nom", email: "Adresse e-mail",
    emailHint: "Nous y envoyons vos billets.", phone: "Téléphone (facultatif)", language: "Langue de vos billets et e-mails",
    consents: "Newsletters (facultatif)", nh: (h) => `Oui, je souhaite recevoir la newsletter de ${h}.`,
    nc: "Oui, je souhaite recevoir la newsletter de toutes les maisons de la région.",
    terms: "J'accepte les conditions générales de vente.", pay: "Commander et payer",
    empty: "Vous n'avez pas de places bloquées. Choisissez d'abord vos places.", expired: "Votre réservation a expiré. Choisissez à nouveau vos places.",
    errName: "Indiquez votre nom.", errEmail: "Indiquez une adresse e-mail valide, p. ex. nom@exemple.be.",
    errPhone: "Indiquez un numéro de téléphone valide, p. ex. +32 470 12 34 56.", errTerms: "Acceptez les conditions de vente pour commander.",
    errors: (n) => n === 1 ? "Le formulaire contient 1 erreur." : `Le formulaire contient ${n} erreurs.`,
    sending: "Votre commande est en cours…", redirect: "Vers la page de paiement…",
    network: "Pas de connexion avec Podium. Vérifiez votre connexion et réessayez.",
    failed: "Votre commande n'a pas pu être passée.",
  },
  en: {
    heading: "Checkout", back: "← Back to your seats", summary: "Your order", total: "Total", fees: "including service fees of",
    expires: "Your seats are held for another", name: "Name", email: "Email address",
    emailHint: "We send your tickets here.", phone: "Phone (optional)", language: "Language of your tickets and emails",
    consents: "Newsletters (optional)", nh: (h) => `Yes, send me the newsletter of ${h}.`,
    nc: "Yes, send me the newsletter of all houses in the region.",
    terms: "I accept the terms and conditions of sale.", pay: "Order and pay",
    empty: "You are not holding any seats. Choose your seats first.", expired: "Your reservation has expired. Please choose your seats again.",
    errName: "Enter your name.", errEmail: "Enter a valid email address, e.g. name@example.be.",
    errPhone: "Enter a valid phone number, e.g. +32 470 12 34 56.", errTerms: "Accept the terms and conditions to order.",
    errors: (n) => n === 1 ? "There is 1 error in the form." : `There are ${n} errors in the form.`,
    sending: "Placing your order…", redirect: "Going to the payment page…",
    network: "No connection to Podium. Check your internet connection and try again.",
    failed: "Your order could not be placed.",
  },
};
const t = makeT(TEXT);
const FIELDS = ["name", "email", "phone", "language", "consents", "terms"];
takeHoldFromUrl(); // arriving from the widget's iframe
const state = loadHold();
let timer = 0;

function fieldError(field, message) {
  const input = field === "consents" ? null : $(field);
  const note = $(`${field}-error`);
  note.textContent = message || "";
  note.hidden = !message;
  if (input) {
    if (message) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  }
}

function showProblem(text, focus = true) {
  $("problem").hidden = !text;
  $("problem").replaceChildren(...(text ? [el("p", { text })] : []));
  if (text && focus) $("problem").focus();
}

function price(place, tariffId) {
  const tariff = state.performance.tariffs.find((x) => x.id === tariffId);
  return { name: tariff?.name || tariffId, cents: tariff?.prices.find((p) => p.zone === place.zone)?.cents ?? 0 };
}

// The hold ran out (the countdown, or the server said so): nothing can be ordered any more.
function lapsed() {
  clearInterval(timer);
  saveHold(null);
  $("form").hidden = true;
  $("countdown").textContent = mmss(0);
  showProblem(t("expired"));
}

function renderSummary() {
  const p = state.performance;
  $("summary-title").textContent = t("summary");
  $("show").textContent = `${p.title} · ${formatWhen(p.starts_at)} · ${p.venue || p.house}`;
  $("lines").replaceChildren(...state.places.map((place) => {
    const { name, cents } = price(place, state.tariffs[place.key]);
    return el("li", {}, el("span", { class: "place", text: place.label }), el("span", { text: `${name} — ${formatEuro(cents)}` }));
  }));
  $("total-label").textContent = t("total");
  const sums = basketTotal(state.places, state.tariffs, p.tariffs, p.service_fee_cents);
  $("total").textContent = sums.fees ? `${formatEuro(sums.all)} (${t("fees")} ${formatEuro(sums.fees)})` : formatEuro(sums.all);
  $("countdown-label").textContent = t("expires");
  const expires = Date.parse(state.hold.expires_at);
  const tick = () => {
    const left = expires - Date.now();
    $("countdown").textContent = mmss(left);
    if (left <= 0) lapsed();
  };
  tick();
  timer = setInterval(tick, 1000);
  $("summary").hidden = false;
}

function validate() {
  const errors = {};
  if (!$("name").value.trim()) errors.name = t("errName");
  if (!/^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$/.test($("email").value.trim())) errors.email = t("errEmail");
  const phone = $("phone").value.trim();
  if (phone && !/^\+?[0-9 ()./-]{6,20}$/.test(phone)) errors.phone = t("errPhone");
  if (!$("terms").checked) errors.terms = t("errTerms");
  return errors;
}

function showErrors(errors, general = []) {
  for (const field of FIELDS) fieldError(field, errors[field]);
  const count = Object.keys(errors).length;
  const messages = [...general];
  if (count) messages.unshift(t("errors", count));
  if (messages.length) {
    showProblem(messages.join(" "), !count);
    if (count) $(FIELDS.find((f) => errors[f] && f !== "consents") || "newsletter_house").focus();
  } else {
    showProblem("");
  }
}

// Server problems → the field they name (customer.email → email) or the message on top.
function serverErrors(body) {
  const errors = {};
  const general = [];
  for (const e of body.errors || []) {
    const field = String(e.field || "").replace(/^customer\./, "").replace(/^consents\..*/, "consents");
    const text = e.expected ? `${e.detail} (${e.expected})` : e.detail;
    const local = { name: "errName", email: "errEmail", phone: "errPhone" }[field];
    if (FIELDS.includes(field)) errors[field] = local ? t(local) : errors[field] ? `${errors[field]}; ${text}` : text;
    else general.push(text);
  }
  if (!(body.errors || []).length) general.push(body.detail || body.title || t("failed"));
  else if (general.length) general.unshift(body.title || t("failed"));
  return { errors, general };
}

async function submit(event) {
  event.preventDefault();
  const errors = validate();
  showErrors(errors);
  if (Object.keys(errors).length) return;
  const customer = { name: $("name").value.trim(), email: $("email").value.trim(), language: $("language").value };
  if ($("phone").value.trim()) customer.phone = $("phone").value.trim();
  const body = {
    hold_id: state.hold.hold_id, hold_token: state.hold.hold_token,
    lines: state.places.map((place) => ({ ...(place.seat ? { seat: place.seat } : { pool: place.pool }),
      tariff: state.tariffs[place.key] })),
    customer,
    consents: { newsletter_house: $("newsletter_house").checked, newsletter_cluster: $("newsletter_cluster").checked },
  };
  $("pay").disabled = true;
  $("status").textContent = t("sending");
  const result = await api("/v1/orders", { method: "POST", body });
  $("status").textContent = "";
  if (result.ok) {
    sessionStorage.setItem("podium-order", JSON.stringify({ order_id: result.body.order_id, access_token: result.body.access_token }));
    saveHold(null);
    clearInterval(timer);
    $("status").textContent = t("redirect");
    location.href = result.body.payment_url;
    return;
  }
  $("pay").disabled = false;
  if (result.network) { showErrors({}, [t("network")]); return; }
  if (result.body?.code === "hold_expired") { lapsed(); return; }
  const { errors: fieldErrors, general } = serverErrors(result.body || {});
  showErrors(fieldErrors, general);
}

function start() {
  languageNav();
  $("heading").textContent = t("heading");
  document.title = `${t("heading")} — Podium`;
  $("home").href = href("/");
  $("back").textContent = t("back");
  if (!state || !state.places || Date.parse(state.hold.expires_at) <= Date.now()) {
    $("back").href = state?.performance ? href("/performance.html", { id: state.performance.id }) : href("/");
    if (state) saveHold(null);
    showProblem(state ? t("expired") : t("empty"), false);
    return;
  }
  $("back").href = href("/performance.html", { id: state.performance.id });
  renderSummary();
  const labels = { "name-label": "name", "email-label": "email", "email-hint": "emailHint", "phone-label": "phone",
    "language-label": "language", "consents-legend": "consents", "nc-label": "nc", "terms-label": "terms", pay: "pay" };
  for (const [id, key] of Object.entries(labels)) $(id).textContent = t(key);
  $("nh-label").textContent = t("nh", state.performance.house);
  $("language").value = lang;
  $("form").addEventListener("submit", submit);
  $("form").hidden = false;
}
start();
