/**
 * `campaign diff --data`: the dry-run deltas, end to end on a generated bank
 * (`campaign sample-data --customers 2000 --days 30 --seed 1`).
 *
 * Two versions of two example campaigns: the new one widens
 * payroll_login_wealth's audience, moves pension_care's first wave from SMS
 * to WeChat, adds a fourth wave and halves its budget. Every number of the
 * diff's dry-run part is checked against `campaign dry-run --json` run
 * separately on each side (old, new, and the difference); `--from`/`--to`
 * are passed through; a diff of a side with itself gives equal numbers (the
 * two runs share no state).
 */
import { spawn } from "node:child_process";
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reportSchema, type CampaignReport, type DryRunReport } from "../../cli/dryrun/schema.ts";
import type { CampaignDryRun, Delta, DiffReport, DryRunSummary } from "../../cli/diff/types.ts";
import { repoRoot } from "./run.ts";

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The CLI as a child process, without colour (asynchronous, so the runs below go in parallel). */
function cli(args: readonly string[], cwd: string): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
  delete env["FORCE_COLOR"];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, "bin", "campaign.js"), ...args], { cwd, env });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

function edit(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`no ${JSON.stringify(from)} to edit`);
  return text.replace(from, to);
}

const CAMPAIGNS = ["payroll_login_wealth", "pension_care"] as const;
const FROM = "2026-12-05";
const TO = "2026-12-20";

let dir: string;
let diff: DiffReport;
let text: string;
let dryOld: DryRunReport;
let dryNew: DryRunReport;
let same: DiffReport;
let sameText: string;
let periodDiff: DiffReport;
let periodOld: DryRunReport;
let periodNew: DryRunReport;

function ok(r: Run): string {
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "campaign-diff-dryrun-"));
  const gen = await cli(["sample-data", "--customers", "2000", "--days", "30", "--seed", "1", "-o", "bank.db"], dir);
  expect(gen.status, gen.stderr).toBe(0);
  for (const side of ["old", "new"]) {
    mkdirSync(join(dir, side));
    cpSync(join(repoRoot, "examples", "catalog"), join(dir, side, "catalog"), { recursive: true });
    cpSync(join(repoRoot, "examples", "segments"), join(dir, side, "segments"), { recursive: true });
    for (const c of CAMPAIGNS) copyFileSync(join(repoRoot, "examples", `${c}.campaign`), join(dir, side, `${c}.campaign`));
  }
  const payroll = join(dir, "new", "payroll_login_wealth.campaign");
  writeFileSync(payroll, edit(readFileSync(payroll, "utf8"), "and aum between 10k and 200k", "and aum between 1k and 500k"));
  const pension = join(dir, "new", "pension_care.campaign");
  let p = readFileSync(pension, "utf8");
  p = edit(p, '1. sms "pension_arrival_care" now', '1. wechat "pension_arrival_care" now');
  p = edit(p, '3. rm_task "pension_visit" after 5 days unless converted, only aum >= 200k', '3. rm_task "pension_visit" after 5 days unless converted, only aum >= 200k\n    4. sms "pension_reminder" after 7 days unless converted');
  p = edit(p, "budget 50k total, 10k per month", "budget 25k total, 10k per month");
  writeFileSync(pension, p);

  const runs = await Promise.all([
    cli(["diff", "old", "new", "--data", "bank.db", "--json"], dir),
    cli(["diff", "old", "new", "--data", "bank.db"], dir),
    cli(["dry-run", "old", "--data", "bank.db", "--json"], dir),
    cli(["dry-run", "new", "--data", "bank.db", "--json"], dir),
    cli(["diff", "old", "old", "--data", "bank.db", "--json"], dir),
    cli(["diff", "old", "old", "--data", "bank.db"], dir),
    cli(["diff", "old", "new", "--data", "bank.db", "--from", FROM, "--to", TO, "--json"], dir),
    cli(["dry-run", "old", "--data", "bank.db", "--from", FROM, "--to", TO, "--json"], dir),
    cli(["dry-run", "new", "--data", "bank.db", "--from", FROM, "--to", TO, "--json"], dir),
  ]);
  const out = runs.map(ok);
  diff = JSON.parse(out[0] ?? "") as DiffReport;
  text = out[1] ?? "";
  dryOld = reportSchema.parse(JSON.parse(out[2] ?? ""));
  dryNew = reportSchema.parse(JSON.parse(out[3] ?? ""));
  same = JSON.parse(out[4] ?? "") as DiffReport;
  sameText = out[5] ?? "";
  periodDiff = JSON.parse(out[6] ?? "") as DiffReport;
  periodOld = reportSchema.parse(JSON.parse(out[7] ?? ""));
  periodNew = reportSchema.parse(JSON.parse(out[8] ?? ""));
}, 600_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function campaignOf(r: DryRunReport, id: string): CampaignReport {
  const c = r.campaigns.find((x) => x.id === id);
  if (!c) throw new Error(`the dry-run has no campaign ${id}`);
  return c;
}

