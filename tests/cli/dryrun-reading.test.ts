/**
 * How the dry-run reads its inputs (cli/dryrun/inputs.ts, inputThread.ts):
 * the reader thread gives the same stream as reading in this thread, with or
 * without a selection; a selection reads exactly the rows it names; the
 * report is the same whether the inputs are read in a thread or not, and
 * whether SQLite skips the rows no campaign can act on or every row is read;
 * the reader's errors reach the caller.
 */
import Database from "better-sqlite3";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { threadInputs } from "../../cli/dryrun/inputThread.ts";
import { inputQueries, rawInputs, type EventSelection, type RawInput } from "../../cli/dryrun/inputs.ts";
import { dryRunPrefilter } from "../../cli/dryrun/prefilter.ts";
import { simulate, updatedAttributes, type SimCampaign } from "../../cli/dryrun/simulate.ts";
import { ZoneClock } from "../../cli/dryrun/time.ts";
import { parseIsoDate } from "../../cli/sample/dates.ts";
import { generateSampleBank } from "../../cli/sample/generate.ts";
import { checkProgram } from "../../compiler/program.ts";
import { DataSourceError } from "../../runtime/sources/schema.ts";
import { SqliteCustomerSource } from "../../runtime/sources/sqliteCustomers.ts";
import { SqliteEventSource } from "../../runtime/sources/sqliteEvents.ts";
import { repoRoot } from "./run.ts";

let dir = "";
let bank = "";
let campaigns: SimCampaign[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "campaign-dryrun-reading-"));
  bank = join(dir, "bank.db");
  const files = ["examples", "examples/catalog", "examples/segments"].flatMap((d) =>
    readdirSync(join(repoRoot, d))
      .filter((f) => f.endsWith(".campaign"))
      .map((f) => `${d}/${f}`),
  );
  const program = checkProgram(files.map((f) => ({ path: f, text: readFileSync(join(repoRoot, f), "utf8") })));
  campaigns = program.campaigns.map((c) => ({ plan: c.plan, file: c.file }));
  const db = new Database(bank);
  generateSampleBank(db, campaigns[0]!.plan.catalog, { customers: 1_500, days: 30, start: "2026-12-01", seed: 5 }, parseIsoDate("2026-12-01")!);
  db.close();
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An input as plain data, to compare streams. */
function plain(x: RawInput): unknown[] {
  return x.kind === "event" ? ["event", x.event.id, x.event.type, x.event.customerId, x.event.at, x.event.fields] : ["profile", x.update.id, x.update.customerId, x.update.at, x.update.attrs];
}

function period(db: Database.Database): { from: number; to: number } {
  const p = new SqliteEventSource(db).period()!;
  return { from: p.from, to: p.to };
}

describe("the dry-run's input stream", () => {
  const older: EventSelection = {
    everyRowOf: ["purchase", "app_push.opened"],
    selectedOf: new Map([["app.login", [{ sql: `SELECT "id" FROM "customers" WHERE "age" >= ?`, params: [45] }]]]),
    updatesOf: [{ sql: `SELECT "id" FROM "customers" WHERE "age" >= ?`, params: [45] }],
  };

  it("is the same read in a second thread as in this one, with and without a selection", () => {
    const db = new Database(bank, { readonly: true });
    const { from, to } = period(db);
    for (const sel of [undefined, older]) {
      const here = [...rawInputs(db, from, to, sel)].map(plain);
      const there = [...threadInputs(bank, inputQueries(db, from, to, sel))].map(plain);
      expect(here.length).toBeGreaterThan(sel ? 500 : 5_000);
      expect(there).toEqual(here);
    }
    db.close();
  });

  it("with a selection holds exactly the rows it names, in the same order as all rows", () => {
    const db = new Database(bank, { readonly: true });
    const { from, to } = period(db);
    const older45 = new Set(db.prepare(`SELECT "id" FROM "customers" WHERE "age" >= 45`).pluck().all() as string[]);
    const wanted = (x: RawInput): boolean =>
      x.kind === "profile" ? older45.has(x.update.customerId) : ["purchase", "app_push.opened"].includes(x.event.type) || (x.event.type === "app.login" && older45.has(x.event.customerId));
    const all = [...rawInputs(db, from, to)];
    const selected = [...rawInputs(db, from, to, older)];
    expect(selected.map(plain)).toEqual(all.filter(wanted).map(plain));
    expect(selected.length).toBeLessThan(all.length);
    db.close();
  });

  it("reports a reader's failure, and a payload that is not a JSON object names its row", () => {
    const db = new Database(bank, { readonly: true });
    const { from, to } = period(db);
    const q = inputQueries(db, from, to);
    db.close();
    expect(() => [...threadInputs(join(dir, "missing.db"), q)]).toThrow(/reading the inputs failed/);
    const broken = join(dir, "broken.db");
    const w = new Database(bank, { readonly: true });
    w.exec(`VACUUM INTO '${broken.replace(/'/g, "''")}'`);
    w.close();
    const b = new Database(broken);
    const row = b.prepare(`SELECT "id" FROM "profile_updates" ORDER BY "at", "id" LIMIT 1 OFFSET 10`).pluck().get() as string;
    b.prepare(`UPDATE "profile_updates" SET "attrs" = '[1, 2]' WHERE "id" = ?`).run(row);
    b.close();
    const read = (): unknown[] => [...threadInputs(broken, q)];
    expect(read).toThrow(DataSourceError);
    expect(read).toThrow(new RegExp(`\`profile_updates.attrs\` of row \`${row}\` is not a JSON object`));
  });
});

describe("the dry-run's report", () => {
  it("is the same read in a thread or not, and with every row read", () => {
    const run = (options: { readInThread?: boolean; readEveryRow?: boolean }): unknown => {
      const events = SqliteEventSource.open(bank);
      const { from, to } = period(events.db);
      const catalog = campaigns[0]!.plan.catalog;
      const updated = updatedAttributes(events, from, to);
      const customers = SqliteCustomerSource.open(bank, catalog, { cacheSize: 500, prefilter: dryRunPrefilter(campaigns.map((c) => c.plan), updated), snapshot: true });
      try {
        return simulate({ campaigns, customers, updated, events, clock: new ZoneClock(catalog.zone), from, to, ...options });
      } finally {
        customers.close();
        events.close();
      }
    };
    const threaded = run({});
    expect((threaded as { inputs: { handedIn: { events: number } } }).inputs.handedIn.events).toBeGreaterThan(100);
    expect(run({ readInThread: false })).toEqual(threaded);
    expect(run({ readInThread: false, readEveryRow: true })).toEqual(threaded);
  }, 120_000);
});
