/**
 * A CustomerSource over a SQLite database in the layout of
 * compiler/data/layout.ts (what `campaign sample-data` writes, or a bank's
 * own extract): `customers` with one column per catalog attribute and
 * `customer_tags`.
 *
 * - `get(id)` runs one prepared statement and converts the columns back to
 *   runtime values by catalog type (money/number/score/int → number, string/
 *   enum/timezone → string, date → "YYYY-MM-DD", datetime → epoch ms, bool
 *   0/1 → false/true; anything that does not fit is missing, null). Results
 *   are kept in an LRU cache of `cacheSize` records (default 1,000; 0 turns
 *   it off). The source treats the database as read-only: call `clearCache()`
 *   after something else changed it.
 * - `scan(hint?)` streams every customer in id order with `.iterate()`, so
 *   memory stays flat. With a `prefilter` option and a hint naming a campaign,
 *   it streams only the ids the campaign's audience SQL selects
 *   (compiler/codegen/sql.ts); the runtime re-checks every record anyway, so a
 *   pre-filter only has to select a superset. See `prefilterForPlans` for when
 *   it is safe.
 *
 * - `snapshot: true` holds one read transaction from opening to `close()`:
 *   every read sees the database as it was when the source opened, and no
 *   statement pays for taking and releasing SQLite's file lock (about 6 µs of
 *   a 10 µs lookup here). For a dry-run, which reads a fixed extract; not for
 *   a dispatch service reading a table that others keep writing (the held
 *   lock would block a rollback-journal writer, and new rows would not show).
 *
 * Opening checks the tables against the catalog and throws DataSourceError
 * naming a missing table or a column whose declared type does not fit.
 */
import Database from "better-sqlite3";
import { compileSqlCondition, SqlCompileError } from "../../compiler/codegen/sql.ts";
import { customerColumns, CUSTOMERS_TABLE, ID_COLUMN, quoteIdent, TAGS_TABLE } from "../../compiler/data/layout.ts";
import { attributesRead, walkPred, valuesOf, walkValue, type CustomerRecord, type EvalContext, type Pred, type RuntimeValue } from "../../compiler/ir/predicate.ts";
import type { AttributeTypePlan, CatalogPlan, Plan } from "../../compiler/plan/types.ts";
import type { CustomerSource } from "../types.ts";
import { DataSourceError, requireCustomerTables } from "./schema.ts";

export { DataSourceError } from "./schema.ts";

/** An audience to pre-filter a campaign's scan with, and the context to compile its SQL in. */
export interface Prefilter {
  readonly pred: Pred;
  readonly ctx: EvalContext;
}

export interface SqliteCustomerSourceOptions {
  /** Records kept by `get` (least recently used dropped first). Default 1,000; 0 turns caching off. */
  readonly cacheSize?: number;
  /** The audience to pre-filter `scan({ campaign, at })` with (`at`: the batch occurrence's instant, when the hint has it), or undefined to scan everyone. */
  readonly prefilter?: (campaign: string, at?: number) => Prefilter | undefined;
  /** How errors name the database (default: its file name). */
  readonly name?: string;
  /** Read everything in one read transaction, held until `close()` (see the module comment). Default false. */
  readonly snapshot?: boolean;
}

export const DEFAULT_CACHE_SIZE = 1_000;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

type Convert = (raw: unknown) => RuntimeValue;

/**
 * One copy of each value of a small domain (enum values, zone names, tags):
 * SQLite hands out a fresh string per row, and a million cached records
 * would otherwise hold a million copies of "Asia/Shanghai". Bounded: past
 * `INTERN_MAX` distinct values, new ones are not kept.
 */
class Interner {
  private readonly seen = new Map<string, string>();
  of(s: string): string {
    const hit = this.seen.get(s);
    if (hit !== undefined) return hit;
    if (this.seen.size < INTERN_MAX) this.seen.set(s, s);
    return s;
  }
}
const INTERN_MAX = 10_000;

