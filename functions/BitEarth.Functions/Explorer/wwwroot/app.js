// BitEarth explorer: search by example over the HTTP API, results as thumbnails, footprints on a map.
// Plain browser JavaScript with no build step; the page's URL holds the query, so a link reopens the same search.
"use strict";

const pageParams = new URLSearchParams(location.search);
// A Function App key given to the page (?code=) is passed on to every API call.
const apiKey = pageParams.get("code");

const state = {
  patchId: null,       // the query patch, when it is an archived one
  upload: null,        // the query file, when the query is an upload
  k: 20,
  target: "", // none: the query's own modality, or every one under an encoder with one shared code space
  from: "",
  to: "",
  inView: false,
  bbox: null,
  labels: [],
  relevant: [],
  irrelevant: [],
  results: [],
};

const $ = (id) => document.getElementById(id);

function api(path) {
  if (!apiKey) return path;
  return path + (path.includes("?") ? "&" : "?") + "code=" + encodeURIComponent(apiKey);
}

function thumbnailUrl(id, size) {
  return api(`/api/patches/${encodeURIComponent(id)}/thumbnail.png?size=${size}`);
}

// ---------- errors ----------

function showError(message) {
  const box = $("error");
  box.textContent = message;
  box.hidden = false;
}

function clearError() {
  $("error").hidden = true;
  $("error").textContent = "";
}

// Every API error has a JSON body {"error": reason}; anything else (a proxy page, a dropped connection) is said too.
async function errorOf(response) {
  let reason = "";
  try {
    const body = await response.json();
    reason = body && body.error ? body.error : JSON.stringify(body);
  } catch {
    reason = response.statusText || "no readable reason";
  }
  const kind = response.status === 404 ? "Not found" : response.status === 400 ? "Bad request"
    : response.status === 413 ? "Too large" : response.status === 503 ? "Not ready" : "Server error";
  return `${kind} (${response.status}): ${reason}`;
}

// ---------- map ----------

const map = L.map("map", { preferCanvas: true, worldCopyJump: true, attributionControl: true }).setView([48, 12], 4);
map.attributionControl.setPrefix("Leaflet");
const footprints = L.layerGroup().addTo(map);

fetch("vendor/countries-50m.json")
  .then((r) => r.json())
  .then((world) => {
    const land = topojson.feature(world, world.objects.countries);
    L.geoJSON(land, { style: { color: "#7d8b99", weight: 0.6, fillColor: "#f3efe4", fillOpacity: 1 }, interactive: false })
      .addTo(map).bringToBack();
    map.attributionControl.addAttribution("Natural Earth");
  })
  .catch(() => showError("The offline base map (vendor/countries-50m.json) could not be loaded."));

map.on("moveend", () => {
  if (state.inView) { state.bbox = viewBox(); }
});

function viewBox() {
  const b = map.getBounds();
  const clamp = (v, lo, hi) => Math.max(lo, Math.min(hi, v));
  const west = clamp(b.getWest(), -180, 180), east = clamp(b.getEast(), -180, 180);
  return [west, clamp(b.getSouth(), -90, 90), east, clamp(b.getNorth(), -90, 90)].map((v) => Math.round(v * 1e6) / 1e6);
}

function centre(ring) {
  const corners = ring.slice(0, -1);
  return [corners.reduce((s, p) => s + p[0], 0) / corners.length, corners.reduce((s, p) => s + p[1], 0) / corners.length];
}

