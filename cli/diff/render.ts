/**
 * The text report of `campaign diff`:
 *
 *   campaign dormant_wakeup "休眠账户唤醒": 3 changes
 *     audience
 *       - aum ≥ 1,000
 *       + aum ≥ 5,000
 *     holdout
 *       - share: 5%
 *       + share: 10%
 *     warning: raising the holdout from 5% to 10% moves about 5% of customers from treated to holdout
 *
 * Removed lines start with `-`, added lines with `+`; a changed item is a
 * `-` line followed by a `+` line. Sections appear only when they changed.
 * With `--data`, the dry-run: its period and totals once, then per campaign
 * a table of old, new and the difference.
 */
import { showNumber } from "../../compiler/interp/describe.ts";
import { table } from "../dryrun/width.ts";
import { delta as deltaOf } from "./dryrun.ts";
import type { BudgetSide, CampaignDiff, CampaignDryRun, CampaignRef, Change, CountedMove, DataComparison, Delta, DiffReport, DryRunNotRun, DryRunSummary } from "./types.ts";

const RED = "\u001b[31m";
const GREEN = "\u001b[32m";
const YELLOW = "\u001b[33m";
const BOLD = "\u001b[1m";
const RESET = "\u001b[0m";

/** What journeys in progress do, said once under the reassignment warnings. */
export const REASSIGNMENT_NOTE = "journeys in progress keep their group and variant; every assignment made under the new plan (new entries and re-entries) follows the new rule";


/** Said without `--data`, where the dry-run deltas would be. */
export const NO_DATA_NOTE = "note: no dry-run without --data; give --data <bank.db> to dry-run both versions and compare reach, entries, touches, cost and budget burn";

function paint(color: boolean, code: string, text: string): string {
  return color ? `${code}${text}${RESET}` : text;
}

function line(item: string, words: string): string {
  return item === "" ? words : `${item}: ${words}`;
}

function changeLines(c: Change, color: boolean): string[] {
  const out: string[] = [];
  if (c.old !== undefined) out.push(paint(color, RED, `- ${line(c.item, c.old)}`));
  if (c.new !== undefined) out.push(paint(color, GREEN, `+ ${line(c.item, c.new)}`));
  return out;
}

function count(n: number, what: string): string {
  return `${showNumber(n)} ${what}${n === 1 ? "" : "s"}`;
}

function signed(n: number): string {
  return n > 0 ? `+${showNumber(n)}` : n < 0 ? `−${showNumber(-n)}` : "±0";
}

function movesText(moves: readonly CountedMove[]): string {
  return moves.map((m) => `${showNumber(m.count)} from ${m.from} to ${m.to}`).join(", ");
}

