/**
 * `campaign dry-run <files or dirs> --data bank.db [--from T] [--to T]
 *   [--json] [--html report.html] [--actions actions.jsonl]`
 *
 * Checks the given files together, then runs every campaign in them on the
 * production runtime over a customer database (the layout `campaign
 * sample-data` writes) with a simulated clock, fed the database's events and
 * profile updates in time order, and reports reach, holdout, touches per
 * channel per day, suppressions by reason, conversions and uplift, payouts,
 * cost, budget burn against pacing and ROI (cli/dryrun/, spec/dry-run.md).
 *
 * Exit codes, as `check`: 0 the run completed (warnings allowed), 1 the
 * files have errors or the data does not fit (a missing table, a column of
 * the wrong type, a bad row; the message names table and column), 2 bad
 * usage (no such file, a bad time, no campaign), 3 a bug.
 */
import { Command } from "commander";
import cliProgress from "cli-progress";
import { existsSync, statSync, writeFileSync } from "node:fs";
import { compareDiagnostics, hasErrors } from "../../language/diagnostics/diagnostic.ts";
import { checkProgram } from "../../compiler/program.ts";
import type { JourneyEntry } from "../../runtime/index.ts";
import { DataSourceError } from "../../runtime/sources/schema.ts";
import { SqliteEventSource } from "../../runtime/sources/sqliteEvents.ts";
import { ActionWriter, actionLine } from "../dryrun/actions.ts";
import { renderHtml } from "../dryrun/html.ts";
import { dryRunReport, DryRunSetupError } from "../dryrun/run.ts";
import type { DryRunReport } from "../dryrun/schema.ts";
import { renderText } from "../dryrun/text.ts";
import { parseInstant, ZoneClock } from "../dryrun/time.ts";
import { discoverFiles, readSources } from "../files.ts";
import { print, printJson, renderAll, summaryLine, useColor } from "../output.ts";
import { EXIT_OK, EXIT_PROBLEMS, UsageError } from "../usage.ts";

export interface DryRunOptions {
  readonly data?: string;
  readonly from?: string;
  readonly to?: string;
  readonly json?: boolean;
  readonly html?: string;
  readonly actions?: string;
}

function dataError(message: string): number {
  process.stderr.write(`error: ${message}\n`);
  return EXIT_PROBLEMS;
}