function drawFootprints(queryFootprint) {
  footprints.clearLayers();
  const bounds = [];
  for (const r of state.results) {
    if (!r.footprint) continue;
    const ring = r.footprint[0].map(([lon, lat]) => [lat, lon]);
    const mark = state.relevant.includes(r.patchId) ? "#2e8b57" : "#1f5f99";
    // A patch is about a kilometre wide: the polygon shows when zoomed in, the dot at its centre at any zoom.
    L.polygon(ring, { color: mark, weight: 2, fillOpacity: 0.25 }).addTo(footprints);
    L.circleMarker(centre(ring), { radius: 5, color: "#fff", weight: 1, fillColor: mark, fillOpacity: 0.9 })
      .bindTooltip(`${r.patchId} (distance ${r.distance})`)
      .on("click", () => searchById(r.patchId))
      .addTo(footprints);
    bounds.push(...ring);
  }
  if (queryFootprint) {
    const ring = queryFootprint[0].map(([lon, lat]) => [lat, lon]);
    L.polygon(ring, { color: "#c0392b", weight: 3, fillOpacity: 0.35 }).addTo(footprints);
    L.circleMarker(centre(ring), { radius: 7, color: "#fff", weight: 2, fillColor: "#c0392b", fillOpacity: 1 })
      .bindTooltip(`query: ${state.patchId}`).addTo(footprints);
    bounds.push(...ring);
  }
  if (bounds.length > 0 && !state.inView) map.fitBounds(bounds, { padding: [20, 20], maxZoom: 12 });
}

// ---------- URL ----------

function writeUrl() {
  const p = new URLSearchParams();
  if (state.patchId) p.set("patchId", state.patchId);
  p.set("k", state.k);
  if (state.target) p.set("target", state.target);
  if (state.from) p.set("from", state.from);
  if (state.to) p.set("to", state.to);
  if (state.bbox) p.set("bbox", state.bbox.join(","));
  for (const l of state.labels) p.append("labels", l);
  for (const id of state.relevant) p.append("relevant", id);
  for (const id of state.irrelevant) p.append("irrelevant", id);
  if (apiKey) p.set("code", apiKey);
  history.replaceState(null, "", "?" + p.toString());
}

function readUrl() {
  state.patchId = pageParams.get("patchId");
  const k = parseInt(pageParams.get("k") || "20", 10);
  state.k = Number.isFinite(k) ? k : 20;
  state.target = pageParams.get("target") || "";
  state.from = pageParams.get("from") || "";
  state.to = pageParams.get("to") || "";
  const bbox = pageParams.get("bbox");
  state.bbox = bbox ? bbox.split(",").map(Number) : null;
  state.inView = false;
  state.labels = pageParams.getAll("labels");
  state.relevant = pageParams.getAll("relevant");
  state.irrelevant = pageParams.getAll("irrelevant");
}

function syncForm() {
  $("patchId").value = state.patchId || "";
  $("k").value = state.k;
  $("target").value = state.target;
  $("from").value = state.from;
  $("to").value = state.to;
  $("inView").checked = state.inView || state.bbox !== null;
}

// ---------- search ----------

function searchById(id) {
  state.patchId = id;
  state.upload = null;
  state.relevant = [];
  state.irrelevant = [];
  syncForm();
  run();
}

function searchByFile(file) {
  state.patchId = null;
  state.upload = file;
  state.relevant = [];
  state.irrelevant = [];
  syncForm();
  run();
}

function readForm() {
  state.k = parseInt($("k").value, 10);
  state.target = $("target").value;
  state.from = $("from").value;
  state.to = $("to").value;
  state.inView = $("inView").checked;
  state.bbox = state.inView ? viewBox() : null;
}

function requestFor() {
  if (state.upload) {
    const form = new FormData();
    form.append("patch", state.upload, state.upload.name);
    form.append("k", String(state.k));
    if (state.target) form.append("target", state.target);
    form.append("details", "true");
    if (state.from) form.append("from", state.from);
    if (state.to) form.append("to", state.to);
    if (state.bbox) form.append("bbox", state.bbox.join(","));
    for (const l of state.labels) form.append("labels", l);
    for (const id of state.relevant) form.append("relevant", id);
    for (const id of state.irrelevant) form.append("irrelevant", id);
    return { method: "POST", body: form };
  }
  const body = { patchId: state.patchId, k: state.k, details: true };
  if (state.target) body.target = state.target;
  if (state.from) body.from = state.from;
  if (state.to) body.to = state.to;
  if (state.bbox) body.bbox = state.bbox;
  if (state.labels.length) body.labels = state.labels;
  if (state.relevant.length) body.relevant = state.relevant;
  if (state.irrelevant.length) body.irrelevant = state.irrelevant;
  return { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) };
}

