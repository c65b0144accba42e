// The waiting room of an on-sale: join once (the ticket is kept per room in this tab, so a reload
// keeps the place), follow the place when the server says to ask again, then claim the admission,
// keep its token for the performance page and go back there to choose seats.
import { $, api, clientId, el, formatWhen, href, lang, languageNav, makeT, mmss, params,
  saveAdmission } from "./i18n.js";

// Minutes to "about 1 hour 20": whole hours and the rest rounded to 5 minutes.
function hoursAndMinutes(minutes) {
  let hours = Math.floor(minutes / 60);
  let rest = Math.round((minutes % 60) / 5) * 5;
  if (rest === 60) { hours += 1; rest = 0; }
  return [hours, rest];
}

const TEXT = {
  nl: {
    heading: "Wachtrij", programme: "← Programma", backShow: "← Terug naar de voorstelling",
    steps: ["Aangesloten", "Plaats gekregen", "Wachten op je beurt", "Plaatsen kiezen"], stepsLabel: "Stappen",
    stepDone: "klaar",
    joiningTitle: "Je plaats wordt klaargezet…", joiningText: "Een ogenblik: we zetten je in de wachtrij.",
    beforeTitle: "De verkoop is nog niet geopend",
    opensOn: (d) => `De verkoop opent ${d}.`, opensIn: (left) => `Nog ${left}`, opensNow: "De verkoop opent nu…",
    beforeLead: "Vroeg komen of vernieuwen geeft geen voorsprong.",
    beforeText: "Iedereen die vóór de opening aankomt, krijgt bij de opening een willekeurige plaats in de wachtrij. Je hoeft deze pagina dus niet te vernieuwen: laat ze gewoon open, ze werkt vanzelf bij.",
    beforeSay: (d) => `Je bent in de wachtrij. De verkoop opent ${d}. Iedereen die vóór de opening aankomt, krijgt dan een willekeurige plaats. Je hoeft de pagina niet te vernieuwen.`,
    placingTitle: "We geven je een plaats in de wachtrij…",
    placingText: "Dit duurt maar enkele seconden. Je hoeft niets te doen.",
    waitingTitle: "Je staat in de wachtrij", yourPlace: "Jouw plaats", ahead: "Voor jou", wait: "Geschatte wachttijd",
    progress: "Voortgang in de wachtrij", turnAt: (time) => `Je bent rond ${time} aan de beurt.`,
    waitingText: "Laat deze pagina open. Als het jouw beurt is, brengen we je vanzelf naar het zaalplan.",
    waitingSay: (position, ahead, words) => `Je staat op plaats ${position} in de wachtrij. ${ahead === 1 ? "Er is nog 1 persoon" : `Er zijn nog ${ahead} mensen`} voor jou, de wachttijd is ${words}.`,
    titlePlace: (n) => `Plaats ${n}`,
    admittedTitle: "Het is jouw beurt!", admittedText: "We brengen je naar het zaalplan…",
    expiredTitle: "Je beurt is voorbij",
    expiredText: "Je was aan de beurt, maar je plaats werd niet op tijd gebruikt. Sluit opnieuw aan: je komt dan achteraan in de wachtrij.",
    joinAgain: "Opnieuw aansluiten",
    soldOutTitle: "Uitverkocht",
    soldOutText: "Alle plaatsen van deze verkoop zijn weg, dus je hoeft niet langer te wachten. Bedankt voor je geduld.",
    soldOutAccess: "Heb je een rolstoelplaats nodig? Die houden we apart: vraag ernaar aan de kassa van het huis.",
    toProgramme: "Naar het programma", toShow: "Naar de voorstelling",
    closedTitle: "De wachtrij is gesloten", closedText: "Je kan nu rechtstreeks je plaatsen kiezen.", choose: "Kies je plaatsen",
    otherTitle: "Deze plaats hoort bij een andere browser",
    otherText: "Je plaats in de wachtrij werd op een ander toestel of in een andere browser gemaakt. Sluit hier opnieuw aan om verder te gaan.",
    unknownTitle: "Deze wachtrij bestaat niet",
    unknownText: "Controleer de link, of kies de voorstelling opnieuw in het programma.",
    problemTitle: "Dat lukte niet", tryAgain: "Opnieuw proberen",
    lost: (s) => `Verbinding verbroken. Je plaats in de wachtrij blijft bewaard; we proberen het opnieuw over ${s} s.`,
    lostJoin: (s) => `Geen verbinding met Podium. We proberen je over ${s} s opnieuw in de wachtrij te zetten.`,
    lostSay: "Verbinding verbroken. Je plaats in de wachtrij blijft bewaard; we proberen het opnieuw.",
    lostJoinSay: "Geen verbinding met Podium. We blijven proberen je in de wachtrij te zetten.",
    retryNow: "Nu opnieuw proberen",
    reason: { admission_expired: "Je tijd om plaatsen te kiezen is voorbij.",
      admission_invalid: "Je toegang tot de verkoop was niet meer geldig.",
      admission_required: "Voor deze verkoop ga je eerst door de wachtrij." },
    howTitle: "Zo werkt de wachtrij",
    how: ["Wie vóór de opening aankomt, krijgt bij de opening een willekeurige plaats. Vroeg komen of vernieuwen verandert daar niets aan.",
      "Wie na de opening aankomt, sluit achteraan aan: wie eerst komt, eerst maalt.",
      "Je plaats blijft bewaard als je deze pagina herlaadt, zolang je dit tabblad open laat.",
      "Als het jouw beurt is, brengen we je naar het zaalplan. Wacht je te lang, dan vervalt je beurt."],
    waitWords: (s) => {
      if (s < 60) return "minder dan een minuut";
      const m = Math.round(s / 60);
      if (m < 60) return m === 1 ? "ongeveer 1 minuut" : `ongeveer ${m} minuten`;
      const [h, r] = hoursAndMinutes(m);
      return r ? `ongeveer ${h} uur en ${r} minuten` : `ongeveer ${h} uur`;
    },
  },
  fr: {
    heading: "File d'attente", programme: "← Programme", backShow: "← Retour à la représentation",
    steps: ["Inscrit", "Place attribuée", "Attente de votre tour", "Choix des places"], stepsLabel: "Étapes",
    stepDone: "terminé",
    joiningTitle: "Nous préparons votre place…", joiningText: "Un instant : nous vous plaçons dans la file d'attente.",
    beforeTitle: "La vente n'est pas encore ouverte",
    opensOn: (d) => `La vente ouvre le ${d}.`, opensIn: (left) => `Encore ${left}`, opensNow: "La vente ouvre maintenant…",
    beforeLead: "Arriver tôt ou actualiser ne donne aucune avance.",
    beforeText: "Toutes les personnes arrivées avant l'ouverture reçoivent, à l'ouverture, une place tirée au sort dans la file. Inutile d'actualiser cette page : laissez-la ouverte, elle se met à jour toute seule.",
    beforeSay: (d) => `Vous êtes dans la file d'attente. La vente ouvre le ${d}. Toutes les personnes arrivées avant l'ouverture reçoivent alors une place tirée au sort. Inutile d'actualiser la page.`,
    placingTitle: "Nous vous attribuons une place dans la file…",
    placingText: "Cela ne prend que quelques secondes. Vous n'avez rien à faire.",
    waitingTitle: "Vous êtes dans la file", yourPlace: "Votre place", ahead: "Devant vous", wait: "Attente estimée",
    progress: "Progression dans la file", turnAt: (time) => `Votre tour viendra vers ${time}.`,
    waitingText: "Laissez cette page ouverte. Quand ce sera votre tour, nous vous emmènerons automatiquement au plan de salle.",
    waitingSay: (position, ahead, words) => `Vous êtes à la place ${position} dans la file. ${ahead === 1 ? "Il reste 1 personne" : `Il reste ${ahead} personnes`} devant vous, attente ${words}.`,
    titlePlace: (n) => `Place ${n}`,
    admittedTitle: "C'est votre tour !", admittedText: "Nous vous emmenons au plan de salle…",
    expiredTitle: "Votre tour est passé",
    expiredText: "C'était votre tour, mais votre place n'a pas été utilisée à temps. Vous pouvez rejoindre la file à nouveau : vous serez placé à la fin.",
    joinAgain: "Rejoindre la file à nouveau",
    soldOutTitle: "Complet",
    soldOutText: "Toutes les places de cette vente sont parties : inutile d'attendre plus longtemps. Merci de votre patience.",
    soldOutAccess: "Besoin d'une place pour fauteuil roulant ? Nous les réservons à part : demandez-la à la billetterie de la maison.",
    toProgramme: "Voir le programme", toShow: "Voir la représentation",
    closedTitle: "La file d'attente est fermée", closedText: "Vous pouvez maintenant choisir vos places directement.",
    choose: "Choisir vos places",
    otherTitle: "Cette place appartient à un autre navigateur",
    otherText: "Votre place dans la file a été créée sur un autre appareil ou dans un autre navigateur. Rejoignez la file ici pour continuer.",
    unknownTitle: "Cette file d'attente n'existe pas",
    unknownText: "Vérifiez le lien ou choisissez à nouveau la représentation dans le programme.",
    problemTitle: "Cela n'a pas fonctionné", tryAgain: "Réessayer",
    lost: (s) => `Connexion perdue. Votre place dans la file est conservée ; nouvel essai dans ${s} s.`,
    lostJoin: (s) => `Pas de connexion avec Podium. Nous réessayons de vous placer dans la file dans ${s} s.`,
    lostSay: "Connexion perdue. Votre place dans la file est conservée ; nous réessayons.",
    lostJoinSay: "Pas de connexion avec Podium. Nous continuons d'essayer de vous placer dans la file.",
    retryNow: "Réessayer maintenant",
    reason: { admission_expired: "Votre temps pour choisir des places est écoulé.",
      admission_invalid: "Votre accès à la vente n'était plus valable.",
      admission_required: "Pour cette vente, passez d'abord par la file d'attente." },
    howTitle: "Comment fonctionne la file",
    how: ["Les personnes arrivées avant l'ouverture reçoivent, à l'ouverture, une place tirée au sort. Arriver tôt ou actualiser n'y change rien.",
      "Après l'ouverture, les nouveaux arrivants rejoignent la fin de la file : premier arrivé, premier servi.",
      "Votre place est conservée si vous rechargez cette page, tant que cet onglet reste ouvert.",
      "Quand c'est votre tour, nous vous emmenons au plan de salle. Si vous tardez trop, votre tour expire."],
    waitWords: (s) => {
      if (s < 60) return "moins d'une minute";
      const m = Math.round(s / 60);
      if (m < 60) return m === 1 ? "environ 1 minute" : `environ ${m} minutes`;
      const [h, r] = hoursAndMinutes(m);
      return r ? `environ ${h} h ${String(r).padStart(2, "0")}` : `environ ${h} heure${h > 1 ? "s" : ""}`;
    },
  },
  en: {
    heading: "Waiting room", programme: "← What's on", backShow: "← Back to the performance",
    steps: ["Joined", "Place given", "Waiting for your turn", "Choose seats"], stepsLabel: "Steps",
    stepDone: "done",
    joiningTitle: "Getting your place ready…", joiningText: "One moment: we are adding you to the line.",
    beforeTitle: "Sales have not opened yet",
    opensOn: (d) => `Sales open on ${d}.`, opensIn: (left) => `${left} to go`, opensNow: "Sales are opening now…",
    beforeLead: "Coming early or refreshing gives no head start.",
    beforeText: "Everyone who arrives before the opening gets a random place in line when sales open. So there is no need to refresh this page: just leave it open, it updates by itself.",
    beforeSay: (d) => `You are in the waiting room. Sales open on ${d}. Everyone who arrives before the opening then gets a random place in line. There is no need to refresh the page.`,
    placingTitle: "We are placing you in line…",
    placingText: "This only takes a few seconds. There is nothing you need to do.",
    waitingTitle: "You are in line", yourPlace: "Your place", ahead: "Ahead of you", wait: "Estimated wait",
    progress: "Progress in the line", turnAt: (time) => `Your turn should come at about ${time}.`,
    waitingText: "Leave this page open. When it is your turn, we take you to the seating plan automatically.",
    waitingSay: (position, ahead, words) => `You are number ${position} in line. ${ahead === 1 ? "1 person is" : `${ahead} people are`} ahead of you, the wait is ${words}.`,
    titlePlace: (n) => `Place ${n}`,
    admittedTitle: "It's your turn!", admittedText: "Taking you to the seating plan…",
    expiredTitle: "Your turn has passed",
    expiredText: "It was your turn, but your place was not used in time. You can join the line again, at the back.",
    joinAgain: "Join again",
    soldOutTitle: "Sold out",
    soldOutText: "All seats in this sale are gone, so there is no need to wait any longer. Thank you for your patience.",
    soldOutAccess: "Need a wheelchair space? Those are kept apart: ask the house's box office.",
    toProgramme: "See what's on", toShow: "See the performance",
    closedTitle: "The waiting room has closed", closedText: "You can now choose your seats directly.",
    choose: "Choose your seats",
    otherTitle: "This place belongs to another browser",
    otherText: "Your place in line was made on another device or in another browser. Join again here to carry on.",
    unknownTitle: "This waiting room does not exist",
    unknownText: "Check the link, or choose the performance again from the programme.",
    problemTitle: "That did not work", tryAgain: "Try again",
    lost: (s) => `Connection lost. Your place in line is kept; trying again in ${s} s.`,
    lostJoin: (s) => `No connection to Podium. We will try to add you to the line again in ${s} s.`,
    lostSay: "Connection lost. Your place in line is kept; we keep trying.",
    lostJoinSay: "No connection to Podium. We keep trying to add you to the line.",
    retryNow: "Try now",
    reason: { admission_expired: "Your time to choose seats is over.",
      admission_invalid: "Your access to the sale was no longer valid.",
      admission_required: "This sale goes through a waiting room first." },
    howTitle: "How the waiting room works",
    how: ["Everyone who arrives before the opening gets a random place when sales open. Coming early or refreshing makes no difference.",
      "After the opening, new arrivals join at the back: first come, first served.",
      "Your place is kept if you reload this page, as long as this tab stays open.",
      "When it is your turn, we take you to the seating plan. If you wait too long, your turn passes."],
    waitWords: (s) => {
      if (s < 60) return "less than a minute";
      const m = Math.round(s / 60);
      if (m < 60) return m === 1 ? "about 1 minute" : `about ${m} minutes`;
      const [h, r] = hoursAndMinutes(m);
      const hours = `${h} hour${h > 1 ? "s" : ""}`;
      return r ? `about ${hours} ${r} minutes` : `about ${hours}`;
    },
  },
};
const t = makeT(TEXT);

