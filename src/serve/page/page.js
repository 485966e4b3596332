// The caseworker's page of `pol serve`: a form built from the package's
// declared inputs (/api/spec), the results with the clauses that apply
// first, an explanation tree for any result, and what-ifs. Plain
// JavaScript, served by the binary itself: nothing to build or install.
"use strict";

const state = { spec: null, records: {}, enums: {}, widgets: [], last: null };

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null) continue;
    node.append(c instanceof Node ? c : String(c));
  }
  return node;
}

async function api(path, body) {
  const init = body === undefined ? {} : {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  };
  const response = await fetch(path, init);
  const json = await response.json();
  if (!response.ok) throw json.error || { message: response.statusText };
  return json;
}

function status(text, isError) {
  const s = document.getElementById("status");
  s.textContent = text;
  s.className = isError ? "error" : "";
}

const KIND_HINTS = {
  money: "1000.00", decimal: "0.05", duration: "6 months", period: "2020-01-01..2020-12-31", text: "",
};

// A widget is {node, read() -> JSON value or undefined, write(value), path}.
// `dflt`: the fact's default, shown where the value is left empty.
function widget(type, path, label, dflt) {
  switch (type.kind) {
    case "record": return recordWidget(type.record, path);
    case "list": return listWidget(type.of, path, label);
    default: return scalarWidget(type, path, label, dflt);
  }
}

function scalarWidget(type, path, label, dflt) {
  const id = "f-" + path.replace(/[^A-Za-z0-9_]/g, "_");
  const empty = dflt === undefined || dflt === null ? "未知 unknown" : "默认 default: " + show(dflt);
  let input;
  if (type.kind === "bool") {
    input = el("select", { id, name: path },
      el("option", { value: "" }, empty),
      el("option", { value: "true" }, "是 yes"),
      el("option", { value: "false" }, "否 no"));
  } else if (type.kind === "enum") {
    input = el("select", { id, name: path }, el("option", { value: "" }, empty),
      (state.enums[type.enum] || []).map(v => el("option", { value: v }, v)));
  } else if (type.kind === "date") {
    input = el("input", { id, name: path, type: "date" });
  } else if (type.kind === "int") {
    input = el("input", { id, name: path, type: "number", step: "1", placeholder: dflt === undefined ? undefined : empty });
  } else {
    input = el("input", { id, name: path, type: "text", placeholder: dflt === undefined ? KIND_HINTS[type.kind] || "" : empty,
      inputmode: type.kind === "money" || type.kind === "decimal" ? "decimal" : undefined });
  }
  input.addEventListener("input", changed);
  input.addEventListener("change", changed);
  const node = el("label", { class: "field", for: id },
    el("span", {}, label || path.split(".").pop(), el("small", {}, path + " · " + type.kind)), input);
  const w = {
    node, path, input,
    read() {
      const v = input.value.trim();
      if (v === "") return undefined;
      if (type.kind === "bool") return v === "true";
      if (type.kind === "int") return /^-?\d+$/.test(v) ? Number(v) : v;
      return v;
    },
    write(value) {
      input.value = value === undefined || value === null ? "" :
        typeof value === "object" ? JSON.stringify(value) : String(value);
    },
  };
  return w;
}

function recordWidget(name, path) {
  const record = state.records[name];
  const fields = record.fields.map(f => ({ name: f.name, w: widget(f.type, path + "." + f.name, f.label, f.default) }));
  const node = el("div", { class: "record" }, fields.map(f => f.w.node));
  return {
    node, path, fields,
    read() {
      const out = {};
      let any = false;
      for (const f of fields) {
        const v = f.w.read();
        if (v !== undefined) { out[f.name] = v; any = true; }
      }
      return any ? out : undefined;
    },
    write(value) {
      for (const f of fields) f.w.write(value ? value[f.name] : undefined);
    },
  };
}

function listWidget(type, path, label) {
  const items = [];
  const box = el("div", { class: "items" });
  const add = el("button", { type: "button" }, "添加 Add " + (label || path));
  const w = { path, items };
  function addItem(value) {
    const index = items.length;
    const item = widget(type, `${path}[${index}]`, null);
    const remove = el("button", { type: "button" }, "删除 Remove");
    const node = el("fieldset", { class: "item" }, el("legend", {}, `${label || path} #${index + 1}`), item.node, remove);
    const entry = { item, node };
    remove.addEventListener("click", () => {
      items.splice(items.indexOf(entry), 1);
      node.remove();
      changed();
    });
    items.push(entry);
    box.append(node);
    if (value !== undefined) item.write(value);
    return item;
  }
  add.addEventListener("click", () => {
    const item = addItem();
    changed();
    const first = item.node.querySelector("input, select");
    if (first) first.focus();
  });
  w.node = el("div", { class: "list" }, box, add);
  w.read = () => items.length ? items.map(e => e.item.read() ?? (type.kind === "record" ? {} : null)) : undefined;
  w.write = value => {
    items.splice(0).forEach(e => e.node.remove());
    if (Array.isArray(value)) value.forEach(v => addItem(v));
  };
  return w;
}

