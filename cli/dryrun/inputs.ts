/**
 * The run's inputs, read straight from the `events` and `profile_updates`
 * tables (runtime/sources/schema.ts) in the order `SqliteEventSource.inputs`
 * gives (by time; at the same instant profile updates first; then by id),
 * but lighter for a dry-run over millions of events: rows are read raw and
 * an event's JSON payload is parsed only when it is asked for, i.e. for the
 * events handed to the runtime (most events are of a type, or for a
 * customer, no campaign can act on). Payloads follow the same rules as the
 * event source (`parsePayload`, runtime/sources/sqliteEvents.ts): a JSON
 * object of plain values, else DataSourceError naming the table, the column
 * and the row.
 *
 * With an `EventSelection`, SQLite reads only the event rows the run could
 * act on (spec/dry-run.md, "What runs"): every row of some types, and rows of
 * other types only for customers one of the given SQL queries selects (an
 * event campaign's candidates). Skipping a row in SQLite costs a fraction of
 * handing it to JavaScript; most of a bank's events are logins of customers
 * no campaign could enter. The selection is a superset: the caller still
 * decides for each row it gets. `eventCounts` counts every event of the
 * period by type, for the report.
 */
import type Database from "better-sqlite3";
import type { RuntimeValue } from "../../compiler/ir/predicate.ts";
import type { ProfileUpdate } from "../../runtime/index.ts";
import { EVENTS_TABLE, PROFILE_UPDATES_TABLE, tableColumns } from "../../runtime/sources/schema.ts";
import { parsePayload, rowTime } from "../../runtime/sources/sqliteEvents.ts";

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

/** A statement's SQL and its bound parameters. */
export interface BoundQuery {
  readonly sql: string;
  readonly params: readonly unknown[];
}

/** A customer-id query: SQL selecting one column of customer ids (compiler/codegen/sql.ts), with its parameters. */
export type IdQuery = BoundQuery;

/** `"customer_id" IN (q1) OR "customer_id" IN (q2) ...`, pushing the queries' parameters in order. */
function customerIn(queries: readonly IdQuery[], params: unknown[]): string {
  return queries
    .map((q) => {
      params.push(...q.params);
      return `"customer_id" IN (${q.sql})`;
    })
    .join(" OR ");
}

/**
 * Which rows to read: events of `everyRowOf`'s types, every row; events of
 * `selectedOf`'s types only for customers one of its queries selects; profile
 * updates only for customers one of `updatesOf` selects (all when undefined).
 */
export interface EventSelection {
  readonly everyRowOf: readonly string[];
  readonly selectedOf: ReadonlyMap<string, readonly IdQuery[]>;
  readonly updatesOf?: readonly IdQuery[];
}

/** The WHERE condition (after the time range) and parameters that read the rows of `sel`. */
function selectionSql(sel: EventSelection): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const parts: string[] = [];
  if (sel.everyRowOf.length > 0) {
    parts.push(`"type" IN (${sel.everyRowOf.map(() => "?").join(", ")})`);
    params.push(...sel.everyRowOf);
  }
  for (const [type, queries] of sel.selectedOf) {
    if (queries.length === 0) continue;
    params.push(type);
    parts.push(`("type" = ? AND (${customerIn(queries, params)}))`);
  }
  return { sql: parts.length > 0 ? parts.join(" OR ") : "0", params };
}

/** Every event in [from, to) counted by type (sorted by type). */
export function eventCounts(db: Database.Database, from: number, to: number): Map<string, number> {
  const rows = db.prepare(`SELECT "type", count(*) FROM "${EVENTS_TABLE}" WHERE "at" >= ? AND "at" < ? GROUP BY "type" ORDER BY "type"`).raw(true).all(from, to) as [unknown, unknown][];
  return new Map(rows.map(([t, n]) => [String(t), typeof n === "number" ? n : 0]));
}

/** The two ordered queries behind the inputs: events (all, or those of `selection`) and profile updates (when the table exists). */
export interface InputQueries {
  readonly events: BoundQuery;
  readonly updates: BoundQuery | undefined;
}

