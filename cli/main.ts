/**
 * The `campaign` command line. One file per command under commands/; this
 * file wires them into commander and owns the exit codes:
 * 0 success, 1 problems in the input, 2 bad usage (unknown command or option,
 * missing argument, no such file), 3 internal error (a bug in Campaign).
 */
import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { registerCheck } from "./commands/check.ts";
import { compileCommand } from "./commands/compile.ts";
import { diffCommand } from "./commands/diff.ts";
import { dryRunCommand } from "./commands/dry-run.ts";
import { editorCommand } from "./commands/editor.ts";
import { explainCommand } from "./commands/explain.ts";
import { registerFmt } from "./commands/fmt.ts";
import { sampleDataCommand } from "./commands/sample-data.ts";
import { testCommand } from "./commands/test.ts";
import { EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, UsageError } from "./usage.ts";

function packageVersion(): string {
  const manifest: unknown = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
  const version = typeof manifest === "object" && manifest !== null ? (manifest as { version?: unknown }).version : undefined;
  return typeof version === "string" ? version : "0.0.0";
}

/** Builds the program; `done` receives the exit code of the command that ran. */
export function buildProgram(done: (code: number) => void): Command {
  const program = new Command("campaign");
  program
    .description("check, format, compile and explain Campaign (.campaign) files")
    .version(packageVersion(), "-V, --version", "print the version")
    .helpOption("-h, --help", "show help")
    .helpCommand(false)
    .showSuggestionAfterError(true)
    .exitOverride();
  registerCheck(program, done);
  registerFmt(program, done);
  program.addCommand(compileCommand(done));
  program.addCommand(editorCommand(done));
  program.addCommand(testCommand(done));
  program.addCommand(explainCommand(done));
  program.addCommand(diffCommand(done));
  program.addCommand(sampleDataCommand(done));
  program.addCommand(dryRunCommand(done));
  // Commands built on their own (addCommand) do not inherit exitOverride and
  // friends; copy them so every command maps its errors to exit code 2.
  for (const command of program.commands) command.copyInheritedSettings(program);
  return program;
}

/** Runs the command line and returns the process exit code. */
export async function run(argv: readonly string[]): Promise<number> {
  let code = EXIT_OK;
  const program = buildProgram((c) => {
    code = c;
  });
  try {
    await program.parseAsync([...argv], { from: "user" });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version are requests, not errors; all other commander errors are bad usage.
      return e.code === "commander.helpDisplayed" || e.code === "commander.version" ? EXIT_OK : EXIT_USAGE;
    }
    if (e instanceof UsageError) {
      process.stderr.write(`error: ${e.message}\n`);
      return EXIT_USAGE;
    }
    // A bug in the toolchain, not in the input: say so, with the stack, and use an exit code of its own.
    process.stderr.write(`internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return EXIT_INTERNAL;
  }
}
