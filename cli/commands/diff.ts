/**
 * `campaign diff <old> <new> [--catalog <path>]... [--data bank.db] [--at <datetime>] [--json]`
 *
 * Checks two versions of a set of campaigns and prints what changed, plan
 * section by plan section, with a warning when a holdout or variant change
 * moves customers already assigned; with `--data`, reach old vs new and the
 * exact number of customers that would change group, counted on the
 * database. spec/diff.md describes the comparison and the JSON report;
 * the logic lives in cli/diff/.
 *
 * `<old>` and `<new>` are each a .campaign file, a directory, or several
 * paths joined with commas; `--catalog` (repeatable) adds shared files (the
 * catalog, segment libraries) to both sides.
 *
 * Exit codes: 0 the diff was made (with or without differences), 1 either
 * side has errors, or the database does not hold what the audiences read,
 * 2 bad usage (no such file, bad `--at`).
 */
import { existsSync } from "node:fs";
import Database from "better-sqlite3";
import { Command } from "commander";
import type { Diagnostic } from "../../language/diagnostics/diagnostic.ts";
import type { Plan } from "../../compiler/plan/types.ts";
import { checkProgram } from "../../compiler/program.ts";
import { parseInstant } from "../../compiler/time/resolve.ts";
import { diffSides, type DiffData, type Side } from "../diff/compare.ts";
import { DiffDataError } from "../diff/data.ts";
import { renderReport } from "../diff/render.ts";
import { discoverFiles, readSources, type SourceFile } from "../files.ts";
import { renderAll, useColor } from "../output.ts";
import { EXIT_OK, EXIT_PROBLEMS, UsageError } from "../usage.ts";

export interface DiffCliOptions {
  readonly catalog?: readonly string[];
  readonly data?: string;
  readonly at?: string;
  readonly json?: boolean;
}

/** Where the command writes: stdout and stderr by default; tests pass their own. */
export interface DiffOutput {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly color: boolean;
}

const STDIO = (): DiffOutput => ({
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
  color: useColor(),
});

/** The paths one side argument stands for: the path itself, or (when no such path exists) its comma-separated parts. */
export function sidePaths(arg: string): string[] {
  if (existsSync(arg) || !arg.includes(",")) return [arg];
  return arg.split(",").filter((p) => p.trim() !== "");
}

interface LoadedSide {
  readonly side: Side;
  readonly errors: Diagnostic[];
  readonly sources: readonly SourceFile[];
}

function loadSide(arg: string, shared: readonly string[], which: "old" | "new"): LoadedSide {
  const files = discoverFiles([...sidePaths(arg), ...shared]);
  if (files.length === 0) throw new UsageError(`no .campaign files in \`${arg}\` (the ${which} side)`);
  const read = readSources(files);
  const program = checkProgram(read.sources);
  const errors = [...read.diagnostics, ...program.diagnostics].filter((d) => d.severity === "error");
  return {
    side: { files, campaigns: program.campaigns.map((c) => ({ plan: c.plan, file: c.file })) },
    errors,
    sources: read.sources,
  };
}

function openDatabase(path: string): Database.Database {
  if (!existsSync(path)) throw new UsageError(`no such database: \`${path}\``);
  try {
    return new Database(path, { readonly: true, fileMustExist: true });
  } catch (e) {
    throw new DiffDataError(`cannot open \`${path}\` as a SQLite database: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** The instant to select audiences at, per old plan: `--at` read in the plan's catalog zone, else the old window's start. */
function instantFor(at: string | undefined, oldPlans: readonly Plan[]): (plan: Plan) => number {
  if (at === undefined) return (plan) => plan.campaign.window.start;
  const byZone = new Map<string, number>();
  for (const p of oldPlans) {
    const zone = p.catalog.zone;
    if (byZone.has(zone)) continue;
    const t = parseInstant(at, zone);
    if (t === undefined) throw new UsageError(`\`--at ${at}\` is not a date-time: write it like 2026-12-02T10:00 (read in ${zone}) or with an offset`);
    byZone.set(zone, t);
  }
  return (plan) => byZone.get(plan.catalog.zone) ?? plan.campaign.window.start;
}

