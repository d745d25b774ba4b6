/** Benefit tiers with their conditions and spans, and the env for goal fields. */
import type * as A from "../../../language/ast.ts";
import type { Env } from "../../logic/index.ts";
import type { CheckedCampaign } from "../../program.ts";
import type { BenefitTierPlan } from "../../plan/types.ts";
import { clausesOf, envOf } from "./conditions.ts";

export interface Tier {
  readonly index: number;
  readonly plan: BenefitTierPlan;
  readonly decl?: A.BenefitTier;
}

export function tiersOf(c: CheckedCampaign): Tier[] {
  const decls = clausesOf(c.decl, "benefitClause")[0]?.tiers ?? [];
  return (c.plan.benefit?.tiers ?? []).map((plan, index) => ({ index, plan, ...(decls[index] ? { decl: decls[index] } : {}) }));
}

/** Env where `field:` subjects are the goal event's fields (or `change`). */
export function goalEnv(c: CheckedCampaign): Env {
  const g = c.plan.goal;
  const ev = g?.kind === "event" ? c.catalog.events.get(g.event) : undefined;
  const changeAttr = g?.kind === "change" ? c.catalog.attributes.get(g.attribute) : undefined;
  return envOf(c.catalog, (s) => {
    if (!s.startsWith("field:")) return undefined;
    const name = s.slice(6);
    if (ev) return ev.fields.get(name);
    return name === "change" ? changeAttr : undefined;
  });
}

export function tierText(t: Tier): string {
  const q = t.plan.quantity;
  return q.k === "const" && t.decl?.quantity ? `${t.plan.benefit} ${String(q.value)}` : t.plan.benefit;
}
