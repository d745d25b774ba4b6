/**
 * Audience predicates compiled to SQLite SQL over the layout of
 * compiler/data/layout.ts: `SELECT "id" FROM "customers" WHERE ...`.
 *
 * Safety: every value (numbers, strings, tag names, resolved times, set
 * members, anniversary keys) is a bound `?` parameter; every identifier is
 * looked up in the catalog (never taken from the predicate alone) and quoted.
 * The SQL text is built only from fixed keywords, `?` and quoted catalog names.
 *
 * Semantics match the reference interpreter (compiler/interp/interpret.ts):
 *   - two-valued logic: each atomic test under a NOT is wrapped so that NULL
 *     becomes 0 (`IFNULL(x > ?, 0)`), so `NOT` negates exactly as the
 *     interpreter does; outside any NOT the wrapper is not needed (see
 *     `predSql`);
 *   - arithmetic is REAL (`CAST(a AS REAL) / b`); division by zero and NaN
 *     give NULL, hence false; operands that are not numbers give NULL;
 *   - comparisons between different representations are `0`, set members
 *     that cannot equal the subject are dropped (so SQLite's type affinity
 *     never converts text to numbers or back);
 *   - strings compare with the BINARY collation (UTF-8 bytes = code points);
 *   - a tag the catalog lists is a bit of a tag bit column on the customer's
 *     row (compiler/data/layout.ts `tagBits`); the tag tests of one `and`
 *     that share a column become one test, `(bits & mask) = expected`, at the
 *     place of the first of them (so `has payroll and not has staff and not
 *     has complaint_90d` is one `&` per row). A row whose bit column is NULL
 *     (written by a writer that fills only customer_tags) is answered from
 *     customer_tags instead, through `IFNULL(bit test, subquery test)`;
 *   - a tag the catalog does not list has no bit: one uncorrelated subquery,
 *     `"id" IN (SELECT "customer_id" FROM "customer_tags" WHERE "tag" = ?)`.
 *
 * Refused with SqlCompileError (audience selection is over customers only):
 * event fields, attributes not in the catalog or read with another
 * representation than the catalog's, and anniversaries of date-times (their
 * month and day depend on the zone's daylight-saving rules, which SQLite does
 * not know; declare the attribute as a `date`).
 */
import type { CmpOp, EvalContext, Pred, ValueExpr } from "../ir/predicate.ts";
import type { CatalogPlan } from "../plan/types.ts";
import { CUSTOMERS_TABLE, ID_COLUMN, TAGS_TABLE, customerColumns, quoteIdent, tagBits, type ColumnInfo, type TagBit } from "../data/layout.ts";
import { isArithmeticRep, normalizeValue, setMemberFor, staticRep } from "../data/values.ts";
import { anniversaryKeys, resolveTime } from "../time/resolve.ts";

/** A predicate that cannot run as SQL, with the reason in plain language. */
export class SqlCompileError extends Error {
  override readonly name = "SqlCompileError";
}

/** SQL text with its parameters, in order. */
export interface CompiledSql {
  readonly sql: string;
  readonly params: (string | number)[];
}

/** The catalog as the SQL compiler needs it. */
export type SqlCatalog = Pick<CatalogPlan, "attributes"> & { readonly name?: string; readonly tags?: CatalogPlan["tags"] };

const SQL_OPS: Record<CmpOp, string> = { "=": "=", "!=": "<>", "<": "<", "<=": "<=", ">": ">", ">=": ">=" };

interface Compiler {
  readonly columns: ReadonlyMap<string, ColumnInfo>;
  readonly bits: ReadonlyMap<string, TagBit>;
  readonly catalogName: string;
  readonly ctx: EvalContext;
  readonly params: (string | number)[];
}

/** Compiles an audience predicate to a query selecting the ids of matching customers. */
export function compileSql(pred: Pred, catalog: SqlCatalog, ctx: EvalContext): CompiledSql {
  const c: Compiler = { columns: customerColumns(catalog), bits: tagBits(catalog), catalogName: catalog.name ?? "", ctx, params: [] };
  const where = predSql(pred, c, false);
  return { sql: `SELECT ${quoteIdent(ID_COLUMN)} FROM ${quoteIdent(CUSTOMERS_TABLE)} WHERE ${where}`, params: c.params };
}

/** Compiles only the condition (for callers that build their own query). */
export function compileSqlCondition(pred: Pred, catalog: SqlCatalog, ctx: EvalContext): CompiledSql {
  const c: Compiler = { columns: customerColumns(catalog), bits: tagBits(catalog), catalogName: catalog.name ?? "", ctx, params: [] };
  return { sql: predSql(pred, c, true), params: c.params };
}

