/**
 * A plan with its predicates compiled once (compiler/codegen/js) and bound
 * to an evaluation instant on demand. The runtime evaluates every condition
 * through this, never through the AST.
 */
import { IANAZone } from "luxon";
import { compilePredicate } from "../../compiler/codegen/js.ts";
import { valueOf } from "../../compiler/interp/interpret.ts";
import type { CustomerRecord, EventFields, Pred, RuntimeValue, ValueExpr } from "../../compiler/ir/predicate.ts";
import type { Plan } from "../../compiler/plan/types.ts";

type Bound = (customer: CustomerRecord, fields?: EventFields) => boolean;

/** A compiled predicate that re-binds only when the instant changes. */
function bindable(pred: Pred, zone: string): (customer: CustomerRecord, fields: EventFields, at: number) => boolean {
  if (pred.k === "true") return () => true;
  const compiled = compilePredicate(pred);
  let boundAt = Number.NaN;
  let bound: Bound | undefined;
  return (customer, fields, at) => {
    let b = bound;
    if (at !== boundAt || !b) {
      b = compiled({ now: at, zone });
      bound = b;
      boundAt = at;
    }
    return b(customer, fields);
  };
}

export interface CompiledPlan {
  readonly plan: Plan;
  audience(customer: CustomerRecord, at: number): boolean;
  triggerCondition(customer: CustomerRecord, fields: EventFields, at: number): boolean;
  absenceCondition(customer: CustomerRecord, fields: EventFields, at: number): boolean;
  goalCondition(customer: CustomerRecord, fields: EventFields, at: number): boolean;
  exitCondition(index: number, customer: CustomerRecord, fields: EventFields, at: number): boolean;
  waveCondition(wave: number, customer: CustomerRecord, triggerFields: EventFields, at: number): boolean;
  tierCondition(index: number, customer: CustomerRecord, fields: EventFields, at: number): boolean;
  policyExcludes(policy: string, customer: CustomerRecord, at: number): boolean;
  value(v: ValueExpr, customer: CustomerRecord, fields: EventFields, at: number): RuntimeValue;
  isZone(zone: string): boolean;
}

export function compilePlan(plan: Plan): CompiledPlan {
  const zone = plan.catalog.zone;
  const audience = bindable(plan.audience, zone);
  const trigger = bindable(plan.trigger.kind === "event" ? plan.trigger.condition : { k: "true" }, zone);
  const absence = bindable(plan.trigger.kind === "event" && plan.trigger.absence ? plan.trigger.absence.condition : { k: "true" }, zone);
  const goal = bindable(plan.goal?.kind === "event" ? plan.goal.condition : { k: "true" }, zone);
  const exits = plan.exits.map((x) => bindable(x.condition, zone));
  const waves = plan.waves.map((w) => bindable(w.only, zone));
  const tiers = (plan.benefit?.tiers ?? []).map((t) => bindable(t.condition, zone));
  const policies = new Map(plan.catalog.policies.map((p) => [p.name, p.exclude ? bindable(p.exclude, zone) : undefined]));
  const zoneCache = new Map<string, boolean>();
  const none: EventFields = {};
  return {
    plan,
    audience: (c, at) => audience(c, none, at),
    triggerCondition: trigger,
    absenceCondition: absence,
    goalCondition: goal,
    exitCondition: (i, c, f, at) => exits[i]?.(c, f, at) ?? false,
    waveCondition: (n, c, f, at) => waves[n - 1]?.(c, f, at) ?? true,
    tierCondition: (i, c, f, at) => tiers[i]?.(c, f, at) ?? false,
    policyExcludes: (name, c, at) => policies.get(name)?.(c, none, at) ?? false,
    value: (v, c, f, at) => valueOf(v, { customer: c, fields: f, ctx: { now: at, zone } }),
    isZone: (z) => {
      let ok = zoneCache.get(z);
      if (ok === undefined) {
        ok = IANAZone.isValidZone(z);
        zoneCache.set(z, ok);
      }
      return ok;
    },
  };
}