let generation = 0;

async function run() {
  if (!state.patchId && !state.upload) {
    showError("Give a patch id, or drop a patch file onto the page.");
    return;
  }
  const mine = ++generation;
  clearError();
  writeUrl();
  const what = state.upload ? `uploaded ${state.upload.name}` : state.patchId;
  $("status").textContent = `Searching for the ${state.k} patches nearest to ${what}…`;
  document.body.classList.add("busy");
  let response;
  try {
    response = await fetch(api("/api/query"), requestFor());
  } catch (e) {
    if (mine === generation) {
      showError(`The service did not answer (${e.message}). Is the host running?`);
      $("status").textContent = "No answer.";
    }
    return;
  } finally {
    document.body.classList.remove("busy");
  }
  if (mine !== generation) return; // a newer search started meanwhile
  if (!response.ok) {
    showError(await errorOf(response));
    $("status").textContent = "The search failed; see the message above.";
    return;
  }
  const answer = await response.json();
  state.results = answer.results;
  let queryFootprint = null;
  if (state.patchId) {
    const patch = await fetch(api(`/api/patches/${encodeURIComponent(state.patchId)}`));
    if (patch.ok) queryFootprint = (await patch.json()).footprint?.coordinates ?? null;
  }
  if (mine !== generation) return;
  $("status").textContent = `${answer.results.length} results for ${what} · encoder ${answer.encoder} · ` +
    `${answer.codesScanned} codes scanned in ${answer.shardsVisited} shards · ${answer.elapsedMs.toFixed(1)} ms · ` +
    `${answer.path}` + (answer.searches > 1 ? ` · filter widened the search ${answer.searches - 1}×` : "");
  renderGrid();
  renderHistogram();
  renderFeedback();
  drawFootprints(queryFootprint);
}

// ---------- results ----------

function renderGrid() {
  const grid = $("grid");
  grid.replaceChildren();
  const fragment = document.createDocumentFragment();
  if (state.patchId) fragment.appendChild(card({ patchId: state.patchId, labels: [], modality: "", query: true }));
  state.results.forEach((r, rank) => fragment.appendChild(card(r, rank + 1)));
  grid.appendChild(fragment);
}

function card(r, rank) {
  const el = document.createElement("div");
  el.className = "card" + (r.query ? " query" : "") + (state.relevant.includes(r.patchId) ? " relevant" : "")
    + (state.irrelevant.includes(r.patchId) ? " irrelevant" : "");
  el.dataset.patchId = r.patchId;
  const img = document.createElement("img");
  img.loading = "lazy";
  img.decoding = "async";
  img.width = 128;
  img.height = 128;
  img.alt = r.patchId;
  img.src = thumbnailUrl(r.patchId, 128);
  img.title = r.query ? "the query patch" : "search with this patch";
  img.addEventListener("click", () => { if (!r.query) searchById(r.patchId); });
  img.addEventListener("error", () => { img.alt = `${r.patchId}: no thumbnail`; }, { once: true });
  el.appendChild(img);

  const id = document.createElement("div");
  id.className = "id";
  id.textContent = r.query ? `query: ${r.patchId}` : `#${rank} ${r.patchId}`;
  el.appendChild(id);
  if (r.query) return el;

  const meta = document.createElement("div");
  meta.className = "meta";
  const date = r.acquiredAt ? r.acquiredAt.slice(0, 10) : "no date";
  meta.textContent = `distance ${r.distance} · ${r.modality} · ${date}`;
  el.appendChild(meta);
  const labels = document.createElement("div");
  labels.className = "labels";
  labels.textContent = r.labels.join("; ");
  labels.title = r.labels.join("\n");
  el.appendChild(labels);

  const marks = document.createElement("div");
  marks.className = "marks";
  marks.appendChild(markButton(r.patchId, "relevant", "relevant"));
  marks.appendChild(markButton(r.patchId, "irrelevant", "not relevant"));
  el.appendChild(marks);
  return el;
}

