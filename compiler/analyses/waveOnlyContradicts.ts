/** A006: a wave whose `only` condition contradicts the audience (or trigger condition): it can never be sent. */
import { makeDiagnostic } from "../../language/diagnostics/make.ts";
import type { Diagnostic } from "../../language/diagnostics/diagnostic.ts";
import { andOf } from "../ir/predicate.ts";
import { decide } from "../logic/index.ts";
import type { Analysis } from "./index.ts";
import { campaignEnv, clausesOf, conditionsOf } from "./support/conditions.ts";
import { conflictRelated, conflictText } from "./support/explain.ts";

export const waveOnlyContradicts: Analysis = {
  name: "wave-only-contradicts",
  run(campaigns) {
    const out: Diagnostic[] = [];
    for (const c of campaigns) {
      if (c.hasErrors) continue;
      const cond = conditionsOf(c);
      const env = campaignEnv(c);
      const base = andOf([cond.audience, cond.trigger]);
      if (decide(base, env).kind === "unsat") continue; // A002 reports it
      const decls = clausesOf(c.decl, "waves")[0]?.waves ?? [];
      for (const [i, only] of cond.waveOnly.entries()) {
        if (only.k === "true") continue;
        const r = decide(andOf([base, only]), env);
        if (r.kind !== "unsat") continue;
        const mod = decls[i]?.modifiers.find((m) => m.kind === "only");
        const alone = decide(only, env).kind === "unsat";
        out.push(
          makeDiagnostic("A006", `wave ${i + 1} can never be sent: ${alone ? "its `only` condition can never hold" : "its `only` condition contradicts the audience"}: ${conflictText(r.conflicts)}`, mod?.span ?? decls[i]?.span ?? c.decl.span, {
            related: conflictRelated(r.conflicts, cond.spans),
            help: "every customer who enters fails this condition; fix the condition or remove the wave",
          }),
        );
      }
    }
    return out;
  },
};