const room = params.get("room") || "";
const performanceId = params.get("performance") || "";
const base = `/v1/waiting-rooms/${encodeURIComponent(room)}`;
const PLACE_KEY = `podium-queue:${room}`;
const FIRST_LOOK = 1;              // seconds: a join passes through a queue before it has a place
const NOT_YET = 2;                 // seconds: admitted by the position, not yet by the admission
const BACKOFF = [2, 4, 8, 15, 30]; // seconds between attempts while the connection is down
const SPEAK_EVERY = 60_000;        // ms: a new estimate is announced at most once a minute
const STEP = { joining: 0, before: 0, placing: 1, waiting: 2, admitted: 3 };
const OVER = ["sold_out", "closed", "unknown"]; // nothing left to wait for: no "how it works"

let place = loadPlace();           // {ticket, first_ahead}
let view = "";                     // the state the page shows
let timer = 0;                     // the next poll (or retry)
let due = 0;
let pending = null;                // what that timer will run
let failures = 0;
let lost = null;                   // while the connection is down: {joined} (a place to keep?)
let joining = null;                // the one join in flight
let rejoined = false;              // a ticket the room did not know was replaced once
let turnAt = 0;                    // local ms when the turn is due (waiting)
let opensAt = 0;
let spoken = { view: "", text: "", at: 0 };
let showTitle = "";                // the performance's title, once loaded
let stateTitle = "";               // what the tab's title says about the place

