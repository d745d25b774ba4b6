/**
 * The dry-run report as one self-contained HTML page: Chart.js's UMD build
 * is inlined (no network at all: no CDN, no fonts, a data: favicon), the
 * report's figures are embedded as JSON, and four kinds of chart are drawn
 * from them: touches per channel per day, suppressions by reason, budget
 * burn against its pacing line (one per campaign with a budget) and
 * conversion rates of treated vs holdout. Tables repeat the numbers for
 * reading and printing.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { CampaignReport, DryRunReport } from "./schema.ts";

let chartJs: string | undefined;

/** Chart.js's minified UMD build, read from the installed package. */
export function chartLibrary(): string {
  if (chartJs === undefined) {
    const main = createRequire(import.meta.url).resolve("chart.js");
    chartJs = readFileSync(join(dirname(main), "chart.umd.min.js"), "utf8");
  }
  return chartJs;
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);
}

/** JSON safe inside a <script> element. */
function scriptJson(v: unknown): string {
  return JSON.stringify(v).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

const num = (x: number): string => x.toLocaleString("en");
const money = (x: number): string => x.toLocaleString("en", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const pct = (x: number | null): string => (x === null ? "–" : `${(x * 100).toFixed(1)}%`);

function htmlTable(header: readonly string[], rows: readonly (readonly string[])[], numeric: (i: number) => boolean = (i) => i > 0): string {
  const th = header.map((h, i) => `<th${numeric(i) ? ' class="n"' : ""}>${esc(h)}</th>`).join("");
  const body = rows.map((r) => `<tr>${r.map((c, i) => `<td${numeric(i) ? ' class="n"' : ""}>${esc(c)}</td>`).join("")}</tr>`).join("\n");
  return `<table><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table>`;
}

function campaignHtml(c: CampaignReport, index: number): string {
  const parts: string[] = [];
  parts.push(`<section class="campaign"><h2>${esc(c.id)}${c.label ? ` <span class="label">${esc(c.label)}</span>` : ""}</h2>`);
  parts.push(`<p class="meta">${esc(c.file)} · ${esc(c.trigger)} trigger · priority ${c.priority} · window ${esc(c.window.from)} .. ${esc(c.window.to)}</p>`);
  const a = c.audience;
  parts.push(
    `<p>Audience <b>${num(a.size)}</b> ${a.definition === "batch-sql-count" ? `(${a.method === "sql" ? "SQL count" : "scan"} at ${esc(a.at ?? "")})` : "(distinct customers who matched on a trigger)"} · entries <b>${num(c.entries.total)}</b> = treated ${num(c.entries.treated)} + holdout ${num(c.entries.holdout)}</p>`,
  );
  parts.push(
    htmlTable(
      ["wave", "channels", "due", "touched", "skipped", "suppressed", "cancelled", "pending", "deferred first"],
      c.waves.map((w) => [String(w.wave), w.channels.join(" › "), num(w.due), num(w.touched), num(w.skipped), num(w.suppressed), num(w.cancelled), num(w.pending), num(w.deferredThenResolved)]),
      (i) => i !== 1,
    ),
  );
  if (c.suppressions.rules.length > 0) parts.push("<h3>Suppressions</h3>", htmlTable(["reason", "stage", "rule", "count"], c.suppressions.rules.map((r) => [r.reason, r.stage, r.rule, num(r.count)]), (i) => i === 3));
  if (c.deferrals.rules.length > 0) parts.push("<h3>Deferrals</h3>", htmlTable(["reason", "stage", "rule", "count"], c.deferrals.rules.map((r) => [r.reason, r.stage, r.rule, num(r.count)]), (i) => i === 3));
  if (c.fallbacks.length > 0) parts.push("<h3>Fallbacks</h3>", htmlTable(["from", "to", "reason", "count"], c.fallbacks.map((f) => [f.from, f.to, f.reason, num(f.count)]), (i) => i === 3));
  const cv = c.conversions;
  parts.push(
    "<h3>Conversions</h3>",
    htmlTable(
      ["group", "entries", "converted", "rate", "conversions", "value"],
      [
        ["treated", num(cv.treated.entries), num(cv.treated.converted), pct(cv.treated.rate), num(cv.treated.conversions), cv.treated.value === null ? "–" : money(cv.treated.value)],
        ["holdout", num(cv.holdout.entries), num(cv.holdout.converted), pct(cv.holdout.rate), num(cv.holdout.conversions), cv.holdout.value === null ? "–" : money(cv.holdout.value)],
      ],
    ),
    `<p>Uplift: ${cv.uplift ? `${(cv.uplift.difference * 100).toFixed(1)} pp (95% CI ${(cv.uplift.low * 100).toFixed(1)} to ${(cv.uplift.high * 100).toFixed(1)} pp)` : esc(cv.upliftNote ?? "not enough data")} · ROI: ${c.roi.value !== null ? c.roi.value.toFixed(2) : `– (${esc(c.roi.note ?? "")})`}</p>`,
  );
  if (c.payouts.byBenefit.length > 0) parts.push("<h3>Payouts</h3>", htmlTable(["benefit", "payouts", "quantity", "cost"], c.payouts.byBenefit.map((b) => [b.benefit, num(b.count), num(b.quantity), money(b.cost)])));
  parts.push(
    "<h3>Cost</h3>",
    htmlTable(["item", "amount"], [...Object.entries(c.cost.byChannel).map(([ch, v]) => [`touches on ${ch}`, money(v)]), ["benefits", money(c.cost.benefits)], ["total", money(c.cost.total)]]),
  );
  if (c.budget) {
    parts.push(`<h3>Budget</h3><p>Spent ${money(c.budget.spent)}${c.budget.total !== null ? ` of ${money(c.budget.total)} (${pct(c.budget.burn)})` : ""}, pacing ${esc(c.budget.pacing)}</p>`);
    parts.push(`<div class="chart"><canvas id="budget-${index}" data-chart="budget" data-campaign="${index}"></canvas></div>`);
  }
  parts.push("</section>");
  return parts.join("\n");
}

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI","PingFang SC","Noto Sans CJK SC",sans-serif;margin:24px;color:#1d2330;background:#fff}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 4px;border-top:1px solid #d7dbe3;padding-top:16px}h3{font-size:15px;margin:16px 0 6px}
.label{font-weight:normal;color:#4b5563}.meta{color:#6b7280;margin:0 0 8px}
table{border-collapse:collapse;margin:6px 0 10px}th,td{padding:3px 10px;border-bottom:1px solid #e5e7eb;text-align:left;white-space:nowrap}
th{background:#f3f4f6;font-weight:600}.n{text-align:right;font-variant-numeric:tabular-nums}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(460px,1fr));gap:18px}
.chart{position:relative;height:300px;max-width:900px}.warn{color:#92400e;background:#fef3c7;padding:6px 10px}
`;

/** Draws the charts from the embedded report (runs in the page). */
const SCRIPT = `
(function () {
  var report = JSON.parse(document.getElementById("report-data").textContent);
  Chart.defaults.animation = false;
  Chart.defaults.responsive = true;
  Chart.defaults.maintainAspectRatio = false;
  var palette = ["#2563eb","#16a34a","#ea580c","#9333ea","#0891b2","#dc2626","#ca8a04","#4b5563","#db2777","#65a30d"];
  function color(i) { return palette[i % palette.length]; }
  var days = report.period.days;
  var channels = Object.keys(report.totals.touchesByChannel);
  new Chart(document.getElementById("touches"), {
    type: "bar",
    data: { labels: days, datasets: channels.map(function (ch, i) {
      return { label: ch, backgroundColor: color(i), data: report.totals.touchesByDay.map(function (d) { return d.byChannel[ch] || 0; }) };
    }) },
    options: { plugins: { title: { display: true, text: "Touches per channel per day" } }, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } }
  });
  var reasons = {};
  report.campaigns.forEach(function (c) { Object.keys(c.suppressions.byReason).forEach(function (r) { reasons[r] = true; }); });
  var reasonList = Object.keys(reasons).sort();
  new Chart(document.getElementById("suppressions"), {
    type: "bar",
    data: { labels: reasonList, datasets: report.campaigns.map(function (c, i) {
      return { label: c.id, backgroundColor: color(i), data: reasonList.map(function (r) { return c.suppressions.byReason[r] || 0; }) };
    }) },
    options: { indexAxis: "y", plugins: { title: { display: true, text: "Suppressions by reason" } }, scales: { x: { stacked: true, beginAtZero: true }, y: { stacked: true } } }
  });
  new Chart(document.getElementById("conversions"), {
    type: "bar",
    data: { labels: report.campaigns.map(function (c) { return c.id; }), datasets: [
      { label: "treated", backgroundColor: color(0), data: report.campaigns.map(function (c) { return c.conversions.treated.rate === null ? 0 : c.conversions.treated.rate * 100; }) },
      { label: "holdout", backgroundColor: color(7), data: report.campaigns.map(function (c) { return c.conversions.holdout.rate === null ? 0 : c.conversions.holdout.rate * 100; }) }
    ] },
    options: { plugins: { title: { display: true, text: "Conversion rate, treated vs holdout (%)" } }, scales: { y: { beginAtZero: true } } }
  });
  document.querySelectorAll("canvas[data-chart=budget]").forEach(function (canvas) {
    var c = report.campaigns[Number(canvas.getAttribute("data-campaign"))];
    var b = c.budget;
    var sets = [{ label: "spent (cumulative)", borderColor: color(0), backgroundColor: color(0), data: b.byDay.map(function (d) { return d.cumulative; }) }];
    var scales = { y: { beginAtZero: true } };
    if (b.pacingLine !== null || b.byDay.some(function (d) { return d.pacingLine !== null; })) {
      sets.push({ label: "pacing line (" + b.pacing + ")", borderColor: color(2), backgroundColor: color(2), borderDash: [6, 4], pointRadius: 0, data: b.byDay.map(function (d) { return d.pacingLine; }) });
      // Spend far below the pacing line would draw as a flat line at zero: a logarithmic axis (said so) shows both,
      // one axis for both lines, so the spend still reads as below the line.
      var most = function (k) { return b.byDay.reduce(function (m, d) { return d[k] !== null && d[k] > m ? d[k] : m; }, 0); };
      if (most("cumulative") > 0 && most("cumulative") < most("pacingLine") / 10) {
        scales.y = { type: "logarithmic", title: { display: true, text: "logarithmic scale" } };
      }
    }
    new Chart(canvas, { type: "line", data: { labels: b.byDay.map(function (d) { return d.day; }), datasets: sets },
      options: { plugins: { title: { display: true, text: "Budget burn vs pacing: " + c.id } }, scales: scales } });
  });
})();
`;

export function renderHtml(r: DryRunReport): string {
  const t = r.totals;
  const summary = htmlTable(
    ["campaign", "audience", "entries", "treated", "holdout", "touches", "suppressed", "conversions", "payouts", "cost", "pending"],
    [
      ...r.campaigns.map((c) => [
        c.id,
        num(c.audience.size),
        num(c.entries.total),
        num(c.entries.treated),
        num(c.entries.holdout),
        num(c.touches.total),
        num(c.suppressions.total),
        num(c.conversions.treated.conversions + c.conversions.holdout.conversions),
        num(c.payouts.count),
        money(c.cost.total),
        num(c.accounting.pending),
      ]),
      ["total", "", num(t.entries), num(t.treated), num(t.holdout), num(t.touches), num(t.suppressions), num(t.conversions), num(t.payouts), money(t.cost), num(t.pending)],
    ],
  );
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>Dry-run: ${esc(r.campaigns.map((c) => c.id).join(", "))}</title>
<style>${CSS}</style>
</head>
<body>
<h1>Campaign dry-run</h1>
<p class="meta">${esc(r.data.path)} · ${num(r.data.customers)} customers · catalog ${esc(r.data.catalog)} (${esc(r.data.zone)}) · ${esc(r.period.from)} .. ${esc(r.period.to)} (${r.period.days.length} days) · ${num(r.inputs.events)} events, ${num(r.inputs.profileUpdates)} profile updates</p>
${r.warnings.map((w) => `<p class="warn">${esc(w)}</p>`).join("\n")}
${summary}
<div class="grid">
<div class="chart"><canvas id="touches"></canvas></div>
<div class="chart"><canvas id="suppressions"></canvas></div>
<div class="chart"><canvas id="conversions"></canvas></div>
</div>
${r.campaigns.map((c, i) => campaignHtml(c, i)).join("\n")}
<script type="application/json" id="report-data">${scriptJson(r)}</script>
<script>${chartLibrary().replace(/<\/script/gi, "<\\/script")}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
