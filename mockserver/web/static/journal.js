// The request journal (GET /__admin/requests, admin-journal-response.json), newest first: one
// row per request with its status, route, time and problems; opening a row shows the problems
// and the request as received (query, headers, body).
import { clock, el, pretty } from "./dom.js";

// Whether an entry passes the status filter: "", "2xx", "4xx", "5xx" or "problems".
export function statusMatches(entry, wanted) {
  if (!wanted) return true;
  if (wanted === "problems") return entry.problems.length > 0 || entry.status >= 400;
  return `${Math.floor(entry.status / 100)}xx` === wanted;
}

export function renderJournal(container, entries, { names, open }) {
  container.replaceChildren(...entries.map((entry) => entryRow(entry, names, open)));
}

function entryRow(entry, names, open) {
  const errors = entry.problems.filter((p) => p.severity === "error").length;
  const warnings = entry.problems.length - errors;
  const family = `s${Math.floor(entry.status / 100)}xx`;
  const classes = ["entry", family];
  if (errors || entry.status >= 400) classes.push("has-errors");
  else if (warnings) classes.push("has-warnings");
  const row = el("details", { class: classes.join(" "), "data-id": entry.id,
    "data-status": entry.status, "data-path": entry.path, open: open.has(entry.id) });
  row.addEventListener("toggle", () => (row.open ? open.add(entry.id) : open.delete(entry.id)));
  const deployment = entry.deployment_id ? names[entry.deployment_id] || entry.deployment_id : "";
  row.append(
    el("summary", {},
      el("span", { class: "time", title: new Date(entry.time * 1000).toString() },
        clock(entry.time)),
      el("span", { class: `method m-${entry.method.toLowerCase()}` }, entry.method),
      // the route template reads better than a path full of ids; the path is in the details
      el("span", { class: "path", title: entry.route ? `${entry.route}\n${entry.path}` : entry.path },
        entry.route || entry.path,
        entry.route ? null : el("span", { class: "chip bad" }, "no route")),
      el("span", { class: `status ${family}` }, entry.status),
      el("span", { class: "service" }, entry.service || "—"),
      el("span", { class: "deployment", title: deployment === entry.deployment_id ? deployment
        : `${deployment}\n${entry.deployment_id}` }, deployment),
      el("span", { class: "duration" }, `${entry.duration_ms.toFixed(1)} ms`),
      el("span", { class: "codes" }, entry.codes.map((code) => {
        const severe = entry.problems.some((p) => p.code === code && p.severity === "error");
        return el("span", { class: `chip ${severe ? "bad" : "warn"}` }, code);
      }))),
    details(entry));
  return row;
}

function details(entry) {
  const request = entry.request;
  const box = el("div", { class: "received" });
  if (entry.problems.length) {
    box.append(el("h4", {}, "Problems"), el("ul", { class: "problems" }, entry.problems.map((p) =>
      el("li", { class: `problem ${p.severity}` }, el("code", {}, p.pointer || "/"), " ",
        el("b", {}, p.code), " ", p.message))));
  }
  box.append(el("h4", {}, `${entry.method} ${entry.path}`,
    entry.route ? el("small", {}, ` → ${entry.operation} (${entry.route})`) : null));
  if (Object.keys(request.query).length) {
    const query = Object.entries(request.query).map(([name, values]) => [name, values.join(", ")]);
    box.append(el("h5", {}, "Query"), table(query));
  }
  box.append(el("h5", {}, "Headers"), table(Object.entries(request.headers)));
  const cut = request.body_truncated ? ", truncated" : "";
  const about = `${request.body_kind}, ${request.body_size} bytes${cut}`;
  box.append(el("h5", {}, `Body `, el("small", {}, `(${about})`)));
  if (request.body_kind !== "none") box.append(el("pre", { class: "body" }, pretty(request.body)));
  return box;
}

function table(rows) {
  return el("table", { class: "pairs" },
    rows.map(([name, value]) => el("tr", {}, el("th", {}, name), el("td", {}, value))));
}
