/**
 * `campaign check <paths...> [--json]`: reads every file, checks them and
 * reports diagnostics. Exit 0 when there is no error-severity diagnostic,
 * 1 when there is, 2 on bad usage.
 */
import type { Command } from "commander";
import { compareDiagnostics, hasErrors, type Diagnostic } from "../../language/diagnostics/diagnostic.ts";
import { checkProgram } from "../../compiler/program.ts";
import { discoverFiles, readSources, type SourceFile } from "../files.ts";
import { print, printJson, renderAll, summarize, summaryLine, useColor, type JsonReport } from "../output.ts";
import { EXIT_OK, EXIT_PROBLEMS } from "../usage.ts";

/**
 * The checking seam: every source given to one `check`, in, all diagnostics
 * out (sorted). All files are checked together as one program: syntax, then
 * names and types of every campaign against its catalog and segment
 * libraries, then the static analyses (including those across campaigns).
 */
export function checkFiles(sources: readonly SourceFile[]): Diagnostic[] {
  return checkProgram(sources.map((s) => ({ path: s.path, text: s.text }))).diagnostics.sort(compareDiagnostics);
}

export interface CheckOptions {
  readonly json?: boolean;
}

/** Runs `check` and returns its exit code. */
export function runCheck(paths: readonly string[], options: CheckOptions): number {
  const files = discoverFiles(paths);
  const read = readSources(files);
  const diagnostics = [...read.diagnostics, ...checkFiles(read.sources)].sort(compareDiagnostics);
  if (options.json) {
    const report: JsonReport = { diagnostics, summary: summarize(diagnostics, files.length) };
    printJson(report);
  } else {
    if (diagnostics.length > 0) print(renderAll(diagnostics, read.sources, useColor()) + "\n");
    print(summaryLine("checked", files.length, diagnostics));
  }
  return hasErrors(diagnostics) ? EXIT_PROBLEMS : EXIT_OK;
}

/** Adds the `check` command to the program; `done` receives the exit code. */
export function registerCheck(program: Command, done: (code: number) => void): void {
  program
    .command("check")
    .description("check .campaign files and report problems")
    .argument("<paths...>", "files or directories (directories are searched for *.campaign recursively)")
    .option("--json", "print one JSON document instead of text")
    .addHelpText("after", "\nExit codes: 0 no errors (warnings allowed), 1 errors found, 2 bad usage.")
    .action((paths: string[], options: CheckOptions) => {
      done(runCheck(paths, options));
    });
}
