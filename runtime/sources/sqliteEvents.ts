/**
 * Reading a database's `events` and `profile_updates` tables (see ./schema.ts)
 * as the runtime's inputs, in time order, streaming with `.iterate()`:
 * `events(range)`, `profileUpdates(range)`, and `inputs(range)`, both merged
 * by time (at the same instant a profile update comes before an event; then
 * by id). A range is half-open: `from <= at < to`; either end may be left out.
 *
 * Payloads are JSON objects of plain values (numbers, strings, booleans,
 * null). A row whose JSON is not such an object raises DataSourceError naming
 * the table and id; whether the values fit the catalog's types is for the
 * runtime to check (it dead-letters events that do not).
 */
import Database from "better-sqlite3";
import type { RuntimeValue } from "../../compiler/ir/predicate.ts";
import type { ProfileUpdate, RuntimeEvent } from "../types.ts";
import { DataSourceError, EVENTS_TABLE, META_TABLE, PROFILE_UPDATES_TABLE, requireEventTables, requireProfileUpdateTable, tableColumns } from "./schema.ts";

export interface TimeRange {
  /** Inclusive, epoch ms. */
  readonly from?: number;
  /** Exclusive, epoch ms. */
  readonly to?: number;
}

/** One input, tagged by kind, as `inputs()` yields them. */
export type SourceInput = { readonly kind: "event"; readonly event: RuntimeEvent } | { readonly kind: "profile"; readonly update: ProfileUpdate };

/** A row's JSON payload as an object of plain values; DataSourceError naming the table, the column and the row otherwise. */
export function parsePayload(text: unknown, table: string, column: string, id: string): Record<string, RuntimeValue> {
  let v: unknown;
  try {
    v = typeof text === "string" ? JSON.parse(text) : undefined;
  } catch {
    v = undefined;
  }
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new DataSourceError(`\`${table}.${column}\` of row \`${id}\` is not a JSON object`);
  const out: Record<string, RuntimeValue> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (x === null || typeof x === "string" || typeof x === "boolean" || (typeof x === "number" && Number.isFinite(x))) out[k] = x;
    else throw new DataSourceError(`\`${table}.${column}\` of row \`${id}\`: \`${k}\` is ${Array.isArray(x) ? "an array" : typeof x}, not a plain value`);
  }
  return out;
}

/** A row's time, epoch ms; DataSourceError naming the table and the row when it is not a number. */
export function rowTime(v: unknown, table: string, id: string): number {
  if (typeof v !== "number") throw new DataSourceError(`\`${table}.at\` of row \`${id}\` is not a number of milliseconds`);
  return v;
}

const LOW = -8.64e15;
const HIGH = 8.64e15;

export class SqliteEventSource {
  private readonly eventStmt: Database.Statement;
  private readonly updateStmt: Database.Statement | undefined;

  /** Opens a database file read-only. */
  static open(path: string, options: { readonly requireUpdates?: boolean } = {}): SqliteEventSource {
    let db: Database.Database;
    try {
      db = new Database(path, { readonly: true, fileMustExist: true });
    } catch (e) {
      throw new DataSourceError(`cannot open the event database \`${path}\`: ${e instanceof Error ? e.message : String(e)}`);
    }
    try {
      return new SqliteEventSource(db, { name: `\`${path}\``, ...options });
    } catch (e) {
      db.close();
      throw e;
    }
  }

  /**
   * Checks the tables: `events` is required; `profile_updates` too when
   * `requireUpdates` is set, otherwise a database without it simply has no updates.
   */
  constructor(readonly db: Database.Database, options: { readonly name?: string; readonly requireUpdates?: boolean } = {}) {
    requireEventTables(db, options.name);
    this.eventStmt = db.prepare(`SELECT "id", "type", "customer_id", "at", "fields" FROM "${EVENTS_TABLE}" WHERE "at" >= ? AND "at" < ? ORDER BY "at", "id"`).raw(true);
    if (options.requireUpdates || tableColumns(db, PROFILE_UPDATES_TABLE)) {
      requireProfileUpdateTable(db, options.name);
      this.updateStmt = db.prepare(`SELECT "id", "customer_id", "at", "attrs" FROM "${PROFILE_UPDATES_TABLE}" WHERE "at" >= ? AND "at" < ? ORDER BY "at", "id"`).raw(true);
    }
  }

  *events(range: TimeRange = {}): Iterable<RuntimeEvent> {
    for (const row of this.eventStmt.iterate(range.from ?? LOW, range.to ?? HIGH) as IterableIterator<unknown[]>) {
      const id = String(row[0]);
      const at = rowTime(row[3], EVENTS_TABLE, id);
      yield { id, type: String(row[1]), customerId: String(row[2]), at, fields: parsePayload(row[4], EVENTS_TABLE, "fields", id) };
    }
  }

  *profileUpdates(range: TimeRange = {}): Iterable<ProfileUpdate> {
    if (!this.updateStmt) return;
    for (const row of this.updateStmt.iterate(range.from ?? LOW, range.to ?? HIGH) as IterableIterator<unknown[]>) {
      const id = String(row[0]);
      const at = rowTime(row[2], PROFILE_UPDATES_TABLE, id);
      yield { id, customerId: String(row[1]), at, attrs: parsePayload(row[3], PROFILE_UPDATES_TABLE, "attrs", id) };
    }
  }

  /** Events and profile updates merged in time order (updates first at the same instant). */
  *inputs(range: TimeRange = {}): Iterable<SourceInput> {
    const ev = this.events(range)[Symbol.iterator]();
    const up = this.profileUpdates(range)[Symbol.iterator]();
    let e = ev.next();
    let u = up.next();
    while (!e.done || !u.done) {
      if (!u.done && (e.done || u.value.at <= e.value.at)) {
        yield { kind: "profile", update: u.value };
        u = up.next();
      } else if (!e.done) {
        yield { kind: "event", event: e.value };
        e = ev.next();
      }
    }
  }

  /** The meta table (generator, seed, period...) as key → value, or empty when there is none. */
  meta(): Record<string, string> {
    if (!tableColumns(this.db, META_TABLE)) return {};
    const rows = this.db.prepare(`SELECT "key", "value" FROM "${META_TABLE}" ORDER BY "key"`).raw(true).all() as unknown[][];
    return Object.fromEntries(rows.map((r) => [String(r[0]), String(r[1])]));
  }

  /** The period the data covers: from the meta table when present, else from the first and last event. */
  period(): { readonly from: number; readonly to: number } | undefined {
    const m = this.meta();
    const from = Number(m["period_from"]);
    const to = Number(m["period_to"]);
    if (Number.isFinite(from) && Number.isFinite(to) && m["period_from"] !== undefined) return { from, to };
    const row = this.db.prepare(`SELECT min("at"), max("at") FROM "${EVENTS_TABLE}"`).raw(true).get() as unknown[] | undefined;
    const lo = row?.[0];
    const hi = row?.[1];
    return typeof lo === "number" && typeof hi === "number" ? { from: lo, to: hi + 1 } : undefined;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
