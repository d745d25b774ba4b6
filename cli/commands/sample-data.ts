/**
 * `campaign sample-data [--catalog <file-or-dir>] [--customers N] [--days D]
 *   [--start DATE] [--seed S] -o bank.db [--force] [--json]`
 *
 * Generates a synthetic bank for a catalog (default: the example retail
 * catalog) into a new SQLite database: customers and their tags in the
 * compiler's layout, events and profile updates over `--days` days from
 * `--start`, and a `meta` table. Deterministic: the same seed and options
 * write the same rows. spec/sample-data.md describes the tables and the
 * distributions.
 *
 * Exit codes: 0 written, 1 the catalog has errors, 2 bad usage (bad numbers
 * or date, output exists without --force, unwritable path, no catalog).
 */
import Database from "better-sqlite3";
import { Command } from "commander";
import { existsSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { hasErrors } from "../../language/diagnostics/diagnostic.ts";
import { catalogPlan } from "../../compiler/plan/catalogPlan.ts";
import type { CatalogPlan } from "../../compiler/plan/types.ts";
import { checkProgram } from "../../compiler/program.ts";
import { discoverFiles, readSources } from "../files.ts";
import { print, printJson, renderAll, useColor } from "../output.ts";
import { parseIsoDate } from "../sample/dates.ts";
import { generateSampleBank, GENERATOR_VERSION, type SampleOptions, type SampleSummary } from "../sample/generate.ts";
import { EXIT_OK, EXIT_PROBLEMS, UsageError } from "../usage.ts";

export const DEFAULT_CATALOG = fileURLToPath(new URL("../../examples/catalog/retail.campaign", import.meta.url));
export const DEFAULT_START = "2026-12-01";
export const DEFAULT_CUSTOMERS = 10_000;
export const DEFAULT_DAYS = 30;
export const DEFAULT_SEED = 1;
export const MAX_DAYS = 3_660;
export const MAX_CUSTOMERS = 100_000_000;

export interface SampleDataCliOptions {
  readonly catalog?: string;
  readonly customers?: string;
  readonly days?: string;
  readonly start?: string;
  readonly seed?: string;
  readonly out: string;
  readonly force?: boolean;
  readonly json?: boolean;
}

/** The JSON document `sample-data --json` prints. */
export interface SampleDataJsonReport {
  readonly path: string;
  readonly catalog: { readonly name: string; readonly hash: string; readonly file: string };
  readonly options: SampleOptions;
  readonly generatorVersion: number;
  readonly summary: SampleSummary;
  readonly elapsedMs: number;
  readonly rowsPerSecond: number;
}

/** A whole number from the command line: digits with optional `_` or `,` separators and a k/m suffix (`100k`, `2m`). */
export function parseCount(text: string, option: string, min: number, max: number): number {
  const m = /^(\d+(?:[_,]\d+)*)(?:\.(\d+))?([kKmM]?)$/.exec(text.trim());
  const n = m ? Number(`${(m[1] ?? "").replace(/[_,]/g, "")}.${m[2] ?? "0"}`) * (m[3] === "k" || m[3] === "K" ? 1_000 : m[3] === "m" || m[3] === "M" ? 1_000_000 : 1) : Number.NaN;
  if (!Number.isSafeInteger(n)) throw new UsageError(`\`${option} ${text}\` is not a whole number (write it like 2000, 100k or 2m)`);
  if (n < min || n > max) throw new UsageError(`\`${option} ${text}\` is out of range: use ${min.toLocaleString("en")} to ${max.toLocaleString("en")}`);
  return n;
}

function loadCatalog(path: string): { plan: CatalogPlan; file: string } | { exit: number } {
  const files = discoverFiles([path]);
  const read = readSources(files);
  const program = checkProgram(read.sources);
  const catalogs = [...program.catalogs.values()];
  if (catalogs.length === 0) throw new UsageError(`no catalog declared in \`${path}\`: pass the catalog's .campaign file (or a directory holding it) with --catalog`);
  if (catalogs.length > 1) throw new UsageError(`\`${path}\` declares ${catalogs.length} catalogs (${catalogs.map((c) => `\`${c.name}\``).join(", ")}): pass the one catalog's file with --catalog`);
  const model = catalogs[0]!;
  const errors = [...read.diagnostics, ...program.diagnostics].filter((d) => d.severity === "error" && d.span.file === model.file);
  if (errors.length > 0 || hasErrors(read.diagnostics)) {
    process.stderr.write(`${renderAll([...read.diagnostics, ...errors], read.sources, useColor())}\n`);
    process.stderr.write(`the catalog \`${model.name}\` has errors; fix them before generating data for it\n`);
    return { exit: EXIT_PROBLEMS };
  }
  return { plan: catalogPlan(model), file: model.file };
}

const fmt = (n: number): string => n.toLocaleString("en");
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ").trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/** The summary as text tables. */
export function renderSummary(r: SampleDataJsonReport): string {
  const s = r.summary;
  const out: string[] = [];
  out.push(`wrote ${r.path}: ${fmt(s.customers)} customers, ${fmt(s.eventCount)} events, ${fmt(s.profileUpdates)} profile updates over ${r.options.days} days from ${r.options.start} (${s.period.zone})`);
  out.push(`catalog ${r.catalog.name} (${r.catalog.file}), seed ${r.options.seed}; ${fmt(s.rows)} rows in ${(r.elapsedMs / 1000).toFixed(1)} s (${fmt(Math.round(r.rowsPerSecond))} rows/s)`);
  if (Object.keys(s.aumLevels).length > 0) {
    out.push("");
    out.push(`long tail: ${pct(s.longTail.customerShare)} of customers hold AUM below ${fmt(s.longTail.threshold)} and together ${pct(s.longTail.aumShare)} of all assets (${fmt(s.totalAum)} in total)`);
    out.push("");
    out.push(table(["AUM level", "customers", "share"], Object.entries(s.aumLevels).map(([k, n]) => [k, fmt(n), pct(n / Math.max(1, s.customers))])));
  }
  if (Object.keys(s.tags).length > 0) {
    out.push("");
    out.push(table(["tag", "customers", "share"], Object.entries(s.tags).map(([k, n]) => [k, fmt(n), pct(n / Math.max(1, s.customers))])));
  }
  if (Object.keys(s.events).length > 0) {
    out.push("");
    out.push(table(["event", "count", "per customer"], Object.entries(s.events).map(([k, n]) => [k, fmt(n), (n / Math.max(1, s.customers)).toFixed(2)])));
  }
  return out.join("\n");
}

