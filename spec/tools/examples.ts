/**
 * Runs a catalogue entry's example through the part of the toolchain that
 * reports its code, so spec/diagnostics.md shows what the tools really say
 * and tests/diagnostic-examples.test.ts checks every example:
 *
 * - S (syntax): `parse` from language/;
 * - N, T, A (names, types, analyses): the compiler's `checkProgram`, which
 *   parses too, so the example is a whole program;
 * - P (plans): `loadPlan`, the example being the text of a plan file;
 * - X (command line): reported about files rather than their text (X001 is
 *   a file that is not UTF-8), so the entries carry no example; the CLI's
 *   process tests cover them.
 *
 * Runtime codes (R) get their route here when the runtime registers them;
 * until then an entry with an unknown prefix makes `exampleRoute` throw, so
 * the test fails rather than skip it.
 */
import "../../cli/codes.ts";
import "../../cli/testing/codes.ts";
import { checkProgram } from "../../compiler/program.ts";
import { loadPlan } from "../../compiler/plan/load.ts";
import type { DiagnosticCodeInfo } from "../../language/diagnostics/codes.ts";
import type { Diagnostic } from "../../language/diagnostics/diagnostic.ts";
import { parse } from "../../language/parser/parse.ts";

/** The file name examples are reported under. */
export function exampleFileName(info: DiagnosticCodeInfo): string {
  return info.code.startsWith("P") ? "example.plan.json" : "example.campaign";
}

export type ExampleRoute = "parse" | "check" | "loadPlan" | "none";

/** Which tool an entry's example goes through. */
export function exampleRoute(info: DiagnosticCodeInfo): ExampleRoute {
  switch (info.code.charAt(0)) {
    case "S":
      return "parse";
    case "N":
    case "T":
    case "A":
      return "check";
    case "P":
      return "loadPlan";
    case "X":
      return "none";
    default:
      throw new Error(`no route for the example of ${info.code}: add one in spec/tools/examples.ts`);
  }
}

/** The diagnostics an entry's example produces; undefined for codes without a source example. */
export function runExample(info: DiagnosticCodeInfo): readonly Diagnostic[] | undefined {
  const file = exampleFileName(info);
  switch (exampleRoute(info)) {
    case "parse":
      return parse(info.example, file).diagnostics;
    case "check":
      return checkProgram([{ path: file, text: info.example }]).diagnostics;
    case "loadPlan": {
      const r = loadPlan(info.example, { file });
      return r.ok ? [] : r.diagnostics;
    }
    case "none":
      return undefined;
  }
}
