// The page the buyer returns to after paying: follows the order until its tickets exist,
// then shows each ticket with its QR code and offers the performance for the calendar.
const TEXT = {
  nl: { heading: "Je bestelling", awaiting_payment: "We wachten op je betaling…",
        paid: "Betaald. Je tickets worden aangemaakt…", completed: "Klaar! Je tickets staan hieronder en in je mailbox.",
        cancelled: "Deze bestelling is geannuleerd; er werd niets aangerekend.",
        refunded: "Deze bestelling is terugbetaald.", notfound: "Deze bestelling vonden we niet.",
        pdf: "Download je tickets (pdf)", total: "Totaal", tickets: "Je tickets",
        calendar: "Zet in je agenda", qr_alt: (label) => `QR-code voor ${label}`,
        holder: "Op naam van", ticket: "Ticketnummer" },
  fr: { heading: "Votre commande", awaiting_payment: "Nous attendons votre paiement…",
        paid: "Payé. Vos billets sont en cours de création…", completed: "C'est fait ! Vos billets sont ci-dessous et dans votre boîte mail.",
        cancelled: "Cette commande a été annulée ; rien n'a été débité.",
        refunded: "Cette commande a été remboursée.", notfound: "Commande introuvable.",
        pdf: "Télécharger vos billets (pdf)", total: "Total", tickets: "Vos billets",
        calendar: "Ajouter au calendrier", qr_alt: (label) => `Code QR pour ${label}`,
        holder: "Au nom de", ticket: "Numéro de billet" },
  en: { heading: "Your order", awaiting_payment: "Waiting for your payment…",
        paid: "Paid. Your tickets are being issued…", completed: "Done! Your tickets are below and in your mailbox.",
        cancelled: "This order was cancelled; nothing was charged.",
        refunded: "This order was refunded.", notfound: "We could not find this order.",
        pdf: "Download your tickets (PDF)", total: "Total", tickets: "Your tickets",
        calendar: "Add to calendar", qr_alt: (label) => `QR code for ${label}`,
        holder: "Holder", ticket: "Ticket number" },
};
const params = new URLSearchParams(location.search);
const lang = TEXT[params.get("lang")] ? params.get("lang") : (TEXT[document.documentElement.lang] ? document.documentElement.lang : "nl");
const t = TEXT[lang];
const $ = (id) => document.getElementById(id);
const orderId = params.get("order") || "";
const token = params.get("token") || "";
document.documentElement.lang = lang;
$("heading").textContent = t.heading;
$("tickets-heading").textContent = t.tickets;
let ticketsShown = false;

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === "text") node.textContent = value;
    else if (key === "class") node.className = value;
    else node.setAttribute(key, value);
  }
  node.append(...children);
  return node;
}

function ticketCard(order, ticket) {
  const base = `/v1/orders/${encodeURIComponent(order.order_id)}/tickets/${encodeURIComponent(ticket.id)}`;
  const img = el("img", { src: `${base}/qr.svg?token=${encodeURIComponent(token)}`,
    alt: t.qr_alt(ticket.label), width: "200", height: "200", class: "ticket-qr" });
  const facts = el("dl", { class: "ticket-facts" },
    el("dt", { text: t.holder }), el("dd", { text: ticket.holder || "—" }),
    el("dt", { text: t.ticket }), el("dd", { class: "ticket-id", text: ticket.id }));
  return el("li", { class: "ticket-card" },
    el("h3", { class: "ticket-place", text: ticket.label }),
    el("p", { class: "ticket-tariff", text: ticket.tariff_name }),
    img, facts);
}

// --- iCalendar (RFC 5545): CRLF line endings, escaped text, lines folded at 75 octets ----------
const icsText = (value) => String(value ?? "")
  .replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\r?\n/g, "\\n");
const icsTime = (iso) => new Date(iso).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");

function fold(line) {
  const encoder = new TextEncoder();
  const parts = [];
  let current = "";
  let octets = 0;
  for (const char of line) {
    const size = encoder.encode(char).length;
    if (octets + size > (parts.length ? 74 : 75)) { parts.push(current); current = ""; octets = 0; }
    current += char; octets += size;
  }
  parts.push(current);
  return parts.join("\r\n ");
}

export function buildIcs(orderId, performance, now = new Date()) {
  const start = performance.starts_at;
  const end = performance.ends_at
    || new Date(new Date(start).getTime() + 2 * 3600 * 1000).toISOString();
  const place = [performance.venue?.name, performance.hall?.name, performance.venue?.city]
    .filter(Boolean).join(", ");
  const lines = [
    "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Podium//Webshop//NL", "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH", "BEGIN:VEVENT",
    `UID:${icsText(orderId)}`,
    `DTSTAMP:${icsTime(now.toISOString())}`,
    `DTSTART:${icsTime(start)}`,
    `DTEND:${icsTime(end)}`,
    `SUMMARY:${icsText(performance.title)}`,
    `LOCATION:${icsText(place)}`,
    "END:VEVENT", "END:VCALENDAR",
  ];
  return lines.map(fold).join("\r\n") + "\r\n";
}

async function offerCalendar(order) {
  let response;
  try {
    response = await fetch(`/v1/performances/${encodeURIComponent(order.performance)}?lang=${lang}`);
  } catch { return; }
  if (!response.ok) return;
  const performance = await response.json();
  const blob = new Blob([buildIcs(order.order_id, performance)], { type: "text/calendar;charset=utf-8" });
  const link = $("ics");
  link.href = URL.createObjectURL(blob);
  link.download = `podium-${order.order_id}.ics`;
  link.textContent = t.calendar;
  $("ics-row").hidden = false;
}

function showTickets(order) {
  if (ticketsShown || !order.tickets?.length) return;
  ticketsShown = true;
  $("tickets").replaceChildren(...order.tickets.map((ticket) => ticketCard(order, ticket)));
  $("tickets-section").hidden = false;
  offerCalendar(order);
}

async function follow() {
  const response = await fetch(`/v1/orders/${encodeURIComponent(orderId)}?lang=${lang}`,
    { headers: { "X-Order-Token": token } });
  if (!response.ok) { $("status").textContent = t.notfound; return; }
  const order = await response.json();
  $("status").textContent = t[order.status] || order.status;
  $("lines").replaceChildren(...order.lines.map((line) => {
    const li = document.createElement("li");
    li.textContent = `${line.label} — ${line.tariff_name}`;
    return li;
  }));
  $("total").textContent = `${t.total}: ${order.total}`;
  if (order.pdf_url) {
    $("pdf").href = order.pdf_url; $("pdf").textContent = t.pdf; $("pdf").hidden = false;
  }
  if (order.status === "completed") showTickets(order);
  if (order.status === "awaiting_payment" || order.status === "paid") setTimeout(follow, 1500);
}
follow();