/** Runs `sample-data` and returns its exit code. Throws UsageError on bad usage. */
export function runSampleData(options: SampleDataCliOptions): number {
  const customers = options.customers === undefined ? DEFAULT_CUSTOMERS : parseCount(options.customers, "--customers", 1, MAX_CUSTOMERS);
  const days = options.days === undefined ? DEFAULT_DAYS : parseCount(options.days, "--days", 0, MAX_DAYS);
  const seed = options.seed === undefined ? DEFAULT_SEED : parseCount(options.seed, "--seed", 0, 0xffffffff);
  const start = options.start ?? DEFAULT_START;
  const startDay = parseIsoDate(start);
  if (startDay === undefined) throw new UsageError(`\`--start ${start}\` is not a calendar date: write it like ${DEFAULT_START}`);
  const out = options.out;
  if (!out) throw new UsageError("say where to write the database with -o <file.db>");
  const target = resolve(out);
  if (existsSync(target)) {
    if (statSync(target).isDirectory()) throw new UsageError(`\`${out}\` is a directory: give a file name for the database, like ${out.replace(/\/+$/, "")}/bank.db`);
    if (!options.force) throw new UsageError(`\`${out}\` already exists: pass --force to replace it`);
  }
  const parent = dirname(target);
  if (!existsSync(parent) || !statSync(parent).isDirectory()) throw new UsageError(`cannot write \`${out}\`: the directory \`${dirname(out)}\` does not exist`);

  const loaded = loadCatalog(options.catalog ?? DEFAULT_CATALOG);
  if ("exit" in loaded) return loaded.exit;
  const catalog = loaded.plan;

  // Write next to the target and rename at the end, so a failed run leaves no half-written database.
  const partial = `${target}.partial`;
  for (const p of [partial, `${partial}-wal`, `${partial}-shm`, `${partial}-journal`]) rmSync(p, { force: true });
  let db: Database.Database;
  try {
    db = new Database(partial);
  } catch (e) {
    throw new UsageError(`cannot write \`${out}\`: ${e instanceof Error ? e.message : String(e)}`);
  }
  const sampleOptions: SampleOptions = { customers, days, start, seed };
  const t0 = performance.now();
  let summary: SampleSummary;
  const tty = process.stderr.isTTY === true && !options.json;
  try {
    summary = generateSampleBank(db, catalog, sampleOptions, startDay, tty ? (n) => void process.stderr.write(`\r${fmt(n)} / ${fmt(customers)} customers`) : undefined);
    db.close();
  } catch (e) {
    if (db.open) db.close();
    for (const p of [partial, `${partial}-wal`, `${partial}-shm`]) rmSync(p, { force: true });
    if (e instanceof Error && /SQLITE_(CANTOPEN|READONLY|FULL|IOERR)/.test(String((e as { code?: unknown }).code))) throw new UsageError(`cannot write \`${out}\`: ${e.message}`);
    throw e;
  }
  if (tty) process.stderr.write("\n");
  if (existsSync(target)) rmSync(target, { force: true });
  renameSync(partial, target);
  const elapsedMs = performance.now() - t0;
  const report: SampleDataJsonReport = {
    path: out,
    catalog: { name: catalog.name, hash: catalog.hash, file: loaded.file },
    options: sampleOptions,
    generatorVersion: GENERATOR_VERSION,
    summary,
    elapsedMs: Math.round(elapsedMs),
    rowsPerSecond: summary.rows / Math.max(elapsedMs / 1000, 1e-3),
  };
  if (options.json) printJson(report);
  else print(renderSummary(report));
  return EXIT_OK;
}

/** The `sample-data` command, for main.ts: `program.addCommand(sampleDataCommand(done))`. */
export function sampleDataCommand(done?: (code: number) => void): Command {
  return new Command("sample-data")
    .description("generate a synthetic bank (customers, tags, events, profile updates) for a catalog into a SQLite database")
    .requiredOption("-o, --out <file.db>", "the database file to write")
    .option("--catalog <file-or-dir>", "the catalog to generate data for (default: the example retail catalog)")
    .option("--customers <N>", `how many customers, 1 to ${fmt(MAX_CUSTOMERS)} (100k, 2m allowed; default ${fmt(DEFAULT_CUSTOMERS)})`)
    .option("--days <D>", `days of events from the start date (default ${DEFAULT_DAYS})`)
    .option("--start <date>", `the first day, YYYY-MM-DD in the catalog's zone (default ${DEFAULT_START})`)
    .option("--seed <S>", `the random seed, 0 to 4294967295 (default ${DEFAULT_SEED})`)
    .option("--force", "replace the output file if it exists")
    .option("--json", "print the summary as JSON")
    .addHelpText("after", "\nSame seed and options, same data. Exit codes: 0 written, 1 the catalog has errors, 2 bad usage.")
    .action((options: SampleDataCliOptions) => {
      const code = runSampleData(options);
      if (done) done(code);
      else process.exitCode = code;
    });
}
