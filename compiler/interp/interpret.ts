/**
 * The reference interpreter: the meaning of the predicate IR, written for
 * clarity rather than speed. It is the oracle the compiled JavaScript
 * (compiler/codegen/js.ts) and the SQL (compiler/codegen/sql.ts) are tested
 * against; spec/null-semantics.md states the same rules in prose.
 *
 * The rules, in one place:
 *   - Every value is read through `normalizeValue` (compiler/data/values.ts):
 *     a null, absent or ill-fitting value is *missing*.
 *   - Arithmetic needs two numbers; anything missing gives missing; division
 *     by zero (or -0) gives missing; a result that is not a number (NaN, e.g.
 *     Infinity − Infinity) is missing. Overflow to ±Infinity is kept.
 *   - A comparison is false when either side is missing, or when the two sides
 *     have different representations (see `staticRep`). Numbers compare as
 *     numbers, bools as 0/1, strings (and dates) by Unicode code point, which
 *     is the byte order of UTF-8 and so SQLite's BINARY collation.
 *   - `in` is false on a missing value; set members that cannot be values of
 *     the subject's representation never match.
 *   - `set` is true when the value is not missing.
 *   - An anniversary is false on a missing value; otherwise the value's
 *     "MM-DD" (dates as written, date-times in the context's zone) is looked
 *     up in the window's keys (compiler/time/resolve.ts, with the Feb 29 rule).
 *   - `and`, `or` and `not` are two-valued: `not` simply negates.
 */
import type { CustomerRecord, EvalContext, EventFields, Pred, Rep, RuntimeValue, ValueExpr } from "../ir/predicate.ts";
import { normalizeValue, ownValue, setMemberFor, staticRep } from "../data/values.ts";
import { anniversaryKeys, monthDayOfDate, monthDayOfInstant, resolveTime } from "../time/resolve.ts";
import { describePred, describeValue, showRuntimeValue } from "./describe.ts";

/** What one evaluation reads: the customer, the event's fields (if any) and the context. */
interface Env {
  readonly customer: CustomerRecord;
  readonly fields: EventFields;
  readonly ctx: EvalContext;
}

const NO_FIELDS: EventFields = Object.freeze(Object.create(null) as EventFields);

/** Whether `pred` holds for `customer` (and the event's `fields`) at `ctx`. */
export function evaluate(pred: Pred, customer: CustomerRecord, fields: EventFields | undefined, ctx: EvalContext): boolean {
  return holds(pred, { customer, fields: fields ?? NO_FIELDS, ctx });
}

// ------------------------------------------------------------------ values

/** The value of an expression, or null when it is missing. */
export function valueOf(v: ValueExpr, env: Env): RuntimeValue {
  switch (v.k) {
    case "attr":
      return normalizeValue(v.rep, ownValue(env.customer.attrs, v.name));
    case "field":
      return normalizeValue(v.rep, ownValue(env.fields, v.name));
    case "const":
      return normalizeValue(v.rep, v.value);
    case "time":
      return resolveTime(v.anchor, v.shift, env.ctx);
    case "neg": {
      const x = valueOf(v.arg, env);
      return typeof x === "number" ? -x : null;
    }
    case "arith": {
      const a = valueOf(v.left, env);
      const b = valueOf(v.right, env);
      if (typeof a !== "number" || typeof b !== "number") return null;
      let r: number;
      if (v.op === "+") r = a + b;
      else if (v.op === "-") r = a - b;
      else if (v.op === "*") r = a * b;
      else {
        if (b === 0) return null;
        r = a / b;
      }
      return Number.isNaN(r) ? null : r;
    }
  }
}

/** Compares two strings by Unicode code point (the order of their UTF-8 bytes). */
export function compareByCodePoint(a: string, b: string): number {
  const x = Array.from(a, (c) => c.codePointAt(0) ?? 0);
  const y = Array.from(b, (c) => c.codePointAt(0) ?? 0);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return x.length === y.length ? 0 : x.length < y.length ? -1 : 1;
}

/** -1, 0 or 1 for two present values of one representation; undefined when they cannot be compared. */
function order(a: RuntimeValue, b: RuntimeValue): number | undefined {
  if (typeof a === "number" && typeof b === "number") return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === "boolean" && typeof b === "boolean") return Number(a) - Number(b);
  if (typeof a === "string" && typeof b === "string") return compareByCodePoint(a, b);
  return undefined;
}

function compare(op: string, a: RuntimeValue, b: RuntimeValue, sameRep: boolean): boolean {
  if (!sameRep || a === null || b === null) return false;
  const o = order(a, b);
  if (o === undefined) return false;
  switch (op) {
    case "=":
      return o === 0;
    case "!=":
      return o !== 0;
    case "<":
      return o < 0;
    case "<=":
      return o <= 0;
    case ">":
      return o > 0;
    case ">=":
      return o >= 0;
    default:
      return false;
  }
}

function member(rep: Rep, v: RuntimeValue, set: readonly (string | number)[]): boolean {
  if (v === null) return false;
  return set.some((m) => {
    const fit = setMemberFor(rep, m);
    return fit !== null && fit === v;
  });
}

