/**
 * A013: benefit tiers listed in decreasing threshold order: a tier whose
 * lower bound on a field is below that of a tier listed before it. Tiers read
 * from the smallest conversion up.
 */
import { makeDiagnostic } from "../../language/diagnostics/make.ts";
import type { Diagnostic } from "../../language/diagnostics/diagnostic.ts";
import { decide, showNumber } from "../logic/index.ts";
import type { Analysis } from "./index.ts";
import { goalEnv, tierText, tiersOf } from "./support/tiers.ts";

export const benefitTierOrder: Analysis = {
  name: "benefit-tier-order",
  run(campaigns) {
    const out: Diagnostic[] = [];
    for (const c of campaigns) {
      if (c.hasErrors || !c.plan.benefit) continue;
      const env = goalEnv(c);
      const tiers = tiersOf(c);
      // Each tier's lower threshold on each subject it bounds below (absolute frame).
      const lows = tiers.map((t) => {
        const r = decide(t.plan.condition, env);
        const m = new Map<string, number>();
        if (r.kind !== "sat") return m;
        for (const d of r.witness.subjects) for (const rg of d.ranges) if (rg.frame === "abs" && rg.lo !== -Infinity) m.set(d.subject, rg.lo);
        return m;
      });
      for (let j = 1; j < tiers.length; j++) {
        const b = tiers[j];
        const lb = lows[j];
        if (!b || !lb) continue;
        let found = false;
        for (let i = 0; i < j && !found; i++) {
          const a = tiers[i];
          const la = lows[i];
          if (!a || !la) continue;
          for (const [subject, low] of lb) {
            const prev = la.get(subject);
            if (prev === undefined || prev <= low) continue;
            const span = b.decl?.span;
            if (!span) continue;
            const name = subject.replace(/^(attr|field):/, "");
            out.push(
              makeDiagnostic("A013", `tier \`${tierText(b)}\` (\`${name}\` from ${showNumber(low)}) is listed after the higher tier \`${tierText(a)}\` (\`${name}\` from ${showNumber(prev)}): list tiers from the lowest threshold up`, span, {
                related: a.decl ? [{ span: a.decl.span, message: "the higher tier, listed first" }] : [],
                help: "reorder the tiers by increasing threshold so the table reads like the tiers it pays",
              }),
            );
            found = true;
            break;
          }
        }
      }
    }
    return out;
  },
};
