/**
 * A002: an audience (with its exclusions), a trigger condition, or the two
 * together, that no customer can satisfy; also an audience that a contact
 * policy's `exclude` removes entirely. The campaign would never reach anyone.
 */
import { makeDiagnostic } from "../../language/diagnostics/make.ts";
import type { Diagnostic } from "../../language/diagnostics/diagnostic.ts";
import { andOf, type Pred } from "../ir/predicate.ts";
import { decide, showPred } from "../logic/index.ts";
import type { Analysis } from "./index.ts";
import { campaignEnv, clausesOf, conditionsOf } from "./support/conditions.ts";
import { conflictRelated, conflictText } from "./support/explain.ts";

export const unsatisfiableCondition: Analysis = {
  name: "unsatisfiable-condition",
  run(campaigns) {
    const out: Diagnostic[] = [];
    for (const c of campaigns) {
      if (c.hasErrors) continue;
      const cond = conditionsOf(c);
      const env = campaignEnv(c);
      const audClause = clausesOf(c.decl, "audience")[0] ?? clausesOf(c.decl, "exclude")[0];
      const trigClause = clausesOf(c.decl, "trigger")[0];
      const trigSpan = trigClause?.trigger?.kind === "event" ? (trigClause.trigger.condition?.span ?? trigClause.span) : trigClause?.span;
      const aud = decide(cond.audience, env);
      if (aud.kind === "unsat" && audClause) {
        out.push(
          makeDiagnostic("A002", `no customer can be in this audience: ${conflictText(aud.conflicts)}`, audClause.span, {
            related: conflictRelated(aud.conflicts, cond.spans),
            help: "the campaign would never reach anyone; check the bounds and the exclusions",
          }),
        );
        continue;
      }
      if (cond.trigger.k !== "true" && trigSpan) {
        const trig = decide(cond.trigger, env);
        if (trig.kind === "unsat") {
          out.push(makeDiagnostic("A002", `the trigger condition can never hold: ${conflictText(trig.conflicts)}`, trigSpan, { related: conflictRelated(trig.conflicts, cond.spans) }));
          continue;
        }
        const both = decide(andOf([cond.audience, cond.trigger]), env);
        if (both.kind === "unsat") {
          out.push(
            makeDiagnostic("A002", `no customer in the audience can meet the trigger condition: ${conflictText(both.conflicts)}`, trigSpan, {
              related: conflictRelated(both.conflicts, cond.spans),
            }),
          );
          continue;
        }
      }
      // Contact policies whose `exclude` removes every customer of the audience.
      if (aud.kind === "unknown" && cond.audience.k !== "true") continue;
      for (const name of c.plan.policies) {
        const pol = c.catalog.policies.get(name);
        if (!pol?.exclude) continue;
        const excluded: Pred = { k: "not", arg: { k: "label", label: `policy ${name}`, pred: pol.exclude } };
        const r = decide(andOf([cond.audience, excluded]), env);
        if (r.kind !== "unsat") continue;
        out.push(
          makeDiagnostic("A002", `contact policy \`${name}\` excludes every customer of this audience (\`exclude ${showPred(pol.exclude)}\`)`, audClause?.span ?? c.decl.name?.span ?? c.decl.span, {
            related: [...conflictRelated(r.conflicts, cond.spans), { span: pol.span, message: `policy \`${name}\` is declared here` }],
          }),
        );
      }
    }
    return out;
  },
};
