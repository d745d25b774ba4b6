/**
 * Writes a synthetic bank into a SQLite database for a catalog: the customer
 * tables of compiler/data/layout.ts (created with `createCustomerTables`, so
 * the compiler's audience SQL runs on them unchanged), `events`,
 * `profile_updates` and `meta` (runtime/sources/schema.ts).
 *
 * Rows are streamed: customers are drawn one at a time and written in
 * batches, one transaction per batch, through prepared statements; events and
 * profile updates go to temporary staging tables as they are drawn and are
 * copied into their tables in (at, customer, sequence) order at the end, with
 * ids numbered in that order. Memory stays flat whatever the customer count.
 * Determinism: every draw comes from seeded per-customer streams, so the same
 * seed and options write the same rows.
 */
import type Database from "better-sqlite3";
import { DateTime } from "luxon";
import { createCustomerTables, customerRow, refreshTagBits, type SqlValue } from "../../compiler/data/load.ts";
import { customerColumns, CUSTOMERS_TABLE, ID_COLUMN, quoteIdent, TAGS_TABLE } from "../../compiler/data/layout.ts";
import type { CatalogPlan } from "../../compiler/plan/types.ts";
import { EVENT_INDEXES_DDL, EVENTS_DDL, META_DDL, PROFILE_UPDATES_DDL } from "../../runtime/sources/schema.ts";
import { civil } from "./dates.ts";
import { AUM_LEVELS, attributeRules, generateCustomer, LONG_TAIL_AUM, aumLevelIndex, type CustomerContext } from "./customers.ts";
import { customerEvents, DayTable, type EventContext, type SampleEvent, type SampleUpdate } from "./events.ts";

/** Bumped whenever the same seed and options would produce different rows. */
export const GENERATOR_VERSION = 1;

export interface SampleOptions {
  readonly customers: number;
  readonly days: number;
  /** "YYYY-MM-DD": the attributes describe the bank at local midnight of this day; events run from it for `days` days. */
  readonly start: string;
  readonly seed: number;
}

export interface SampleSummary {
  readonly customers: number;
  readonly tags: Readonly<Record<string, number>>;
  readonly events: Readonly<Record<string, number>>;
  readonly eventCount: number;
  readonly profileUpdates: number;
  readonly totalAum: number;
  readonly longTail: { readonly threshold: number; readonly customers: number; readonly customerShare: number; readonly aum: number; readonly aumShare: number };
  /** Customers per AUM level, L1..L7 (by the AUM attribute, if the catalog has `aum`). */
  readonly aumLevels: Readonly<Record<string, number>>;
  readonly period: { readonly from: number; readonly to: number; readonly zone: string };
  readonly rows: number;
  /** Milliseconds spent drawing and writing customers with staged events, and sorting events into their tables with indexes. */
  readonly timings: { readonly customersMs: number; readonly finishMs: number };
}

/** Customers per transaction. */
const BATCH = 2_000;

/** Local midnight of a calendar day in a zone. */
function midnight(day: number, zone: string): number {
  const { y, m, d } = civil(day);
  return DateTime.fromObject({ year: y, month: m, day: d }, { zone }).toMillis();
}

/**
 * Fills an empty database. The caller opens (and closes) it; `startDay` is
 * the day number of `options.start`. `progress` is told the customers written so far.
 */
