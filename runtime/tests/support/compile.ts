/** Scenario source to plans, kept apart from scenario.ts so the crash worker need not load the compiler. */
import type { Plan } from "../../../compiler/plan/types.ts";
import { stages, type Stage } from "../../../compiler/program.ts";
import { renderSources, type Scenario } from "./scenario.ts";

/**
 * Source to plans through the compiler's stages up to `campaigns` (what
 * `checkProgram` does), without the design analyses: they judge whether a
 * campaign is sensible (some take ~0.2 s a program), not what its plan
 * means, and the runtime must keep its invariants for any valid plan.
 */
export function compileScenario(s: Scenario): Plan[] {
  const sources = renderSources(s);
  const inputs = sources.map((text, i) => ({ path: `s${i}.campaign`, text }));
  const state: Parameters<Stage["run"]>[0] = { sources: [], catalogDecls: [], libraries: new Map(), campaignDecls: [], catalogs: new Map(), librarySegments: new Map(), campaigns: [], diagnostics: [] };
  for (const stage of stages) if (stage.name !== "analyses") stage.run(state, inputs);
  const errors = state.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) throw new Error(`${errors.map((d) => `${d.span.line}:${d.span.column} ${d.code} ${d.message}`).join("\n")}\n---\n${sources.join("\n")}`);
  return state.campaigns.map((c) => c.plan);
}

