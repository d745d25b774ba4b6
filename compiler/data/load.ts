/**
 * Writing customer records into the layout of ./layout.ts and running
 * audience SQL, over a minimal database interface (better-sqlite3's Database
 * satisfies it) so that compiler/ imports no database driver.
 */
import type { CustomerRecord, EvalContext, Pred } from "../ir/predicate.ts";
import type { CatalogPlan } from "../plan/types.ts";
import { compileSql } from "../codegen/sql.ts";
import { customerColumns, customerTablesDDL, ID_COLUMN, quoteIdent, TAGS_TABLE, CUSTOMERS_TABLE, type ColumnInfo } from "./layout.ts";
import { normalizeValue, ownValue, wellFormed } from "./values.ts";

/** A value SQLite stores: bools are written as 0/1. */
export type SqlValue = string | number | null;

/** A prepared statement, as much of it as this module uses. */
export interface SqlStatement {
  run(...params: SqlValue[]): unknown;
  all(...params: SqlValue[]): unknown[];
}

/** A SQLite connection, as much of it as this module uses. */
export interface SqlDatabase {
  exec(sql: string): unknown;
  prepare(sql: string): SqlStatement;
}

/** One customer's row for the customers table, in the order of `columns`. */
export function customerRow(columns: readonly ColumnInfo[], record: CustomerRecord): SqlValue[] {
  return [
    wellFormed(record.id),
    ...columns.map((c) => {
      const v = normalizeValue(c.rep, ownValue(record.attrs, c.attribute));
      return typeof v === "boolean" ? (v ? 1 : 0) : v;
    }),
  ];
}

/** Creates the customer tables in an empty database. */
export function createCustomerTables(db: SqlDatabase, catalog: Pick<CatalogPlan, "attributes">): void {
  for (const stmt of customerTablesDDL(catalog)) db.exec(stmt);
}

/** Inserts customers (their attributes and tags) in one transaction. */
export function insertCustomers(db: SqlDatabase, catalog: Pick<CatalogPlan, "attributes">, records: Iterable<CustomerRecord>): number {
  const columns = [...customerColumns(catalog).values()];
  const names = [quoteIdent(ID_COLUMN), ...columns.map((c) => c.column)];
  const insert = db.prepare(`INSERT INTO ${quoteIdent(CUSTOMERS_TABLE)} (${names.join(", ")}) VALUES (${names.map(() => "?").join(", ")})`);
  const insertTag = db.prepare(`INSERT OR IGNORE INTO ${quoteIdent(TAGS_TABLE)} ("customer_id", "tag") VALUES (?, ?)`);
  let n = 0;
  db.exec("BEGIN");
  try {
    for (const r of records) {
      insert.run(...customerRow(columns, r));
      for (const t of r.tags) insertTag.run(wellFormed(r.id), wellFormed(t));
      n++;
    }
    db.exec("COMMIT");
  } catch (e) {
    db.exec("ROLLBACK");
    throw e;
  }
  return n;
}

/** The ids of the customers in the audience `pred` at `ctx`, sorted, by running its SQL. */
export function selectAudience(db: SqlDatabase, pred: Pred, catalog: CatalogPlan, ctx: EvalContext): string[] {
  const { sql, params } = compileSql(pred, catalog, ctx);
  const rows = db.prepare(sql).all(...params);
  const ids: string[] = [];
  for (const row of rows) {
    const id = typeof row === "object" && row !== null ? (row as Record<string, unknown>)[ID_COLUMN] : undefined;
    if (typeof id === "string") ids.push(id);
  }
  return ids.sort();
}
