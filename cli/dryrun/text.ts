/**
 * The dry-run report as terminal text: a summary table of every campaign,
 * touches per channel per day across campaigns, then one section per
 * campaign. Tables align by display width (./width.ts), so Chinese labels
 * line up.
 */
import type { CampaignReport, DryRunReport, OutcomeReport } from "./schema.ts";
import { table } from "./width.ts";

const n = (x: number): string => x.toLocaleString("en");
const money = (x: number): string => x.toLocaleString("en", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const pct = (x: number | null): string => (x === null ? "-" : `${(x * 100).toFixed(1)}%`);
const pp = (x: number): string => `${x >= 0 ? "+" : ""}${(x * 100).toFixed(1)} pp`;

function outcomeTable(title: string, o: OutcomeReport): string[] {
  if (o.total === 0) return [`${title}: none`];
  return [`${title}: ${n(o.total)}`, table(["reason", "stage", "rule", "count"], o.rules.map((r) => [r.reason, r.stage, r.rule, n(r.count)]), ["l", "l", "l", "r"])];
}

function campaignSection(c: CampaignReport): string {
  const out: string[] = [];
  const head = `${c.id}${c.label ? ` ${c.label}` : ""}`;
  out.push(head);
  out.push("=".repeat(Math.max(8, Math.min(100, head.length * 2))));
  out.push(`${c.file}; ${c.trigger} trigger; priority ${c.priority}; window ${c.window.from} .. ${c.window.to}`);
  const a = c.audience;
  out.push(
    a.definition === "batch-sql-count"
      ? `audience: ${n(a.size)} customers (${a.method === "sql" ? "SQL count" : "counted by a scan"} at ${a.at ?? "-"})`
      : `audience: ${n(a.size)} distinct customers matched the audience on a trigger event`,
  );
  const variants = Object.entries(c.entries.byVariant).map(([k, v]) => `${k} ${n(v)}`).join(", ");
  out.push(`entries: ${n(c.entries.total)} = treated ${n(c.entries.treated)} + holdout ${n(c.entries.holdout)} (${n(c.entries.customers)} customers)${variants ? `; variants ${variants}` : ""}`);
  out.push("");
  out.push(
    table(
      ["wave", "channels", "due", "touched", "skipped", "suppressed", "cancelled", "pending", "deferred first"],
      c.waves.map((w) => [String(w.wave), w.channels.join(" > "), n(w.due), n(w.touched), n(w.skipped), n(w.suppressed), n(w.cancelled), `${n(w.pending)}${w.pendingDeferred > 0 ? ` (${n(w.pendingDeferred)} deferred)` : ""}`, n(w.deferredThenResolved)]),
      ["r", "l", "r", "r", "r", "r", "r", "r", "r"],
    ),
  );
  const acc = c.accounting;
  out.push(
    `every wave of every treated entry: ${n(acc.treatedEntries)} × ${acc.waves} = ${n(acc.treatedEntries * acc.waves)} = ${n(acc.touched)} touched + ${n(acc.skipped)} skipped + ${n(acc.suppressed)} suppressed + ${n(acc.cancelled)} cancelled + ${n(acc.pending)} pending${acc.balanced ? "" : "  (DOES NOT ADD UP)"}`,
  );
  out.push("");
  const channels = Object.keys(c.touches.byChannel);
  if (c.touches.total > 0) {
    out.push(`touches: ${n(c.touches.total)} (${channels.map((ch) => `${ch} ${n(c.touches.byChannel[ch] ?? 0)}`).join(", ")})`);
    out.push(table(["day", ...channels, "total"], c.touches.byDay.filter((d) => d.total > 0).map((d) => [d.day, ...channels.map((ch) => n(d.byChannel[ch] ?? 0)), n(d.total)])));
  } else out.push("touches: none");
  out.push("");
  if (c.fallbacks.length > 0) out.push("fallbacks:", table(["from", "to", "reason", "count"], c.fallbacks.map((f) => [f.from, f.to || "(none left)", f.reason, n(f.count)]), ["l", "l", "l", "r"]), "");
  out.push(...outcomeTable("suppressions", c.suppressions), "");
  out.push(...outcomeTable("deferrals", c.deferrals), "");
  out.push(...outcomeTable("skips", c.skips), "");
  if (c.exits > 0) out.push(`exits: ${n(c.exits)}`, "");
  const cv = c.conversions;
  const valued = cv.treated.value !== null;
  out.push(
    table(
      ["group", "entries", "converted", "rate", "conversions", ...(valued ? ["value"] : [])],
      [
        ["treated", n(cv.treated.entries), n(cv.treated.converted), pct(cv.treated.rate), n(cv.treated.conversions), ...(valued ? [money(cv.treated.value ?? 0)] : [])],
        ["holdout", n(cv.holdout.entries), n(cv.holdout.converted), pct(cv.holdout.rate), n(cv.holdout.conversions), ...(valued ? [money(cv.holdout.value ?? 0)] : [])],
      ],
    ),
  );
  out.push(cv.uplift ? `uplift: ${pp(cv.uplift.difference)} (95% CI ${pp(cv.uplift.low)} to ${pp(cv.uplift.high)})` : `uplift: ${cv.upliftNote ?? "not enough data"}`);
  out.push("");
  const p = c.payouts;
  if (p.count > 0) out.push(`payouts: ${n(p.count)}, cost ${money(p.cost)}`, table(["benefit", "payouts", "quantity", "cost"], p.byBenefit.map((b) => [b.benefit, n(b.count), n(b.quantity), money(b.cost)])));
  else out.push("payouts: none");
  if (p.budgetSuppressed.count > 0) out.push(`payouts withheld for budget: ${n(p.budgetSuppressed.count)} (${money(p.budgetSuppressed.amount)})`);
  out.push("");
  const costChannels = Object.keys(c.cost.byChannel);
  out.push(
    table(
      ["cost", "amount"],
      [...costChannels.map((ch) => [`touches on ${ch}`, money(c.cost.byChannel[ch] ?? 0)]), ["benefits", money(c.cost.benefits)], ["total", money(c.cost.total)]],
    ),
  );
  out.push("");
  const b = c.budget;
  if (b) {
    out.push(
      `budget: spent ${money(b.spent)}${b.total !== null ? ` of ${money(b.total)} (${pct(b.burn)})` : ""}; pacing ${b.pacing}${b.curve ? ` (${b.curve.map((x) => pct(x)).join(", ")})` : ""}${b.perPeriod.length > 0 ? `; ${b.perPeriod.map((x) => `${money(x.amount)} ${x.period}`).join(", ")}` : ""}`,
    );
    const days = b.byDay.filter((d, i) => d.spent > 0 || i === b.byDay.length - 1);
    if (b.spent > 0) out.push(table(["day", "spent", "cumulative", "pacing line"], days.map((d) => [d.day, money(d.spent), money(d.cumulative), d.pacingLine === null ? "-" : money(d.pacingLine)])));
  } else out.push("budget: none");
  out.push("");
  const roi = c.roi;
  out.push(
    roi.value !== null
      ? `ROI: ${roi.value.toFixed(2)} = (treated value ${money(roi.treatedValue ?? 0)} − holdout-expected ${money(roi.expectedFromHoldout ?? 0)}) / cost ${money(roi.cost)}`
      : `ROI: - (${roi.note ?? "not computed"})`,
  );
  return out.join("\n");
}

export function renderText(r: DryRunReport): string {
  const out: string[] = [];
  out.push(`dry-run of ${r.campaigns.length} campaign${r.campaigns.length === 1 ? "" : "s"} over ${r.data.path}: ${n(r.data.customers)} customers, catalog ${r.data.catalog} (${r.data.zone})`);
  out.push(`period ${r.period.from} .. ${r.period.to} (${r.period.days.length} days): ${n(r.inputs.events)} events, ${n(r.inputs.profileUpdates)} profile updates`);
  if (r.inputs.feedback.applied + r.inputs.feedback.unmatched > 0) out.push(`engagement events: ${n(r.inputs.feedback.applied)} applied to a touch of the run, ${n(r.inputs.feedback.unmatched)} matched none`);
  for (const d of r.inputs.deadLetters) out.push(`dead letters: ${n(d.count)} × ${d.reason} (e.g. ${d.example})`);
  out.push("");
  const rows = r.campaigns.map((c) => [
    c.id,
    n(c.audience.size),
    n(c.entries.total),
    n(c.entries.treated),
    n(c.entries.holdout),
    n(c.touches.total),
    n(c.suppressions.total),
    n(c.conversions.treated.conversions + c.conversions.holdout.conversions),
    n(c.payouts.count),
    money(c.cost.total),
    n(c.accounting.pending),
  ]);
  const t = r.totals;
  rows.push(["total", "", n(t.entries), n(t.treated), n(t.holdout), n(t.touches), n(t.suppressions), n(t.conversions), n(t.payouts), money(t.cost), n(t.pending)]);
  out.push(table(["campaign", "audience", "entries", "treated", "holdout", "touches", "suppressed", "conversions", "payouts", "cost", "pending"], rows));
  out.push("");
  const channels = Object.keys(t.touchesByChannel);
  if (t.touches > 0) {
    out.push("touches per channel per day, all campaigns:");
    out.push(table(["day", ...channels, "total"], [...t.touchesByDay.map((d) => [d.day, ...channels.map((ch) => n(d.byChannel[ch] ?? 0)), n(d.total)]), ["total", ...channels.map((ch) => n(t.touchesByChannel[ch] ?? 0)), n(t.touches)]]));
    out.push("");
  }
  if (t.suppressions > 0) {
    out.push("suppressions by reason, all campaigns:");
    out.push(table(["reason", "count"], Object.entries(t.suppressionsByReason).map(([k, v]) => [k, n(v)])));
    out.push("");
  }
  for (const c of r.campaigns) out.push(campaignSection(c), "");
  for (const w of r.warnings) out.push(`warning: ${w}`);
  return out.join("\n").trimEnd();
}