function dryRunOf(r: DiffReport, id: string): CampaignDryRun {
  const c = r.campaigns.find((x) => x.id === id)?.dryRun;
  if (!c) throw new Error(`the diff has no dry-run for ${id}`);
  return c;
}

/** The delta the diff should report for two numbers of the separate runs. */
function expected(a: number, b: number, money = false): Delta {
  const difference = money ? Math.round((b - a) * 100) / 100 : b - a;
  return { old: a, new: b, difference, relative: a === 0 ? null : difference / a };
}

function expectedByName(a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>, money = false): Record<string, Delta> {
  const out: Record<string, Delta> = {};
  for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) out[k] = expected(a[k] ?? 0, b[k] ?? 0, money);
  return out;
}

function benefitCosts(c: CampaignReport): Record<string, number> {
  return Object.fromEntries(c.payouts.byBenefit.map((b) => [b.benefit, b.cost]));
}

/** Every number of a campaign's dry-run deltas against the two separate reports. */
function expectConsistent(d: CampaignDryRun, a: CampaignReport, b: CampaignReport): void {
  expect(d.audience).toEqual({ ...expected(a.audience.size, b.audience.size), definition: { old: a.audience.definition, new: b.audience.definition } });
  expect(d.entries).toEqual({ total: expected(a.entries.total, b.entries.total), treated: expected(a.entries.treated, b.entries.treated), holdout: expected(a.entries.holdout, b.entries.holdout) });
  expect(d.touches).toEqual({ total: expected(a.touches.total, b.touches.total), byChannel: expectedByName(a.touches.byChannel, b.touches.byChannel) });
  expect(d.cost).toEqual({
    total: expected(a.cost.total, b.cost.total, true),
    touches: expected(a.cost.touches, b.cost.touches, true),
    byChannel: expectedByName(a.cost.byChannel, b.cost.byChannel, true),
    benefits: expected(a.cost.benefits, b.cost.benefits, true),
    byBenefit: expectedByName(benefitCosts(a), benefitCosts(b), true),
  });
  const ba = a.budget;
  const bb = b.budget;
  if (!ba || !bb) throw new Error("both example campaigns have budgets");
  expect(d.budget?.spent).toEqual(expected(ba.spent, bb.spent, true));
  for (const [side, r] of [[d.budget?.old, ba], [d.budget?.new, bb]] as const) {
    const last = r.byDay[r.byDay.length - 1];
    expect(side).toEqual({
      total: r.total,
      pacing: r.pacing,
      spent: r.spent,
      burn: r.burn,
      endOfPeriod: { day: last?.day, cumulative: last?.cumulative, pacingLine: last?.pacingLine, ofPacing: last?.pacingLine ? (last.cumulative / last.pacingLine) : null },
    });
  }
  expect(d.budget?.burn).toEqual(ba.burn !== null && bb.burn !== null ? expected(ba.burn, bb.burn) : null);
}

function expectTotals(s: DryRunSummary, a: DryRunReport, b: DryRunReport): void {
  expect(s.period).toEqual({ from: b.period.from, to: b.period.to, fromMs: b.period.fromMs, toMs: b.period.toMs, days: b.period.days.length });
  expect(a.period).toEqual(b.period);
  expect(s.campaigns).toEqual({ old: a.campaigns.length, new: b.campaigns.length });
  expect(s.totals).toEqual({
    entries: expected(a.totals.entries, b.totals.entries),
    touches: expected(a.totals.touches, b.totals.touches),
    touchesByChannel: expectedByName(a.totals.touchesByChannel, b.totals.touchesByChannel),
    cost: expected(a.totals.cost, b.totals.cost, true),
    touchCost: expected(a.totals.touchCost, b.totals.touchCost, true),
    costByChannel: expectedByName(a.totals.costByChannel, b.totals.costByChannel, true),
    benefitCost: expected(a.totals.benefitCost, b.totals.benefitCost, true),
  });
  expect(s.warnings).toEqual({ old: a.warnings, new: b.warnings });
}

