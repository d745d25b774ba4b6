/**
 * `campaign fmt [paths...] [--check] [--json]`: rewrites files into the
 * canonical layout. Files are written only when their text changes; a file
 * with syntax errors is reported and never rewritten. With `--check` nothing
 * is written: the files that would change are listed and the exit code is 1
 * if there are any.
 */
import type { Command } from "commander";
import { compareDiagnostics, hasErrors, type Diagnostic } from "../../language/diagnostics/diagnostic.ts";
import { format } from "../../language/printer/format.ts";
import { discoverFiles, readSources, writeSource } from "../files.ts";
import { print, printJson, renderAll, summarize, useColor, type JsonReport } from "../output.ts";
import { EXIT_OK, EXIT_PROBLEMS } from "../usage.ts";

export interface FmtOptions {
  readonly check?: boolean;
  readonly json?: boolean;
}

/** The JSON document `fmt --json` prints: the check report plus the files that changed (or would). */
export interface FmtJsonReport extends JsonReport {
  readonly changed: readonly string[];
}

/** Runs `fmt` and returns its exit code. */
export function runFmt(paths: readonly string[], options: FmtOptions): number {
  const files = discoverFiles(paths.length > 0 ? paths : ["."]);
  const read = readSources(files);
  const diagnostics: Diagnostic[] = [...read.diagnostics];
  const changed: string[] = [];
  let broken = read.diagnostics.length > 0;
  for (const source of read.sources) {
    const result = format(source.text, source.path);
    diagnostics.push(...result.diagnostics);
    if (hasErrors(result.diagnostics)) {
      broken = true;
      continue;
    }
    if (!result.changed || result.text === source.text) continue;
    changed.push(source.path);
    if (!options.check) writeSource(source.path, result.text);
  }
  diagnostics.sort(compareDiagnostics);

  if (options.json) {
    const report: FmtJsonReport = { diagnostics, summary: summarize(diagnostics, files.length), changed };
    printJson(report);
  } else {
    if (diagnostics.length > 0) print(renderAll(diagnostics, read.sources, useColor()) + "\n");
    for (const path of changed) print(path);
    print(fmtSummary(files.length, changed.length, diagnostics, options.check ?? false));
  }
  const failed = broken || (options.check === true && changed.length > 0);
  return failed ? EXIT_PROBLEMS : EXIT_OK;
}

function fmtSummary(files: number, changed: number, diagnostics: readonly Diagnostic[], check: boolean): string {
  const total = `${files} file${files === 1 ? "" : "s"}`;
  const action = check ? `${changed} of ${total} would be reformatted` : `reformatted ${changed} of ${total}`;
  const errorFiles = new Set(diagnostics.filter((d) => d.severity === "error").map((d) => d.span.file)).size;
  return errorFiles > 0 ? `${action}; ${errorFiles} file${errorFiles === 1 ? "" : "s"} not formatted because of errors` : action;
}

/** Adds the `fmt` command to the program; `done` receives the exit code. */
export function registerFmt(program: Command, done: (code: number) => void): void {
  program
    .command("fmt")
    .description("format .campaign files in place")
    .argument("[paths...]", "files or directories (default: the current directory)")
    .option("--check", "write nothing; list the files that would change and exit 1 if there are any")
    .option("--json", "print one JSON document instead of text")
    .addHelpText("after", "\nExit codes: 0 all files formatted (or already tidy), 1 files with syntax errors\n(never rewritten) or, with --check, files that would change, 2 bad usage.")
    .action((paths: string[], options: FmtOptions) => {
      done(runFmt(paths, options));
    });
}