export function generateSampleBank(db: Database.Database, catalog: CatalogPlan, options: SampleOptions, startDay: number, progress?: (done: number) => void): SampleSummary {
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = OFF");
  db.pragma("cache_size = -65536");
  db.pragma("temp_store = FILE");
  createCustomerTables(db, catalog);
  db.exec(EVENTS_DDL);
  db.exec(PROFILE_UPDATES_DDL);
  db.exec(META_DDL);
  db.exec(`CREATE TEMP TABLE staged_events (at INTEGER NOT NULL, ci INTEGER NOT NULL, k INTEGER NOT NULL, type TEXT NOT NULL, customer_id TEXT NOT NULL, fields TEXT NOT NULL)`);
  db.exec(`CREATE TEMP TABLE staged_updates (at INTEGER NOT NULL, ci INTEGER NOT NULL, k INTEGER NOT NULL, customer_id TEXT NOT NULL, attrs TEXT NOT NULL)`);

  const zone = catalog.zone;
  const startMs = midnight(startDay, zone);
  const endMs = midnight(startDay + options.days, zone);
  const idWidth = Math.max(7, String(options.customers).length);
  const cctx: CustomerContext = { seed: options.seed, startDay, startMs, catalog, idWidth };
  const rules = attributeRules(catalog);
  const known = (name: string): boolean => rules.some((r) => r.name === name && r.known);
  const ectx: EventContext = {
    seed: options.seed,
    startDay,
    days: options.days,
    catalog,
    updatable: { aum: known("aum"), aumLevel: known("aumLevel"), tier: known("tier"), depositBalance: known("depositBalance") },
  };
  const days = new DayTable(startDay, options.days);

  const columns = [...customerColumns(catalog).values()];
  const names = [quoteIdent(ID_COLUMN), ...columns.map((c) => c.column)];
  const insertCustomer = db.prepare(`INSERT INTO ${quoteIdent(CUSTOMERS_TABLE)} (${names.join(", ")}) VALUES (${names.map(() => "?").join(", ")})`);
  const insertTag = db.prepare(`INSERT INTO ${quoteIdent(TAGS_TABLE)} ("customer_id", "tag") VALUES (?, ?)`);
  const stageEvent = db.prepare(`INSERT INTO temp.staged_events VALUES (?, ?, ?, ?, ?, ?)`);
  const stageUpdate = db.prepare(`INSERT INTO temp.staged_updates VALUES (?, ?, ?, ?, ?)`);

  const tagCounts = new Map<string, number>(catalog.tags.map((t) => [t.name, 0]));
  const eventCounts = new Map<string, number>(catalog.events.map((e) => [e.name, 0]));
  const levelCounts = AUM_LEVELS.map(() => 0);
  const hasAum = known("aum");
  let totalAum = 0;
  let tailAum = 0;
  let tailCustomers = 0;
  let eventCount = 0;
  let updateCount = 0;
  let tagRows = 0;

  // The current customer, for the emit callbacks (kept out of the loop's closures for speed).
  let ci = 0;
  let cid = "";
  let k = 0;
  const onEvent = (e: SampleEvent): void => {
    stageEvent.run(e.at, ci, k++, e.type, cid, JSON.stringify(e.fields));
    eventCounts.set(e.type, (eventCounts.get(e.type) ?? 0) + 1);
    eventCount++;
  };
  const onUpdate = (u: SampleUpdate): void => {
    stageUpdate.run(u.at, ci, k++, cid, JSON.stringify(u.attrs));
    updateCount++;
  };

  const writeBatch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const c = generateCustomer(i, cctx, rules);
      const l = c.latent;
      insertCustomer.run(...(customerRow(columns, { id: l.id, attrs: c.attrs, tags: c.tags }) as SqlValue[]));
      for (const t of [...c.tags].sort()) {
        insertTag.run(l.id, t);
        tagCounts.set(t, (tagCounts.get(t) ?? 0) + 1);
        tagRows++;
      }
      const aum = hasAum ? c.attrs["aum"] : null;
      if (typeof aum === "number") {
        totalAum += aum;
        levelCounts[aumLevelIndex(aum)]! += 1;
        if (aum < LONG_TAIL_AUM) {
          tailAum += aum;
          tailCustomers++;
        }
      }
      ci = i;
      cid = l.id;
      k = 0;
      if (options.days > 0) customerEvents(l, ectx, days, onEvent, onUpdate);
    }
  });
  const t0 = performance.now();
  for (let from = 0; from < options.customers; from += BATCH) {
    const to = Math.min(options.customers, from + BATCH);
    writeBatch(from, to);
    progress?.(to);
  }
  // The audience SQL reads tags from the tag-bit columns (fast path); fill them from customer_tags.
  refreshTagBits(db, catalog);

  const t1 = performance.now();
  const width = (n: number): number => Math.max(9, String(n).length);
  db.transaction(() => {
    db.exec(`INSERT INTO "events" ("id", "type", "customer_id", "at", "fields")
      SELECT printf('E%0${width(eventCount)}d', row_number() OVER (ORDER BY at, ci, k)), type, customer_id, at, fields
      FROM temp.staged_events ORDER BY at, ci, k`);
    db.exec(`INSERT INTO "profile_updates" ("id", "customer_id", "at", "attrs")
      SELECT printf('P%0${width(updateCount)}d', row_number() OVER (ORDER BY at, ci, k)), customer_id, at, attrs
      FROM temp.staged_updates ORDER BY at, ci, k`);
    db.exec(`DROP TABLE temp.staged_events`);
    db.exec(`DROP TABLE temp.staged_updates`);
    for (const ddl of EVENT_INDEXES_DDL) db.exec(ddl);
    const meta = db.prepare(`INSERT INTO "meta" ("key", "value") VALUES (?, ?)`);
    const entries: [string, string][] = [
      ["generator", "campaign sample-data"],
      ["generator_version", String(GENERATOR_VERSION)],
      ["seed", String(options.seed)],
      ["options", JSON.stringify({ customers: options.customers, days: options.days, start: options.start, seed: options.seed })],
      ["catalog", catalog.name],
      ["catalog_hash", catalog.hash],
      ["zone", zone],
      ["period_from", String(startMs)],
      ["period_to", String(endMs)],
    ];
    for (const [key, value] of entries) meta.run(key, value);
  })();
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.pragma("journal_mode = DELETE");

  const t2 = performance.now();
  const share = (a: number, b: number): number => (b > 0 ? a / b : 0);
  return {
    customers: options.customers,
    tags: Object.fromEntries(tagCounts),
    events: Object.fromEntries(eventCounts),
    eventCount,
    profileUpdates: updateCount,
    totalAum: Math.round(totalAum),
    longTail: { threshold: LONG_TAIL_AUM, customers: tailCustomers, customerShare: share(tailCustomers, options.customers), aum: Math.round(tailAum), aumShare: share(tailAum, totalAum) },
    aumLevels: hasAum ? Object.fromEntries(levelCounts.map((n, i) => [`L${i + 1}`, n])) : {},
    period: { from: startMs, to: endMs, zone },
    rows: options.customers + tagRows + eventCount + updateCount,
    timings: { customersMs: Math.round(t1 - t0), finishMs: Math.round(t2 - t1) },
  };
}
