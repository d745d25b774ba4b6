/**
 * The run's inputs, read straight from the `events` and `profile_updates`
 * tables (runtime/sources/schema.ts) in the order `SqliteEventSource.inputs`
 * gives (by time; at the same instant profile updates first; then by id),
 * but lighter for a dry-run over millions of events: rows are read raw and
 * an event's JSON payload is parsed only when it is asked for, i.e. for the
 * events handed to the runtime (most events are of a type, or for a
 * customer, no campaign can act on). Payloads follow the same rules as the
 * event source: a JSON object of plain values, else DataSourceError naming
 * the table, the column and the row.
 */
import type Database from "better-sqlite3";
import type { RuntimeValue } from "../../compiler/ir/predicate.ts";
import type { ProfileUpdate } from "../../runtime/index.ts";
import { DataSourceError, EVENTS_TABLE, PROFILE_UPDATES_TABLE, tableColumns } from "../../runtime/sources/schema.ts";

/** An event row whose payload is parsed on demand. */
export class RawEvent {
  private parsed: Readonly<Record<string, RuntimeValue>> | undefined;
  constructor(
    readonly id: string,
    readonly type: string,
    readonly customerId: string,
    readonly at: number,
    private readonly text: unknown,
  ) {}
  get fields(): Readonly<Record<string, RuntimeValue>> {
    if (!this.parsed) this.parsed = parsePayload(this.text, EVENTS_TABLE, "fields", this.id);
    return this.parsed;
  }
}

export type RawInput = { readonly kind: "event"; readonly event: RawEvent } | { readonly kind: "profile"; readonly update: ProfileUpdate };

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

function time(v: unknown, table: string, id: string): number {
  if (typeof v !== "number") throw new DataSourceError(`\`${table}.at\` of row \`${id}\` is not a number of milliseconds`);
  return v;
}

/** Events and profile updates in [from, to), merged in time order (updates first at the same instant, then by id). */
export function* rawInputs(db: Database.Database, from: number, to: number): Iterable<RawInput> {
  const ev = (db.prepare(`SELECT "id", "type", "customer_id", "at", "fields" FROM "${EVENTS_TABLE}" WHERE "at" >= ? AND "at" < ? ORDER BY "at", "id"`).raw(true).iterate(from, to) as IterableIterator<unknown[]>)[Symbol.iterator]();
  const up: Iterator<unknown[]> = tableColumns(db, PROFILE_UPDATES_TABLE)
    ? (db.prepare(`SELECT "id", "customer_id", "at", "attrs" FROM "${PROFILE_UPDATES_TABLE}" WHERE "at" >= ? AND "at" < ? ORDER BY "at", "id"`).raw(true).iterate(from, to) as IterableIterator<unknown[]>)[Symbol.iterator]()
    : [][Symbol.iterator]();
  let e = ev.next();
  let u = up.next();
  let eAt = e.done ? 0 : time(e.value[3], EVENTS_TABLE, String(e.value[0]));
  let uAt = u.done ? 0 : time(u.value[2], PROFILE_UPDATES_TABLE, String(u.value[0]));
  while (!e.done || !u.done) {
    if (!u.done && (e.done || uAt <= eAt)) {
      const row = u.value;
      const id = String(row[0]);
      yield { kind: "profile", update: { id, customerId: String(row[1]), at: uAt, attrs: parsePayload(row[3], PROFILE_UPDATES_TABLE, "attrs", id) } };
      u = up.next();
      if (!u.done) uAt = time(u.value[2], PROFILE_UPDATES_TABLE, String(u.value[0]));
    } else if (!e.done) {
      const row = e.value;
      yield { kind: "event", event: new RawEvent(String(row[0]), String(row[1]), String(row[2]), eAt, row[4]) };
      e = ev.next();
      if (!e.done) eAt = time(e.value[3], EVENTS_TABLE, String(e.value[0]));
    }
  }
}