function param(c: Compiler, v: string | number | boolean): string {
  c.params.push(typeof v === "boolean" ? (v ? 1 : 0) : v);
  return "?";
}

// ------------------------------------------------------------------ values

function valueSql(v: ValueExpr, c: Compiler): string {
  switch (v.k) {
    case "attr": {
      const col = c.columns.get(v.name);
      const where = c.catalogName ? ` of catalog \`${c.catalogName}\`` : "";
      if (!col) throw new SqlCompileError(`\`${v.name}\` is not a customer attribute${where} with a column, so it cannot be selected in SQL`);
      if (col.rep !== v.rep) throw new SqlCompileError(`attribute \`${v.name}\` holds ${col.rep} values${where}, but the condition reads it as ${v.rep}`);
      return col.column;
    }
    case "field":
      throw new SqlCompileError(`the condition reads the event field \`${v.name}\`; audience SQL selects customers and has no event (use the interpreter or compiled JavaScript for event conditions)`);
    case "const": {
      const value = normalizeValue(v.rep, v.value);
      return value === null ? "NULL" : param(c, value);
    }
    case "time":
      return param(c, resolveTime(v.anchor, v.shift, c.ctx));
    case "neg":
      return `(-(${numericOperand(v.arg, c)}))`;
    case "arith": {
      const l = numericOperand(v.left, c);
      const r = numericOperand(v.right, c);
      return `(CAST(${l} AS REAL) ${v.op} ${r})`;
    }
  }
}

/** An arithmetic operand: NULL unless it is a number or date-time (as the interpreter refuses text and bools). */
function numericOperand(v: ValueExpr, c: Compiler): string {
  if (!isArithmeticRep(staticRep(v))) {
    // Still validate what it names, so a bad name is an error rather than a silent NULL.
    valueSql(v, { ...c, params: [] });
    return "NULL";
  }
  return valueSql(v, c);
}

// -------------------------------------------------------------- predicates

/**
 * `total`: whether the test must be 0 or 1 (it is under a NOT, or the caller
 * uses the condition as a value). Directly in WHERE, through AND and OR
 * only, a NULL test selects nothing exactly as 0 does (strong Kleene logic:
 * a result that is 1 with unknown inputs is 1 for any values of them), so the
 * `IFNULL(…, 0)` wrapper is left out there.
 */
function predSql(p: Pred, c: Compiler, total: boolean): string {
  switch (p.k) {
    case "true":
      return "1";
    case "false":
      return "0";
    case "label":
      return predSql(p.pred, c, total);
    case "not":
      return `(NOT ${predSql(p.arg, c, true)})`;
    case "and":
      if (p.args.length === 0) return "1";
      return `(${andArgsSql(p.args, c, total).join(" AND ")})`;
    case "or":
      if (p.args.length === 0) return "0";
      return `(${p.args.map((a) => predSql(a, c, total)).join(" OR ")})`;
    case "cmp": {
      if (staticRep(p.left) !== staticRep(p.right)) {
        validateOnly([p.left, p.right], c);
        return "0";
      }
      const l = valueSql(p.left, c);
      const r = valueSql(p.right, c);
      return orZero(`(${l} ${SQL_OPS[p.op]} ${r})`, total);
    }
    case "in": {
      const rep = staticRep(p.value);
      const members = [...new Set(p.set.map((m) => setMemberFor(rep, m)).filter((m): m is string | number => m !== null))];
      if (members.length === 0) {
        validateOnly([p.value], c);
        return "0";
      }
      const v = valueSql(p.value, c);
      return orZero(`(${v} IN (${members.map((m) => param(c, m)).join(", ")}))`, total);
    }
    case "tag": {
      const bit = c.bits.get(p.tag);
      return bit ? bitTestSql([{ bit, has: true }], c) : tagRowsSql(p.tag, c);
    }
    case "set":
      return `(${valueSql(p.value, c)} IS NOT NULL)`;
    case "anniversary": {
      const rep = staticRep(p.value);
      if (rep === "datetime") throw new SqlCompileError(`the anniversary of the date-time \`${describeSubject(p.value)}\` depends on daylight-saving rules SQLite does not know; declare it as a \`date\` to select it in SQL`);
      if (rep !== "date") {
        validateOnly([p.value], c);
        return "0";
      }
      const keys = [...anniversaryKeys(p.fromDays, p.toDays, c.ctx)].sort();
      if (keys.length === 0) {
        validateOnly([p.value], c);
        return "0";
      }
      const v = valueSql(p.value, c);
      return orZero(`(substr(${v}, 6, 5) IN (${keys.map((k) => param(c, k)).join(", ")}))`, total);
    }
  }
}

