/** A010: a benefit is paid "on goal", so a campaign with benefits needs a goal. */
import { makeDiagnostic } from "../../language/diagnostics/make.ts";
import type { Analysis } from "./index.ts";

export const benefitWithoutGoal: Analysis = {
  name: "benefit-without-goal",
  run(campaigns) {
    const out = [];
    for (const c of campaigns) {
      if (c.hasErrors || !c.plan.benefit || c.plan.goal) continue;
      const clause = c.decl.clauses.find((x) => x.kind === "benefitClause");
      out.push(makeDiagnostic("A010", "benefits are paid on the goal, but this campaign has no `goal`", clause?.span ?? c.decl.span, { help: "add `goal EVENT where ... within N days` or `goal ATTRIBUTE up by AMOUNT within N days`" }));
    }
    return out;
  },
};
