/**
 * Budgets: a total and per-period limits on benefit spend, with pacing.
 * A payout is allowed only if, after it, no limit is exceeded; the spend is
 * reserved in the same transaction as the payout's outbox row, so a budget
 * is never overspent, whatever the arrival order or a crash.
 *
 * Pacing caps cumulative spend by time: `even` allows total × (elapsed share
 * of the window); a curve of N shares splits the window into N equal parts
 * and allows total × (sum of shares up to the current part). At least one
 * payout is always allowed by pacing, so a campaign can start.
 */
import type { Plan } from "../../compiler/plan/types.ts";
import type { Store } from "../store/types.ts";
import { periodKey } from "../time/local.ts";

export type BudgetVerdict = { readonly ok: true; readonly reservations: readonly { key: string; amount: number }[] } | { readonly ok: false; readonly rule: string };

/** Spend allowed by pacing at `at` (Infinity when there is no pacing or no total). */
export function pacingAllowance(plan: Plan, at: number): number {
  const b = plan.budget;
  if (!b || b.total === undefined || b.pacing.mode === "none") return Number.POSITIVE_INFINITY;
  const { start, end } = plan.campaign.window;
  const span = Math.max(1, end - start);
  const elapsed = Math.min(1, Math.max(0, (at - start) / span));
  if (b.pacing.mode === "even") return b.total * elapsed;
  const parts = b.pacing.curve.length;
  const idx = Math.min(parts - 1, Math.floor(elapsed * parts));
  let share = 0;
  for (let i = 0; i <= idx; i++) share += b.pacing.curve[i] ?? 0;
  return b.total * share;
}

export function checkBudget(plan: Plan, store: Store, at: number, cost: number): BudgetVerdict {
  const b = plan.budget;
  if (!b || cost <= 0) return { ok: true, reservations: [] };
  const id = plan.campaign.id;
  const reservations: { key: string; amount: number }[] = [];
  const totalUsed = store.budgetUsed(id, "total");
  if (b.total !== undefined) {
    if (totalUsed + cost > b.total + 1e-9) return { ok: false, rule: `budget ${b.total} total` };
    const allowance = pacingAllowance(plan, at);
    if (totalUsed > 0 && totalUsed + cost > allowance + 1e-9) return { ok: false, rule: `budget pacing (${b.pacing.mode}): ${round(allowance)} allowed by now` };
  }
  reservations.push({ key: "total", amount: cost });
  for (const p of b.perPeriod) {
    if (p.period.kind !== "calendar") continue;
    const key = `${p.period.unit}:${periodKey(at, p.period.unit, p.period.zone)}`;
    if (store.budgetUsed(id, key) + cost > p.amount + 1e-9) return { ok: false, rule: `budget ${p.amount} per ${p.period.unit}` };
    reservations.push({ key, amount: cost });
  }
  return { ok: true, reservations };
}

/** Whether the budget is spent so far that nothing more can be paid (for `when spent: stop entry`). */
export function budgetExhausted(plan: Plan, store: Store, at: number): boolean {
  const b = plan.budget;
  if (!b) return false;
  if (b.total !== undefined && store.budgetUsed(plan.campaign.id, "total") >= b.total - 1e-9) return true;
  for (const p of b.perPeriod) {
    if (p.period.kind !== "calendar") continue;
    if (store.budgetUsed(plan.campaign.id, `${p.period.unit}:${periodKey(at, p.period.unit, p.period.zone)}`) >= p.amount - 1e-9) return true;
  }
  return false;
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