/** Runs `dry-run` and returns its exit code. Throws UsageError on bad usage. */
export function runDryRun(paths: readonly string[], options: DryRunOptions): number {
  if (!options.data) throw new UsageError("say which customer database to run over with --data <bank.db> (make one with `campaign sample-data -o bank.db`)");
  if (!existsSync(options.data) || !statSync(options.data).isFile()) throw new UsageError(`no such database file: \`${options.data}\``);
  const files = discoverFiles(paths.length > 0 ? paths : ["."]);
  const read = readSources(files);
  const program = checkProgram(read.sources);
  const diagnostics = [...read.diagnostics, ...program.diagnostics].sort(compareDiagnostics);
  if (hasErrors(diagnostics)) {
    process.stderr.write(renderAll(diagnostics.filter((d) => d.severity === "error"), read.sources, useColor()) + "\n");
    process.stderr.write(`${summaryLine("checked", files.length, diagnostics)}; no dry-run\n`);
    return EXIT_PROBLEMS;
  }
  const campaigns = program.campaigns.map((c) => ({ plan: c.plan, file: c.file }));
  if (campaigns.length === 0) throw new UsageError(`no campaign in ${paths.map((p) => `\`${p}\``).join(", ") || "`.`"}: pass the .campaign files (or directories) of the campaigns to run`);
  const catalog = campaigns[0]!.plan.catalog;
  const others = campaigns.filter((c) => c.plan.catalog.name !== catalog.name || c.plan.catalog.hash !== catalog.hash);
  if (others.length > 0) {
    return dataError(`the campaigns use more than one catalog (\`${catalog.name}\` and \`${others[0]!.plan.catalog.name}\` in ${others[0]!.file}); one database holds the data of one catalog: run them separately`);
  }
  const clock = new ZoneClock(catalog.zone);

  let writer: ActionWriter | undefined;
  let bar: cliProgress.SingleBar | undefined;
  try {
    // The period: --from/--to, else the data's range clipped to the campaigns' windows.
    const parse = (text: string, option: string, end: boolean): number => {
      const v = parseInstant(text, catalog.zone, end);
      if (v === undefined) throw new UsageError(`\`${option} ${text}\` is not a date or time: write it like 2026-12-01 or 2026-12-01T09:00 (read in ${catalog.zone})`);
      return v;
    };
    const events = SqliteEventSource.open(options.data);
    let period: { from: number; to: number } | undefined;
    try {
      period = events.period();
    } finally {
      events.close();
    }
    const windowFrom = Math.min(...campaigns.map((c) => c.plan.campaign.window.start));
    const windowTo = Math.max(...campaigns.map((c) => c.plan.campaign.window.end));
    let from: number;
    let to: number;
    if (options.from !== undefined) from = parse(options.from, "--from", false);
    else if (period) from = Math.max(period.from, windowFrom);
    else throw new UsageError("the data has no events and no period in its meta table: give --from and --to");
    if (options.to !== undefined) to = parse(options.to, "--to", true);
    else if (period) to = Math.min(period.to, windowTo);
    else throw new UsageError("the data has no events and no period in its meta table: give --from and --to");
    if (to <= from) {
      if (options.from !== undefined || options.to !== undefined) throw new UsageError(`the period is empty: --from ${clock.iso(from)} is not before --to ${clock.iso(to)}`);
      return dataError(`the data covers ${period ? `${clock.iso(period.from)} to ${clock.iso(period.to)}` : "no period"}, which is outside every campaign's window (${clock.iso(windowFrom)} to ${clock.iso(windowTo)}): give --from and --to, or data for the windows`);
    }

    if (options.actions) {
      try {
        writer = new ActionWriter(options.actions);
      } catch (e) {
        throw new UsageError(`cannot write \`${options.actions}\`: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    // Progress in simulated hours: most event rows are skipped by SQLite (cli/dryrun/inputs.ts), so rows read are no measure.
    const HOUR = 3_600_000;
    const total = Math.ceil((to - from) / HOUR);
    if (process.stderr.isTTY === true && total > 0) {
      bar = new cliProgress.SingleBar(
        { stream: process.stderr, format: "dry-run [{bar}] {percentage}% | {value}/{total} simulated hours | {eta_formatted} left", hideCursor: true, clearOnComplete: true, etaBuffer: 50 },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, 0);
    }
    const w = writer;
    const progressBar = bar;
    const report: DryRunReport = dryRunReport({
      campaigns,
      data: options.data,
      from,
      to,
      ...(w ? { onLine: (j: JourneyEntry) => w.write(actionLine(j, clock)) } : {}),
      ...(progressBar ? { onProgress: (at: number) => progressBar.update(Math.min(total, Math.floor((at - from) / HOUR))), progressEvery: 5_000 } : {}),
    });
    bar?.stop();
    bar = undefined;
    writer?.close();
    writer = undefined;

    if (options.html) {
      try {
        writeFileSync(options.html, renderHtml(report), "utf8");
      } catch (e) {
        throw new UsageError(`cannot write \`${options.html}\`: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    if (options.json) printJson(report);
    else {
      for (const warning of report.warnings) process.stderr.write(`warning: ${warning}\n`);
      print(renderText(report));
    }
    return EXIT_OK;
  } catch (e) {
    if (e instanceof DataSourceError || e instanceof DryRunSetupError) return dataError(e.message);
    if (e instanceof Error && /^SQLITE_/.test(String((e as { code?: unknown }).code))) return dataError(`the database \`${options.data}\`: ${e.message}`);
    throw e;
  } finally {
    bar?.stop();
    writer?.close();
  }
}

/** The `dry-run` command, for main.ts: `program.addCommand(dryRunCommand(done))`. */
export function dryRunCommand(done: (code: number) => void = (code) => void (process.exitCode = code)): Command {
  return new Command("dry-run")
    .description("run campaigns on the runtime over a customer database with a simulated clock and report reach, touches, suppressions, conversions, cost and budget")
    .argument("[paths...]", "files or directories (directories are searched for *.campaign recursively; default .)")
    .option("--data <bank.db>", "the customer database (tables as `campaign sample-data` writes them)")
    .option("--from <time>", "start of the simulation, a date or local date-time in the catalog's zone (default: the data's first day, clipped to the campaigns' windows)")
    .option("--to <time>", "end of the simulation, exclusive; a date alone includes that day (default: the data's end, clipped to the windows)")
    .option("--json", "print the report as one JSON document (schema in spec/dry-run.md)")
    .option("--html <file>", "also write a self-contained HTML report with charts")
    .option("--actions <file>", "also write every decision as one JSON line (JSON Lines)")
    .addHelpText("after", "\nExit codes: 0 the run completed, 1 errors in the files or the data, 2 bad usage.")
    .action((paths: string[], options: DryRunOptions) => {
      done(runDryRun(paths, options));
    });
}