/** The reader of one column's stored value for an attribute type. */
function converter(t: AttributeTypePlan, interner: Interner): Convert {
  switch (t.t) {
    case "money":
    case "number":
    case "score":
    case "int":
    case "datetime":
      return (raw) => (typeof raw === "number" && Number.isFinite(raw) ? raw : null);
    case "string":
      return (raw) => (typeof raw === "string" ? raw : null);
    case "enum":
    case "timezone":
      return (raw) => (typeof raw === "string" ? interner.of(raw) : null);
    case "date":
      return (raw) => (typeof raw === "string" && DATE.test(raw) ? raw : null);
    case "bool":
      return (raw) => (raw === 1 ? true : raw === 0 ? false : null);
    case "tags":
      return () => null;
  }
}

export class SqliteCustomerSource implements CustomerSource {
  private readonly names: readonly string[];
  private readonly converters: readonly Convert[];
  /**
   * Every attribute, null: each record's attributes start as a copy of it.
   * An object given 22 properties by keyed stores (`attrs[name] = v`) falls
   * into V8's dictionary mode: 2 KB per record and a hash lookup per read.
   * JSON.parse builds this one with fast properties, a spread copies it with
   * its shape, and stores to properties it already has keep that shape: about
   * a third of the memory, and the compiled predicates' reads stay fast. The
   * names are catalog text, so they go in as JSON data, never as source.
   */
  private readonly attrsTemplate: Readonly<Record<string, RuntimeValue>>;
  private readonly selectList: string;
  private readonly byId: Database.Statement;
  private readonly all: Database.Statement;
  private readonly cache = new Map<string, CustomerRecord | undefined>();
  /** Records kept by `pinWhere`, answered before the LRU cache and never evicted. */
  private readonly pinned = new Map<string, CustomerRecord>();
  private readonly cacheSize: number;
  private readonly prefilter: ((campaign: string, at?: number) => Prefilter | undefined) | undefined;
  private readonly catalog: CatalogPlan;
  private readonly interner = new Interner();

  /** Opens a database file read-only. Throws DataSourceError when it is not a customer database for `catalog`. */
  static open(path: string, catalog: CatalogPlan, options: SqliteCustomerSourceOptions = {}): SqliteCustomerSource {
    let db: Database.Database;
    try {
      db = new Database(path, { readonly: true, fileMustExist: true });
    } catch (e) {
      throw new DataSourceError(`cannot open the customer database \`${path}\`: ${e instanceof Error ? e.message : String(e)}`);
    }
    try {
      return new SqliteCustomerSource(db, catalog, { name: `\`${path}\``, ...options });
    } catch (e) {
      db.close();
      throw e;
    }
  }

  constructor(readonly db: Database.Database, catalog: CatalogPlan, options: SqliteCustomerSourceOptions = {}) {
    requireCustomerTables(db, catalog, options.name);
    this.catalog = catalog;
    this.cacheSize = Math.max(0, Math.floor(options.cacheSize ?? DEFAULT_CACHE_SIZE));
    this.prefilter = options.prefilter;
    const columns = [...customerColumns(catalog).values()];
    const types = new Map(catalog.attributes.map((a) => [a.name, a.type]));
    this.names = columns.map((c) => c.attribute);
    this.attrsTemplate = JSON.parse(JSON.stringify(Object.fromEntries(this.names.map((n) => [n, null])))) as Record<string, RuntimeValue>;
    this.converters = columns.map((c) => converter(types.get(c.attribute) ?? { t: "string" }, this.interner));
    const c = quoteIdent(CUSTOMERS_TABLE);
    const tags = `(SELECT json_group_array(t."tag") FROM ${quoteIdent(TAGS_TABLE)} AS t WHERE t."customer_id" = ${c}.${quoteIdent(ID_COLUMN)})`;
    this.selectList = [`${c}.${quoteIdent(ID_COLUMN)}`, ...columns.map((col) => `${c}.${col.column}`), tags].join(", ");
    this.byId = db.prepare(`SELECT ${this.selectList} FROM ${c} WHERE ${c}.${quoteIdent(ID_COLUMN)} = ?`).raw(true);
    this.all = db.prepare(`SELECT ${this.selectList} FROM ${c} ORDER BY ${c}.${quoteIdent(ID_COLUMN)}`).raw(true);
    if (options.snapshot === true && !db.inTransaction) {
      db.exec("BEGIN");
      // A deferred transaction takes its lock at the first read: read now, so the snapshot is of this moment.
      db.prepare(`SELECT 1 FROM ${c} LIMIT 1`).get();
    }
  }

