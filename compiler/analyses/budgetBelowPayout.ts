/**
 * A011: a budget (total or per period) smaller than the cheapest payout the
 * campaign can make (benefit cost × quantity, when the quantity is constant),
 * so no benefit can ever be paid within it.
 */
import { makeDiagnostic } from "../../language/diagnostics/make.ts";
import type { Diagnostic } from "../../language/diagnostics/diagnostic.ts";
import { showNumber } from "../logic/index.ts";
import type { Analysis } from "./index.ts";
import { clausesOf } from "./support/conditions.ts";
import { showPeriod } from "./support/time.ts";

export const budgetBelowPayout: Analysis = {
  name: "budget-below-payout",
  run(campaigns) {
    const out: Diagnostic[] = [];
    for (const c of campaigns) {
      if (c.hasErrors || !c.plan.benefit || !c.plan.budget) continue;
      let cheapest: { cost: number; tier: string } | undefined;
      let known = true;
      for (const t of c.plan.benefit.tiers) {
        const b = c.catalog.benefits.get(t.benefit);
        if (!b || t.quantity.k !== "const" || typeof t.quantity.value !== "number") {
          known = false;
          break;
        }
        const q = t.quantity.value;
        const cost = b.cost * q;
        const tier = q === 1 ? `\`${t.benefit}\` costs ${showNumber(b.cost)}` : `\`${t.benefit} ${q}\` costs ${showNumber(b.cost)} × ${q} = ${showNumber(cost)}`;
        if (!cheapest || cost < cheapest.cost) cheapest = { cost, tier };
      }
      if (!known || !cheapest || cheapest.cost <= 0) continue;
      const clause = clausesOf(c.decl, "budget")[0];
      const decl = clause?.limits ?? [];
      const budget = c.plan.budget;
      const cur = c.catalog.currency;
      if (budget.total !== undefined && budget.total < cheapest.cost) {
        const span = decl.find((l) => !l.period)?.span ?? clause?.span ?? c.decl.span;
        out.push(makeDiagnostic("A011", `the total budget of ${showNumber(budget.total)} ${cur} is less than the cheapest payout (${cheapest.tier} ${cur}), so no benefit can ever be paid`, span, { help: "raise the budget or lower the benefit" }));
      }
      const periodDecls = decl.filter((l) => l.period);
      for (const [i, p] of budget.perPeriod.entries()) {
        if (p.amount >= cheapest.cost) continue;
        const span = (periodDecls.length === budget.perPeriod.length ? periodDecls[i]?.span : undefined) ?? clause?.span ?? c.decl.span;
        out.push(makeDiagnostic("A011", `the budget of ${showNumber(p.amount)} ${cur} per ${showPeriod(p.period)} is less than the cheapest payout (${cheapest.tier} ${cur}), so no benefit can be paid in any ${showPeriod(p.period)}`, span, { help: "raise the budget per period or lower the benefit" }));
      }
    }
    return out;
  },
};