function money(x: number): string {
  return x.toLocaleString("en", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

function signedMoney(x: number): string {
  return x > 0 ? `+${money(x)}` : x < 0 ? `−${money(-x)}` : "±0";
}

function percent(x: number | null): string {
  return x === null ? "-" : `${(x * 100).toFixed(1)}%`;
}

function signedPercent(x: number): string {
  const t = (Math.abs(x) * 100).toFixed(1);
  return t === "0.0" ? "±0.0%" : `${x > 0 ? "+" : "−"}${t}%`;
}

function points(x: number): string {
  const t = (Math.abs(x) * 100).toFixed(1);
  return t === "0.0" ? "±0.0 pp" : `${x > 0 ? "+" : "−"}${t} pp`;
}

/** `262 → 300 (+38, +14.5%)`, money with cents when `isMoney`. */
export function deltaText(d: Delta, isMoney = false): string {
  const show = isMoney ? money : showNumber;
  return `${show(d.old)} → ${show(d.new)} (${differenceText(d, isMoney)})`;
}

/** `+38, +14.5%`; without the relative change when old is 0; `±0` when equal. */
function differenceText(d: Delta, isMoney = false): string {
  const abs = isMoney ? signedMoney(d.difference) : signed(d.difference);
  return d.difference === 0 || d.relative === null ? abs : `${abs}, ${signedPercent(d.relative)}`;
}

type Row = readonly [string, string, string, string];

function row(label: string, d: Delta, isMoney = false): Row {
  const show = isMoney ? money : showNumber;
  return [label, show(d.old), show(d.new), differenceText(d, isMoney)];
}

/** Rows by name (channels, benefits), leaving out names that are 0 on both sides. */
function namedRows(prefix: string, m: Readonly<Record<string, Delta>>, isMoney = false): Row[] {
  return Object.entries(m)
    .filter(([, d]) => d.old !== 0 || d.new !== 0)
    .map(([k, d]) => row(`  ${prefix}${k}`, d, isMoney));
}

const AUDIENCE_WORDS = { "batch-sql-count": "SQL count", "event-trigger-matches": "matched on a trigger" } as const;

/** One campaign's dry-run as lines: one line when nothing differs, else a table old / new / difference. */
export function dryRunLines(d: CampaignDryRun): string[] {
  if (!d.changed) {
    return [`dry-run: the same on both sides: audience ${showNumber(d.audience.new)}, entries ${showNumber(d.entries.total.new)}, touches ${showNumber(d.touches.total.new)}, cost ${money(d.cost.total.new)}${d.budget?.new ? `, budget spent ${money(d.budget.new.spent)}` : ""}`];
  }
  const a = d.audience.definition;
  const audience = a.old === a.new ? AUDIENCE_WORDS[a.new] : `${AUDIENCE_WORDS[a.old]} → ${AUDIENCE_WORDS[a.new]}`;
  const rows: Row[] = [row(`audience (${audience})`, d.audience), row("entries", d.entries.total)];
  if (d.entries.holdout.old !== 0 || d.entries.holdout.new !== 0) rows.push(row("  treated", d.entries.treated), row("  holdout", d.entries.holdout));
  rows.push(row("touches", d.touches.total), ...namedRows("", d.touches.byChannel));
  rows.push(row("cost", d.cost.total, true), ...namedRows("touches on ", d.cost.byChannel, true), ...namedRows("benefit ", d.cost.byBenefit, true));
  const b = d.budget;
  if (b) {
    const side = (x: BudgetSide | null, f: (y: BudgetSide) => string): string => (x ? f(x) : "-");
    if (b.old?.total !== b.new?.total) rows.push(["budget total", side(b.old, (x) => (x.total === null ? "-" : money(x.total))), side(b.new, (x) => (x.total === null ? "-" : money(x.total))), b.old && b.new ? (b.old.total !== null && b.new.total !== null ? differenceText(deltaOf(b.old.total, b.new.total), true) : "") : b.old ? "removed" : "added"]);
    rows.push(row("budget spent", b.spent, true));
    if (b.old?.burn != null || b.new?.burn != null) rows.push(["budget burn (spent / total)", side(b.old, (x) => percent(x.burn)), side(b.new, (x) => percent(x.burn)), b.burn ? points(b.burn.difference) : ""]);
    const day = b.new?.endOfPeriod.day ?? b.old?.endOfPeriod.day;
    if (b.old?.endOfPeriod.pacingLine != null || b.new?.endOfPeriod.pacingLine != null) {
      const line = (x: BudgetSide): string => (x.endOfPeriod.pacingLine === null ? "-" : money(x.endOfPeriod.pacingLine));
      rows.push([`pacing line at the end of ${day ?? "the period"}`, side(b.old, line), side(b.new, line), ""]);
      rows.push(["spent / pacing line", side(b.old, (x) => percent(x.endOfPeriod.ofPacing)), side(b.new, (x) => percent(x.endOfPeriod.ofPacing)), b.endOfPeriodOfPacing ? points(b.endOfPeriodOfPacing.difference) : ""]);
    }
  }
  return table(["dry-run", "old", "new", "difference"], rows).split("\n");
}

/** The report-level dry-run block: period, totals, warnings; or why it was not run. */
function dryRunHeader(d: DryRunSummary | DryRunNotRun, path: string | undefined): string {
  const over = path !== undefined ? ` over ${path}` : "";
  if (!d.ran) return `dry-run${over}: not run: ${d.reason}\n`;
  const out: string[] = [];
  const c = d.campaigns;
  out.push(`dry-run${over}, ${d.period.from} .. ${d.period.to} (${count(d.period.days, "day")}), the same data and period for both sides; each side's campaigns run together (${count(c.old, "campaign")} old, ${showNumber(c.new)} new)`);
  const t = d.totals;
  out.push(`  all campaigns: entries ${deltaText(t.entries)}; touches ${deltaText(t.touches)}; cost ${deltaText(t.cost, true)}`);
  const same = d.warnings.old.filter((w) => d.warnings.new.includes(w));
  for (const w of same) out.push(`  warning: ${w}`);
  for (const w of d.warnings.old) if (!same.includes(w)) out.push(`  warning (old): ${w}`);
  for (const w of d.warnings.new) if (!same.includes(w)) out.push(`  warning (new): ${w}`);
  return `${out.join("\n")}\n`;
}

function dataLines(d: DataComparison, hasWarnings: boolean): string[] {
  const out: string[] = [];
  out.push(`reach at ${d.atText}: ${showNumber(d.reach.old)} → ${showNumber(d.reach.new)} (${signed(d.reach.difference)}); ${showNumber(d.reach.both)} in both, ${showNumber(d.reach.onlyOld)} only before, ${showNumber(d.reach.onlyNew)} only after`);
  const r = d.reassignment;
  if (r) {
    const whose = r.population === "entries" ? `${count(r.customers, "customer")} already entered (table entries)` : `${count(r.customers, "customer")} in both audiences`;
    const holdout = r.holdoutChanged > 0 ? `${showNumber(r.holdoutChanged)} change holdout group (${movesText(r.holdout)})` : "none changes holdout group";
    const variants = r.variantChanged > 0 ? `${showNumber(r.variantChanged)} change variant (${movesText(r.variants)})` : "none changes variant";
    out.push(`reassignment, of ${whose}: ${holdout}; ${variants}`);
  } else if (hasWarnings) out.push("reassignment: not counted");
  return out;
}

function header(id: string, label: string | undefined): string {
  return `campaign ${id}${label !== undefined ? ` ${JSON.stringify(label)}` : ""}`;
}

/**
 * One matched campaign as text (ending with a newline). `dryRunNotRun`: why
 * there is no dry-run when `--data` was given but it could not run.
 */
export function renderCampaign(c: CampaignDiff, color: boolean, dataPath?: string, dryRunNotRun?: string): string {
  const n = c.sections.reduce((s, x) => s + x.changes.length, 0);
  const out: string[] = [paint(color, BOLD, `${header(c.id, c.label)}: ${c.changed ? count(n, "change") : "no changes"}`)];
  for (const s of c.sections) {
    out.push(`  ${s.section}`);
    for (const ch of s.changes) for (const l of changeLines(ch, color)) out.push(`    ${l}`);
  }
  for (const w of c.warnings) out.push(paint(color, YELLOW, `  warning: ${w.message}`));
  if (c.warnings.length > 0) out.push(`    note: ${REASSIGNMENT_NOTE}`);
  if (c.data) {
    out.push(`  data${dataPath !== undefined ? ` (${dataPath})` : ""}`);
    for (const l of dataLines(c.data, c.warnings.length > 0)) out.push(`    ${l}`);
    if (c.dryRun) for (const l of dryRunLines(c.dryRun)) out.push(`    ${l}`);
    else if (dryRunNotRun !== undefined) out.push(`    dry-run: not run (${dryRunNotRun})`);
  }
  return `${out.join("\n")}\n`;
}

function refLine(sign: "+" | "-", r: CampaignRef, color: boolean): string {
  return paint(color, sign === "+" ? GREEN : RED, `${sign} ${header(r.id, r.label)} (${r.file})`);
}

/** The whole report as text. */
export function renderReport(r: DiffReport, color = false): string {
  const parts: string[] = [];
  if (r.removed.length > 0 || r.added.length > 0) {
    const lines = ["campaigns"];
    for (const x of r.removed) lines.push(`  ${refLine("-", x, color)}`);
    for (const x of r.added) lines.push(`  ${refLine("+", x, color)}`);
    parts.push(`${lines.join("\n")}\n`);
  }
  if (r.dryRun) parts.push(dryRunHeader(r.dryRun, r.data?.path));
  const notRun = r.dryRun && !r.dryRun.ran ? "see above" : undefined;
  for (const c of r.campaigns) parts.push(renderCampaign(c, color, r.data?.path, notRun));
  if (!r.data && r.campaigns.length > 0) parts.push(`${NO_DATA_NOTE}\n`);
  const s = r.summary;
  const compared = s.changed + s.unchanged;
  parts.push(`${count(compared, "campaign")} compared: ${showNumber(s.changed)} changed, ${showNumber(s.unchanged)} unchanged; ${showNumber(s.added)} added, ${showNumber(s.removed)} removed; ${count(s.warnings, "reassignment warning")}\n`);
  return parts.join("\n");
}
