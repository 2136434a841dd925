// One stored prediction as a card: its image (or a blank canvas of its size for a cloud image),
// its instances drawn over it, its warnings on the shapes they concern, the body as received.
import { drawGeometry, drawLabels, geometriesFor, placeLabels } from "./draw.js";
import { clock, day, el, pointerTokens, pretty, svg } from "./dom.js";

const RAW = "raw_predictions";

export function predictionCard(record, { geometry, deployment }) {
  const raw = (record.body && record.body[RAW]) || {};
  const labels = deployment ? deployment.labels : [];
  const { width, height } = record;
  const unit = Math.max(width, height) / 100;

  const layer = svg("g", { class: "shapes" });
  const badges = el("div", { class: "badges" });
  const drawn = [];
  const found = geometriesFor(geometry, record.deployment_type, raw);
  for (const g of found) drawn.push(...drawGeometry(g, raw, labels, layer, badges, unit));
  if (!found.length) drawLabels(raw, labels, badges);

  const background = record.image_url
    ? svg("image", { href: record.image_url, x: 0, y: 0, width, height,
      preserveAspectRatio: "none" })
    : svg("rect", { class: "blank", x: 0, y: 0, width, height });
  const overlay = svg("svg", { class: "overlay", viewBox: viewBox(width, height, drawn, unit),
    "data-width": width, "data-height": height, role: "img",
    "aria-label": `${record.filename}: ${record.deployment_type} prediction` },
    svg("rect", { class: "outside", x: -width, y: -height, width: width * 3, height: height * 3 }),
    background,
    svg("rect", { class: "frame", x: 0, y: 0, width, height }),
    record.image_url ? null : blankNote(record, width, height, unit),
    layer);

  const card = el("article", { class: "card", id: `prediction-${record.id}`,
    "data-prediction": record.id, "data-type": record.deployment_type,
    "data-image": record.image_url ? "bytes" : record.image_dropped ? "dropped" : "cloud" },
    header(record, deployment),
    el("figure", { class: "canvas" }, overlay),
    badges.childElementCount ? badges : null,
    layer.querySelector("[data-kind=keypoint]") ? visibilityLegend() : null);
  const problems = markProblems(card, record.problems || []);
  if (problems) card.append(problems);
  placeLabels(layer, width, height, unit); // once the warning signs are in the labels
  card.append(el("details", { class: "raw" }, el("summary", {}, "Body as received"),
    el("pre", {}, pretty(record.body)),
    record.shadow ? el("pre", {}, `shadow: ${pretty(record.shadow)}`) : null));
  return card;
}

// Places a card's labels again, measured now that the card is in the document.
export function placeCardLabels(card) {
  const overlay = card.querySelector("svg.overlay");
  const [width, height] = [Number(overlay.dataset.width), Number(overlay.dataset.height)];
  placeLabels(overlay.querySelector("g.shapes"), width, height, Math.max(width, height) / 100);
}

function header(record, deployment) {
  const name = deployment ? deployment.name || deployment.id : record.deployment_id;
  return el("header", {},
    el("div", { class: "title" },
      el("strong", { title: record.filename }, record.filename || "(no filename)"),
      el("span", { class: "chip type" }, record.deployment_type)),
    el("div", { class: "meta" },
      el("a", { href: `/deployments/${record.deployment_id}` }, name),
      ` · ${day(record.received_at)} ${clock(record.received_at)}`,
      ` · ${record.width} × ${record.height}`,
      record.origin === "serving" ? el("span", { class: "chip" }, "via predict") : null,
      record.image_dropped ? el("span", { class: "chip cloud" }, "image dropped")
        : record.image_url ? null : el("span", { class: "chip cloud" }, "cloud image"),
      record.shadow ? el("span", { class: "chip" }, "shadowed") : null));
}

function visibilityLegend() {
  return el("p", { class: "legend" }, "keypoint visibility: ",
    el("span", {}, "● 2 visible"), el("span", {}, "○ 1 labelled, hidden"),
    el("span", {}, "◌ 0 not labelled"));
}

