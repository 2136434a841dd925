// Draws a prediction's instances. Where they are and how they are laid out is read from the
// contract's geometry table (the x-geometry annotation of each raw-predictions schema, served
// with the page): the key holding one entry per instance, the shape, the names of a
// coordinate tuple's values and how many list levels lie between an instance and a tuple.
// Nothing here names a key of raw_predictions but the per-instance lists every type shares.
import { classColour, el, svg } from "./dom.js";

// The contract's shape names -> the data-kind of what is drawn.
const KINDS = {
  box: "box",
  polygon: "polygon",
  point: "point",
  keypoints: "keypoint",
  polyline: "line",
  mask: "mask",
};

// The geometries present in ``raw``: the deployment type's own first, then any other key of
// the table that the prediction also carries (boxes beside keypoints or polygons).
export function geometriesFor(table, type, raw) {
  const own = table.find((g) => g.deployment_type === type);
  const found = new Map();
  for (const g of own ? [own, ...table] : table) {
    if (!found.has(g.key) && Array.isArray(raw[g.key])) found.set(g.key, g);
  }
  return [...found.values()];
}

// The coordinate tuples of one instance, ``nesting`` list levels below it.
function tuplesOf(instance, nesting) {
  if (nesting <= 1) return [instance];
  return Array.isArray(instance) ? instance.flatMap((item) => tuplesOf(item, nesting - 1)) : [];
}

// A tuple as {name: value}, its names read from the contract (a box is [y1, x1, y2, x2]).
function named(tuple, names) {
  if (!Array.isArray(tuple) || !tuple.every(Number.isFinite)) return null;
  return Object.fromEntries(names.map((name, i) => [name, tuple[i]]));
}

export function describe(raw, labels, index) {
  const cls = (raw.detection_classes || [])[index];
  const score = (raw.detection_scores || [])[index];
  const text = (raw.detection_texts || [])[index];
  const known = Number.isInteger(cls) && cls >= 0 && cls < labels.length;
  const label = known ? labels[cls] : `class ${cls}`;
  const parts = [label];
  if (Number.isFinite(score)) parts.push(score.toFixed(2));
  if (text) parts.push(`“${text}”`);
  return { cls, label: parts.join(" "), colour: classColour(cls) };
}

// Draws every instance of ``geometry`` into ``layer`` (SVG) or ``badges`` (HTML, for shapes
// the contract leaves opaque). Returns the [x, y] of every drawn coordinate.
export function drawGeometry(geometry, raw, labels, layer, badges, unit) {
  const kind = KINDS[geometry.shape];
  const drawn = [];
  raw[geometry.key].forEach((instance, index) => {
    const who = describe(raw, labels, index);
    const attrs = {
      "data-kind": kind || geometry.shape,
      "data-index": index,
      "data-key": geometry.key,
      style: `--c: ${who.colour}`,
    };
    if (geometry.coordinates === null || !kind) {
      badges.append(opaqueBadge(instance, who, attrs));
      return;
    }
    const points = tuplesOf(instance, geometry.nesting)
      .map((tuple) => named(tuple, geometry.coordinates))
      .filter(Boolean);
    if (!points.length) return;
    const tip = `${who.label} · ${geometry.key}[${index}] = ${JSON.stringify(instance)}`;
    const group = svg("g", { class: "instance", "data-index": index, style: attrs.style });
    const anchor = DRAW[kind](group, points, { ...attrs, class: "shape" }, tip, unit);
    group.append(tag(anchor, who.label, unit));
    layer.append(group);
    for (const p of points) {
      if (kind === "box") drawn.push([p.x1, p.y1], [p.x2, p.y2]);
      else drawn.push([p.x, p.y]);
    }
  });
  return drawn;
}

// One drawer per kind: appends the shapes of one instance, returns where its label goes.
const DRAW = {
  box(group, [{ x1, y1, x2, y2 }], attrs, tip) {
    const [left, top] = [Math.min(x1, x2), Math.min(y1, y2)];
    const size = { width: Math.abs(x2 - x1), height: Math.abs(y2 - y1) };
    group.append(svg("rect", { ...attrs, x: left, y: top, ...size }, svg("title", {}, tip)));
    return [left, top];
  },
  polygon(group, points, attrs, tip) {
    return outline("polygon", group, points, attrs, tip);
  },
  line(group, points, attrs, tip) {
    return outline("polyline", group, points, attrs, tip);
  },
  point(group, points, attrs, tip, unit) {
    return dots(group, points, attrs, () => ({ title: tip }), unit);
  },
  // a keypoint keeps its vertex and its visibility (2 visible, 1 hidden, 0 not labelled)
  keypoint(group, points, attrs, tip, unit) {
    return dots(group, points, attrs, (p, vertex) => ({
      "data-vertex": vertex,
      "data-visibility": p.visibility,
      class: `shape dot vis-${p.visibility}`,
      title: `${tip} · vertex ${vertex}, visibility ${p.visibility}`,
    }), unit);
  },
};

