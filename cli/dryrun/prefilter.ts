/**
 * The pre-filter of a batch campaign's scans in a dry-run. The database holds
 * customers as they were before the run's profile updates, so an audience
 * that reads an updated attribute (say `tier`) cannot select by SQL as it
 * stands: a customer promoted during the run would be missed. Instead of
 * scanning everyone (what `prefilterForPlans` falls back to, far too slow for
 * a daily batch over millions of customers), the audience is *relaxed*: every
 * condition that reads an updated attribute is replaced by the constant that
 * can only let more customers through (true where it counts positively,
 * false under a `not`). The relaxed audience selects a superset of the
 * customers the real one admits on any values of those attributes; the
 * runtime re-checks each record it is given, with the updates laid over.
 */
import { attributesRead, readsNothingOf, type Pred } from "./predicate-tools.ts";
import type { Plan } from "../../compiler/plan/types.ts";
import { readsClock, type Prefilter } from "../../runtime/sources/sqliteCustomers.ts";

/** `pred` with every atom that reads one of `updated` replaced by true (positive) or false (under an odd number of `not`s). */
export function relax(pred: Pred, updated: ReadonlySet<string>): Pred {
  return relaxWhere(pred, (atom) => !readsNothingOf(atom, updated));
}

/** `pred` with every atom for which `drop` holds replaced by the constant that admits more: true, or false under a `not`. */
export function relaxWhere(pred: Pred, drop: (atom: Pred) => boolean, positive = true): Pred {
  switch (pred.k) {
    case "true":
    case "false":
      return pred;
    case "and":
      return { k: "and", args: pred.args.map((a) => relaxWhere(a, drop, positive)) };
    case "or":
      return { k: "or", args: pred.args.map((a) => relaxWhere(a, drop, positive)) };
    case "not":
      return { k: "not", arg: relaxWhere(pred.arg, drop, !positive) };
    case "label":
      return { k: "label", label: pred.label, pred: relaxWhere(pred.pred, drop, positive) };
    default:
      return drop(pred) ? { k: positive ? "true" : "false" } : pred;
  }
}

/**
 * The audience relaxed so that it holds at any instant and on any values of
 * the updated attributes: conditions that read the clock or an updated
 * attribute are dropped. Its SQL selects every customer who could ever match
 * during the run (the event campaigns' candidates).
 */
export function timelessAudience(pred: Pred, updated: ReadonlySet<string>): Pred {
  return relaxWhere(pred, (atom) => readsClock(atom) || !readsNothingOf(atom, updated));
}

/** The `prefilter` option of SqliteCustomerSource for a dry-run's plans. */
export function dryRunPrefilter(plans: readonly Plan[], updated: ReadonlySet<string>): (campaign: string, at?: number) => Prefilter | undefined {
  const relaxed = new Map(plans.map((p) => [p.campaign.id, { plan: p, pred: [...attributesRead(p.audience)].some((a) => updated.has(a)) ? relax(p.audience, updated) : p.audience }]));
  return (campaign, at) => {
    const r = relaxed.get(campaign);
    if (!r) return undefined;
    if (at === undefined && readsClock(r.pred)) return undefined;
    return { pred: r.pred, ctx: { now: at ?? 0, zone: r.plan.catalog.zone } };
  };
}