  private toRecord(row: unknown[]): CustomerRecord {
    const attrs: Record<string, RuntimeValue> = { ...this.attrsTemplate };
    for (let i = 0; i < this.names.length; i++) attrs[this.names[i]!] = this.converters[i]!(row[i + 1]);
    const rawTags = row[this.names.length + 1];
    const tags = new Set<string>();
    if (typeof rawTags === "string") for (const t of JSON.parse(rawTags) as unknown[]) tags.add(typeof t === "string" ? this.interner.of(t) : (t as string));
    return { id: String(row[0]), attrs, tags };
  }

  get(id: string): CustomerRecord | undefined {
    const pin = this.pinned.get(id);
    if (pin) return pin;
    if (this.cacheSize > 0 && this.cache.has(id)) {
      const hit = this.cache.get(id);
      this.cache.delete(id);
      this.cache.set(id, hit);
      return hit;
    }
    const row = this.byId.get(id) as unknown[] | undefined;
    const rec = row ? this.toRecord(row) : undefined;
    if (this.cacheSize > 0) {
      this.cache.set(id, rec);
      if (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value as string);
    }
    return rec;
  }

  /** Every customer in id order; with a hint and a prefilter for its campaign, only those the audience SQL selects. */
  *scan(hint?: { readonly campaign: string; readonly at?: number }): Iterable<CustomerRecord> {
    const pf = hint && this.prefilter ? this.prefilter(hint.campaign, hint.at) : undefined;
    if (pf) {
      const selected = this.scanWhereOrUndefined(pf.pred, pf.ctx);
      if (selected) {
        yield* selected;
        return;
      }
    }
    for (const row of this.all.iterate() as IterableIterator<unknown[]>) yield this.toRecord(row);
  }

  /** The customers an audience's SQL selects, in id order. Throws SqlCompileError when the audience cannot run as SQL. */
  *scanWhere(pred: Pred, ctx: EvalContext): Iterable<CustomerRecord> {
    const sel = this.scanWhereOrUndefined(pred, ctx);
    if (!sel) throw new SqlCompileError("the audience cannot run as SQL");
    yield* sel;
  }

  private scanWhereOrUndefined(pred: Pred, ctx: EvalContext): Iterable<CustomerRecord> | undefined {
    const rows = this.rowsWhere(pred, ctx);
    if (!rows) return undefined;
    const self = this;
    return {
      *[Symbol.iterator]() {
        for (const row of rows()) yield self.toRecord(row);
      },
    };
  }

  /** The raw rows an audience's SQL selects, in id order (undefined when it cannot run as SQL). */
  private rowsWhere(pred: Pred, ctx: EvalContext): (() => IterableIterator<unknown[]>) | undefined {
    let cond;
    try {
      cond = compileSqlCondition(pred, this.catalog, ctx);
    } catch (e) {
      if (e instanceof SqlCompileError) return undefined;
      throw e;
    }
    const c = quoteIdent(CUSTOMERS_TABLE);
    const stmt = this.db.prepare(`SELECT ${this.selectList} FROM ${c} WHERE ${cond.sql} ORDER BY ${c}.${quoteIdent(ID_COLUMN)}`).raw(true);
    return () => stmt.iterate(...cond.params) as IterableIterator<unknown[]>;
  }