const headers = () => ({ "X-Client-Id": clientId() });
const clock = (iso) => formatWhen(iso, lang, { weekday: undefined, day: undefined, month: undefined, year: undefined });
const performanceUrl = (id) => href("/performance.html", { id });

function loadPlace() {
  try {
    const value = JSON.parse(sessionStorage.getItem(PLACE_KEY));
    return value && typeof value.ticket === "string" ? value : null;
  } catch { return null; }
}

function savePlace(value) {
  place = value;
  try {
    if (value) sessionStorage.setItem(PLACE_KEY, JSON.stringify(value));
    else sessionStorage.removeItem(PLACE_KEY);
  } catch { /* private mode: the place lasts as long as this page */ }
}

// ---- announcements ---------------------------------------------------------------------------

function announce(text) {
  $("announce").textContent = "";
  setTimeout(() => { $("announce").textContent = text; }, 50);
}

// Meaningful changes only: a new state at once; within one state a changed text at most once a
// minute (the position is polled every few seconds near the turn).
function speak(text) {
  const now = Date.now();
  if (view === spoken.view && (text === spoken.text || now - spoken.at < SPEAK_EVERY)) return;
  spoken = { view, text, at: now };
  announce(text);
}

// ---- timing ----------------------------------------------------------------------------------

function schedule(seconds, step) {
  clearTimeout(timer);
  pending = step;
  due = Date.now() + seconds * 1000;
  timer = setTimeout(() => { pending = null; step(); }, seconds * 1000);
}

