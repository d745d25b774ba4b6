/** A003: a written audience that every customer satisfies: the campaign targets everyone. */
import { makeDiagnostic } from "../../language/diagnostics/make.ts";
import type { Diagnostic } from "../../language/diagnostics/diagnostic.ts";
import { tautology } from "../logic/index.ts";
import type { Analysis } from "./index.ts";
import { campaignEnv, clausesOf, conditionsOf } from "./support/conditions.ts";

export const audienceEveryone: Analysis = {
  name: "audience-everyone",
  run(campaigns) {
    const out: Diagnostic[] = [];
    for (const c of campaigns) {
      if (c.hasErrors) continue;
      const clause = clausesOf(c.decl, "audience")[0] ?? clausesOf(c.decl, "exclude")[0];
      if (!clause) continue;
      const cond = conditionsOf(c);
      if (cond.audience.k === "true" || !tautology(cond.audience, campaignEnv(c))) continue;
      out.push(
        makeDiagnostic("A003", "this campaign targets everyone: every customer satisfies this audience", clause.span, {
          help: "a value that is missing makes comparisons false, so an audience like `aum >= 0 or aum < 0 or aum is not set` holds for everyone; narrow it, or delete it if everyone is meant",
        }),
      );
    }
    return out;
  },
};
