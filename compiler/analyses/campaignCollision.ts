/**
 * A014: two campaigns with the same priority that can both take the same
 * customer at the same moment: the same trigger event (or batch schedules
 * that run at the same instant), overlapping windows, and audiences (with
 * trigger conditions) that a customer can satisfy together. Nobody decided
 * which of them goes first.
 */
import { makeDiagnostic } from "../../language/diagnostics/make.ts";
import type { Diagnostic, SuggestedFix } from "../../language/diagnostics/diagnostic.ts";
import { andOf, type Pred } from "../ir/predicate.ts";
import { decide, showWitness } from "../logic/index.ts";
import type { CheckedCampaign } from "../program.ts";
import type { Analysis } from "./index.ts";
import { campaignEnv, clausesOf, conditionsOf } from "./support/conditions.ts";
import { batchZone, fireTimes, showInstant, type BatchTrigger } from "./support/time.ts";

type FireTimes = (t: BatchTrigger, from: number, to: number, zone: string) => { readonly list: readonly number[]; readonly set: ReadonlySet<number> };

/** What the two campaigns share as their entry moment, or undefined. */
function sameEntry(a: CheckedCampaign, b: CheckedCampaign, from: number, to: number, fires: FireTimes): string | undefined {
  const ta = a.plan.trigger;
  const tb = b.plan.trigger;
  if (ta.kind === "event" && tb.kind === "event") return ta.event === tb.event ? `enter on \`${ta.event}\`` : undefined;
  if (ta.kind !== "batch" || tb.kind !== "batch") return undefined;
  const customer = (t: typeof ta): boolean => t.zone.mode === "customer";
  if (customer(ta) !== customer(tb)) return undefined;
  const za = batchZone(ta, a.catalog.zone);
  const fa = fires(ta, from, to, za).set;
  const common = fires(tb, from, to, batchZone(tb, b.catalog.zone)).list.find((t) => fa.has(t));
  return common === undefined ? undefined : `run at the same time (first at ${showInstant(common, za)}${customer(ta) ? " customer time" : ""})`;
}

/**
 * Campaigns that can only collide with each other share this key: the
 * catalog, the priority, and the trigger event (or, for batch schedules,
 * whether they run in customer time).
 */
function pairKey(c: CheckedCampaign): string {
  const t = c.plan.trigger;
  const trigger = t.kind === "event" ? `event ${t.event}` : `batch ${t.zone.mode === "customer" ? "customer" : "fixed"}`;
  return JSON.stringify([c.catalog.name, c.plan.campaign.priority, trigger]);
}

export const campaignCollision: Analysis = {
  name: "campaign-collision",
  run(campaigns) {
    const out: Diagnostic[] = [];
    const ok = campaigns.filter((c) => !c.hasErrors && c.decl.name);
    // Fire times of a schedule in a range, computed once per schedule, zone and range.
    const fireMemo = new Map<string, { list: readonly number[]; set: ReadonlySet<number> }>();
    const fires: FireTimes = (t, from, to, zone) => {
      const key = JSON.stringify([t.once ?? null, t.recurrence ?? null, t.times, zone, from, to]);
      let hit = fireMemo.get(key);
      if (!hit) {
        const list = fireTimes(t, from, to, zone, 5000);
        hit = { list, set: new Set(list) };
        fireMemo.set(key, hit);
      }
      return hit;
    };
    // Pairs are taken in the same order as over all of `ok` (j, then i < j), but only within one key.
    const earlier = new Map<string, CheckedCampaign[]>();
    for (let j = 0; j < ok.length; j++) {
      const b = ok[j] as CheckedCampaign;
      const key = pairKey(b);
      const bucket = earlier.get(key) ?? [];
      earlier.set(key, bucket);
      const n = bucket.length;
      bucket.push(b);
      for (let i = 0; i < n; i++) {
        const a = bucket[i] as CheckedCampaign;
        if (a.catalog.name !== b.catalog.name || a.plan.campaign.priority !== b.plan.campaign.priority) continue;
        if (a.plan.campaign.id === b.plan.campaign.id) continue; // A001
        const from = Math.max(a.plan.campaign.window.start, b.plan.campaign.window.start);
        const to = Math.min(a.plan.campaign.window.end, b.plan.campaign.window.end);
        if (to <= from) continue;
        const entry = sameEntry(a, b, from, to, fires);
        if (!entry) continue;
        const ca = conditionsOf(a);
        const cb = conditionsOf(b);
        const joint: Pred = andOf([ca.audience, cb.audience, ca.trigger, cb.trigger]);
        const r = decide(joint, campaignEnv(a));
        if (r.kind !== "sat") continue;
        const prio = a.plan.campaign.priority;
        const pclause = clausesOf(b.decl, "priority")[0];
        const fixes: SuggestedFix[] = pclause?.value ? [{ title: `raise \`${b.plan.campaign.id}\` to priority ${prio + 1}`, edits: [{ span: pclause.value.span, newText: String(prio + 1) }] }] : [];
        const overlap = showWitness(r.witness);
        out.push(
          makeDiagnostic(
            "A014",
            `\`${b.plan.campaign.id}\` and \`${a.plan.campaign.id}\` both ${entry} with priority ${prio}, and both target customers with \`${overlap}\`; nothing decides which one goes first`,
            pclause?.span ?? b.decl.name?.span ?? b.decl.span,
            {
              related: a.decl.name ? [{ span: a.decl.name.span, message: `\`${a.plan.campaign.id}\` is declared here` }] : [],
              fixes,
              help: "give one of the campaigns a higher `priority`, or make their audiences exclusive",
            },
          ),
        );
      }
    }
    return out;
  },
};
