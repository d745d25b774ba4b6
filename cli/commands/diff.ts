/**
 * `campaign diff <old> <new> [--catalog <path>]... [--data bank.db] [--at <datetime>]
 *   [--from <time>] [--to <time>] [--json]`
 *
 * Checks two versions of a set of campaigns and prints what changed, plan
 * section by plan section, with a warning when a holdout or variant change
 * moves customers already assigned; with `--data`, reach old vs new and the
 * exact number of customers that would change group, counted on the
 * database, and the dry-run of each side over the database for the same
 * period (cli/dryrun/run.ts, once per side, nothing shared) compared
 * campaign by campaign: reach, entries, touches, cost, budget burn.
 * spec/diff.md describes the comparison and the JSON report; the logic
 * lives in cli/diff/.
 *
 * `<old>` and `<new>` are each a .campaign file, a directory, or several
 * paths joined with commas; `--catalog` (repeatable) adds shared files (the
 * catalog, segment libraries) to both sides.
 *
 * Exit codes: 0 the diff was made (with or without differences), 1 either
 * side has errors, or the database does not hold what the audiences or the
 * dry-run read, 2 bad usage (no such file, bad `--at`, `--from`, `--to`).
 */
import { existsSync } from "node:fs";
import Database from "better-sqlite3";
import { Command } from "commander";
import type { Diagnostic } from "../../language/diagnostics/diagnostic.ts";
import type { Plan } from "../../compiler/plan/types.ts";
import { checkProgram } from "../../compiler/program.ts";
import { parseInstant } from "../../compiler/time/resolve.ts";
import { DataSourceError, EVENTS_TABLE, tableColumns } from "../../runtime/sources/schema.ts";
import { SqliteEventSource } from "../../runtime/sources/sqliteEvents.ts";
import { diffSides, type DiffData, type DryRunInput, type Side } from "../diff/compare.ts";
import { DiffDataError } from "../diff/data.ts";
import { renderReport } from "../diff/render.ts";
import { dryRunReport, DryRunSetupError } from "../dryrun/run.ts";
import type { DryRunReport } from "../dryrun/schema.ts";
import { parseInstant as parsePeriodInstant, ZoneClock } from "../dryrun/time.ts";
import { discoverFiles, readSources, type SourceFile } from "../files.ts";
import { renderAll, useColor } from "../output.ts";
import { EXIT_OK, EXIT_PROBLEMS, UsageError } from "../usage.ts";