function blankNote(record, width, height, unit) {
  const at = { x: unit * 2, y: height - unit * 2.5, "font-size": unit * 3.4 };
  if (record.image_dropped) {
    const image = record.body.image || {};
    return svg("text", { class: "note", ...at },
      `image dropped (stored-image budget) · ${image.size} bytes, sha256 ${String(image.sha256).slice(0, 12)}`);
  }
  const cloud = record.cloud_image || {};
  const where = [cloud.bucket_name, cloud.object_name].filter(Boolean).join("/");
  return svg("text", { class: "note", ...at }, `☁ ${where} · no image bytes stored`);
}

// The image, widened to show what reaches outside it (at most one image size on each side).
function viewBox(width, height, drawn, unit) {
  let [left, top, right, bottom] = [0, 0, width, height];
  for (const [x, y] of drawn) {
    left = Math.min(left, x);
    top = Math.min(top, y);
    right = Math.max(right, x);
    bottom = Math.max(bottom, y);
  }
  const clamp = (v, lo, hi) => Math.max(lo, Math.min(hi, v));
  const outside = left < 0 || top < 0 || right > width || bottom > height;
  const pad = outside ? unit * 3 : 0;
  left = clamp(left, -width, 0) - pad;
  top = clamp(top, -height, 0) - pad;
  right = clamp(right, width, 2 * width) + pad;
  bottom = clamp(bottom, height, 2 * height) + pad;
  return `${left} ${top} ${right - left} ${bottom - top}`;
}

// Each warning is listed, and marked on the shapes its pointer names:
// /raw_predictions/<key>/<i>[/<vertex>] marks that shape (that vertex of a keypoint), and a
// per-instance list (/raw_predictions/detection_scores/<i>) marks every shape of instance i.
function markProblems(card, problems) {
  if (!problems.length) return null;
  const list = el("ul", { class: "problems" });
  for (const problem of problems) {
    const targets = shapesOf(card, pointerTokens(problem.pointer));
    for (const shape of targets) {
      shape.classList.add("warned");
      flag(shape);
      const codes = new Set((shape.dataset.warnings || "").split(" ").filter(Boolean));
      codes.add(problem.code);
      shape.dataset.warnings = [...codes].join(" ");
      const title = shape.querySelector("title");
      if (title) title.textContent += `\n⚠ ${problem.code}: ${problem.message}`;
      else shape.title = `${shape.title}\n⚠ ${problem.code}: ${problem.message}`;
    }
    const item = el("li", { class: `problem ${problem.severity}`, "data-code": problem.code,
      "data-pointer": problem.pointer },
      el("code", {}, problem.pointer || "/"), " ", el("b", {}, problem.code), " ", problem.message);
    item.addEventListener("mouseenter", () => targets.forEach((s) => s.classList.add("focus")));
    item.addEventListener("mouseleave", () => targets.forEach((s) => s.classList.remove("focus")));
    list.append(item);
  }
  card.classList.add("has-problems");
  return list;
}

// The instance's label (on the image, or its badge) starts with a warning sign, once.
function flag(shape) {
  const label = shape.closest(".instance")?.querySelector(".tag") || shape.querySelector("b");
  if (label && !label.textContent.startsWith("⚠")) label.textContent = `⚠ ${label.textContent}`;
}

function shapesOf(card, tokens) {
  if (tokens[0] !== RAW || tokens.length < 3 || !/^\d+$/.test(tokens[2])) return [];
  const [, key, index, vertex] = tokens;
  const all = [...card.querySelectorAll(`[data-kind][data-index="${index}"]`)];
  const own = all.filter((s) => s.dataset.key === key);
  if (!own.length) return all; // a per-instance list: every shape of that instance
  const vertices = own.filter((s) => s.dataset.vertex === vertex);
  return vertices.length ? vertices : own;
}
