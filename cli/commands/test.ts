/**
 * `campaign test [paths...] [--filter text] [--json]`: checks every given
 * file together (default `.`; directories are searched for `*.campaign`
 * recursively) and runs the `test` blocks of every campaign on the runtime
 * with a simulated clock (cli/testing/runner.ts).
 *
 * Exit 0 when every test passed, 1 when a test failed or the program has
 * errors (then no test runs and the diagnostics are printed), 2 on bad usage.
 * The text report ends with exactly one line `N passed, N failed`.
 */
import { Command } from "commander";
import { compareDiagnostics, hasErrors } from "../../language/diagnostics/diagnostic.ts";
import { checkProgram } from "../../compiler/program.ts";
import { discoverFiles, readSources } from "../files.ts";
import { print, printJson, renderAll, summarize, summaryLine, useColor } from "../output.ts";
import { jsonResult, renderReport, type TestJsonReport } from "../testing/report.ts";
import { runTests } from "../testing/runner.ts";
import { EXIT_OK, EXIT_PROBLEMS } from "../usage.ts";

export interface TestOptions {
  readonly filter?: string;
  readonly json?: boolean;
}

/** Runs `test` and returns its exit code. */
export function runTestCommand(paths: readonly string[], options: TestOptions): number {
  const files = discoverFiles(paths.length > 0 ? paths : ["."]);
  const read = readSources(files);
  const program = checkProgram(read.sources);
  const diagnostics = [...read.diagnostics, ...program.diagnostics].sort(compareDiagnostics);
  const counts = summarize(diagnostics, files.length);

  if (hasErrors(diagnostics)) {
    if (options.json) {
      const report: TestJsonReport = { diagnostics, tests: [], summary: { passed: 0, failed: 0, ran: false, ...counts } };
      printJson(report);
    } else {
      print(renderAll(diagnostics.filter((d) => d.severity === "error"), read.sources, useColor()) + "\n");
      print(`${summaryLine("checked", files.length, diagnostics)}; no tests run`);
    }
    return EXIT_PROBLEMS;
  }

  const report = runTests(
    program.campaigns.map((c) => ({ plan: c.plan, decl: c.decl, file: c.file })),
    options.filter !== undefined ? { filter: options.filter } : {},
  );
  if (options.json) {
    const json: TestJsonReport = { diagnostics, tests: report.results.map(jsonResult), summary: { passed: report.passed, failed: report.failed, ran: true, ...counts } };
    printJson(json);
  } else {
    const texts = new Map(read.sources.map((s) => [s.path, s.text]));
    process.stdout.write(renderReport(report, (file) => texts.get(file), useColor()));
  }
  return report.failed > 0 ? EXIT_PROBLEMS : EXIT_OK;
}

/** The `test` command, ready for `program.addCommand(...)`. */
export function testCommand(
  done: (code: number) => void = (code) => {
    process.exitCode = code;
  },
): Command {
  return new Command("test")
    .description("run the test blocks of campaigns on the runtime with a simulated clock")
    .argument("[paths...]", "files or directories (directories are searched for *.campaign recursively; default .)")
    .option("--filter <text>", "run only tests whose title contains this text")
    .option("--json", "print one JSON document instead of text")
    .addHelpText("after", "\nThe last line of the text report is `N passed, N failed`.\nExit codes: 0 all tests passed, 1 a test failed or the files have errors, 2 bad usage.")
    .action((paths: string[], options: TestOptions) => {
      done(runTestCommand(paths, options));
    });
}
