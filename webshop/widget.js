// Podium's embeddable programme widget for a house's own website:
//   <script src="https://<podium host>/widget.js" data-house="campo" data-cluster="gent"
//           data-lang="nl" defer></script>
// Renders the house's upcoming performances right after the tag, in a Shadow DOM (no CSS in or
// out); "Tickets" opens the performance page in a modal <dialog> with an <iframe> (a new tab
// where <dialog> is unsupported). No dependencies.
(() => {
  const script = document.currentScript;
  if (!script || !script.src) return;
  const origin = new URL(script.src, location.href).origin;
  const house = script.dataset.house;
  const cluster = script.dataset.cluster;
  const T = {
    nl: { heading: "Programma", loading: "Laden…", empty: "Geen komende voorstellingen.",
          error: "Het programma kon niet geladen worden.", from: "vanaf", tickets: "Tickets",
          close: "Sluiten", frame: "Tickets voor", sold_out: "Uitverkocht", cancelled: "Geannuleerd",
          limited: "Nog enkele plaatsen" },
    fr: { heading: "Programme", loading: "Chargement…", empty: "Aucune représentation à venir.",
          error: "Le programme n'a pas pu être chargé.", from: "à partir de", tickets: "Billets",
          close: "Fermer", frame: "Billets pour", sold_out: "Complet", cancelled: "Annulé",
          limited: "Dernières places" },
    en: { heading: "What's on", loading: "Loading…", empty: "No upcoming performances.",
          error: "The programme could not be loaded.", from: "from", tickets: "Tickets",
          close: "Close", frame: "Tickets for", sold_out: "Sold out", cancelled: "Cancelled",
          limited: "Few seats left" },
  };
  const lang = T[script.dataset.lang] ? script.dataset.lang : "nl";
  const t = T[lang];
  const locale = { nl: "nl-BE", fr: "fr-BE", en: "en-GB" }[lang];
  const when = new Intl.DateTimeFormat(locale, { weekday: "short", day: "numeric", month: "long",
    year: "numeric", hour: "2-digit", minute: "2-digit", timeZone: "Europe/Brussels" });
  const euro = new Intl.NumberFormat(lang === "en" ? "en-GB" : "nl-BE",
    { style: "currency", currency: "EUR" });

  const CSS = `
:host{all:initial;display:block;contain:content}
.w{font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;
  background:#fff;border:1px solid #d0d0d0;border-radius:8px;padding:1rem;text-align:left}
*{box-sizing:border-box}
h2{font-size:1.25rem;margin:0 0 .75rem;font-weight:700;color:#1a1a1a}
ol{list-style:none;margin:0;padding:0}
li{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;justify-content:space-between;
  padding:.75rem 0;border-top:1px solid #e2e2e2}
h3{font-size:1.05rem;margin:0 0 .15rem;color:#1a1a1a}
p{margin:0}.m{color:#4a4a4a;font-size:.9rem}
.b{display:inline-block;margin-left:.5rem;padding:.05rem .45rem;border-radius:4px;font-size:.78rem;
  font-weight:600;vertical-align:middle;color:#fff;background:#a3161a}
.b.cancelled{background:#4a4a4a}.b.limited{background:#fff1cc;color:#6b4700}
button{font:inherit;font-weight:600;cursor:pointer;border-radius:6px;border:2px solid #14365e;
  background:#14365e;color:#fff;padding:.45rem 1.1rem;min-height:44px;margin:0}
button:hover{background:#0c2440}
button:focus-visible{outline:3px solid #e8a200;outline-offset:2px}
dialog{padding:0;border:0;border-radius:8px;width:min(960px,94vw);height:min(860px,92vh);
  max-width:none;max-height:none;overflow:hidden;overscroll-behavior:contain;background:#fff;color:#1a1a1a}
dialog::backdrop{background:rgba(0,0,0,.6)}
dialog[open]{display:flex;flex-direction:column}
.h{display:flex;align-items:center;gap:1rem;justify-content:space-between;padding:.4rem .5rem .4rem 1rem;
  border-bottom:1px solid #d0d0d0}
.h h2{margin:0;font-size:1.05rem;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.x{background:#fff;color:#14365e;min-width:44px;padding:0 .6rem;font-size:1.4rem;line-height:1}
.x:hover{background:#eef2f7}
iframe{flex:1;width:100%;border:0;display:block}
@media (max-width:599.98px){dialog{width:100vw;height:100vh;height:100dvh;border-radius:0;margin:0}}`;

  const el = (tag, attrs = {}, ...kids) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (k === "text") node.textContent = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v);
    }
    node.append(...kids);
    return node;
  };

  const host = document.createElement("podium-widget");
  script.after(host);
  const root = host.attachShadow({ mode: "open" });
  const status = el("p", { role: "status", class: "m", text: t.loading });
  const heading = el("h2", { text: t.heading });
  const list = el("ol");
  root.append(el("style", { text: CSS }), el("div", { class: "w", lang }, heading, status, list));
  if (!house || !cluster) {
    status.textContent = t.error;
    console.error("Podium widget: data-house and data-cluster are required");
    return;
  }

  // The dialog (created once); the iframe only while it is open.
  const canDialog = typeof HTMLDialogElement === "function" &&
    typeof HTMLDialogElement.prototype.showModal === "function";
  let dialog, dialogTitle, opener;
  function open(p, button) {
    const url = `${origin}/performance.html?id=${encodeURIComponent(p.id)}&lang=${lang}`;
    if (!canDialog) { window.open(url, "_blank", "noopener"); return; }
    if (!dialog) {
      dialogTitle = el("h2", { id: "podium-dialog-title" });
      dialog = el("dialog", { "aria-labelledby": "podium-dialog-title", lang,
        onclose: () => {
          const frame = dialog.querySelector("iframe");
          if (frame) frame.remove();
          if (opener) opener.focus();
        },
        onclick: (e) => { if (e.target === dialog) dialog.close(); } },
      el("div", { class: "h" }, dialogTitle,
        el("button", { type: "button", class: "x", "aria-label": t.close, title: t.close,
          onclick: () => dialog.close() }, "×")));
      root.append(dialog);
    }
    opener = button;
    dialogTitle.textContent = p.title;
    dialog.append(el("iframe", { src: url, title: `${t.frame} ${p.title}` }));
    dialog.showModal();
  }

  function item(p, availability) {
    const title = el("h3", { text: p.title });
    // Live availability refines an on-sale performance: sold out, or few seats left.
    const live = p.sales_status === "on_sale" ? availability[p.id]?.level : null;
    const badge = live === "sold_out" || live === "limited" ? live : p.sales_status;
    if (t[badge] && badge !== "on_sale") {
      title.append(el("span", { class: `b ${badge}`, text: t[badge] }));
    }
    const date = when.format(new Date(p.starts_at));
    const price = p.price_from_cents == null ? "" : ` · ${t.from} ${euro.format(p.price_from_cents / 100)}`;
    const button = el("button", { type: "button", "aria-label": `${t.tickets}: ${p.title}, ${date}`,
      text: t.tickets });
    button.addEventListener("click", () => open(p, button));
    return el("li", {}, el("div", {}, title, el("p", { class: "m" },
      el("time", { datetime: p.starts_at, text: date }), price)), button);
  }

  const json = (path) => fetch(`${origin}/catalogue/${path}`)
    .then((r) => { if (!r.ok) throw new Error(r.status); return r.json(); });
  Promise.all([json(`${lang}/${encodeURIComponent(cluster)}.json`),
    json(`availability/${encodeURIComponent(cluster)}.json`).catch(() => ({}))])
    .then(([data, snapshot]) => {
      const now = Date.now();
      const name = (data.houses || []).find((h) => h.id === house);
      if (name) heading.textContent = `${t.heading} · ${name.name}`;
      const shown = (data.performances || [])
        .filter((p) => p.house === house && new Date(p.starts_at).getTime() > now)
        .sort((a, b) => new Date(a.starts_at) - new Date(b.starts_at));
      list.replaceChildren(...shown.map((p) => item(p, snapshot.performances || {})));
      status.textContent = shown.length ? "" : t.empty;
      status.hidden = shown.length > 0;
    })
    .catch(() => { status.textContent = t.error; });
})();
