// The trace viewer: builds the page from /trace.json, then follows /events while the run is live.
"use strict";
const state = { doc: null, records: [], stages: new Map(), order: [], parts: [], end: 0 };
const $ = (id) => document.getElementById(id);

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function add(record) {
  state.records.push(record);
  state.end = Math.max(state.end, record.t || 0);
  if (record.type === "stage") {
    const stage = { id: record.stage, name: record.name, parent: record.parent, start: record.t,
                    end: null, status: "running", error: null, parts: 0, depth: 0 };
    const parent = state.stages.get(record.parent);
    stage.depth = parent ? parent.depth + 1 : 0;
    state.stages.set(record.stage, stage);
    state.order.push(stage);
  } else if (record.type === "end") {
    const stage = state.stages.get(record.stage);
    if (stage) { stage.end = record.t; stage.status = record.status; stage.error = record.error || null; }
  } else if (record.type === "part") {
    const stage = state.stages.get(record.stage);
    if (stage) stage.parts++;
    state.parts.push(record);
  }
}

// Stages in tree order: each stage followed by the stages nested in it.
function tree() {
  const children = new Map();
  const roots = [];
  for (const s of state.order) {
    if (s.parent !== null && state.stages.has(s.parent)) {
      if (!children.has(s.parent)) children.set(s.parent, []);
      children.get(s.parent).push(s);
    } else roots.push(s);
  }
  const out = [];
  const visit = (s) => { out.push(s); (children.get(s.id) || []).forEach(visit); };
  roots.forEach(visit);
  return out;
}

function renderSummary() {
  const doc = state.doc || {};
  $("pipeline").textContent = doc.pipeline || "";
  const status = doc.live ? "live" : (doc.status || "unknown");
  $("status").textContent = status === "live" ? "running" : status;
  $("status").className = "badge " + status;
  const ms = doc.duration_ms !== undefined ? doc.duration_ms : state.end;
  $("duration").textContent = (ms / 1000).toFixed(2) + " s";
  const usage = doc.usage;
  $("tokens").textContent = usage ? `tokens in ${usage.input_tokens}, out ${usage.output_tokens}` : "";
  $("counts").textContent = `${state.order.length} stages, ${state.parts.length} parts`;
  if (doc.error) { $("error").hidden = false; $("error").textContent = doc.error; }
}

function renderTimeline() {
  const box = $("timeline");
  box.replaceChildren();
  const total = Math.max(1, state.end, state.doc && state.doc.duration_ms || 0);
  const selected = $("stage-filter").value;
  for (const s of tree()) {
    const row = el("div", "stage " + s.status + (String(s.id) === selected ? " selected" : ""));
    row.dataset.stage = s.id;
    const name = el("div", "name");
    name.style.paddingLeft = (s.depth * 14) + "px";
    name.textContent = s.name;
    name.title = s.name + (s.error ? "\n" + s.error : "");
    name.appendChild(el("span", "count", `(${s.parts})`));
    const track = el("div", "track");
    const bar = el("div", "bar");
    const end = s.end === null ? state.end : s.end;
    bar.style.left = (100 * s.start / total) + "%";
    bar.style.width = (100 * Math.max(0, end - s.start) / total) + "%";
    bar.title = `${s.start} ms to ${s.end === null ? "…" : s.end + " ms"}, ${s.status}`;
    track.appendChild(bar);
    row.append(name, track);
    row.addEventListener("click", () => {
      $("stage-filter").value = String(s.id) === selected ? "" : String(s.id);
      render();
    });
    box.appendChild(row);
  }
}