function outline(tagName, group, points, attrs, tip) {
  const list = points.map((p) => `${p.x},${p.y}`).join(" ");
  group.append(svg(tagName, { ...attrs, points: list }, svg("title", {}, tip)));
  return [Math.min(...points.map((p) => p.x)), Math.min(...points.map((p) => p.y))];
}

function dots(group, points, attrs, extra, unit) {
  points.forEach((p, vertex) => {
    const { title, ...own } = extra(p, vertex);
    const dot = { ...attrs, class: "shape dot", ...own, cx: p.x, cy: p.y, r: unit * 1.5 };
    group.append(svg("circle", dot, svg("title", {}, title)));
  });
  return [points[0].x + unit * 1.8, points[0].y];
}

// A shape the contract leaves opaque (a MASK's encoded string): shown as given, on a badge.
function opaqueBadge(instance, who, attrs) {
  const shown = typeof instance === "string" ? instance : JSON.stringify(instance);
  const short = shown.length > 48 ? `${shown.slice(0, 48)}…` : shown;
  return el("span", { ...attrs, class: "badge shape", title: shown },
    el("b", {}, who.label), el("code", {}, short));
}

// The label of an instance, anchored at a point of its shape; placed by placeLabels.
function tag([x, y], text, unit) {
  const at = { x, y, "data-anchor": `${x} ${y}`, "font-size": unit * 3.2,
    "stroke-width": unit * 0.6 };
  return svg("text", { class: "tag", ...at }, text);
}

// Places the labels of one drawing so that no two overlap: each goes above its anchor if
// there is room, else just inside, else is nudged down then up a line at a time until its box
// (letters and outline) meets no box placed before it, kept within the image where it can be.
// Each label's box, in the image's coordinates, is kept as data-box="x y width height". Run
// once the text is final (a warning adds a sign in front) and, to measure rather than
// estimate the text, again once the drawing is in the document.
export function placeLabels(layer, width, height, unit) {
  const placed = [];
  const size = unit * 3.2;
  const halo = unit * 0.3; // half the outline's width (the label's stroke-width)
  for (const label of layer.querySelectorAll("text.tag")) {
    const [x, y] = label.dataset.anchor.split(" ").map(Number);
    const wide = textWidth(label, size) + 2 * halo;
    const left = Math.max(Math.min(x, width - wide + halo), halo);
    const box = (baseline) => ({ x: left - halo, y: baseline - size - halo, width: wide,
      height: size * 1.3 + 2 * halo });
    const free = (baseline) => placed.every((p) => apart(p, box(baseline)));
    const above = y - size * 0.35;
    const tries = [above, y + size];
    for (let step = 1; step <= 80; step += 1) {
      tries.push(y + size * (1 + 1.3 * step), above - size * 1.3 * step);
    }
    const within = (b) => b - size - halo >= 0 && b + size * 0.3 + halo <= height;
    const baseline = tries.find((b) => within(b) && free(b)) ?? tries.find(free) ?? above;
    const chosen = box(baseline);
    label.setAttribute("x", left);
    label.setAttribute("y", baseline);
    label.dataset.box = [chosen.x, chosen.y, chosen.width, chosen.height].map(round).join(" ");
    placed.push(chosen);
  }
}

const round = (v) => Math.round(v * 100) / 100;

function apart(a, b) {
  return a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
}

// The drawn width of a label: measured when the browser has laid it out, else a generous
// estimate (bold sans-serif letters average under 0.7 of the font size; a sign is wider).
function textWidth(label, size) {
  if (label.isConnected && label.getComputedTextLength) {
    const measured = label.getComputedTextLength();
    if (measured > 0) return measured;
  }
  return [...label.textContent].reduce((sum, ch) => sum + (ch.codePointAt(0) > 0x2000 ? 1.1 : 0.7), 0) * size;
}

// Classification: one badge per class, named from the deployment's labels.
export function drawLabels(raw, labels, badges) {
  (raw.detection_classes || []).forEach((_, index) => {
    const who = describe(raw, labels, index);
    const attrs = { "data-kind": "label", "data-index": index, style: `--c: ${who.colour}` };
    badges.append(el("span", { class: "badge label", ...attrs }, who.label));
  });
}
