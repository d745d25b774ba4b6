/**
 * Contact caps: the bank-wide contact policies and a campaign's own caps,
 * over calendar or rolling periods, per channel or across channels.
 * `checkCaps` says whether one more touch on `channel` at `at` is allowed
 * and, when it is not, which rule stopped it and when it would be allowed.
 */
import type { PeriodPlan, Plan, RateLimitPlan } from "../../compiler/plan/types.ts";
import type { ContactRecord } from "../store/types.ts";
import { periodBounds } from "../time/local.ts";

export interface CapRule {
  readonly limit: RateLimitPlan;
  /** `policy marketing` or `campaign payroll_login_wealth`. */
  readonly source: string;
  /** Which campaigns' contacts count toward it. */
  readonly counts: (contact: ContactRecord) => boolean;
}

export type CapVerdict = { readonly allowed: true } | { readonly allowed: false; readonly rule: string; readonly allowedAt: number; readonly policy: boolean };

const UNIT_MS = { minute: 60_000, hour: 3_600_000, day: 86_400_000, week: 604_800_000 } as const;

/** Where the counting window of a period starts, and when it would next free a slot. */
function windowOf(period: PeriodPlan, at: number): { since: number; end?: number; length?: number } {
  if (period.kind === "calendar") {
    const b = periodBounds(at, period.unit, period.zone);
    return { since: b.start, end: b.end };
  }
  const length = period.amount * UNIT_MS[period.unit];
  return { since: at - length + 1, length };
}

export function describeLimit(l: RateLimitPlan): string {
  const p = l.period.kind === "calendar" ? `per ${l.period.unit}` : `per rolling ${l.period.amount} ${l.period.unit}${l.period.amount === 1 ? "" : "s"}`;
  const s = l.scope.mode === "across" ? "across all channels" : l.scope.mode === "each" ? "per channel" : `on ${l.scope.channels.join(", ")}`;
  return `${l.count} ${p} ${s}`;
}

/** The rules that apply to a touch of `plan`, given all plans (for policy membership). */
export function capRules(plan: Plan, plansById: ReadonlyMap<string, Plan>): CapRule[] {
  const rules: CapRule[] = [];
  for (const policyName of plan.policies) {
    const policy = plan.catalog.policies.find((p) => p.name === policyName);
    if (!policy) continue;
    for (const limit of policy.limits) {
      rules.push({
        limit,
        source: `policy ${policyName}`,
        counts: (c) => plansById.get(c.campaign)?.policies.includes(policyName) ?? true,
      });
    }
  }
  for (const limit of plan.caps) rules.push({ limit, source: `campaign ${plan.campaign.id}`, counts: (c) => c.campaign === plan.campaign.id });
  return rules;
}

/** The longest look-back any rule needs, to fetch contacts once. */
export function lookBack(rules: readonly CapRule[], at: number): number {
  let since = at;
  for (const r of rules) since = Math.min(since, windowOf(r.limit.period, at).since);
  return since;
}

export function checkCaps(rules: readonly CapRule[], contacts: readonly ContactRecord[], channel: string, at: number): CapVerdict {
  for (const r of rules) {
    const scope = r.limit.scope;
    if (scope.mode === "list" && !scope.channels.includes(channel)) continue;
    const w = windowOf(r.limit.period, at);
    const relevant = contacts.filter((c) => r.counts(c) && (scope.mode === "across" || (scope.mode === "each" ? c.channel === channel : scope.channels.includes(c.channel))));
    let allowedAt: number | undefined;
    if (w.end !== undefined) {
      // Calendar: every touch of the period counts, also one already decided for a later instant of it
      // (a late input or a timer run after an input can decide a touch before one already sent).
      const end = w.end;
      const counted = relevant.filter((c) => c.at >= w.since && c.at < end);
      if (counted.length >= r.limit.count) allowedAt = end;
    } else {
      // Rolling: the touch must fit in every window that would contain it: the one ending now and
      // each one ending at a touch already decided for a later instant less than a window away.
      const length = w.length ?? 0;
      const times = relevant.map((c) => c.at).sort((a, b) => a - b);
      const ends = [at, ...times.filter((s) => s > at && s - length + 1 <= at)];
      for (const s of ends) {
        const inWindow = times.filter((x) => x >= s - length + 1 && x <= s);
        if (inWindow.length < r.limit.count) continue;
        // Ending now: one slot frees when the oldest contact that keeps the count at the limit leaves.
        // Ending later: not before that later touch.
        allowedAt = s === at ? (inWindow[inWindow.length - r.limit.count] ?? at) + length : s + 1;
        break;
      }
    }
    if (allowedAt === undefined) continue;
    return { allowed: false, rule: `${r.source}: ${describeLimit(r.limit)}`, allowedAt: Math.max(allowedAt, at + 1), policy: r.source.startsWith("policy") };
  }
  return { allowed: true };
}
