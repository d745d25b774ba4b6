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
 *   - two-valued logic: each atomic test is wrapped so that NULL becomes 0
 *     (`IFNULL(x > ?, 0)`), so `NOT` negates exactly as the interpreter does;
 *   - arithmetic is REAL (`CAST(a AS REAL) / b`); division by zero and NaN
 *     give NULL, hence false; operands that are not numbers give NULL;
 *   - comparisons between different representations are `0`, set members
 *     that cannot equal the subject are dropped (so SQLite's type affinity
 *     never converts text to numbers or back);
 *   - strings compare with the BINARY collation (UTF-8 bytes = code points);
 *   - tags use one uncorrelated subquery per tag test:
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
import { CUSTOMERS_TABLE, ID_COLUMN, TAGS_TABLE, customerColumns, quoteIdent, type ColumnInfo } from "../data/layout.ts";
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
export type SqlCatalog = Pick<CatalogPlan, "attributes"> & { readonly name?: string };

const SQL_OPS: Record<CmpOp, string> = { "=": "=", "!=": "<>", "<": "<", "<=": "<=", ">": ">", ">=": ">=" };

interface Compiler {
  readonly columns: ReadonlyMap<string, ColumnInfo>;
  readonly catalogName: string;
  readonly ctx: EvalContext;
  readonly params: (string | number)[];
}

/** Compiles an audience predicate to a query selecting the ids of matching customers. */
export function compileSql(pred: Pred, catalog: SqlCatalog, ctx: EvalContext): CompiledSql {
  const c: Compiler = { columns: customerColumns(catalog), catalogName: catalog.name ?? "", ctx, params: [] };
  const where = predSql(pred, c);
  return { sql: `SELECT ${quoteIdent(ID_COLUMN)} FROM ${quoteIdent(CUSTOMERS_TABLE)} WHERE ${where}`, params: c.params };
}

/** Compiles only the condition (for callers that build their own query). */
export function compileSqlCondition(pred: Pred, catalog: SqlCatalog, ctx: EvalContext): CompiledSql {
  const c: Compiler = { columns: customerColumns(catalog), catalogName: catalog.name ?? "", ctx, params: [] };
  return { sql: predSql(pred, c), params: c.params };
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

function predSql(p: Pred, c: Compiler): string {
  switch (p.k) {
    case "true":
      return "1";
    case "false":
      return "0";
    case "label":
      return predSql(p.pred, c);
    case "not":
      return `(NOT ${predSql(p.arg, c)})`;
    case "and":
    case "or":
      if (p.args.length === 0) return p.k === "and" ? "1" : "0";
      return `(${p.args.map((a) => predSql(a, c)).join(p.k === "and" ? " AND " : " OR ")})`;
    case "cmp": {
      if (staticRep(p.left) !== staticRep(p.right)) {
        validateOnly([p.left, p.right], c);
        return "0";
      }
      const l = valueSql(p.left, c);
      const r = valueSql(p.right, c);
      return `IFNULL((${l} ${SQL_OPS[p.op]} ${r}), 0)`;
    }
    case "in": {
      const rep = staticRep(p.value);
      const members = [...new Set(p.set.map((m) => setMemberFor(rep, m)).filter((m): m is string | number => m !== null))];
      if (members.length === 0) {
        validateOnly([p.value], c);
        return "0";
      }
      const v = valueSql(p.value, c);
      return `IFNULL((${v} IN (${members.map((m) => param(c, m)).join(", ")})), 0)`;
    }
    case "tag":
      return `(${quoteIdent(ID_COLUMN)} IN (SELECT "customer_id" FROM ${quoteIdent(TAGS_TABLE)} WHERE "tag" = ${param(c, p.tag)}))`;
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
      return `IFNULL((substr(${v}, 6, 5) IN (${keys.map((k) => param(c, k)).join(", ")})), 0)`;
    }
  }
}

/** Checks the names in values whose test is constant, so refusals do not depend on the operands' types. */
function validateOnly(values: readonly ValueExpr[], c: Compiler): void {
  for (const v of values) valueSql(v, { ...c, params: [] });
}

function describeSubject(v: ValueExpr): string {
  return v.k === "attr" || v.k === "field" ? v.name : "value";
}
