/* Metrics dashboard: region picker, indicator cards, children by gap, trend. ECharts is served
   from this service (no CDN). The token stays in sessionStorage of this tab. */
"use strict";

const UNITS = { percent: "%", count: "", person_times: "人次", hours: "小时", score: "分" };
const SIGNS = { ge: "≥", le: "≤", eq: "=" };
const STATUS = { met: "达标", behind: "未达标", no_target: "未设目标", no_data: "无数据" };
const state = { token: null, region: null, lineage: [], indicator: null, values: [] };
const $ = (id) => document.getElementById(id);
const bar = echarts.init($("bar"));
const trend = echarts.init($("trend"));

function say(text) { $("message").textContent = text || ""; }

function claims(token) {
  try {
    const part = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    return JSON.parse(decodeURIComponent(escape(atob(part))));
  } catch (error) { return {}; }
}

async function api(path, params) {
  const url = new URL(path, window.location.origin);
  Object.entries(params || {}).forEach(([key, value]) => { if (value) url.searchParams.set(key, value); });
  const response = await fetch(url, { headers: { Authorization: `Bearer ${state.token}`, "Accept-Language": "zh-CN" } });
  if (!response.ok) {
    let detail = `${response.status}`;
    try { const problem = await response.json(); detail = problem.detail || problem.title || detail; } catch (error) { /* not JSON */ }
    throw new Error(detail);
  }
  return response;
}
async function json(path, params) { return (await api(path, params)).json(); }

function query() {
  return { plan: $("plan").value, milestone: $("milestone").value, as_of: $("as-of").value };
}

function format(value, unit) {
  if (value === null || value === undefined) return "—";
  const digits = unit === "percent" ? 1 : (Number.isInteger(value) ? 0 : 2);
  return `${value.toLocaleString("zh-CN", { maximumFractionDigits: digits })}${UNITS[unit] || ""}`;
}

/* DOM helpers: every text an official can change (division, plan and indicator names) is set
   with textContent or as an attribute value, never parsed as HTML. */
function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  Object.entries(attributes || {}).forEach(([name, value]) => {
    if (value === null || value === undefined || value === false) return;
    if (name === "className") node.className = value;
    else if (name === "dataset") Object.entries(value).forEach(([key, data]) => { node.dataset[key] = data; });
    else node.setAttribute(name, String(value));
  });
  children.forEach((child) => {
    if (child === null || child === undefined || child === "") return;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  });
  return node;
}
function option(value, text) { const node = el("option", { value }); node.textContent = text; return node; }
function fill(node, children) { node.replaceChildren(...children); }

async function start() {
  const fromHash = new URLSearchParams(window.location.hash.slice(1)).get("token");
  if (fromHash) {
    sessionStorage.setItem("canlian-token", fromHash);
    history.replaceState(null, "", window.location.pathname);
  }
  state.token = sessionStorage.getItem("canlian-token");
  if (!state.token) { say("请先粘贴访问令牌(canlian token --role official --region 62)"); return; }
  const region = claims(state.token).region || "000000000000";
  try {
    const plans = await json("/v1/plans", { limit: 200 });
    fill($("plan"), [option("", "(不比较目标)"),
      ...plans.items.map((p) => option(p.code, `${p.name}(${p.start_year}–${p.end_year})`))]);
    if (plans.items.length) $("plan").value = plans.items[plans.items.length - 1].code;
    await goTo(region, true);
  } catch (error) { say(`加载失败:${error.message}`); }
}

async function goTo(code, reset) {
  const region = await json(`/v1/regions/${encodeURIComponent(code)}`);
  if (reset) state.lineage = [region];
  else {
    const at = state.lineage.findIndex((item) => item.code === code);
    state.lineage = at >= 0 ? state.lineage.slice(0, at + 1) : [...state.lineage, region];
  }
  state.region = region;
  const crumbs = [];
  state.lineage.forEach((item, index) => {
    const label = item.name || item.code;
    if (index < state.lineage.length - 1) {
      crumbs.push(el("a", { dataset: { code: item.code } }, label), el("span", { className: "sep" }, "›"));
    } else crumbs.push(el("strong", {}, label));
  });
  fill($("breadcrumb"), crumbs);
  const children = (await json(`/v1/regions/${encodeURIComponent(code)}/children`)).items;
  fill($("children"), [option("", "— 选择下级区划 —"),
    ...children.map((child) => option(child.code, child.name || child.code))]);
  await refresh();
}

async function refresh() {
  say("");
  const body = await json(`/v1/regions/${encodeURIComponent(state.region.code)}/indicators`, query());
  state.values = body.indicators;
  // The levels in the region's own words (旗县级, 苏木乡镇级, 嘎查村级 in a pastoral region).
  [...$("level").options].forEach((item) => {
    const name = (body.level_names || {})[item.value];
    if (item.value && name) item.textContent = name;
  });
  if (!state.indicator || !state.values.some((item) => item.indicator === state.indicator)) {
    const withTarget = state.values.find((item) => item.target);
    state.indicator = (withTarget || state.values[0]).indicator;
  }
  renderCards();
  await renderCharts();
}

const STATUSES = new Set(Object.keys(STATUS));

