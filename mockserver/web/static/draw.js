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
  const label = Number.isInteger(cls) && cls < labels.length ? labels[cls] : `class ${cls}`;
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

// The label of an instance, above its anchor point (inside when there is no room above).
function tag([x, y], text, unit) {
  const size = unit * 3.2;
  const above = y - size * 0.35;
  const at = { x, y: above > size ? above : y + size, "font-size": size };
  return svg("text", { class: "tag", ...at }, text);
}

// Classification: one badge per class, named from the deployment's labels.
export function drawLabels(raw, labels, badges) {
  (raw.detection_classes || []).forEach((_, index) => {
    const who = describe(raw, labels, index);
    const attrs = { "data-kind": "label", "data-index": index, style: `--c: ${who.colour}` };
    badges.append(el("span", { class: "badge label", ...attrs }, who.label));
  });
}
