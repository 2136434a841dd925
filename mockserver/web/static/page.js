// The page: reads what the server embedded (deployments, the contract's geometry table), then
// polls the journal and the stored predictions and redraws what changed. Every request stays on
// this origin; state-changing calls send Content-Type: application/json.
import { placeCardLabels, predictionCard } from "./card.js";
import { copyText } from "./dom.js";
import { renderJournal, statusMatches } from "./journal.js";

const POLL_MS = 1500;
const JOURNAL_LIMIT = 200;

const data = JSON.parse(document.getElementById("mock-data").textContent);
const deployments = Object.fromEntries(data.deployments.map((d) => [d.id, d]));
const names = Object.fromEntries(data.deployments.map((d) => [d.id, d.name || d.id]));
const $ = (selector) => document.querySelector(selector);
const controls = {
  deployment: $("#filter-deployment"), // absent on a deployment's own page
  status: $("#filter-status"),
  warned: $("#filter-warned"),
};
const state = {
  journal: "", // what the journal and the gallery show (a key of the last render)
  gallery: "",
  open: new Set(), // journal rows opened by the reader, kept open across refreshes
  entries: [], // the journal entries held, newest first, and the filter they were read with
  entriesFilter: null,
  timer: null,
  limit: 100, // records drawn: the newest 100, until the reader asks for all
};

function filters() {
  return {
    deployment: data.deployment_id || (controls.deployment ? controls.deployment.value : ""),
    status: controls.status.value,
    warned: controls.warned.checked,
  };
}

async function getJSON(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return response.json();
}

export async function refresh() {
  const f = filters();
  const only = f.deployment ? `deployment_id=${encodeURIComponent(f.deployment)}` : "";
  try {
    const [entries, stored] = await Promise.all([
      journalEntries(only),
      getJSON(`/__web/predictions?limit=${state.limit}${only ? `&${only}` : ""}`),
    ]);
    showJournal(entries.filter((e) => statusMatches(e, f.status)), f);
    showGallery(stored.predictions.filter((p) => !f.warned || p.problems.length), f, stored.total);
    live(true, `updated ${new Date().toLocaleTimeString([], { hour12: false })}`);
  } catch (error) {
    live(false, `cannot reach the mock (${error.message})`);
  }
}

// The newest entries: after the first load only what arrived since is fetched, unless the
// oldest entry shown is gone (a reset, or the journal's capacity reached): then all again.
async function journalEntries(only) {
  const filter = only ? `&${only}` : "";
  const base = `/__admin/requests?limit=${JOURNAL_LIMIT}${filter}`;
  const shown = state.entries;
  if (state.entriesFilter === only && shown.length) {
    const [fresh, first] = await Promise.all([
      getJSON(`${base}&after_id=${shown[0].id}`),
      getJSON(`/__admin/requests?limit=1&order=oldest${filter}`),
    ]);
    if (first.entries.length && first.entries[0].id <= shown[shown.length - 1].id) {
      state.entries = [...fresh.entries, ...shown].slice(0, JOURNAL_LIMIT);
      return state.entries;
    }
  }
  state.entriesFilter = only;
  state.entries = (await getJSON(base)).entries;
  return state.entries;
}

function showJournal(entries, f) {
  const key = JSON.stringify([f, entries.map((e) => e.id)]);
  $("#journal-count").textContent = entries.length;
  $("#journal-empty").hidden = entries.length > 0;
  if (key === state.journal) return;
  state.journal = key;
  renderJournal($("#entries"), entries, { names, open: state.open });
}

function showGallery(records, f, total) {
  const key = JSON.stringify([f, records.map((r) => [r.id, Boolean(r.shadow)])]);
  $("#prediction-count").textContent = records.length;
  $("#prediction-total").hidden = total <= records.length;
  $("#prediction-total-count").textContent = total;
  $("#gallery-empty").hidden = records.length > 0;
  if (key === state.gallery) return;
  state.gallery = key;
  const cards = records.map((record) =>
    predictionCard(record, {
      geometry: data.geometry,
      deployment: deployments[record.deployment_id],
    }));
  $("#gallery").replaceChildren(...cards);
  cards.forEach(placeCardLabels);
  document.body.dataset.predictions = records.length; // tests wait for this
}

function live(ok, text) {
  const badge = $("#live");
  badge.classList.toggle("down", !ok);
  badge.title = text;
  $("#live-text").textContent = ok ? "live" : "offline";
}

function loop() {
  clearTimeout(state.timer);
  const work = document.hidden ? Promise.resolve() : refresh(); // a hidden tab does not poll
  work.finally(() => {
    state.timer = setTimeout(loop, POLL_MS);
  });
}

// The filters live in the address, so a filtered view can be shared or reloaded.
function restoreFilters() {
  const params = new URLSearchParams(location.search);
  if (controls.deployment && params.has("deployment")) {
    controls.deployment.value = params.get("deployment");
  }
  if (params.has("status")) controls.status.value = params.get("status");
  controls.warned.checked = params.get("warned") === "1";
}

function saveFilters() {
  const f = filters();
  const params = new URLSearchParams();
  if (f.deployment && !data.deployment_id) params.set("deployment", f.deployment);
  if (f.status) params.set("status", f.status);
  if (f.warned) params.set("warned", "1");
  const query = params.toString();
  history.replaceState(null, "", query ? `?${query}` : location.pathname);
  loop();
}

async function reset() {
  if (!confirm("Forget every stored prediction, the journal, faults and the clock offset?")) return;
  const json = { "Content-Type": "application/json" }; // the admin API asks it of every POST
  await fetch("/__admin/reset", { method: "POST", headers: json, body: "{}" });
  state.open.clear();
  loop();
}

document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  copyText(button.dataset.copy).then(() => {
    button.classList.add("copied");
    setTimeout(() => button.classList.remove("copied"), 1200);
  });
});
for (const control of Object.values(controls)) {
  if (control) control.addEventListener("change", saveFilters);
}
$("#reset").addEventListener("click", reset);
$("#show-all").addEventListener("click", () => {
  state.limit = 100000;
  loop();
});
document.addEventListener("visibilitychange", () => document.hidden || loop());
restoreFilters();
loop();