function markButton(id, kind, text) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = kind + (state[kind].includes(id) ? " on" : "");
  button.textContent = text;
  button.addEventListener("click", () => {
    const other = kind === "relevant" ? "irrelevant" : "relevant";
    state[other] = state[other].filter((x) => x !== id);
    state[kind] = state[kind].includes(id) ? state[kind].filter((x) => x !== id) : [...state[kind], id];
    run(); // each mark is one round of feedback: the refined query is searched at once
  });
  return button;
}

function renderFeedback() {
  const any = state.relevant.length + state.irrelevant.length > 0;
  $("feedback").hidden = !any;
  $("feedbackText").textContent = `Feedback: ${state.relevant.length} relevant, ${state.irrelevant.length} not relevant (left out).`;
  $("labelFilter").hidden = state.labels.length === 0;
  $("activeLabels").textContent = state.labels.join("; ");
}

function renderHistogram() {
  const counts = new Map();
  for (const r of state.results) for (const l of r.labels) counts.set(l, (counts.get(l) || 0) + 1);
  for (const l of state.labels) if (!counts.has(l)) counts.set(l, 0);
  const rows = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const top = rows.length ? rows[0][1] : 1;
  const box = $("histogram");
  box.replaceChildren();
  for (const [label, count] of rows) {
    const bar = document.createElement("div");
    bar.className = "bar" + (state.labels.includes(label) ? " active" : "");
    bar.dataset.label = label;
    bar.title = state.labels.includes(label) ? "click to drop this label from the filter" : "click to filter on this label";
    const name = document.createElement("div");
    name.className = "name";
    name.textContent = label;
    const fill = document.createElement("div");
    fill.className = "fill";
    fill.style.width = `${Math.max(2, (100 * count) / Math.max(1, top))}%`;
    const n = document.createElement("div");
    n.textContent = count;
    bar.append(name, fill, n);
    bar.addEventListener("click", () => {
      state.labels = state.labels.includes(label) ? state.labels.filter((x) => x !== label) : [...state.labels, label];
      run();
    });
    box.appendChild(bar);
  }
}

// ---------- inputs ----------

$("search").addEventListener("submit", (e) => {
  e.preventDefault();
  readForm();
  const id = $("patchId").value.trim();
  if (id && id !== state.patchId) { searchById(id); return; }
  if (id) state.patchId = id;
  run();
});

$("file").addEventListener("change", () => {
  const file = $("file").files[0];
  if (file) { readForm(); searchByFile(file); }
});

$("clearFeedback").addEventListener("click", () => { state.relevant = []; state.irrelevant = []; run(); });
$("clearLabels").addEventListener("click", () => { state.labels = []; run(); });

let dragDepth = 0;
document.addEventListener("dragenter", (e) => { e.preventDefault(); dragDepth++; $("dropHint").hidden = false; });
document.addEventListener("dragleave", () => { if (--dragDepth <= 0) { dragDepth = 0; $("dropHint").hidden = true; } });
document.addEventListener("dragover", (e) => e.preventDefault());
document.addEventListener("drop", (e) => {
  e.preventDefault();
  dragDepth = 0;
  $("dropHint").hidden = true;
  const file = e.dataTransfer.files[0];
  if (!file) { showError("Drop a file: a EuroSAT GeoTIFF (.tif) or a BigEarthNet patch folder as .zip."); return; }
  readForm();
  searchByFile(file);
});

readUrl();
syncForm();
if (state.patchId) run();