function stop() {
  clearTimeout(timer);
  pending = null;
}

function runNow() {
  const step = pending;
  if (!step) return;
  stop();
  step();
}

// While the network is down: try again later and later, each browser at a slightly different
// moment (thousands come back at once); the place itself is safe on the server.
function retryLater(step, joined) {
  const seconds = BACKOFF[Math.min(failures, BACKOFF.length - 1)] * (0.8 + Math.random() * 0.4);
  failures += 1;
  if (!lost) announce(joined ? t("lostSay") : t("lostJoinSay"));
  lost = { joined };
  schedule(seconds, step);
  $("connection").hidden = false;
  connectionText();
}

function connectionText() {
  const seconds = Math.max(1, Math.ceil((due - Date.now()) / 1000));
  $("connection-text").textContent = lost.joined ? t("lost", seconds) : t("lostJoin", seconds);
}

function connected() {
  failures = 0;
  if (!lost) return;
  lost = null;
  $("connection").hidden = true;
  spoken.view = ""; // say where the buyer stands again
}

const retryable = (result) => result.network || result.status >= 500 || result.status === 429 || result.status === 408;

// ---- the server's answers --------------------------------------------------------------------

function join() {
  if (joining) return joining;
  joining = (async () => {
    show("joining");
    const result = await api(`${base}/join`, { method: "POST", body: {}, headers: headers() });
    joining = null;
    if (retryable(result)) { retryLater(join, false); return; }
    connected();
    if (result.ok && result.body.ticket) {
      savePlace({ ticket: result.body.ticket, first_ahead: null });
      schedule(FIRST_LOOK, poll);
    } else {
      answerProblem(result, join);
    }
  })();
  return joining;
}