/** Runs `diff` and returns its exit code. Throws UsageError on bad usage. */
export function runDiff(oldArg: string, newArg: string, options: DiffCliOptions, output: DiffOutput = STDIO()): number {
  if (options.at !== undefined && options.data === undefined) throw new UsageError("`--at` chooses when audiences are selected on the database: give `--data <bank.db>` with it");
  const shared = options.catalog ?? [];
  const oldSide = loadSide(oldArg, shared, "old");
  const newSide = loadSide(newArg, shared, "new");
  if (oldSide.errors.length > 0 || newSide.errors.length > 0) {
    if (options.json) {
      output.out(`${JSON.stringify({ diffVersion: 1, errors: { old: oldSide.errors, new: newSide.errors } }, null, 2)}\n`);
    } else {
      for (const [name, s] of [["old", oldSide], ["new", newSide]] as const) {
        if (s.errors.length === 0) continue;
        output.err(`${renderAll(s.errors, s.sources, output.color)}\n`);
        output.err(`the ${name} side (${name === "old" ? oldArg : newArg}) has ${s.errors.length} error${s.errors.length === 1 ? "" : "s"}; fix them before diffing\n`);
      }
    }
    return EXIT_PROBLEMS;
  }
  let db: Database.Database | undefined;
  try {
    let data: DiffData | undefined;
    if (options.data !== undefined) {
      const at = instantFor(options.at, oldSide.side.campaigns.map((c) => c.plan));
      db = openDatabase(options.data);
      data = { path: options.data, db, at };
    }
    const report = diffSides(oldSide.side, newSide.side, data);
    output.out(options.json ? `${JSON.stringify(report, null, 2)}\n` : renderReport(report, output.color));
    return EXIT_OK;
  } catch (e) {
    if (e instanceof DiffDataError || e instanceof Database.SqliteError) {
      output.err(`error: ${options.data ?? "the database"}: ${e.message}\n`);
      return EXIT_PROBLEMS;
    }
    throw e;
  } finally {
    db?.close();
  }
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/**
 * The `diff` command, for the CLI's main.ts to register with
 * `program.addCommand(diffCommand(done))`. `done` receives the exit code;
 * without it the command sets `process.exitCode`.
 */
export function diffCommand(done?: (code: number) => void): Command {
  return new Command("diff")
    .description("show what changed between two versions of campaigns, plan section by section, and warn when customers would change holdout group or variant")
    .argument("<old>", "the old version: a .campaign file, a directory, or several paths joined with commas")
    .argument("<new>", "the new version, likewise")
    .option("--catalog <path>", "a file or directory added to both sides (the catalog, segment libraries); repeatable", collect)
    .option("--data <bank.db>", "a SQLite database in the compiler's layout: count reach old vs new, and the customers whose group or variant would change")
    .option("--at <datetime>", "with --data: select audiences at this instant (ISO 8601; without an offset, in the catalog's zone); default each campaign's old window start")
    .option("--json", "print the report as one JSON document (schema in spec/diff.md)")
    .addHelpText(
      "after",
      [
        "",
        "Reassignment with --data: customers of the campaign in the database's `entries` table if it has any,",
        "otherwise the customers in both the old and the new audience at --at.",
        "Not yet reported: the dry-run deltas old vs new (touches, cost, budget burn); they come with `campaign dry-run`",
        "(the JSON report keeps `dryRun: null` for them).",
        "",
        "Exit codes: 0 diffed (with or without differences), 1 either side has errors or the database lacks",
        "what the audiences read, 2 bad usage.",
      ].join("\n"),
    )
    .action((oldArg: string, newArg: string, options: DiffCliOptions) => {
      const code = runDiff(oldArg, newArg, options);
      if (done) done(code);
      else process.exitCode = code;
    });
}
