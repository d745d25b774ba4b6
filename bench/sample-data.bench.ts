/**
 * Sample-data generation benchmark: `generateSampleBank` (what `campaign
 * sample-data` runs) for 100k customers over 30 days (and 1M with
 * SAMPLE_1M=1), into a file-backed SQLite database, against a baseline in the
 * same run: a bare insert loop writing the same number of customer, tag,
 * event and profile-update rows with constant values (same pragmas, prepared
 * statements, one transaction per 2,000 customers), i.e. what SQLite alone costs.
 * Run: node --import tsx bench/sample-data.bench.ts   → bench/results/sample-data.json
 * Env: SAMPLE_N (default 100000), SAMPLE_DAYS (30), SAMPLE_1M=1 adds a 1,000,000 run.
 */
import Database from "better-sqlite3";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseIsoDate } from "../cli/sample/dates.ts";
import { generateSampleBank, type SampleSummary } from "../cli/sample/generate.ts";
import { createCustomerTables, customerRow } from "../compiler/data/load.ts";
import { customerColumns, quoteIdent } from "../compiler/data/layout.ts";
import { catalogPlan } from "../compiler/plan/catalogPlan.ts";
import type { CatalogPlan } from "../compiler/plan/types.ts";
import { checkProgram } from "../compiler/program.ts";
import { EVENT_INDEXES_DDL, EVENTS_DDL, PROFILE_UPDATES_DDL } from "../runtime/sources/schema.ts";
import { machineInfo } from "./support/machine.ts";

const DAYS = Number(process.env["SAMPLE_DAYS"] ?? 30);
const sizes = [Number(process.env["SAMPLE_N"] ?? 100_000), ...(process.env["SAMPLE_1M"] === "1" ? [1_000_000] : [])];

const path = "examples/catalog/retail.campaign";
const program = checkProgram([{ path, text: readFileSync(path, "utf8") }]);
const model = [...program.catalogs.values()][0];
if (!model) throw new Error("no catalog");
const catalog: CatalogPlan = catalogPlan(model);
const dir = mkdtempSync(join(tmpdir(), "campaign-sample-bench-"));

function generate(n: number): { ms: number; summary: SampleSummary; bytes: number } {
  const file = join(dir, `gen-${n}.db`);
  const db = new Database(file);
  const t0 = performance.now();
  const summary = generateSampleBank(db, catalog, { customers: n, days: DAYS, start: "2026-12-01", seed: 1 }, parseIsoDate("2026-12-01")!);
  db.close();
  const ms = performance.now() - t0;
  const bytes = statSync(file).size;
  rmSync(file, { force: true });
  return { ms, summary, bytes };
}

/** The same row counts with constant values: the cost of SQLite itself. */
function baseline(n: number, s: SampleSummary): { ms: number } {
  const file = join(dir, `base-${n}.db`);
  const db = new Database(file);
  const t0 = performance.now();
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = OFF");
  db.pragma("cache_size = -65536");
  createCustomerTables(db, catalog);
  db.exec(EVENTS_DDL);
  db.exec(PROFILE_UPDATES_DDL);
  const columns = [...customerColumns(catalog).values()];
  const names = ["\"id\"", ...columns.map((c) => c.column)];
  const ins = db.prepare(`INSERT INTO "customers" (${names.join(", ")}) VALUES (${names.map(() => "?").join(", ")})`);
  const tag = db.prepare(`INSERT INTO "customer_tags" ("customer_id", "tag") VALUES (?, ?)`);
  const ev = db.prepare(`INSERT INTO "events" ("id", "type", "customer_id", "at", "fields") VALUES (?, ?, ?, ?, ?)`);
  const up = db.prepare(`INSERT INTO "profile_updates" ("id", "customer_id", "at", "attrs") VALUES (?, ?, ?, ?)`);
  const tagRows = s.rows - n - s.eventCount - s.profileUpdates;
  const template = customerRow(columns, { id: "C0000000", attrs: { aum: 1234.5, age: 40, stage: "active", birthday: "1986-05-01", appUser: true, lastLogin: 1_790_000_000_000 }, tags: new Set() });
  const perCustomer = (total: number, i: number): number => Math.floor(((i + 1) * total) / n) - Math.floor((i * total) / n);
  let e = 0;
  let u = 0;
  const batch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const id = `C${String(i + 1).padStart(7, "0")}`;
      template[0] = id;
      ins.run(...template);
      const tags = perCustomer(tagRows, i);
      for (let k = 0; k < tags; k++) tag.run(id, `t${k}`);
      for (let k = perCustomer(s.eventCount, i); k > 0; k--) ev.run(`E${String(++e).padStart(9, "0")}`, "app.login", id, 1_796_000_000_000 + e, `{"device":"ios"}`);
      for (let k = perCustomer(s.profileUpdates, i); k > 0; k--) up.run(`P${String(++u).padStart(9, "0")}`, id, 1_796_000_000_000 + u, `{"aum":1000}`);
    }
  });
  for (let from = 0; from < n; from += 2_000) batch(from, Math.min(n, from + 2_000));
  for (const ddl of EVENT_INDEXES_DDL) db.exec(ddl);
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.close();
  const ms = performance.now() - t0;
  rmSync(file, { force: true });
  return { ms };
}

const results: Record<string, unknown>[] = [];
for (const n of sizes) {
  console.log(`sample-data: ${n.toLocaleString("en")} customers, ${DAYS} days`);
  const g = generate(n);
  const b = baseline(n, g.summary);
  const row = {
    customers: n,
    days: DAYS,
    rows: g.summary.rows,
    events: g.summary.eventCount,
    profileUpdates: g.summary.profileUpdates,
    seconds: Math.round(g.ms) / 1000,
    rowsPerSecond: Math.round(g.summary.rows / (g.ms / 1000)),
    phases: g.summary.timings,
    databaseMiB: Math.round(g.bytes / 2 ** 20),
    longTail: g.summary.longTail,
    baseline: { seconds: Math.round(b.ms) / 1000, rowsPerSecond: Math.round(g.summary.rows / (b.ms / 1000)) },
    overBaseline: Math.round((g.ms / b.ms) * 100) / 100,
  };
  console.log(`  generator: ${row.seconds} s, ${row.rowsPerSecond.toLocaleString("en")} rows/s (${row.rows.toLocaleString("en")} rows; customers+staging ${g.summary.timings.customersMs} ms, sort+indexes ${g.summary.timings.finishMs} ms), ${row.databaseMiB} MiB`);
  console.log(`  baseline (constant rows, same count): ${row.baseline.seconds} s, ${row.baseline.rowsPerSecond.toLocaleString("en")} rows/s; generator/baseline ${row.overBaseline}x`);
  results.push(row);
}
rmSync(dir, { recursive: true, force: true });
writeFileSync("bench/results/sample-data.json", `${JSON.stringify({ benchmark: "sample-data", machine: machineInfo(), target: "100k customers in well under a minute", results }, null, 2)}\n`);
console.log("wrote bench/results/sample-data.json");