// -------------------------------------------------------------------- tags

/** A tag test with a bit: the customer has (or, `has: false`, lacks) the tag. */
interface BitTest {
  readonly bit: TagBit;
  readonly has: boolean;
}

/** `has TAG` or `not has TAG` (through labels) on a tag with a bit; undefined otherwise. */
function bitTestOf(p: Pred, c: Compiler): BitTest | undefined {
  let has = true;
  for (;;) {
    if (p.k === "label") p = p.pred;
    else if (p.k === "not") {
      has = !has;
      p = p.arg;
    } else break;
  }
  if (p.k !== "tag") return undefined;
  const bit = c.bits.get(p.tag);
  return bit ? { bit, has } : undefined;
}

/** The arguments of an `and`, with the bit tag tests of each bit column merged into one test at the first one's place. */
function andArgsSql(args: readonly Pred[], c: Compiler, total: boolean): string[] {
  const tests = args.map((a) => bitTestOf(a, c));
  const byColumn = new Map<number, BitTest[]>();
  for (const t of tests) if (t) byColumn.set(t.bit.columnIndex, [...(byColumn.get(t.bit.columnIndex) ?? []), t]);
  const out: string[] = [];
  args.forEach((a, i) => {
    const t = tests[i];
    if (!t) out.push(predSql(a, c, total));
    else {
      const group = byColumn.get(t.bit.columnIndex);
      if (group) {
        out.push(bitTestSql(group, c));
        byColumn.delete(t.bit.columnIndex);
      }
    }
  });
  return out;
}

/**
 * Tag tests on one bit column: `(bits & mask) = expected`, where mask has
 * every tested bit and expected the bits that must be set. A tag required
 * both present and absent makes it false, as the `and` it came from. When the
 * row's bits are NULL the same tests run against customer_tags.
 */
function bitTestSql(tests: readonly BitTest[], c: Compiler): string {
  const want = new Map<string, boolean>();
  let contradiction = false;
  for (const t of tests) {
    const before = want.get(t.bit.tag);
    if (before !== undefined && before !== t.has) contradiction = true;
    want.set(t.bit.tag, t.has);
  }
  if (contradiction) return "0";
  const first = tests[0] as BitTest;
  let mask = 0;
  let expected = 0;
  const fallback: string[] = [];
  for (const [tag, has] of want) {
    const bit = c.bits.get(tag) as TagBit;
    mask += bit.mask;
    if (has) expected += bit.mask;
  }
  const test = `((${first.bit.column} & ${param(c, mask)}) = ${param(c, expected)})`;
  for (const [tag, has] of want) fallback.push(`(${has ? "" : "NOT "}${tagRowExistsSql(tag, c)})`);
  return `IFNULL(${test}, ${fallback.length === 1 ? fallback[0] : `(${fallback.join(" AND ")})`})`;
}

/**
 * The tag from customer_tags for the current row: a correlated lookup of its
 * (tag, customer_id) key, used only for rows whose bits are NULL (an IN list
 * would be built for every query, whether or not any row needs it).
 */
function tagRowExistsSql(tag: string, c: Compiler): string {
  return `EXISTS (SELECT 1 FROM ${quoteIdent(TAGS_TABLE)} WHERE "tag" = ${param(c, tag)} AND "customer_id" = ${quoteIdent(CUSTOMERS_TABLE)}.${quoteIdent(ID_COLUMN)})`;
}

/** The tag from customer_tags: one uncorrelated subquery on its (tag, customer_id) key. */
function tagRowsSql(tag: string, c: Compiler): string {
  return `(${quoteIdent(ID_COLUMN)} IN (SELECT "customer_id" FROM ${quoteIdent(TAGS_TABLE)} WHERE "tag" = ${param(c, tag)}))`;
}

/** A test that may be NULL, made 0 where it must be total. */
function orZero(test: string, total: boolean): string {
  return total ? `IFNULL(${test}, 0)` : test;
}

/** Checks the names in values whose test is constant, so refusals do not depend on the operands' types. */
function validateOnly(values: readonly ValueExpr[], c: Compiler): void {
  for (const v of values) valueSql(v, { ...c, params: [] });
}

function describeSubject(v: ValueExpr): string {
  return v.k === "attr" || v.k === "field" ? v.name : "value";
}