function renderFilters() {
  const stageSel = $("stage-filter");
  const keepStage = stageSel.value;
  stageSel.replaceChildren(new Option("all stages", ""));
  for (const s of tree()) {
    stageSel.appendChild(new Option("\u00a0".repeat(s.depth * 2) + s.name + " #" + s.id, String(s.id)));
  }
  stageSel.value = keepStage;
  const subSel = $("substream-filter");
  const keepSub = subSel.value;
  const subs = new Set(state.parts.map((r) => r.part.substream_name || ""));
  subSel.replaceChildren(new Option("all substreams", "*"));
  for (const sub of [...subs].sort()) subSel.appendChild(new Option(sub === "" ? "(default)" : sub, sub));
  subSel.value = [...subSel.options].some((o) => o.value === keepSub) ? keepSub : "*";
}

function content(part) {
  const p = part.part || {};
  const box = el("div");
  if (p.inline_data) {
    const mime = p.inline_data.mime_type || part.mimetype;
    if (mime.startsWith("image/") && p.inline_data.data) {
      const img = el("img");
      img.alt = mime;
      img.src = `data:${mime};base64,` + p.inline_data.data.replace(/-/g, "+").replace(/_/g, "/");
      box.appendChild(img);
    } else {
      box.appendChild(el("div", "text", `[${mime}, ${p.inline_data.data ? Math.floor(p.inline_data.data.length * 3 / 4) : 0} bytes]`));
    }
  } else if (p.function_call || p.function_response || (part.mimetype || "").includes("json")) {
    const value = p.function_call || p.function_response || p.text;
    let text = value;
    try { text = JSON.stringify(typeof value === "string" ? JSON.parse(value) : value, null, 2); } catch (e) { /* as is */ }
    box.appendChild(el("pre", "json", text));
  } else if (p.text !== undefined) {
    box.appendChild(el("div", "text", p.text));
  } else {
    box.appendChild(el("pre", "json", JSON.stringify(p, null, 2)));
  }
  if (part.trace) box.appendChild(el("div", "meta", "cut for the trace: " + JSON.stringify(part.trace)));
  return box;
}

function renderParts() {
  const stage = $("stage-filter").value;
  const sub = $("substream-filter").value;
  const list = $("parts");
  list.replaceChildren();
  let shown = 0;
  for (const r of state.parts) {
    const part = r.part;
    const substream = part.substream_name || "";
    if (stage !== "" && String(r.stage) !== stage) continue;
    if (sub !== "*" && substream !== sub) continue;
    shown++;
    const s = state.stages.get(r.stage);
    const mime = part.mimetype || "";
    const li = el("li", "part" + (substream ? " " + substream : "") + (mime === "text/x-exception" ? " exception" : ""));
    li.dataset.stage = r.stage;
    li.dataset.substream = substream;
    const meta = el("div", "meta");
    meta.appendChild(el("b", null, s ? s.name : "stage " + r.stage));
    meta.append(` · ${r.t} ms · ${mime}` + (part.role ? ` · ${part.role}` : "") + (substream ? ` · substream ${substream}` : ""));
    li.append(meta, content(part));
    list.appendChild(li);
  }
  $("shown").textContent = `${shown} of ${state.parts.length} parts`;
}

function render() {
  renderFilters();
  renderSummary();
  renderTimeline();
  renderParts();
}

let pending = false;
function renderSoon() {
  if (pending) return;
  pending = true;
  requestAnimationFrame(() => { pending = false; render(); });
}

function follow(from) {
  const source = new EventSource("events?from=" + from);
  source.onmessage = (e) => { add(JSON.parse(e.data)); renderSoon(); };
  source.addEventListener("end", (e) => {
    source.close();
    state.doc = Object.assign({}, state.doc, JSON.parse(e.data), { live: false });
    render();
  });
}

async function load() {
  const doc = await (await fetch("trace.json")).json();
  state.doc = doc;
  (doc.records || []).forEach(add);
  $("stage-filter").addEventListener("change", render);
  $("substream-filter").addEventListener("change", render);
  render();
  if (doc.live) follow(doc.records.length);
}

load().catch((e) => { $("status").textContent = "cannot load the trace: " + e; });