function anniversaryKey(rep: Rep, v: RuntimeValue, ctx: EvalContext): string | null {
  if (rep === "date" && typeof v === "string") return monthDayOfDate(v);
  if (rep === "datetime" && typeof v === "number") return monthDayOfInstant(v, ctx);
  return null;
}

// -------------------------------------------------------------- predicates

function holds(p: Pred, env: Env): boolean {
  switch (p.k) {
    case "true":
      return true;
    case "false":
      return false;
    case "and":
      return p.args.every((a) => holds(a, env));
    case "or":
      return p.args.some((a) => holds(a, env));
    case "not":
      return !holds(p.arg, env);
    case "label":
      return holds(p.pred, env);
    case "cmp":
      return compare(p.op, valueOf(p.left, env), valueOf(p.right, env), staticRep(p.left) === staticRep(p.right));
    case "in":
      return member(staticRep(p.value), valueOf(p.value, env), p.set);
    case "tag":
      return env.customer.tags.has(p.tag);
    case "set":
      return valueOf(p.value, env) !== null;
    case "anniversary": {
      const key = anniversaryKey(staticRep(p.value), valueOf(p.value, env), env.ctx);
      return key !== null && anniversaryKeys(p.fromDays, p.toDays, env.ctx).has(key);
    }
  }
}

// ------------------------------------------------------------------- trace

/** One value an explanation shows next to a clause. */
export interface TraceValue {
  /** What was read: an attribute or field name, `has TAG`, a time expression or a computed operand. */
  readonly name: string;
  readonly source: "customer" | "event" | "tag" | "time" | "computed";
  readonly value: RuntimeValue;
  /** The value as shown to people (`10,000`, `2026-12-02 10:00:00 GMT+8`, `missing`). */
  readonly shown: string;
}

/** One clause of an explanation: its plain-language label, the values it read, and its result. */
export interface TraceNode {
  readonly kind: Pred["k"];
  readonly label: string;
  readonly values: readonly TraceValue[];
  readonly result: boolean;
  readonly children: readonly TraceNode[];
}

/** Evaluates `pred` like `evaluate`, recording every clause (no short-circuit, so every clause is shown). */
export function trace(pred: Pred, customer: CustomerRecord, fields: EventFields | undefined, ctx: EvalContext): TraceNode {
  return traceNode(pred, { customer, fields: fields ?? NO_FIELDS, ctx });
}

function traceNode(p: Pred, env: Env): TraceNode {
  const label = describePred(p, env.ctx.zone);
  const node = (result: boolean, values: TraceValue[] = [], children: TraceNode[] = []): TraceNode => ({ kind: p.k, label, values, result, children });
  switch (p.k) {
    case "and":
    case "or": {
      const children = p.args.map((a) => traceNode(a, env));
      return node(p.k === "and" ? children.every((c) => c.result) : children.some((c) => c.result), [], children);
    }
    case "not": {
      const child = traceNode(p.arg, env);
      return node(!child.result, [], [child]);
    }
    case "label": {
      const child = traceNode(p.pred, env);
      return node(child.result, [], [child]);
    }
    case "tag": {
      const has = env.customer.tags.has(p.tag);
      return node(has, [{ name: `has ${p.tag}`, source: "tag", value: has, shown: has ? "yes" : "no" }]);
    }
    case "cmp":
      return node(holds(p, env), [...readsOf(p.left, env), ...readsOf(p.right, env)]);
    case "in":
    case "set":
      return node(holds(p, env), readsOf(p.value, env));
    case "anniversary": {
      const values = readsOf(p.value, env);
      const key = anniversaryKey(staticRep(p.value), valueOf(p.value, env), env.ctx);
      if (key !== null) values.push({ name: "anniversary day", source: "computed", value: key, shown: key });
      return node(holds(p, env), values);
    }
    case "true":
    case "false":
      return node(p.k === "true");
  }
}

/** The values a value expression reads (leaves), plus its own value when it is computed. */
function readsOf(v: ValueExpr, env: Env): TraceValue[] {
  const out: TraceValue[] = [];
  const zone = env.ctx.zone;
  const visit = (x: ValueExpr): void => {
    switch (x.k) {
      case "attr":
      case "field": {
        const value = valueOf(x, env);
        out.push({ name: x.k === "attr" ? x.name : `event.${x.name}`, source: x.k === "attr" ? "customer" : "event", value, shown: showRuntimeValue(value, x.rep, zone) });
        return;
      }
      case "time": {
        const value = valueOf(x, env);
        out.push({ name: describeValue(x, zone), source: "time", value, shown: showRuntimeValue(value, staticRep(x), zone) });
        return;
      }
      case "arith":
        visit(x.left);
        visit(x.right);
        return;
      case "neg":
        visit(x.arg);
        return;
      case "const":
        return;
    }
  };
  visit(v);
  if (v.k === "arith" || v.k === "neg") {
    const value = valueOf(v, env);
    out.push({ name: describeValue(v, zone), source: "computed", value, shown: showRuntimeValue(value, "number", zone) });
  }
  // One entry per name: `aum ≥ 10k and aum ≤ 200k` reads `aum` once per clause anyway.
  const seen = new Set<string>();
  return out.filter((t) => (seen.has(t.name) ? false : (seen.add(t.name), true)));
}
