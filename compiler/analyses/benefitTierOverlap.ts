/**
 * A012: two benefit tiers whose conditions on the same field overlap, so one
 * conversion qualifies for both. Shows a conversion that does.
 */
import { makeDiagnostic } from "../../language/diagnostics/make.ts";
import type { Diagnostic } from "../../language/diagnostics/diagnostic.ts";
import { andOf, attributesRead, fieldsRead } from "../ir/predicate.ts";
import { decide, showWitness } from "../logic/index.ts";
import type { Analysis } from "./index.ts";
import { goalEnv, tierText, tiersOf } from "./support/tiers.ts";

export const benefitTierOverlap: Analysis = {
  name: "benefit-tier-overlap",
  run(campaigns) {
    const out: Diagnostic[] = [];
    for (const c of campaigns) {
      if (c.hasErrors || !c.plan.benefit) continue;
      const tiers = tiersOf(c);
      const env = goalEnv(c);
      const reads = tiers.map((t) => new Set([...[...fieldsRead(t.plan.condition)].map((f) => `field:${f}`), ...[...attributesRead(t.plan.condition)].map((a) => `attr:${a}`)]));
      for (let j = 1; j < tiers.length; j++) {
        for (let i = 0; i < j; i++) {
          const a = tiers[i];
          const b = tiers[j];
          if (!a || !b) continue;
          const shared = [...(reads[i] ?? [])].filter((s) => reads[j]?.has(s));
          if (shared.length === 0) continue;
          const goal = c.plan.goal?.kind === "event" ? c.plan.goal.condition : ({ k: "true" } as const);
          const r = decide(andOf([goal, a.plan.condition, b.plan.condition]), env);
          if (r.kind !== "sat") continue;
          const span = b.decl?.condition?.span ?? b.decl?.span;
          if (!span) continue;
          out.push(
            makeDiagnostic("A012", `a conversion with \`${showWitness(r.witness)}\` qualifies for both \`${tierText(a)}\` and \`${tierText(b)}\``, span, {
              related: a.decl?.condition ? [{ span: a.decl.condition.span, message: `the condition of \`${tierText(a)}\`` }] : [],
              help: "bound the lower tier from above (`when amount >= 50k and amount < 200k`) so each conversion falls in one tier",
            }),
          );
          break;
        }
      }
    }
    return out;
  },
};
