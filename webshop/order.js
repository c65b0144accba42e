// The page the buyer returns to after paying: follows the order until its tickets exist.
const TEXT = {
  nl: { heading: "Je bestelling", awaiting_payment: "We wachten op je betaling…",
        paid: "Betaald. Je tickets worden aangemaakt…", completed: "Klaar! Je tickets staan hieronder en in je mailbox.",
        cancelled: "Deze bestelling is geannuleerd; er werd niets aangerekend.",
        refunded: "Deze bestelling is terugbetaald.", notfound: "Deze bestelling vonden we niet.",
        pdf: "Download je tickets (pdf)", total: "Totaal" },
  fr: { heading: "Votre commande", awaiting_payment: "Nous attendons votre paiement…",
        paid: "Payé. Vos billets sont en cours de création…", completed: "C'est fait ! Vos billets sont ci-dessous et dans votre boîte mail.",
        cancelled: "Cette commande a été annulée ; rien n'a été débité.",
        refunded: "Cette commande a été remboursée.", notfound: "Commande introuvable.",
        pdf: "Télécharger vos billets (pdf)", total: "Total" },
  en: { heading: "Your order", awaiting_payment: "Waiting for your payment…",
        paid: "Paid. Your tickets are being issued…", completed: "Done! Your tickets are below and in your mailbox.",
        cancelled: "This order was cancelled; nothing was charged.",
        refunded: "This order was refunded.", notfound: "We could not find this order.",
        pdf: "Download your tickets (PDF)", total: "Total" },
};
const params = new URLSearchParams(location.search);
const lang = TEXT[params.get("lang")] ? params.get("lang") : (document.documentElement.lang || "nl");
const t = TEXT[lang];
const $ = (id) => document.getElementById(id);
document.documentElement.lang = lang;
$("heading").textContent = t.heading;

async function follow() {
  const response = await fetch(`/v1/orders/${encodeURIComponent(params.get("order") || "")}?lang=${lang}`,
    { headers: { "X-Order-Token": params.get("token") || "" } });
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
  if (order.status === "awaiting_payment" || order.status === "paid") setTimeout(follow, 1500);
}
follow();