function buildForm() {
  const form = document.getElementById("facts");
  form.replaceChildren();
  state.widgets = state.spec.inputs.map(input => {
    const w = widget(input.type, input.name, input.label, input.default);
    const mark = el("span", { class: "filled" });
    const details = el("details", { class: "input", "data-input": input.name },
      el("summary", {}, input.label ? `${input.label}（${input.name}）` : input.name, mark), w.node);
    w.details = details;
    w.mark = mark;
    form.append(details);
    return { name: input.name, w };
  });
}

function readCase() {
  const c = {};
  const today = document.getElementById("today").value;
  if (today) c.today = today;
  for (const { name, w } of state.widgets) {
    const v = w.read();
    if (v !== undefined) c[name] = v;
  }
  return c;
}

function writeCase(c) {
  document.getElementById("today").value = c.today || "";
  for (const { name, w } of state.widgets) {
    w.write(c[name]);
    w.details.open = c[name] !== undefined;
  }
  changed();
}

function changed() {
  for (const { w } of state.widgets) {
    if (w.mark) w.mark.textContent = w.read() === undefined ? "" : "已填 filled";
  }
  document.getElementById("whatif").disabled = !state.last ||
    JSON.stringify(readCase()) === JSON.stringify(state.last);
}

function show(value) {
  if (value === null || value === undefined) return "—";
  if (typeof value === "boolean") return value ? "是 yes" : "否 no";
  if (typeof value === "object" && value.undetermined) return "待定 undetermined (needs " + value.undetermined.join(", ") + ")";
  if (typeof value === "object" && value.error) return "error: " + (value.error.message || value.error.code);
  if (Array.isArray(value) && value.every(v => typeof v !== "object")) return value.join(", ");
  if (Array.isArray(value)) return value.length + " 项 items: " + value.map(show).join("; ");
  if (typeof value === "object") return Object.entries(value).map(([k, v]) => `${k}: ${show(v)}`).join(", ");
  return String(value);
}

// A clause applies when it is eligible, or (without an eligibility) when
// one of its amounts is more than zero.
function applies(clause, answer) {
  const r = answer.results;
  const eligible = r[clause.name + ".eligible"];
  if (eligible !== undefined) return eligible === true;
  return clause.results.some(k => typeof r[k] === "string" && /^-?\d+\.\d\d$/.test(r[k]) && Number(r[k]) > 0);
}

function showResults(answer) {
  const box = document.getElementById("results");
  const clauses = state.spec.clauses.filter(c => c.results.length);
  const determined = c => c.results.some(k => k in answer.results || (answer.errors && k in answer.errors));
  const order = [
    ...clauses.filter(c => determined(c) && applies(c, answer)),
    ...clauses.filter(c => determined(c) && !applies(c, answer)),
  ];
  const rows = [];
  for (const c of order) {
    const yes = applies(c, answer);
    c.results.forEach((key, i) => {
      let value, cls = "value";
      if (key in answer.results) value = show(answer.results[key]);
      else if (answer.errors && key in answer.errors) { value = "error: " + answer.errors[key].message; cls += " error"; }
      else { value = "待定 undetermined (needs " + (answer.undetermined[key] || []).join(", ") + ")"; cls += " undetermined"; }
      rows.push(el("tr", { class: yes ? "applies" : "" },
        el("td", {}, i === 0 ? [el("strong", {}, c.name), el("br"), el("span", { class: "clause-label" }, c.label || "")] : ""),
        el("td", {}, key.split(".").slice(1).join(".")),
        el("td", { class: cls, "data-result": key }, value),
        el("td", {}, el("button", { type: "button", onclick: () => why(key) }, "为什么 Why"))));
    });
  }
  const open = clauses.filter(c => !determined(c));
  box.replaceChildren(
    el("p", { class: "note" }, "评估日期 evaluated on " + (answer.today || "—")),
    el("table", { id: "result-table" },
      el("thead", {}, el("tr", {}, el("th", {}, "条款 clause"), el("th", {}, "结果 result"), el("th", {}, "值 value"), el("th", {}, ""))),
      el("tbody", {}, rows)),
    open.length ? el("details", { class: "undetermined" },
      el("summary", {}, `${open.length} 条款待定（缺少事实） clauses undetermined`),
      el("ul", {}, open.map(c => el("li", {}, `${c.name} ${c.label || ""} — 需要 needs ` +
        [...new Set(c.results.flatMap(k => answer.undetermined[k] || []))].join(", "))))) : null);
}

function mark(outcome) {
  return outcome === "held" || outcome === true ? el("span", { class: "held" }, "✓ ") :
    outcome === "failed" || outcome === false ? el("span", { class: "failed" }, "✗ ") :
    el("span", { class: "unknown" }, "? ");
}

