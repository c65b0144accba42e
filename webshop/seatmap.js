// The seat map: an SVG of the seats, one focusable checkbox per seat (roving tabindex),
// arrow keys to the nearest seat in that direction, Enter/Space to choose.
import { formatEuro } from "./i18n.js";

const NS = "http://www.w3.org/2000/svg";
const R = 0.42; // seat radius in seat-map units (seats are about 1 unit apart)

function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  node.append(...children);
  return node;
}

// Symbols shared by the map and the legend.
export function seatShape(state, color, wheelchair) {
  const g = svg("g", { class: "shape" });
  const fill = state === "free" ? color : state === "blocked" ? "#fff" : "#c9c6cf";
  g.append(wheelchair
    ? svg("rect", { x: -R, y: -R, width: 2 * R, height: 2 * R, rx: 0.1, fill, class: "body" })
    : svg("circle", { r: R, fill, class: "body" }));
  if (state === "unavailable") {
    const d = R * 0.6;
    g.append(svg("path", { d: `M${-d} ${-d}L${d} ${d}M${d} ${-d}L${-d} ${d}`, class: "cross" }));
  } else if (state === "blocked") {
    g.append(svg("path", { d: `M${-R * 0.6} 0H${R * 0.6}`, class: "bar" }));
  }
  if (wheelchair) {
    // a wheel and a seat back: reads as the wheelchair pictogram at this size
    g.append(svg("path", { d: "M-.05 -.3v.25h.22l.08 .2M-.17 -.08a.2 .2 0 1 0 .3 .25", class: "wc" }));
  }
  g.append(svg("path", { d: "M-.22 0l.15 .16l.3 -.32", class: "check" }));
  return g;
}

export function legendIcon(state, color, wheelchair = false, selected = false) {
  const s = svg("svg", { viewBox: "-.5 -.5 1 1", width: 22, height: 22, "aria-hidden": "true",
    class: `seat ${state}${selected ? " selected" : ""}` });
  s.append(seatShape(state, color, wheelchair));
  return s;
}