describe("campaign diff --data: dry-run deltas", () => {
  it("equal the difference of `campaign dry-run` run separately on each side, campaign by campaign and in total", () => {
    expect(diff.dryRun?.ran).toBe(true);
    expectTotals(diff.dryRun as DryRunSummary, dryOld, dryNew);
    for (const id of CAMPAIGNS) expectConsistent(dryRunOf(diff, id), campaignOf(dryOld, id), campaignOf(dryNew, id));
  });

  it("show what each change does: a wider audience, a channel changed, a wave added, a smaller budget", () => {
    const payroll = dryRunOf(diff, "payroll_login_wealth");
    expect(diff.campaigns.find((c) => c.id === "payroll_login_wealth")?.data?.reach.difference).toBeGreaterThan(0);
    expect(payroll.changed).toBe(true);
    expect(payroll.audience.difference).toBeGreaterThan(0);
    expect(payroll.entries.total.difference).toBeGreaterThan(0);
    const pension = dryRunOf(diff, "pension_care");
    expect(pension.changed).toBe(true);
    expect(pension.entries.total.difference).toBe(0); // the audience and trigger did not change
    expect(pension.touches.byChannel["wechat"]?.old).toBe(0);
    expect(pension.touches.byChannel["wechat"]?.new).toBeGreaterThan(0);
    expect(pension.touches.total.difference).toBeGreaterThan(0);
    // Half the total: the same spend burns twice the share of it.
    expect(pension.budget?.old?.total).toBe(50_000);
    expect(pension.budget?.new?.total).toBe(25_000);
    expect(pension.budget?.spent.old).toBeGreaterThan(0);
    expect(pension.budget?.burn?.new).toBeGreaterThan(pension.budget?.burn?.old ?? Infinity);
  });

  it("prints the period, the totals and a table per campaign", () => {
    const t = dryOld.totals;
    const u = dryNew.totals;
    expect(text).toContain(`dry-run over bank.db, ${dryNew.period.from} .. ${dryNew.period.to} (${dryNew.period.days.length} days), the same data and period for both sides`);
    expect(text).toContain(`  all campaigns: entries ${t.entries.toLocaleString("en")} → ${u.entries.toLocaleString("en")}`);
    expect(text).toMatch(/^ {4}dry-run +old +new +difference$/m);
    const pensionOld = campaignOf(dryOld, "pension_care");
    const pensionNew = campaignOf(dryNew, "pension_care");
    const wechat = pensionNew.touches.byChannel["wechat"] ?? 0;
    expect(text).toMatch(new RegExp(`^ {6}wechat +0 +${wechat.toLocaleString("en")} +\\+${wechat.toLocaleString("en")}$`, "m"));
    const d = pensionNew.touches.total - pensionOld.touches.total;
    expect(text).toMatch(new RegExp(`^ {4}touches +${pensionOld.touches.total} +${pensionNew.touches.total} +\\+${d}, \\+${((d / pensionOld.touches.total) * 100).toFixed(1)}%$`, "m"));
    expect(text).toMatch(/^ {4}budget total +50,000\.00 +25,000\.00 +−25,000\.00, −50\.0%$/m);
    expect(text).toMatch(/^ {4}spent \/ pacing line +\d+\.\d% +\d+\.\d% +[+−±]\d+\.\d pp$/m);
  });

  it("a side diffed with itself: the same numbers on both sides, equal to a separate dry-run (the two runs share no state)", () => {
    expect(same.dryRun?.ran).toBe(true);
    expectTotals(same.dryRun as DryRunSummary, dryOld, dryOld);
    for (const id of CAMPAIGNS) {
      const d = dryRunOf(same, id);
      expect(d.changed).toBe(false);
      expectConsistent(d, campaignOf(dryOld, id), campaignOf(dryOld, id));
    }
    const c = campaignOf(dryOld, "pension_care");
    expect(sameText).toContain(`    dry-run: the same on both sides: audience ${c.audience.size}, entries ${c.entries.total}, touches ${c.touches.total}, cost ${c.cost.total.toFixed(2)}`);
  });

  it("passes --from and --to through to both dry-runs", () => {
    expect(periodOld.period.days[0]).toBe(FROM);
    expect(periodOld.period.days[periodOld.period.days.length - 1]).toBe(TO);
    expectTotals(periodDiff.dryRun as DryRunSummary, periodOld, periodNew);
    for (const id of CAMPAIGNS) expectConsistent(dryRunOf(periodDiff, id), campaignOf(periodOld, id), campaignOf(periodNew, id));
  });
});