function nodeLine(n) {
  const label = n.label ? `（${n.label}）` : "";
  switch (n.kind) {
    case "value": return [el("strong", {}, n.name), ` = ${show(n.value)}`];
    case "clause": return [n.line, ...n.quotes.map(q => el("span", { class: "quote" }, `“${q}”`))];
    // The server's sentence, in its language; the mark in colour.
    case "in_force": return [mark(n.holds), n.line.replace(/^[✓✗?] /, "")];
    case "group": return [n.title];
    case "condition": return [mark(n.outcome), n.text];
    // A fact read as its default: the server's sentence says so.
    case "fact": return n.default ? [n.line] : [`${n.path}${label} = ${show(n.value)}`];
    case "formula": return [el("span", { class: "formula" }, n.steps.map((s, i) => [i ? " = " : "= ", el("code", {}, s)]))];
    case "exception": return [n.line];
    case "parameter": return [n.line];
    case "call": return [`${n.clause}(${n.subject_path || show(n.subject)}).${n.member} = ${show(n.value)}`];
    case "needs": return [n.line];
    case "change": return [n.line];
    case "note": return [n.text];
    default: return [JSON.stringify(n)];
  }
}

function tree(n) {
  return el("li", {}, nodeLine(n), n.children && n.children.length ? el("ul", {}, n.children.map(tree)) : null);
}

async function why(key) {
  const box = document.getElementById("why");
  box.hidden = false;
  box.replaceChildren(el("p", { class: "note" }, "…"));
  try {
    const q = new URLSearchParams({ explain: "true", results: key });
    const answer = await api("/api/evaluate?" + q, state.last || readCase());
    const e = (answer.explanations || []).find(x => x.result === key);
    box.replaceChildren(el("h3", {}, "为什么 Why: " + key),
      el("div", { class: "tree" }, el("ul", {}, e ? tree(e.tree) : el("li", {}, "—"))));
    box.scrollIntoView({ block: "nearest" });
  } catch (err) {
    box.replaceChildren(el("p", { class: "error" }, err.message));
  }
}

function markInvalid(path) {
  document.querySelectorAll("[aria-invalid]").forEach(n => n.removeAttribute("aria-invalid"));
  if (!path) return;
  const id = "f-" + path.replace(/[^A-Za-z0-9_]/g, "_");
  const input = document.getElementById(id);
  if (input) {
    input.setAttribute("aria-invalid", "true");
    const details = input.closest("details");
    if (details) details.open = true;
    input.focus();
  }
}

async function evaluate(event) {
  if (event) event.preventDefault();
  const c = readCase();
  status("…");
  try {
    const answer = await api("/api/evaluate", c);
    markInvalid(null);
    state.last = c;
    document.getElementById("changes").hidden = true;
    document.getElementById("why").hidden = true;
    showResults(answer);
    status("已计算 evaluated");
    changed();
  } catch (err) {
    status(err.message + (err.path ? ` (${err.path})` : ""), true);
    markInvalid(err.path);
  }
}

async function whatif() {
  const now = readCase();
  const changes = {};
  for (const name of new Set([...Object.keys(state.last), ...Object.keys(now)])) {
    if (name === "today") continue;
    if (JSON.stringify(state.last[name]) !== JSON.stringify(now[name])) changes[name] = now[name] ?? null;
  }
  const q = now.today && now.today !== state.last.today ? "?on=" + now.today : "";
  try {
    const answer = await api("/api/whatif" + q, { case: state.last, changes });
    const box = document.getElementById("changes");
    box.hidden = false;
    box.replaceChildren(el("strong", {}, "假设分析 What changed: "),
      answer.changed.length ? el("ul", {}, answer.changed.map(c =>
        el("li", { "data-result": c.result }, `${c.result}: ${show(c.before)} → ${show(c.after)}`))) :
        el("span", {}, "没有结果变化 no result changed"));
    status("");
  } catch (err) {
    status(err.message + (err.path ? ` (${err.path})` : ""), true);
    markInvalid(err.path);
  }
}

function save() {
  const blob = new Blob([JSON.stringify(readCase(), null, 2) + "\n"], { type: "application/json" });
  const a = el("a", { href: URL.createObjectURL(blob), download: "case.json" });
  document.body.append(a);
  a.click();
  a.remove();
}

async function start() {
  state.spec = await api("/api/spec");
  for (const r of state.spec.records) state.records[r.name] = r;
  for (const e of state.spec.enums) state.enums[e.name] = e.variants;
  const policy = state.spec.policy;
  if (policy) {
    document.getElementById("title").textContent = policy.title;
    document.title = policy.title;
    document.getElementById("source").textContent = policy.issued ? "发布 issued " + policy.issued : "";
  }
  buildForm();
  const examples = await api("/api/examples");
  const select = document.getElementById("examples");
  for (const e of examples) select.append(el("option", { value: e.name }, e.name));
  select.addEventListener("change", () => {
    const e = examples.find(x => x.name === select.value);
    if (e) { writeCase(e.case); evaluate(); }
  });
  document.getElementById("facts").addEventListener("submit", evaluate);
  document.getElementById("whatif").addEventListener("click", whatif);
  document.getElementById("save").addEventListener("click", save);
  document.getElementById("today").addEventListener("change", changed);
  status("");
}

start().catch(err => status("cannot load the package: " + err.message, true));
