/**
 * Writing customer records into the layout of ./layout.ts and running
 * audience SQL, over a minimal database interface (better-sqlite3's Database
 * satisfies it) so that compiler/ imports no database driver.
 */
import type { CustomerRecord, EvalContext, Pred } from "../ir/predicate.ts";
import type { CatalogPlan } from "../plan/types.ts";
import { compileSql } from "../codegen/sql.ts";
import { customerColumns, customerTablesDDL, ID_COLUMN, quoteIdent, TAGS_TABLE, CUSTOMERS_TABLE, tagBitColumnNames, tagBits, type ColumnInfo, type LayoutCatalog, type TagBit } from "./layout.ts";
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

/**
 * The values of the tag bit columns for a customer's tags (one number per bit
 * column, see `tagBits`): the sum of the masks of the catalog tags it carries.
 * Tags the catalog does not list have no bit (they live in customer_tags only).
 */
export function tagBitValues(bits: ReadonlyMap<string, TagBit>, columnCount: number, tags: ReadonlySet<string>): number[] {
  const out = new Array<number>(columnCount).fill(0);
  for (const t of tags) {
    const b = bits.get(t);
    if (b) out[b.columnIndex] = (out[b.columnIndex] ?? 0) + b.mask;
  }
  return out;
}

/** Creates the customer tables in an empty database. */
export function createCustomerTables(db: SqlDatabase, catalog: LayoutCatalog): void {
  for (const stmt of customerTablesDDL(catalog)) db.exec(stmt);
}

/** Inserts customers (their attributes, tag bits and tags) in one transaction. */
export function insertCustomers(db: SqlDatabase, catalog: LayoutCatalog, records: Iterable<CustomerRecord>): number {
  const columns = [...customerColumns(catalog).values()];
  const bitColumns = tagBitColumnNames(catalog);
  const bits = tagBits(catalog);
  const names = [quoteIdent(ID_COLUMN), ...columns.map((c) => c.column), ...bitColumns.map(quoteIdent)];
  const insert = db.prepare(`INSERT INTO ${quoteIdent(CUSTOMERS_TABLE)} (${names.join(", ")}) VALUES (${names.map(() => "?").join(", ")})`);
  const insertTag = db.prepare(`INSERT OR IGNORE INTO ${quoteIdent(TAGS_TABLE)} ("customer_id", "tag") VALUES (?, ?)`);
  let n = 0;
  db.exec("BEGIN");
  try {
    for (const r of records) {
      const row = customerRow(columns, r);
      if (bitColumns.length > 0) row.push(...tagBitValues(bits, bitColumns.length, r.tags));
      insert.run(...row);
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

/**
 * Recomputes the tag bit columns from customer_tags, for databases whose
 * customers were written without them (their bits are NULL, which audience
 * SQL answers from customer_tags, correctly but more slowly) or whose tags
 * changed. Every tag name is a bound parameter.
 */
export function refreshTagBits(db: SqlDatabase, catalog: LayoutCatalog): void {
  const bitColumns = tagBitColumnNames(catalog).map(quoteIdent);
  if (bitColumns.length === 0) return;
  const customers = quoteIdent(CUSTOMERS_TABLE);
  db.exec("BEGIN");
  try {
    db.exec(`UPDATE ${customers} SET ${bitColumns.map((c) => `${c} = 0`).join(", ")}`);
    for (const b of tagBits(catalog).values()) {
      db.prepare(`UPDATE ${customers} SET ${b.column} = ${b.column} | ? WHERE ${quoteIdent(ID_COLUMN)} IN (SELECT "customer_id" FROM ${quoteIdent(TAGS_TABLE)} WHERE "tag" = ?)`).run(b.mask, b.tag);
    }
    db.exec("COMMIT");
  } catch (e) {
    db.exec("ROLLBACK");
    throw e;
  }
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

/** The declared columns of a table (name → declared type); undefined when there is no such table. */
export function tableColumns(db: SqlDatabase, table: string): Map<string, string> | undefined {
  const rows = db.prepare(`PRAGMA table_info(${quoteIdent(table)})`).all();
  if (rows.length === 0) return undefined;
  const out = new Map<string, string>();
  for (const row of rows) {
    const r = row as { name?: unknown; type?: unknown };
    if (typeof r.name === "string") out.set(r.name, typeof r.type === "string" ? r.type : "");
  }
  return out;
}