export interface DiffCliOptions {
  readonly catalog?: readonly string[];
  readonly data?: string;
  readonly at?: string;
  readonly from?: string;
  readonly to?: string;
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

/**
 * Dry-runs each side over the database for one period: `--from`/`--to` (read
 * in the old side's catalog zone, as `campaign dry-run` reads them), else the
 * data's period clipped to the windows of every campaign on either side (for
 * two sides with the same windows, `campaign dry-run`'s default on each).
 * Each side's campaigns run together, as `campaign dry-run` runs them; each
 * run opens its own sources, store and runtime. Not run, with the reason,
 * when the database has no events, a side has no campaign or uses two
 * catalogs, or the default period misses every window.
 */
function dryRunBoth(oldSide: Side, newSide: Side, path: string, db: Database.Database, options: DiffCliOptions): DryRunInput {
  const notRun = (reason: string): DryRunInput => ({ ran: false, reason });
  for (const [name, side] of [["old", oldSide], ["new", newSide]] as const) {
    if (side.campaigns.length === 0) return notRun(`the ${name} side has no campaign`);
  }
  if (!tableColumns(db, EVENTS_TABLE)) return notRun(`the database has no \`${EVENTS_TABLE}\` table: a dry-run replays the bank's events (\`campaign sample-data\` writes them; spec/data-layout.md)`);
  const all = [...oldSide.campaigns, ...newSide.campaigns];
  const zone = (oldSide.campaigns[0] ?? all[0])?.plan.catalog.zone ?? "UTC";
  const clock = new ZoneClock(zone);
  const parse = (text: string, option: string, end: boolean): number => {
    const v = parsePeriodInstant(text, zone, end);
    if (v === undefined) throw new UsageError(`\`${option} ${text}\` is not a date or time: write it like 2026-12-01 or 2026-12-01T09:00 (read in ${zone})`);
    return v;
  };
  const from0 = options.from !== undefined ? parse(options.from, "--from", false) : undefined;
  const to0 = options.to !== undefined ? parse(options.to, "--to", true) : undefined;
  let period: { readonly from: number; readonly to: number } | undefined;
  const events = SqliteEventSource.open(path);
  try {
    period = events.period();
  } finally {
    events.close();
  }
  const windowFrom = Math.min(...all.map((c) => c.plan.campaign.window.start));
  const windowTo = Math.max(...all.map((c) => c.plan.campaign.window.end));
  const noPeriod = "the data has no events and no period in its meta table: give --from and --to";
  let from: number;
  let to: number;
  if (from0 !== undefined) from = from0;
  else if (period) from = Math.max(period.from, windowFrom);
  else return notRun(noPeriod);
  if (to0 !== undefined) to = to0;
  else if (period) to = Math.min(period.to, windowTo);
  else return notRun(noPeriod);
  if (to <= from) {
    if (from0 !== undefined || to0 !== undefined) throw new UsageError(`the period is empty: --from ${clock.iso(from)} is not before --to ${clock.iso(to)}`);
    return notRun(`the data covers ${period ? `${clock.iso(period.from)} to ${clock.iso(period.to)}` : "no period"}, which is outside every campaign's window (${clock.iso(windowFrom)} to ${clock.iso(windowTo)}): give --from and --to, or data for the windows`);
  }
  const run = (side: Side, name: "old" | "new"): DryRunReport | string => {
    try {
      return dryRunReport({ campaigns: side.campaigns, data: path, from, to });
    } catch (e) {
      if (e instanceof DryRunSetupError) return `the ${name} side: ${e.message}`;
      throw e;
    }
  };
  const a = run(oldSide, "old");
  if (typeof a === "string") return notRun(a);
  const b = run(newSide, "new");
  if (typeof b === "string") return notRun(b);
  return { ran: true, old: a, new: b };
}

/** Runs `diff` and returns its exit code. Throws UsageError on bad usage. */
export function runDiff(oldArg: string, newArg: string, options: DiffCliOptions, output: DiffOutput = STDIO()): number {
  if (options.at !== undefined && options.data === undefined) throw new UsageError("`--at` chooses when audiences are selected on the database: give `--data <bank.db>` with it");
  for (const o of ["from", "to"] as const) {
    if (options[o] !== undefined && options.data === undefined) throw new UsageError(`\`--${o}\` bounds the dry-run over the database: give \`--data <bank.db>\` with it`);
  }
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
      data = { path: options.data, db, at, dryRun: dryRunBoth(oldSide.side, newSide.side, options.data, db, options) };
    }
    const report = diffSides(oldSide.side, newSide.side, data);
    output.out(options.json ? `${JSON.stringify(report, null, 2)}\n` : renderReport(report, output.color));
    return EXIT_OK;
  } catch (e) {
    if (e instanceof DiffDataError || e instanceof DataSourceError || e instanceof Database.SqliteError) {
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
    .description("show what changed between two versions of campaigns, plan section by section, warn when customers would change holdout group or variant, and with --data dry-run both versions and compare")
    .argument("<old>", "the old version: a .campaign file, a directory, or several paths joined with commas")
    .argument("<new>", "the new version, likewise")
    .option("--catalog <path>", "a file or directory added to both sides (the catalog, segment libraries); repeatable", collect)
    .option("--data <bank.db>", "a SQLite database in the compiler's layout: count reach old vs new, and the customers whose group or variant would change")
    .option("--at <datetime>", "with --data: select audiences at this instant (ISO 8601; without an offset, in the catalog's zone); default each campaign's old window start")
    .option("--from <time>", "with --data: start of the dry-run of both sides, a date or local date-time in the old catalog's zone (default: the data's first day, clipped to the windows of both sides)")
    .option("--to <time>", "with --data: end of the dry-run, exclusive; a date alone includes that day (default: the data's end, clipped to the windows)")
    .option("--json", "print the report as one JSON document (schema in spec/diff.md)")
    .addHelpText(
      "after",
      [
        "",
        "Reassignment with --data: customers of the campaign in the database's `entries` table if it has any,",
        "otherwise the customers in both the old and the new audience at --at.",
        "Dry-run with --data: both sides are dry-run over the database for the same period (each side's campaigns",
        "together, as `campaign dry-run` runs them) and compared per campaign: audience, entries, touches and cost",
        "per channel, cost per benefit, budget spent and burn, end-of-period spend against the pacing line.",
        "Not run (with the reason) when the database has no events table or the period misses every window.",
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
