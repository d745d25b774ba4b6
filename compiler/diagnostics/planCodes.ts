/**
 * Diagnostic codes of plan loading (P), registered into the one catalogue in
 * language/diagnostics/codes.ts, like compiler/diagnostics/codes.ts does for
 * N, T and A codes. compiler/plan/load.ts imports this module.
 *
 * Unlike the other codes, each `example` here is the text of a plan file, not
 * a .campaign program: the diagnostic-examples test must route P-codes
 * through `loadPlan` (compiler/plan/load.ts), not through `checkProgram`.
 */
import { registerCodes, type DiagnosticCodeInfo } from "../../language/diagnostics/codes.ts";

export const planCodes: DiagnosticCodeInfo[] = [
  {
    code: "P001",
    severity: "error",
    title: "plan is not JSON",
    explanation: "A plan file is JSON as written by `campaign compile`. The file is empty, cut short or was edited by hand into something that is not JSON; the location points at the first character that is wrong. Recompile the campaign rather than editing plans.",
    example: `{\n  "planVersion": 1,\n  "campaign": {\n`,
  },
  {
    code: "P002",
    severity: "error",
    title: "unsupported plan version",
    explanation: "The plan's `planVersion` is not one this runtime reads. Plans keep their version across additive changes; any other change to the format bumps it, and a runtime refuses versions it does not know rather than guess. Recompile the campaign with the compiler that matches the runtime.",
    example: `{ "planVersion": 99 }\n`,
  },
  {
    code: "P003",
    severity: "error",
    title: "invalid plan",
    explanation: "The plan is JSON of a supported version but does not match the plan schema (spec/plan.schema.json): a field is missing, has the wrong type or value, or is not part of the format. The message names the field by its path, such as `waves[1].touches[0].channel`. Recompile the campaign rather than editing plans.",
    example: `{ "planVersion": 1, "campaign": {} }\n`,
  },
];

registerCodes(planCodes);
