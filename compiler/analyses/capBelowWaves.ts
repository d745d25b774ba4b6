/**
 * A005: a campaign cap, or a limit of a contact policy the campaign is
 * subject to, allows fewer touches in a period than the campaign's own waves
 * send to one customer in such a period: some waves are always capped.
 */
import { makeDiagnostic } from "../../language/diagnostics/make.ts";
import type { Diagnostic, RelatedSpan } from "../../language/diagnostics/diagnostic.ts";
import type { Span } from "../../language/span.ts";
import type { ChannelScopePlan, PeriodPlan, Plan } from "../plan/types.ts";
import type { Analysis } from "./index.ts";
import { clausesOf } from "./support/conditions.ts";
import { DAY, entryCandidates, maxInPeriod, showInstant, showPeriod, waveTimes } from "./support/time.ts";

interface Limit {
  readonly count: number;
  readonly period: PeriodPlan;
  readonly scope: ChannelScopePlan;
  readonly span?: Span;
  readonly policy?: { readonly name: string; readonly span: Span };
}

/** Channel groups a limit counts separately: one group, or one per channel for `each`. */
export function scopeGroups(scope: ChannelScopePlan, plan: Plan): { label: string; channels: ReadonlySet<string> | undefined }[] {
  if (scope.mode === "across") return [{ label: "across all channels", channels: undefined }];
  if (scope.mode === "list") return [{ label: `on ${scope.channels.map((c) => `\`${c}\``).join(", ")}`, channels: new Set(scope.channels) }];
  const used = [...new Set(plan.waves.flatMap((w) => w.touches.map((t) => t.channel)))];
  return used.map((ch) => ({ label: `on \`${ch}\``, channels: new Set([ch]) }));
}

/** Whether a wave's touch surely counts: every channel it may use is counted. */
export function waveCounts(touches: readonly { channel: string }[], channels: ReadonlySet<string> | undefined): boolean {
  return touches.length > 0 && touches.every((t) => !channels || channels.has(t.channel));
}

function waveList(ns: readonly number[]): string {
  const w = ns.map((n) => String(n));
  return w.length <= 1 ? `wave ${w.join("")}` : `waves ${w.slice(0, -1).join(", ")} and ${w[w.length - 1]}`;
}

interface Journey {
  readonly entry: number;
  readonly times: readonly number[];
}

interface Worst {
  readonly count: number;
  readonly waves: readonly number[];
  readonly entry: number;
}

/**
 * What the journeys of a campaign depend on: its zone, window, the trigger's
 * schedule (event triggers all enter hourly) and each wave's delay and clock
 * time. Campaigns of one shape have the same journeys.
 */
function journeyShape(plan: Plan, zone: string): string {
  const t = plan.trigger;
  const trigger = t.kind === "batch" ? [t.once ?? null, t.recurrence ?? null, t.times, t.zone] : t.kind;
  return JSON.stringify([zone, plan.campaign.window.start, plan.campaign.window.end, trigger, plan.waves.map((w) => [w.delay.amount, w.delay.unit, w.at ?? null])]);
}

/** The entry (of `journeys`) whose counted waves crowd one period the most. */
function worstEntry(journeys: readonly Journey[], counted: readonly number[], period: PeriodPlan, end: number): Worst | undefined {
  let best: Worst | undefined;
  for (const j of journeys) {
    const idx = counted.filter((i) => (j.times[i] as number) < end);
    const r = maxInPeriod(
      idx.map((i) => j.times[i] as number),
      period,
    );
    if (!best || r.count > best.count) best = { count: r.count, waves: r.members.map((m) => (idx[m] as number) + 1), entry: j.entry };
  }
  return best;
}

export const capBelowWaves: Analysis = {
  name: "cap-below-waves",
  run(campaigns) {
    const out: Diagnostic[] = [];
    // Per shape (see journeyShape): the journeys, and the worst entry per counted waves and period.
    const journeysByShape = new Map<string, readonly Journey[]>();
    const worstByShape = new Map<string, Worst | undefined>();
    for (const c of campaigns) {
      // With `when capped: defer` the author chose to send capped touches later: not reported.
      if (c.hasErrors || c.plan.waves.length === 0 || c.plan.cappedAction === "defer") continue;
      const { plan } = c;
      const zone = c.catalog.zone;
      const declLimits = clausesOf(c.decl, "cap").flatMap((cl) => cl.limits);
      const limits: Limit[] = plan.caps.map((cap, i) => ({ ...cap, ...(declLimits.length === plan.caps.length && declLimits[i] ? { span: declLimits[i].span } : {}) }));
      for (const name of plan.policies) {
        const pol = c.catalog.policies.get(name);
        for (const l of pol?.limits ?? []) limits.push({ count: l.count, period: l.period, scope: l.scope, span: l.span, policy: { name, span: l.span } });
      }
      if (limits.length === 0) continue;
      const win = plan.campaign.window;
      const shape = journeyShape(plan, zone);
      let journeys: readonly Journey[] | undefined;
      const journeysOf = (): readonly Journey[] => {
        journeys ??= journeysByShape.get(shape);
        if (!journeys) {
          journeys = entryCandidates(plan, win.start, win.start + 36 * DAY, zone).map((e) => ({ entry: e, times: waveTimes(plan, e, zone) }));
          journeysByShape.set(shape, journeys);
        }
        return journeys;
      };
      const wavesClause = clausesOf(c.decl, "waves")[0];
      for (const lim of limits) {
        for (const g of scopeGroups(lim.scope, plan)) {
          const counted = plan.waves.map((w, i) => (waveCounts(w.touches, g.channels) ? i : -1)).filter((i) => i >= 0);
          if (counted.length <= lim.count) continue;
          const key = `${shape}|${counted.join(",")}|${JSON.stringify(lim.period)}`;
          let best = worstByShape.get(key);
          if (!worstByShape.has(key)) {
            best = worstEntry(journeysOf(), counted, lim.period, win.end);
            worstByShape.set(key, best);
          }
          if (!best || best.count <= lim.count) continue;
          const what = `${lim.count} touch${lim.count === 1 ? "" : "es"} per ${showPeriod(lim.period)} ${g.label}`;
          const when = `for a customer who enters at ${showInstant(best.entry, zone)}`;
          const action = plan.cappedAction === "drop" ? "the touches over the limit are dropped" : "the touches over the limit move to the next channel";
          const related: RelatedSpan[] = [];
          for (const n of best.waves) {
            const d = wavesClause?.waves[n - 1];
            if (d) related.push({ span: d.span, message: `wave ${n}` });
          }
          if (lim.policy) {
            out.push(
              makeDiagnostic("A005", `contact policy \`${lim.policy.name}\` allows ${what}, but ${waveList(best.waves)} of this campaign send ${best.count} in one ${showPeriod(lim.period)} (${when}); ${action}`, wavesClause?.span ?? c.decl.span, {
                related: [{ span: lim.policy.span, message: `the limit of policy \`${lim.policy.name}\`` }, ...related],
                help: "space the waves out, or send fewer of them",
              }),
            );
          } else {
            out.push(
              makeDiagnostic("A005", `this cap allows ${what}, but ${waveList(best.waves)} send ${best.count} in one ${showPeriod(lim.period)} (${when}); ${action}`, lim.span ?? wavesClause?.span ?? c.decl.span, {
                related,
                help: "raise the cap, or space the waves out",
              }),
            );
          }
        }
      }
    }
    return out;
  },
};
