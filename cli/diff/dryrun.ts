/**
 * `campaign diff --data`: the dry-run deltas. Both sides are dry-run over the
 * same database and period (the command runs them, cli/commands/diff.ts, with
 * cli/dryrun/run.ts); this module compares the two reports, campaign by
 * campaign and in total, and does no file access.
 *
 * Every number is read from the dry-run reports as they are: audience size,
 * entries, touches (total and per channel), cost (total, touches per channel,
 * benefits per benefit), budget spent and burn, and the end-of-period
 * cumulative spend against the pacing line (the budget's last day in the
 * period). A name on one side only (a channel, a benefit) counts 0 on the
 * other.
 */
import type { CampaignReport, DryRunReport } from "../dryrun/schema.ts";
import type { BudgetSide, CampaignDryRun, Delta, DryRunSummary } from "./types.ts";

/** Money in the dry-run is rounded to cents; differences are too, so no float noise shows. */
function cents(x: number): number {
  return Math.round(x * 100) / 100;
}

/** old → new with the difference (new − old) and the relative change ((new − old) / old; null when old is 0). */
export function delta(oldValue: number, newValue: number, money = false): Delta {
  const difference = money ? cents(newValue - oldValue) : newValue - oldValue;
  return { old: oldValue, new: newValue, difference, relative: oldValue === 0 ? null : difference / oldValue };
}

/** Deltas by name over the union of both sides' names (sorted); a name missing on a side counts 0. */
function byName(a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>, money = false): Record<string, Delta> {
  const out: Record<string, Delta> = {};
  for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) out[k] = delta(a[k] ?? 0, b[k] ?? 0, money);
  return out;
}

function benefitCosts(r: CampaignReport): Record<string, number> {
  const out: Record<string, number> = {};
  for (const b of r.payouts.byBenefit) out[b.benefit] = (out[b.benefit] ?? 0) + b.cost;
  return out;
}

function budgetSide(r: CampaignReport): BudgetSide | null {
  const b = r.budget;
  if (!b) return null;
  const last = b.byDay[b.byDay.length - 1];
  const cumulative = last?.cumulative ?? b.spent;
  const pacingLine = last?.pacingLine ?? null;
  return {
    total: b.total,
    pacing: b.pacing,
    spent: b.spent,
    burn: b.burn,
    endOfPeriod: {
      day: last?.day ?? null,
      cumulative,
      pacingLine,
      ofPacing: pacingLine !== null && pacingLine > 0 ? cumulative / pacingLine : null,
    },
  };
}

/** Whether any delta in a tree of deltas has a difference. */
function anyDifference(x: unknown): boolean {
  if (typeof x !== "object" || x === null) return false;
  if ("difference" in x && typeof (x as { difference: unknown }).difference === "number") return (x as Delta).difference !== 0;
  return Object.values(x).some(anyDifference);
}

/** One campaign's dry-run, old → new. */
export function campaignDryRun(a: CampaignReport, b: CampaignReport): CampaignDryRun {
  const oldBudget = budgetSide(a);
  const newBudget = budgetSide(b);
  const spentOf = (r: CampaignReport): number => r.budget?.spent ?? r.cost.benefits;
  const budget =
    oldBudget || newBudget
      ? {
          old: oldBudget,
          new: newBudget,
          spent: delta(spentOf(a), spentOf(b), true),
          burn: oldBudget?.burn != null && newBudget?.burn != null ? delta(oldBudget.burn, newBudget.burn) : null,
          endOfPeriodOfPacing: oldBudget?.endOfPeriod.ofPacing != null && newBudget?.endOfPeriod.ofPacing != null ? delta(oldBudget.endOfPeriod.ofPacing, newBudget.endOfPeriod.ofPacing) : null,
        }
      : null;
  const numbers = {
    audience: { ...delta(a.audience.size, b.audience.size), definition: { old: a.audience.definition, new: b.audience.definition } },
    entries: { total: delta(a.entries.total, b.entries.total), treated: delta(a.entries.treated, b.entries.treated), holdout: delta(a.entries.holdout, b.entries.holdout) },
    touches: { total: delta(a.touches.total, b.touches.total), byChannel: byName(a.touches.byChannel, b.touches.byChannel) },
    cost: {
      total: delta(a.cost.total, b.cost.total, true),
      touches: delta(a.cost.touches, b.cost.touches, true),
      byChannel: byName(a.cost.byChannel, b.cost.byChannel, true),
      benefits: delta(a.cost.benefits, b.cost.benefits, true),
      byBenefit: byName(benefitCosts(a), benefitCosts(b), true),
    },
    budget,
  };
  const budgetChanged = budget !== null && (anyDifference(budget) || budget.old?.total !== budget.new?.total || budget.old?.pacing !== budget.new?.pacing || (budget.old === null) !== (budget.new === null));
  return { changed: anyDifference({ ...numbers, budget: null }) || budgetChanged, ...numbers };
}

/** The report-level part: the period, totals over every campaign of each side, and each side's warnings. */
export function dryRunSummary(a: DryRunReport, b: DryRunReport): DryRunSummary {
  const t = a.totals;
  const u = b.totals;
  return {
    ran: true,
    period: { from: b.period.from, to: b.period.to, fromMs: b.period.fromMs, toMs: b.period.toMs, days: b.period.days.length },
    campaigns: { old: a.campaigns.length, new: b.campaigns.length },
    totals: {
      entries: delta(t.entries, u.entries),
      touches: delta(t.touches, u.touches),
      touchesByChannel: byName(t.touchesByChannel, u.touchesByChannel),
      cost: delta(t.cost, u.cost, true),
      touchCost: delta(t.touchCost, u.touchCost, true),
      costByChannel: byName(t.costByChannel, u.costByChannel, true),
      benefitCost: delta(t.benefitCost, u.benefitCost, true),
    },
    warnings: { old: [...a.warnings], new: [...b.warnings] },
  };
}

/** A matched campaign's dry-run deltas from both reports, or null when a report lacks it (it cannot: both sides ran it). */
export function campaignDryRunOf(id: string, a: DryRunReport, b: DryRunReport): CampaignDryRun | null {
  const x = a.campaigns.find((c) => c.id === id);
  const y = b.campaigns.find((c) => c.id === id);
  return x && y ? campaignDryRun(x, y) : null;
}
