/**
 * The relational layout of customer data that audience SQL runs against
 * (spec/data-layout.md describes it for the bank's data engineers):
 *
 *   customers(id TEXT NOT NULL PRIMARY KEY, one column per catalog attribute)
 *   customer_tags(customer_id TEXT NOT NULL, tag TEXT NOT NULL,
 *                 PRIMARY KEY (tag, customer_id)) WITHOUT ROWID
 *   customer_tags_by_customer ON customer_tags(customer_id, tag)
 *
 * Column types by attribute type: money, number, score → REAL; int → INTEGER;
 * string, enum, timezone → TEXT; date → TEXT "YYYY-MM-DD"; datetime → INTEGER
 * (epoch ms, UTC); bool → INTEGER 0/1; tags → rows of customer_tags (no
 * column). A column is named exactly as its attribute, double-quoted with `"`
 * doubled, so any attribute name is a safe identifier. SQLite folds ASCII
 * case in identifiers, so a catalog whose names collide that way (`aum` and
 * `AUM`, or an attribute called `id`) has no layout: `customerColumns` throws.
 */
import type { Rep } from "../ir/predicate.ts";
import type { AttributeTypePlan, CatalogPlan } from "../plan/types.ts";

export const CUSTOMERS_TABLE = "customers";
export const TAGS_TABLE = "customer_tags";
export const ID_COLUMN = "id";

/** A catalog that cannot be laid out as tables (colliding or unusable names). */
export class LayoutError extends Error {
  override readonly name = "LayoutError";
}

/** A SQL identifier: double-quoted, with `"` doubled. Refuses NUL, which ends SQL text. */
export function quoteIdent(name: string): string {
  if (name.includes("\u0000")) throw new LayoutError(`the name ${JSON.stringify(name)} contains a NUL character and cannot be a SQL identifier`);
  return `"${name.replace(/"/g, '""')}"`;
}

export type SqlColumnType = "REAL" | "INTEGER" | "TEXT";

/** One attribute's column. */
export interface ColumnInfo {
  readonly attribute: string;
  /** The quoted identifier, ready for SQL text. */
  readonly column: string;
  readonly sqlType: SqlColumnType;
  /** How predicates read the attribute. */
  readonly rep: Rep;
}

/** The column type and value representation of an attribute type; undefined for tags (no column). */
export function columnTypeOf(t: AttributeTypePlan): { sqlType: SqlColumnType; rep: Rep } | undefined {
  switch (t.t) {
    case "money":
    case "number":
    case "score":
      return { sqlType: "REAL", rep: "number" };
    case "int":
      return { sqlType: "INTEGER", rep: "number" };
    case "string":
    case "enum":
    case "timezone":
      return { sqlType: "TEXT", rep: "string" };
    case "date":
      return { sqlType: "TEXT", rep: "date" };
    case "datetime":
      return { sqlType: "INTEGER", rep: "datetime" };
    case "bool":
      return { sqlType: "INTEGER", rep: "bool" };
    case "tags":
      return undefined;
  }
}

/** SQLite compares identifiers ignoring ASCII case (only ASCII). */
function foldIdent(name: string): string {
  return name.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/** The columns of the customers table, by attribute name (tags attributes have none). Throws LayoutError. */
export function customerColumns(catalog: Pick<CatalogPlan, "attributes">): ReadonlyMap<string, ColumnInfo> {
  const out = new Map<string, ColumnInfo>();
  const folded = new Map<string, string>([[ID_COLUMN, `the customer id column \`${ID_COLUMN}\``]]);
  for (const a of catalog.attributes) {
    const t = columnTypeOf(a.type);
    if (!t) continue;
    const key = foldIdent(a.name);
    const clash = folded.get(key);
    if (clash !== undefined) throw new LayoutError(`attribute \`${a.name}\` would share its SQL column with ${clash} (SQL names ignore ASCII case)`);
    folded.set(key, `attribute \`${a.name}\``);
    out.set(a.name, { attribute: a.name, column: quoteIdent(a.name), ...t });
  }
  return out;
}

/** The statements that create the customer tables (run in order on an empty database). */
export function customerTablesDDL(catalog: Pick<CatalogPlan, "attributes">): string[] {
  const cols = [...customerColumns(catalog).values()].map((c) => `  ${c.column} ${c.sqlType}`);
  return [
    `CREATE TABLE ${quoteIdent(CUSTOMERS_TABLE)} (\n  ${quoteIdent(ID_COLUMN)} TEXT NOT NULL PRIMARY KEY${cols.length ? ",\n" : ""}${cols.join(",\n")}\n)`,
    `CREATE TABLE ${quoteIdent(TAGS_TABLE)} (\n  "customer_id" TEXT NOT NULL,\n  "tag" TEXT NOT NULL,\n  PRIMARY KEY ("tag", "customer_id")\n) WITHOUT ROWID`,
    `CREATE INDEX "customer_tags_by_customer" ON ${quoteIdent(TAGS_TABLE)} ("customer_id", "tag")`,
  ];
}