async function poll() {
  if (!place) { join(); return; }
  const result = await api(`${base}/position?ticket=${encodeURIComponent(place.ticket)}&lang=${lang}`,
    { headers: headers(), cache: "no-store" });
  if (retryable(result)) { retryLater(poll, true); return; }
  connected();
  if (result.status === 404 && place && !rejoined) {
    rejoined = true; // a ticket this room does not know (damaged): one fresh join
    savePlace(null);
    join();
    return;
  }
  if (!result.ok) { answerProblem(result, poll); return; }
  const answer = result.body;
  opensAt = Date.parse(answer.opens_at);
  if (answer.sold_out) { stop(); show("sold_out"); return; }
  if (answer.state === "admitted") { claim(); return; }
  if (answer.state === "expired") { show("expired"); return; }
  if (answer.state === "before_opening") {
    show("before", answer);
  } else if (answer.state === "waiting" && answer.position != null) {
    if (place.first_ahead == null) savePlace({ ...place, first_ahead: answer.ahead });
    turnAt = Date.now() + (answer.estimated_wait_seconds || 0) * 1000;
    show("waiting", answer);
  } else {
    show("placing", answer); // on its way through the queue, or the draw is still to come
  }
  if (answer.poll_after_seconds != null) schedule(answer.poll_after_seconds, poll);
}

