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
 */
import { showNumber } from "../../compiler/interp/describe.ts";
import type { CampaignDiff, CampaignRef, Change, CountedMove, DataComparison, DiffReport } from "./types.ts";

const RED = "\u001b[31m";
const GREEN = "\u001b[32m";
const YELLOW = "\u001b[33m";
const BOLD = "\u001b[1m";
const RESET = "\u001b[0m";

/** What journeys in progress do, said once under the reassignment warnings. */
export const REASSIGNMENT_NOTE = "journeys in progress keep their group and variant; every assignment made under the new plan (new entries and re-entries) follows the new rule";

/** Said under `--data` until the dry-run exists. */
export const DRY_RUN_NOTE = "dry-run deltas (touches, cost, budget burn): not available yet; they come with `campaign dry-run`";

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
  out.push(DRY_RUN_NOTE);
  return out;
}

function header(id: string, label: string | undefined): string {
  return `campaign ${id}${label !== undefined ? ` ${JSON.stringify(label)}` : ""}`;
}

/** One matched campaign as text (ending with a newline). */
export function renderCampaign(c: CampaignDiff, color: boolean, dataPath?: string): string {
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
  for (const c of r.campaigns) parts.push(renderCampaign(c, color, r.data?.path));
  const s = r.summary;
  const compared = s.changed + s.unchanged;
  parts.push(`${count(compared, "campaign")} compared: ${showNumber(s.changed)} changed, ${showNumber(s.unchanged)} unchanged; ${showNumber(s.added)} added, ${showNumber(s.removed)} removed; ${count(s.warnings, "reassignment warning")}\n`);
  return parts.join("\n");
}
