/**
 * The relational layout of customer data that audience SQL runs against
 * (spec/data-layout.md describes it for the bank's data engineers):
 *
 *   customers(id TEXT NOT NULL PRIMARY KEY,
 *             tag_bits_0 INTEGER, tag_bits_1 INTEGER, ...  (one per 52 catalog tags)
 *             one column per catalog attribute)
 *   customer_tags(customer_id TEXT NOT NULL, tag TEXT NOT NULL,
 *                 PRIMARY KEY (tag, customer_id)) WITHOUT ROWID
 *   customer_tags_by_customer ON customer_tags(customer_id, tag)
 *
 * `customer_tags` holds every tag a customer carries and is the source of
 * truth. The tag bit columns repeat the catalog's tags as bits on the
 * customer's own row, so that a multi-tag audience is one `&` per row instead
 * of a subquery per tag (`tagBits` gives the stable assignment). A NULL bit
 * column means "not filled in": audience SQL then reads customer_tags for
 * that row, so writers that only fill customer_tags stay correct (and
 * `refreshTagBits` in ./load.ts fills the bits afterwards).
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
/** Tag bits per INTEGER column: 52, so that every mask and every sum of masks is an exact JS number. */
export const TAG_BITS_PER_COLUMN = 52;

/** What the layout reads from a catalog: its attributes and (when known) its tags. */
export type LayoutCatalog = Pick<CatalogPlan, "attributes"> & { readonly tags?: CatalogPlan["tags"] };

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

/** A catalog tag's bit: the quoted column that holds it and its mask (a power of two). */
export interface TagBit {
  readonly tag: string;
  /** The quoted identifier of the bit column, ready for SQL text. */
  readonly column: string;
  /** Which bit column: 0, 1, ... */
  readonly columnIndex: number;
  /** 2 ** bit, bit in 0..51. */
  readonly mask: number;
}

/**
 * The tag bit assignment of a catalog: its i-th distinct tag, in the order of
 * the plan's `tags` (sorted by name), is bit i % 52 of bit column i / 52. The
 * columns are named `tag_bits_0`, `tag_bits_1`, ...; where an attribute
 * already has that name (ignoring ASCII case), `_` is appended until it does
 * not. Empty when the catalog lists no tags.
 */
export function tagBits(catalog: LayoutCatalog): ReadonlyMap<string, TagBit> {
  const out = new Map<string, TagBit>();
  const names = tagBitColumnNames(catalog);
  for (const t of catalog.tags ?? []) {
    if (out.has(t.name)) continue;
    const i = out.size;
    const columnIndex = Math.floor(i / TAG_BITS_PER_COLUMN);
    out.set(t.name, { tag: t.name, column: quoteIdent(names[columnIndex] as string), columnIndex, mask: 2 ** (i % TAG_BITS_PER_COLUMN) });
  }
  return out;
}

/** The (unquoted) names of the tag bit columns, in order. */
export function tagBitColumnNames(catalog: LayoutCatalog): string[] {
  const distinct = new Set((catalog.tags ?? []).map((t) => t.name)).size;
  const count = Math.ceil(distinct / TAG_BITS_PER_COLUMN);
  const taken = new Set([ID_COLUMN, ...catalog.attributes.filter((a) => columnTypeOf(a.type)).map((a) => foldIdent(a.name))]);
  const names: string[] = [];
  for (let k = 0; k < count; k++) {
    let name = `tag_bits_${k}`;
    while (taken.has(foldIdent(name))) name += "_";
    taken.add(foldIdent(name));
    names.push(name);
  }
  return names;
}

/** The statements that create the customer tables (run in order on an empty database). */
export function customerTablesDDL(catalog: LayoutCatalog): string[] {
  const bits = tagBitColumnNames(catalog).map((n) => `  ${quoteIdent(n)} INTEGER`);
  const cols = [...bits, ...[...customerColumns(catalog).values()].map((c) => `  ${c.column} ${c.sqlType}`)];
  return [
    `CREATE TABLE ${quoteIdent(CUSTOMERS_TABLE)} (\n  ${quoteIdent(ID_COLUMN)} TEXT NOT NULL PRIMARY KEY${cols.length ? ",\n" : ""}${cols.join(",\n")}\n)`,
    `CREATE TABLE ${quoteIdent(TAGS_TABLE)} (\n  "customer_id" TEXT NOT NULL,\n  "tag" TEXT NOT NULL,\n  PRIMARY KEY ("tag", "customer_id")\n) WITHOUT ROWID`,
    `CREATE INDEX "customer_tags_by_customer" ON ${quoteIdent(TAGS_TABLE)} ("customer_id", "tag")`,
  ];
}

/** The type affinity SQLite gives a declared column type (https://sqlite.org/datatype3.html §3.1). */
export function affinityOf(declared: string): SqlColumnType | "NUMERIC" | "BLOB" {
  const t = declared.toUpperCase();
  if (t.includes("INT")) return "INTEGER";
  if (t.includes("CHAR") || t.includes("CLOB") || t.includes("TEXT")) return "TEXT";
  if (t.includes("BLOB") || t === "") return "BLOB";
  if (t.includes("REAL") || t.includes("FLOA") || t.includes("DOUB")) return "REAL";
  return "NUMERIC";
}