  /**
   * Keeps in memory the customers an audience's SQL selects, so that `get`
   * answers them without a query (a dry-run pins an event campaign's
   * candidates: nearly every event it hands in is one of theirs): at most
   * `max` new records, the first in id order, so memory stays bounded. Only
   * for a `snapshot` source, whose data cannot change under the pinned
   * records. Returns the ids of every customer selected (pinned or not) and
   * how many records were pinned; undefined when the audience cannot run as SQL.
   */
  pinWhere(pred: Pred, ctx: EvalContext, max: number): { readonly ids: ReadonlySet<string>; readonly pinned: number } | undefined {
    if (!this.db.inTransaction) throw new Error("pinWhere needs a snapshot source (option `snapshot: true`)");
    const rows = this.rowsWhere(pred, ctx);
    if (!rows) return undefined;
    const ids = new Set<string>();
    let pinned = 0;
    for (const row of rows()) {
      const id = String(row[0]);
      ids.add(id);
      if (pinned < max && !this.pinned.has(id)) {
        this.pinned.set(id, this.toRecord(row));
        pinned++;
      }
    }
    return { ids, pinned };
  }

  /** How many customers the database holds. */
  count(): number {
    const row = this.db.prepare(`SELECT count(*) FROM ${quoteIdent(CUSTOMERS_TABLE)}`).pluck().get();
    return typeof row === "number" ? row : 0;
  }

  /** Distinct non-null values of one attribute's column (e.g. the time zones in use), sorted. */
  distinctValues(attribute: string): RuntimeValue[] {
    const col = customerColumns(this.catalog).get(attribute);
    if (!col) throw new DataSourceError(`the catalog has no attribute \`${attribute}\` with a column`);
    const idx = this.names.indexOf(attribute);
    const conv = this.converters[idx] ?? ((x: unknown) => (typeof x === "string" || typeof x === "number" ? x : null));
    const rows = this.db.prepare(`SELECT DISTINCT ${col.column} FROM ${quoteIdent(CUSTOMERS_TABLE)} WHERE ${col.column} IS NOT NULL ORDER BY 1`).pluck().all();
    return rows.map(conv).filter((v) => v !== null);
  }

  clearCache(): void {
    this.cache.clear();
    this.pinned.clear();
  }

  close(): void {
    this.cache.clear();
    this.pinned.clear();
    if (this.db.open && this.db.inTransaction) this.db.exec("ROLLBACK");
    if (this.db.open) this.db.close();
  }
}

/** Whether a predicate reads the clock (relative times or anniversaries): its SQL depends on `now`. */
export function readsClock(pred: Pred): boolean {
  let found = false;
  walkPred(pred, (n) => {
    if (n.k === "anniversary") found = true;
    for (const v of valuesOf(n)) walkValue(v, (x) => (found ||= x.k === "time"));
  });
  return found;
}

/**
 * A `prefilter` for plans: a campaign's audience is used to pre-filter its
 * scans only when that is safe, i.e. it selects a superset of the customers
 * the runtime will admit:
 *   - the audience must not read the clock, unless the scan's hint carries the
 *     batch occurrence's instant `at` (the runtime passes it) or `now` gives it;
 *   - the audience must not read an attribute in `updated` (attributes that
 *     profile updates change at run time: the database holds the values before them).
 * Otherwise the campaign's scan visits every customer.
 */
export function prefilterForPlans(plans: readonly Plan[], options: { readonly now?: () => number; readonly updated?: ReadonlySet<string> } = {}): (campaign: string, at?: number) => Prefilter | undefined {
  const byId = new Map(plans.map((p) => [p.campaign.id, p]));
  return (campaign, at) => {
    const plan = byId.get(campaign);
    if (!plan) return undefined;
    const now = at ?? options.now?.();
    if (readsClock(plan.audience) && now === undefined) return undefined;
    if (options.updated && [...attributesRead(plan.audience)].some((a) => options.updated!.has(a))) return undefined;
    return { pred: plan.audience, ctx: { now: now ?? 0, zone: plan.catalog.zone } };
  };
}
