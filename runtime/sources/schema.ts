/**
 * The tables a sample bank (and any database handed to `campaign dry-run` or
 * the editor) holds besides the customer tables of compiler/data/layout.ts:
 *
 *   events(id TEXT PRIMARY KEY, type TEXT, customer_id TEXT, at INTEGER, fields TEXT)
 *     rows inserted in (at, id) order; `fields` is a JSON object of the
 *     event's payload; index events_by_time (at, id), events_by_customer (customer_id, at)
 *   profile_updates(id TEXT PRIMARY KEY, customer_id TEXT, at INTEGER, attrs TEXT)
 *     `attrs` is a JSON object of new attribute values; index profile_updates_by_time (at, id)
 *   meta(key TEXT PRIMARY KEY, value TEXT)
 *
 * and the checks that a database has the tables and column types a catalog
 * expects, with errors that name the table and column.
 */
import type Database from "better-sqlite3";
import { affinityOf, columnTypeOf, CUSTOMERS_TABLE, ID_COLUMN, quoteIdent, TAGS_TABLE, type SqlColumnType } from "../../compiler/data/layout.ts";
import { tableColumns } from "../../compiler/data/load.ts";
import type { CatalogPlan } from "../../compiler/plan/types.ts";

export { tableColumns };

export const EVENTS_TABLE = "events";
export const PROFILE_UPDATES_TABLE = "profile_updates";
export const META_TABLE = "meta";

/** Something wrong with the data in a database: a missing table, a column of the wrong type, a bad row. */
export class DataSourceError extends Error {
  override readonly name = "DataSourceError";
}

export const EVENTS_DDL = `CREATE TABLE "events" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "type" TEXT NOT NULL,
  "customer_id" TEXT NOT NULL,
  "at" INTEGER NOT NULL,
  "fields" TEXT NOT NULL
)`;

export const PROFILE_UPDATES_DDL = `CREATE TABLE "profile_updates" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "customer_id" TEXT NOT NULL,
  "at" INTEGER NOT NULL,
  "attrs" TEXT NOT NULL
)`;

export const META_DDL = `CREATE TABLE "meta" ("key" TEXT NOT NULL PRIMARY KEY, "value" TEXT NOT NULL) WITHOUT ROWID`;

/** Indexes created after the tables are filled (building them once is faster than maintaining them). */
export const EVENT_INDEXES_DDL: readonly string[] = [
  `CREATE INDEX "events_by_time" ON "events" ("at", "id")`,
  `CREATE INDEX "events_by_customer" ON "events" ("customer_id", "at")`,
  `CREATE INDEX "profile_updates_by_time" ON "profile_updates" ("at", "id")`,
];

/** Checks that `table` exists and has each expected column with a declared type of the expected affinity. */
export function requireColumns(db: Database.Database, table: string, expected: readonly { name: string; type: SqlColumnType; what?: string }[], dbName = "the database"): void {
  const cols = tableColumns(db, table);
  if (!cols) throw new DataSourceError(`${dbName} has no table \`${table}\` (expected columns ${expected.map((e) => `${e.name} ${e.type}`).join(", ")})`);
  for (const e of expected) {
    const declared = cols.get(e.name);
    if (declared === undefined) throw new DataSourceError(`table \`${table}\` has no column \`${e.name}\`${e.what ? ` (${e.what})` : ""}: expected a ${e.type} column`);
    const affinity = affinityOf(declared);
    if (affinity !== e.type) throw new DataSourceError(`column \`${table}.${e.name}\` is declared ${declared === "" ? "without a type" : `\`${declared}\``}, but${e.what ? ` ${e.what}` : ""} needs ${e.type}`);
  }
}

/** Checks the customer tables against the catalog: every attribute has its column, of the layout's type. */
export function requireCustomerTables(db: Database.Database, catalog: Pick<CatalogPlan, "attributes">, dbName?: string): void {
  const expected: { name: string; type: SqlColumnType; what?: string }[] = [{ name: ID_COLUMN, type: "TEXT", what: "the customer id" }];
  for (const a of catalog.attributes) {
    const t = columnTypeOf(a.type);
    if (t) expected.push({ name: a.name, type: t.sqlType, what: `attribute \`${a.name}\` (${a.type.t})` });
  }
  requireColumns(db, CUSTOMERS_TABLE, expected, dbName);
  requireColumns(db, TAGS_TABLE, [{ name: "customer_id", type: "TEXT" }, { name: "tag", type: "TEXT" }], dbName);
}

export function requireEventTables(db: Database.Database, dbName?: string): void {
  requireColumns(db, EVENTS_TABLE, [
    { name: "id", type: "TEXT" },
    { name: "type", type: "TEXT" },
    { name: "customer_id", type: "TEXT" },
    { name: "at", type: "INTEGER", what: "the event time in epoch ms" },
    { name: "fields", type: "TEXT", what: "the payload as a JSON object" },
  ], dbName);
}

export function requireProfileUpdateTable(db: Database.Database, dbName?: string): void {
  requireColumns(db, PROFILE_UPDATES_TABLE, [
    { name: "id", type: "TEXT" },
    { name: "customer_id", type: "TEXT" },
    { name: "at", type: "INTEGER", what: "the update time in epoch ms" },
    { name: "attrs", type: "TEXT", what: "the new values as a JSON object" },
  ], dbName);
}
