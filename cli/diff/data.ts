/**
 * `campaign diff --data bank.db`: reach and reassignment counted on a
 * customer database in the compiler's layout (compiler/data/layout.ts), over
 * the minimal database interface of compiler/data/load.ts (the command opens
 * the file; this module does no file access).
 *
 * - Reach: both audiences are selected with the SQL backend
 *   (`selectAudience`) at the same instant, so the difference reflects the
 *   change of the audience and nothing else.
 * - Reassignment: whose assignment is compared. When the database has an
 *   `entries` table (the runtime store's: `campaign`, `customer_id`) holding
 *   rows for the campaign, those customers (already entered, hence already
 *   assigned) are used. Otherwise the customers in both the old and the new
 *   audience at the instant: a customer only in one of them has no group on
 *   the other side to move from or to (reach counts those).
 *
 * Problems with the data (a missing table or column, a column declared with
 * the wrong type, an audience SQL cannot express) are DiffDataErrors that
 * name the table and column.
 */
import { SqlCompileError } from "../../compiler/codegen/sql.ts";
import { affinityOf, columnTypeOf, CUSTOMERS_TABLE, ID_COLUMN, LayoutError, quoteIdent, TAGS_TABLE, type SqlColumnType } from "../../compiler/data/layout.ts";
import { selectAudience, tableColumns, type SqlDatabase } from "../../compiler/data/load.ts";
import { attributesRead, walkPred, type Pred } from "../../compiler/ir/predicate.ts";
import type { Plan } from "../../compiler/plan/types.ts";
import { showInstant } from "../../compiler/time/resolve.ts";
import { countReassignments } from "./reassign.ts";
import type { DataComparison } from "./types.ts";

/** The runtime store's table of entered customers (runtime/store/sqlite.ts). */
export const ENTRIES_TABLE = "entries";

/** Something wrong with the database given to `--data`. */
export class DiffDataError extends Error {
  override readonly name = "DiffDataError";
}

function requireColumn(cols: Map<string, string>, table: string, column: string, type: SqlColumnType, what: string): void {
  const declared = cols.get(column);
  if (declared === undefined) throw new DiffDataError(`table \`${table}\` has no column \`${column}\` (${what}): expected a ${type} column`);
  if (affinityOf(declared) !== type) throw new DiffDataError(`column \`${table}.${column}\` is declared ${declared === "" ? "without a type" : `\`${declared}\``}, but ${what} needs ${type}`);
}

function usesTags(p: Pred): boolean {
  let found = false;
  walkPred(p, (n) => {
    if (n.k === "tag") found = true;
  });
  return found;
}

/** Checks that the tables and columns the plan's audience reads exist with the layout's types. */
export function requireAudienceData(db: SqlDatabase, plan: Plan): void {
  const cols = tableColumns(db, CUSTOMERS_TABLE);
  if (!cols) throw new DiffDataError(`the database has no table \`${CUSTOMERS_TABLE}\` (one row per customer: \`${ID_COLUMN}\` and a column per catalog attribute; see spec/data-layout.md)`);
  requireColumn(cols, CUSTOMERS_TABLE, ID_COLUMN, "TEXT", "the customer id");
  for (const name of [...attributesRead(plan.audience)].sort()) {
    const attr = plan.catalog.attributes.find((a) => a.name === name);
    const t = attr ? columnTypeOf(attr.type) : undefined;
    if (!attr || !t) continue;
    requireColumn(cols, CUSTOMERS_TABLE, name, t.sqlType, `attribute \`${name}\` (${attr.type.t}) of campaign \`${plan.campaign.id}\`'s audience`);
  }
  if (usesTags(plan.audience)) {
    const tags = tableColumns(db, TAGS_TABLE);
    if (!tags) throw new DiffDataError(`the database has no table \`${TAGS_TABLE}\` (columns customer_id TEXT, tag TEXT), which campaign \`${plan.campaign.id}\`'s audience reads for its tags`);
    requireColumn(tags, TAGS_TABLE, "customer_id", "TEXT", "the customer id of a tag");
    requireColumn(tags, TAGS_TABLE, "tag", "TEXT", "the tag name");
  }
}

/** The customers a plan's audience selects at `at`, with data problems as DiffDataErrors. */
export function audienceAt(db: SqlDatabase, plan: Plan, at: number): string[] {
  requireAudienceData(db, plan);
  try {
    return selectAudience(db, plan.audience, plan.catalog, { now: at, zone: plan.catalog.zone });
  } catch (e) {
    if (e instanceof SqlCompileError || e instanceof LayoutError) throw new DiffDataError(`campaign \`${plan.campaign.id}\`'s audience cannot be selected in SQL: ${e.message}`);
    // SQLite's own message names what is missing (`no such column: ...`): a column of the layout this check does not know.
    if (e instanceof Error && e.name === "SqliteError") throw new DiffDataError(`selecting campaign \`${plan.campaign.id}\`'s audience failed: ${e.message}`);
    throw e;
  }
}

/** The customers of campaign `id` in the database's `entries` table; undefined when there is no such table or no row for it. */
export function enteredCustomers(db: SqlDatabase, id: string): string[] | undefined {
  const cols = tableColumns(db, ENTRIES_TABLE);
  if (!cols) return undefined;
  requireColumn(cols, ENTRIES_TABLE, "campaign", "TEXT", "the campaign id of an entry");
  requireColumn(cols, ENTRIES_TABLE, "customer_id", "TEXT", "the customer id of an entry");
  const rows = db.prepare(`SELECT DISTINCT "customer_id" AS "id" FROM ${quoteIdent(ENTRIES_TABLE)} WHERE "campaign" = ? ORDER BY "customer_id"`).all(id);
  const ids: string[] = [];
  for (const row of rows) {
    const v = (row as { id?: unknown }).id;
    if (typeof v === "string") ids.push(v);
  }
  return ids.length > 0 ? ids : undefined;
}

/**
 * Reach of both plans at `at` and, when `reassignment` is asked for (a
 * holdout or variant assignment changed), the exact moves of the customers
 * already assigned (see the top of this file for whose).
 */
export function compareOnData(db: SqlDatabase, a: Plan, b: Plan, at: number, reassignment: boolean): DataComparison {
  const oldIds = audienceAt(db, a, at);
  const newIds = audienceAt(db, b, at);
  const inNew = new Set(newIds);
  const inOld = new Set(oldIds);
  const both = oldIds.filter((id) => inNew.has(id));
  const reach = {
    old: oldIds.length,
    new: newIds.length,
    difference: newIds.length - oldIds.length,
    both: both.length,
    onlyOld: oldIds.filter((id) => !inNew.has(id)).length,
    onlyNew: newIds.filter((id) => !inOld.has(id)).length,
  };
  const atText = showInstant(at, a.catalog.zone);
  if (!reassignment) return { at, atText, reach };
  const entered = enteredCustomers(db, a.campaign.id);
  const population = entered ?? both;
  const counted = countReassignments(population, a, b);
  return {
    at,
    atText,
    reach,
    reassignment: {
      population: entered ? "entries" : "audiences",
      customers: counted.customers,
      holdout: counted.holdout,
      holdoutChanged: counted.holdoutChanged,
      variants: counted.variants,
      variantChanged: counted.variantChanged,
    },
  };
}