async function claim() {
  stop();
  show("admitted");
  const result = await api(`${base}/admission`, { method: "POST", body: { ticket: place.ticket }, headers: headers() });
  if (retryable(result)) { retryLater(claim, true); return; }
  connected();
  if (result.ok) {
    const granted = result.body;
    const id = granted.room || room;
    saveAdmission(id, { token: granted.admission_token, expires_at: granted.expires_at, room: id,
      performances: granted.performances || [], saved_at: Date.now() });
    const target = performanceId || granted.performances?.[0];
    // replace(): "back" from the seat plan should not land here and claim once more.
    location.replace(target ? performanceUrl(target) : href("/"));
    return;
  }
  if (result.body.code === "not_admitted_yet") { schedule(NOT_YET, poll); return; }
  answerProblem(result, claim);
}

function answerProblem(result, retry) {
  stop();
  const code = result.body?.code;
  if (code === "waiting_room_closed") show("closed");
  else if (code === "admission_lapsed") show("expired");
  else if (code === "admission_other_client") show("other");
  else if (result.status === 404) show("unknown");
  else show("problem", { detail: result.body?.detail || result.body?.title, retry });
}

function joinAgain() {
  savePlace(null);
  rejoined = false;
  join();
  $("state-title").focus();
}

// ---- what the page shows ---------------------------------------------------------------------

const working = () => el("div", { class: "working", "aria-hidden": "true" }, el("span"));
const actions = (...children) => el("div", { class: "actions" }, ...children);
const linkButton = (url, text, primary = true) => el("a", { class: primary ? "button primary" : "button", href: url, text });
const toShow = () => performanceId ? linkButton(performanceUrl(performanceId), t("toShow"), false) : null;

function stat(key, label, value) {
  return el("div", { class: `stat stat-${key}` }, el("dt", { text: label }), el("dd", { id: `stat-${key}`, text: value }));
}

const VIEWS = {
  joining: () => ({ title: t("joiningTitle"), body: [el("p", { text: t("joiningText") }), working()], say: "" }),
  before: (answer) => ({
    title: t("beforeTitle"),
    body: [
      el("p", { class: "opening", text: t("opensOn", formatWhen(answer.opens_at)) }),
      el("p", { class: "big", id: "opens-in" }),
      el("div", { class: "explain" }, el("p", {}, el("strong", { text: t("beforeLead") })), el("p", { text: t("beforeText") })),
    ],
    say: t("beforeSay", formatWhen(answer.opens_at)),
  }),
  placing: () => ({ title: t("placingTitle"), body: [el("p", { text: t("placingText") }), working()] }),
  waiting: (answer) => {
    const first = Math.max(place.first_ahead ?? answer.ahead, answer.ahead);
    const done = Math.round(((first - answer.ahead + 1) / (first + 1)) * 100);
    const words = t("waitWords", answer.estimated_wait_seconds || 0);
    return {
      title: t("waitingTitle"),
      body: [
        el("dl", { class: "stats" },
          stat("position", t("yourPlace"), String(answer.position)),
          stat("ahead", t("ahead"), String(answer.ahead)),
          stat("wait", t("wait"), words)),
        el("label", { for: "progress", class: "visually-hidden", text: t("progress") }),
        el("progress", { id: "progress", class: "meter", max: 100, value: done }),
        answer.admit_at ? el("p", { class: "turn", id: "turn-at", text: t("turnAt", clock(answer.admit_at)) }) : null,
        el("p", { text: t("waitingText") }),
      ],
      say: t("waitingSay", answer.position, answer.ahead, words),
      documentTitle: t("titlePlace", answer.position),
    };
  },
  admitted: () => ({ title: t("admittedTitle"), body: [el("p", { text: t("admittedText") }), working()],
    say: `${t("admittedTitle")} ${t("admittedText")}`, documentTitle: t("admittedTitle") }),
  expired: () => ({ title: t("expiredTitle"),
    body: [el("p", { text: t("expiredText") }),
      actions(el("button", { type: "button", class: "primary", id: "join-again", text: t("joinAgain"), onclick: joinAgain }))] }),
  sold_out: () => ({ title: t("soldOutTitle"),
    body: [el("p", { text: t("soldOutText") }), el("p", { text: t("soldOutAccess") }), actions(linkButton(href("/"), t("toProgramme")), toShow())] }),
  closed: () => ({ title: t("closedTitle"),
    body: [el("p", { text: t("closedText") }),
      actions(performanceId ? linkButton(performanceUrl(performanceId), t("choose")) : linkButton(href("/"), t("toProgramme")))] }),
  other: () => ({ title: t("otherTitle"),
    body: [el("p", { text: t("otherText") }),
      actions(el("button", { type: "button", class: "primary", id: "join-again", text: t("joinAgain"), onclick: joinAgain }))] }),
  unknown: () => ({ title: t("unknownTitle"),
    body: [el("p", { text: t("unknownText") }), actions(linkButton(href("/"), t("toProgramme")))] }),
  problem: ({ detail, retry }) => ({ title: t("problemTitle"),
    body: [el("p", { text: detail || t("problemTitle") }),
      actions(retry ? el("button", { type: "button", text: t("tryAgain"), onclick: () => retry() }) : null,
        linkButton(href("/"), t("toProgramme"), !retry))] }),
};