export function inputQueries(db: Database.Database, from: number, to: number, selection?: EventSelection): InputQueries {
  const where = selection ? selectionSql(selection) : undefined;
  return {
    events: {
      sql: `SELECT "id", "type", "customer_id", "at", "fields" FROM "${EVENTS_TABLE}" WHERE "at" >= ? AND "at" < ?${where ? ` AND (${where.sql})` : ""} ORDER BY "at", "id"`,
      params: [from, to, ...(where?.params ?? [])],
    },
    updates: tableColumns(db, PROFILE_UPDATES_TABLE) ? updatesQuery(from, to, selection?.updatesOf) : undefined,
  };
}

function updatesQuery(from: number, to: number, of: readonly IdQuery[] | undefined): BoundQuery {
  const params: unknown[] = [from, to];
  const who = of === undefined ? "" : of.length === 0 ? " AND 0" : ` AND (${customerIn(of, params)})`;
  return { sql: `SELECT "id", "customer_id", "at", "attrs" FROM "${PROFILE_UPDATES_TABLE}" WHERE "at" >= ? AND "at" < ?${who} ORDER BY "at", "id"`, params };
}

/** Runs the input queries on `db` (raw rows, in order). */
export function inputRows(db: Database.Database, q: InputQueries): { events: Iterator<unknown[]>; updates: Iterator<unknown[]> } {
  const run = (b: BoundQuery): Iterator<unknown[]> => (db.prepare(b.sql).raw(true).iterate(...b.params) as IterableIterator<unknown[]>)[Symbol.iterator]();
  return { events: run(q.events), updates: q.updates ? run(q.updates) : [][Symbol.iterator]() };
}

/** A row of the merged inputs: 0 for an event row, 1 for a profile update row; the row; its checked time. */
export type MergedRow = readonly [kind: 0 | 1, row: unknown[], at: number];

/**
 * Merges event rows and profile update rows, each in time order, into one
 * time order (at the same instant, updates first). A time that is not a
 * number throws DataSourceError as soon as its row is fetched.
 */
export function* mergeRows(events: Iterator<unknown[]>, updates: Iterator<unknown[]>): Generator<MergedRow> {
  let e = events.next();
  let u = updates.next();
  let eAt = e.done ? 0 : rowTime(e.value[3], EVENTS_TABLE, String(e.value[0]));
  let uAt = u.done ? 0 : rowTime(u.value[2], PROFILE_UPDATES_TABLE, String(u.value[0]));
  while (!e.done || !u.done) {
    if (!u.done && (e.done || uAt <= eAt)) {
      yield [1, u.value, uAt];
      u = updates.next();
      if (!u.done) uAt = rowTime(u.value[2], PROFILE_UPDATES_TABLE, String(u.value[0]));
    } else if (!e.done) {
      yield [0, e.value, eAt];
      e = events.next();
      if (!e.done) eAt = rowTime(e.value[3], EVENTS_TABLE, String(e.value[0]));
    }
  }
}

/** An event row (id, type, customer_id, at, fields) as an input. */
export function eventInput(row: readonly unknown[], at: number): RawInput {
  return { kind: "event", event: new RawEvent(String(row[0]), String(row[1]), String(row[2]), at, row[4]) };
}

/** A profile update row (id, customer_id, at, attrs) as an input; its payload is checked here. */
export function updateInput(row: readonly unknown[], at: number): RawInput {
  const id = String(row[0]);
  return { kind: "profile", update: { id, customerId: String(row[1]), at, attrs: parsePayload(row[3], PROFILE_UPDATES_TABLE, "attrs", id) } };
}

/** How many profile updates lie in [from, to) (0 without the table). */
export function updateCount(db: Database.Database, from: number, to: number): number {
  if (!tableColumns(db, PROFILE_UPDATES_TABLE)) return 0;
  const v = db.prepare(`SELECT count(*) FROM "${PROFILE_UPDATES_TABLE}" WHERE "at" >= ? AND "at" < ?`).pluck().get(from, to);
  return typeof v === "number" ? v : 0;
}

/** Events (all, or those of `selection`) and profile updates in [from, to), merged in time order (updates first at the same instant, then by id), read in this thread. */
export function* rawInputs(db: Database.Database, from: number, to: number, selection?: EventSelection): Iterable<RawInput> {
  const rows = inputRows(db, inputQueries(db, from, to, selection));
  for (const [kind, row, at] of mergeRows(rows.events, rows.updates)) yield kind === 0 ? eventInput(row, at) : updateInput(row, at);
}