export function createSeatMap({ container, plan, t, lang, priceFor, max = 10, onChange, announce }) {
  const selected = new Set();
  const nodes = new Map();
  const zones = Object.fromEntries(plan.zones.map((z) => [z.id, z]));
  let seats = plan.seats;
  let current = null;

  const xs = seats.map((s) => s.x);
  const ys = seats.map((s) => s.y);
  const minX = Math.min(...xs) - 1.5, maxX = Math.max(...xs) + 1.5;
  const fs = Math.max(0.8, (maxX - minX) / 32); // stage label size, in map units
  const minY = Math.min(...ys) - fs * 1.8 - 2, maxY = Math.max(...ys) + 1.5;
  const root = svg("svg", {
    viewBox: `${minX} ${minY} ${maxX - minX} ${maxY - minY}`, class: "seatmap",
    role: "group", "aria-label": t("mapLabel"), "aria-describedby": "map-help",
  });
  root.append(svg("rect", { x: minX + 2, y: minY + 0.5, width: maxX - minX - 4, height: fs * 1.8, rx: 0.3,
    class: "stage", "aria-hidden": "true" }));
  const stage = svg("text", { x: (minX + maxX) / 2, y: minY + 0.5 + fs * 1.25, class: "stage-label",
    "font-size": fs, "aria-hidden": "true" });
  stage.textContent = t("stage");
  root.append(stage);

  function name(seat) {
    const zone = zones[seat.zone];
    const cents = priceFor(seat.zone);
    const bits = [seat.label, zone ? zone.name : seat.zone];
    if (cents != null) bits.push(formatEuro(cents, lang));
    if (seat.attributes.includes("wheelchair")) bits.push(t("wheelchair"));
    if (seat.attributes.includes("companion")) bits.push(t("companion"));
    if (seat.attributes.includes("restricted_view")) bits.push(t("restricted"));
    if (seat.state !== "free") bits.push(t(seat.state));
    return bits.join(", ");
  }

  function draw() {
    for (const node of nodes.values()) node.remove();
    nodes.clear();
    const frag = document.createDocumentFragment();
    for (const seat of seats) {
      const zone = zones[seat.zone];
      const on = selected.has(seat.id);
      const g = svg("g", {
        class: `seat ${seat.state}${on ? " selected" : ""}`, role: "checkbox", tabindex: "-1",
        "aria-checked": String(on), "aria-label": name(seat),
        transform: `translate(${seat.x} ${seat.y})`, "data-id": seat.id,
      });
      if (seat.state !== "free") g.setAttribute("aria-disabled", "true");
      g.append(svg("circle", { r: R * 1.5, class: "hit" }), seatShape(seat.state, zone ? zone.color : "#888",
        seat.attributes.includes("wheelchair")));
      nodes.set(seat.id, g);
      frag.append(g);
    }
    root.append(frag);
    const start = (current && nodes.has(current.id) && current)
      || seats.find((s) => s.state === "free") || seats[0];
    if (start) setCurrent(start, false);
  }

  function setCurrent(seat, focus = true) {
    if (current && nodes.get(current.id)) nodes.get(current.id).setAttribute("tabindex", "-1");
    current = seat;
    const node = nodes.get(seat.id);
    node.setAttribute("tabindex", "0");
    if (focus) {
      node.focus();
      node.scrollIntoView?.({ block: "nearest", inline: "nearest" });
    }
  }

  function toggle(seat) {
    const node = nodes.get(seat.id);
    if (seat.state !== "free") { announce(t("notFree", seat.label)); return; }
    if (selected.has(seat.id)) {
      selected.delete(seat.id);
      announce(t("deselected", seat.label, selected.size));
    } else {
      if (selected.size >= max) { announce(t("max", max)); return; }
      selected.add(seat.id);
      announce(t("selected", seat.label, selected.size));
    }
    const on = selected.has(seat.id);
    node.classList.toggle("selected", on);
    node.setAttribute("aria-checked", String(on));
    onChange(selectedSeats());
  }

  // Nearest seat in a direction: left/right stay in the row when they can; otherwise the
  // nearest seat within 45° of the direction (distance along it plus twice the distance across).
  function nearest(from, dx, dy) {
    if (dx) {
      const row = seats.filter((s) => s.section === from.section && s.row === from.row && (s.x - from.x) * dx > 0.2);
      if (row.length) return row.reduce((a, b) => (Math.abs(b.x - from.x) < Math.abs(a.x - from.x) ? b : a));
    }
    let best = null, bestScore = Infinity;
    for (const s of seats) {
      const ax = (s.x - from.x) * dx + (s.y - from.y) * dy;
      const across = Math.abs((s.x - from.x) * dy) + Math.abs((s.y - from.y) * dx);
      if (ax <= 0.2 || across > ax) continue;
      const score = ax + 2 * across;
      if (score < bestScore) { bestScore = score; best = s; }
    }
    return best;
  }

  const byId = () => new Map(seats.map((s) => [s.id, s]));
  let index = byId();
  const KEYS = { ArrowRight: [1, 0], ArrowLeft: [-1, 0], ArrowDown: [0, 1], ArrowUp: [0, -1] };
  root.addEventListener("keydown", (event) => {
    const seat = index.get(event.target.closest?.(".seat")?.dataset.id);
    if (!seat) return;
    if (KEYS[event.key]) {
      event.preventDefault();
      const next = nearest(seat, ...KEYS[event.key]);
      if (next) setCurrent(next);
    } else if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      toggle(seat);
    }
  });
  root.addEventListener("click", (event) => {
    const seat = index.get(event.target.closest?.(".seat")?.dataset.id);
    if (!seat) return;
    setCurrent(seat);
    toggle(seat);
  });

  function selectedSeats() {
    return seats.filter((s) => selected.has(s.id));
  }

  draw();
  container.replaceChildren(root);

  return {
    selected: selectedSeats,
    clear() { selected.clear(); draw(); onChange([]); },
    // New states from the server: seats taken meanwhile leave the selection.
    update(newPlan) {
      seats = newPlan.seats;
      index = byId();
      for (const id of [...selected]) if (index.get(id)?.state !== "free") selected.delete(id);
      draw();
      onChange(selectedSeats());
    },
  };
}