function renderSteps(current) {
  const list = $("steps");
  list.hidden = current === undefined;
  if (current === undefined) return;
  list.replaceChildren(...t("steps").map((name, i) => el("li",
    { class: i < current ? "done" : null, "aria-current": i === current ? "step" : null },
    el("span", { text: name }), i < current ? el("span", { class: "visually-hidden", text: ` (${t("stepDone")})` }) : null)));
}

function show(kind, answer = {}) {
  view = kind;
  const shown = VIEWS[kind](answer);
  $("room").dataset.state = kind;
  renderSteps(STEP[kind]);
  $("how-panel").hidden = OVER.includes(kind);
  $("state-title").textContent = shown.title;
  $("state-body").replaceChildren(...shown.body.filter(Boolean));
  stateTitle = shown.documentTitle || "";
  retitle();
  const say = shown.say ?? shown.title;
  if (say) speak(say);
  tick();
}

function retitle() {
  document.title = [stateTitle, t("heading"), showTitle, "Podium"].filter(Boolean).join(" — ");
}

// Once a second: the countdown to the opening and the estimate between two answers.
function tick() {
  const now = Date.now();
  if (lost && pending) connectionText();
  if (view === "before" && $("opens-in")) {
    const left = opensAt - now;
    $("opens-in").hidden = left >= 3_600_000;
    $("opens-in").textContent = left > 0 ? t("opensIn", mmss(left)) : t("opensNow");
  } else if (view === "waiting" && $("stat-wait")) {
    $("stat-wait").textContent = t("waitWords", Math.max(0, (turnAt - now) / 1000));
  }
}

async function loadShow() {
  if (!performanceId) return;
  const result = await api(`/v1/performances/${encodeURIComponent(performanceId)}?lang=${lang}`, { headers: headers() });
  if (!result.ok) return; // the room works without it
  const p = result.body;
  showTitle = p.title;
  $("show").textContent = `${p.title} · ${formatWhen(p.starts_at)} · ${p.house.name}`;
  $("show").hidden = false;
  retitle();
}

// ---- start -----------------------------------------------------------------------------------

function start() {
  languageNav();
  $("home").href = href("/");
  $("back").textContent = performanceId ? t("backShow") : t("programme");
  $("back").href = performanceId ? performanceUrl(performanceId) : href("/");
  $("heading").textContent = t("heading");
  $("steps").setAttribute("aria-label", t("stepsLabel"));
  $("how-title").textContent = t("howTitle");
  $("how").replaceChildren(...t("how").map((line) => el("li", { text: line })));
  $("retry-now").textContent = t("retryNow");
  $("retry-now").addEventListener("click", runNow);
  const why = t("reason")[params.get("reason")];
  $("reason").hidden = !why;
  $("reason").textContent = why || "";
  // Back online, or back in a tab whose timers were held back: ask now what is due.
  window.addEventListener("online", () => { if (lost) runNow(); });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && pending && Date.now() >= due) runNow();
  });
  setInterval(tick, 1000);
  loadShow();
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(room)) { show("unknown"); return; }
  if (place) { show("joining"); poll(); } else join();
}
start();