function renderCards() {
  const count = (status) => state.values.filter((item) => item.status === status).length;
  const region = state.region.name || state.region.code;
  $("summary").textContent = `${region}:达标 ${count("met")} 项,未达标 ${count("behind")} 项,未设目标 ${count("no_target")} 项,无数据 ${count("no_data")} 项(点击指标卡查看下级与趋势)`;
  // Indicators with a target first, the most behind first.
  const rank = { behind: 0, met: 1, no_target: 2, no_data: 3 };
  state.values.sort((a, b) => rank[a.status] - rank[b.status]);
  fill($("cards"), state.values.map((item) => {
    const status = STATUSES.has(item.status) ? item.status : "no_data";
    const target = item.target ? `目标 ${SIGNS[item.target.comparator] || ""}${format(item.target.value, item.unit)}` : "未设目标";
    const gap = item.gap ? ` · 差距 ${format(item.gap, item.unit)}` : "";
    const parts = item.denominator !== null && item.denominator !== undefined ? ` · ${item.numerator}/${item.denominator}` : "";
    const period = item.period ? ` · ${item.period} 年填报` : "";
    const classes = `card ${status}${item.indicator === state.indicator ? " selected" : ""}`;
    return el("article", { className: classes, dataset: { indicator: item.indicator } },
      el("h3", {}, item.name_zh),
      el("div", { className: "value" }, format(item.value, item.unit)),
      el("div", { className: "meta" }, el("span", { className: `badge ${status}` }, STATUS[status]),
        ` ${target}${gap}${parts}${period}`));
  }));
}

async function renderCharts() {
  const item = state.values.find((value) => value.indicator === state.indicator);
  $("bar-title").textContent = `下级区划差距:${item.name_zh}`;
  $("trend-title").textContent = `规划期趋势:${item.name_zh}`;
  const level = $("level").value;
  const levels = { city: 2, county: 3, township: 4, village: 5 };
  const deeper = level && levels[level] > state.region.level + 1 ? level : "";
  const drill = await json(`/v1/regions/${encodeURIComponent(state.region.code)}/indicators/${encodeURIComponent(state.indicator)}/children`, { ...query(), level: deeper, limit: 200 });
  // The 30 largest gaps stay readable; the rest are in the report.
  const children = drill.children.slice(0, 30);
  bar.setOption({
    tooltip: { trigger: "axis", renderMode: "richText" },
    // The grid makes room for its labels: a fixed margin cut the start of long names
    // (内蒙古自治区 read 蒙古自治区, a 嘎查村民委员会 lost its first characters). A name longer
    // than the label column is cut at its end with an ellipsis; the tooltip shows it whole.
    grid: { left: 8, right: 24, top: 16, bottom: 36, containLabel: true },
    xAxis: { type: "value", name: "差距", nameLocation: "middle", nameGap: 24 },
    yAxis: { type: "category", inverse: true, axisLabel: { width: 180, overflow: "truncate" },
      data: children.map((child) => child.region.name || child.region.code) },
    series: [{
      type: "bar",
      data: children.map((child) => ({
        value: child.value.gap === null ? 0 : child.value.gap,
        code: child.region.code,
        itemStyle: { color: child.value.status === "behind" ? "#d9480f" : child.value.status === "met" ? "#2f9e44" : "#9aa5b1" },
      })),
    }],
  }, true);
  const plan = $("plan").value;
  if (!plan) { trend.clear(); trend.setOption({ title: { text: "选择规划后显示趋势", left: "center", top: "middle", textStyle: { fontSize: 14 } } }); return; }
  const line = await json(`/v1/regions/${encodeURIComponent(state.region.code)}/indicators/${encodeURIComponent(state.indicator)}/trend`, { plan });
  trend.setOption({
    tooltip: { trigger: "axis", renderMode: "richText" },
    legend: { data: ["实际", "目标"] },
    grid: { left: 60, right: 24, top: 36, bottom: 24 },
    xAxis: { type: "category", data: line.points.map((point) => String(point.year)) },
    yAxis: { type: "value" },
    series: [
      { name: "实际", type: "line", data: line.points.map((point) => point.value), connectNulls: false },
      { name: "目标", type: "line", step: "end", lineStyle: { type: "dashed" }, data: line.points.map((point) => point.target) },
    ],
  }, true);
}

async function download(kind) {
  try {
    const response = await api(`/v1/regions/${encodeURIComponent(state.region.code)}/report.${kind}`, { ...query(), depth: 1 });
    const link = document.createElement("a");
    link.href = URL.createObjectURL(await response.blob());
    link.download = `指标报表-${state.region.code}.${kind}`;
    link.click();
  } catch (error) { say(`导出失败:${error.message}`); }
}

$("use-token").addEventListener("click", () => { sessionStorage.setItem("canlian-token", $("token").value.trim()); $("token").value = ""; start(); });
$("breadcrumb").addEventListener("click", (event) => { const code = event.target.dataset.code; if (code) goTo(code).catch((e) => say(e.message)); });
$("children").addEventListener("change", (event) => { if (event.target.value) goTo(event.target.value).catch((e) => say(e.message)); });
$("level").addEventListener("change", () => renderCharts().catch((e) => say(e.message)));
["plan", "milestone", "as-of"].forEach((id) => $(id).addEventListener("change", () => refresh().catch((e) => say(e.message))));
$("cards").addEventListener("click", (event) => {
  const card = event.target.closest(".card");
  if (!card) return;
  state.indicator = card.dataset.indicator;
  renderCards();
  renderCharts().catch((e) => say(e.message));
});
bar.on("click", (params) => { if (params.data && params.data.code) goTo(params.data.code).catch((e) => say(e.message)); });
$("xlsx").addEventListener("click", () => download("xlsx"));
$("csv").addEventListener("click", () => download("csv"));
window.addEventListener("resize", () => { bar.resize(); trend.resize(); });
start();
