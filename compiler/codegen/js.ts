/**
 * Predicates compiled to JavaScript closures: the fast in-process backend of
 * the runtime (trigger conditions on events, wave conditions, audience checks
 * of one customer).
 *
 * `compilePredicate(pred)` does the static work once (representations,
 * normalised constants, filtered `in` sets, comparators chosen per operator
 * and representation); calling the result with an evaluation context resolves
 * every relative time value and anniversary window once (compiler/time), and
 * returns a function that evaluates many customers.
 *
 * Safety: no source text is generated. Attribute and field names, strings and
 * numbers from the plan are only ever *values* captured by closures and used as
 * property keys through an own-property check, so no user text can run as code
 * and names such as `__proto__` or `constructor` read nothing inherited.
 *
 * Semantics are the reference interpreter's (compiler/interp/interpret.ts);
 * compiler/tests/backends.test.ts checks that they agree.
 */
import type { CmpOp, CustomerRecord, EvalContext, EventFields, Pred, Rep, RuntimeValue, ValueExpr } from "../ir/predicate.ts";
import { normalizeValue, setMemberFor, staticRep } from "../data/values.ts";
import { anniversaryKeys, monthDayOfInstant, resolveTime } from "../time/resolve.ts";

/** Evaluates one customer (and, for event conditions, the event's fields). */
export type CompiledPredicate = (customer: CustomerRecord, fields?: EventFields) => boolean;

/** What one evaluation context resolves: time values and anniversary windows, by slot. */
interface Frame {
  readonly times: readonly RuntimeValue[];
  readonly windows: readonly ReadonlySet<string>[];
  readonly ctx: EvalContext;
}

type ValueFn = (c: CustomerRecord, f: EventFields, fr: Frame) => RuntimeValue;
type PredFn = (c: CustomerRecord, f: EventFields, fr: Frame) => boolean;

/** Work to do once per evaluation context. */
interface Slots {
  readonly times: { anchor: "now" | "today" | "startOfToday"; shift: { amount: number; unit: "minute" | "hour" | "day" | "week" | "month" | "year" } }[];
  readonly windows: { fromDays: number; toDays: number }[];
}

const hasOwn = Object.prototype.hasOwnProperty;
const NO_FIELDS: EventFields = Object.freeze(Object.create(null) as EventFields);

/** Compiles a predicate; the result is bound to an evaluation context, then applied to customers. */
export function compilePredicate(pred: Pred): (ctx: EvalContext) => CompiledPredicate {
  const slots: Slots = { times: [], windows: [] };
  const root = compilePred(pred, slots);
  return (ctx: EvalContext) => {
    const frame: Frame = {
      times: slots.times.map((t) => resolveTime(t.anchor, t.shift, ctx)),
      windows: slots.windows.map((w) => anniversaryKeys(w.fromDays, w.toDays, ctx)),
      ctx,
    };
    return (customer, fields) => root(customer, fields ?? NO_FIELDS, frame);
  };
}

// ------------------------------------------------------------------ values

function readFrom(rep: Rep, name: string, pick: (c: CustomerRecord, f: EventFields) => Readonly<Record<string, unknown>>): ValueFn {
  if (rep === "number" || rep === "datetime") {
    return (c, f) => {
      const o = pick(c, f);
      if (!hasOwn.call(o, name)) return null;
      const x = o[name];
      return typeof x === "number" && x - x === 0 ? x : null;
    };
  }
  if (rep === "bool") {
    return (c, f) => {
      const o = pick(c, f);
      if (!hasOwn.call(o, name)) return null;
      const x = o[name];
      return typeof x === "boolean" ? x : null;
    };
  }
  return (c, f) => {
    const o = pick(c, f);
    return hasOwn.call(o, name) ? normalizeValue(rep, o[name]) : null;
  };
}

const pickAttrs = (c: CustomerRecord): Readonly<Record<string, unknown>> => c.attrs;
const pickFields = (_c: CustomerRecord, f: EventFields): Readonly<Record<string, unknown>> => f;

function compileValue(v: ValueExpr, slots: Slots): ValueFn {
  switch (v.k) {
    case "attr":
      return readFrom(v.rep, v.name, pickAttrs);
    case "field":
      return readFrom(v.rep, v.name, pickFields);
    case "const": {
      const value = normalizeValue(v.rep, v.value);
      return () => value;
    }
    case "time": {
      const i = slots.times.push({ anchor: v.anchor, shift: { amount: v.shift.amount, unit: v.shift.unit } }) - 1;
      return (_c, _f, fr) => fr.times[i] ?? null;
    }
    case "neg": {
      const a = compileValue(v.arg, slots);
      return (c, f, fr) => {
        const x = a(c, f, fr);
        return typeof x === "number" ? -x : null;
      };
    }
    case "arith":
      return compileArith(v.op, compileValue(v.left, slots), compileValue(v.right, slots));
  }
}

function compileArith(op: "+" | "-" | "*" | "/", l: ValueFn, r: ValueFn): ValueFn {
  const apply =
    op === "+"
      ? (a: number, b: number) => a + b
      : op === "-"
        ? (a: number, b: number) => a - b
        : op === "*"
          ? (a: number, b: number) => a * b
          : (a: number, b: number) => (b === 0 ? NaN : a / b);
  return (c, f, fr) => {
    const a = l(c, f, fr);
    if (typeof a !== "number") return null;
    const b = r(c, f, fr);
    if (typeof b !== "number") return null;
    const x = apply(a, b);
    return x === x ? x : null;
  };
}

// ------------------------------------------------------------- comparisons

/** UTF-16 code units remapped so that comparing them orders strings by code point. */
function codePointRank(u: number): number {
  return u < 0xd800 ? u : u >= 0xe000 ? u - 0x800 : u + 0x2000;
}

/** String order by Unicode code point (UTF-8 byte order, SQLite's BINARY collation). */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) < codePointRank(y) ? -1 : 1;
  }
  return a.length < b.length ? -1 : 1;
}

const TESTS: Record<CmpOp, (o: number) => boolean> = {
  "=": (o) => o === 0,
  "!=": (o) => o !== 0,
  "<": (o) => o < 0,
  "<=": (o) => o <= 0,
  ">": (o) => o > 0,
  ">=": (o) => o >= 0,
};

function compileCompare(op: CmpOp, rep: Rep, l: ValueFn, r: ValueFn): PredFn {
  if (rep === "number" || rep === "datetime") {
    const numeric: Record<CmpOp, (a: number, b: number) => boolean> = {
      "=": (a, b) => a === b,
      "!=": (a, b) => a !== b,
      "<": (a, b) => a < b,
      "<=": (a, b) => a <= b,
      ">": (a, b) => a > b,
      ">=": (a, b) => a >= b,
    };
    const test = numeric[op];
    return (c, f, fr) => {
      const a = l(c, f, fr);
      if (typeof a !== "number") return false;
      const b = r(c, f, fr);
      return typeof b === "number" && test(a, b);
    };
  }
  const test = TESTS[op];
  if (rep === "bool") {
    return (c, f, fr) => {
      const a = l(c, f, fr);
      if (typeof a !== "boolean") return false;
      const b = r(c, f, fr);
      return typeof b === "boolean" && test(Number(a) - Number(b));
    };
  }
  return (c, f, fr) => {
    const a = l(c, f, fr);
    if (typeof a !== "string") return false;
    const b = r(c, f, fr);
    return typeof b === "string" && test(compareStrings(a, b));
  };
}

// -------------------------------------------------------------- predicates

const TRUE: PredFn = () => true;
const FALSE: PredFn = () => false;

function compilePred(p: Pred, slots: Slots): PredFn {
  switch (p.k) {
    case "true":
      return TRUE;
    case "false":
      return FALSE;
    case "label":
      return compilePred(p.pred, slots);
    case "not": {
      const a = compilePred(p.arg, slots);
      return (c, f, fr) => !a(c, f, fr);
    }
    case "and": {
      const args = p.args.map((a) => compilePred(a, slots));
      if (args.length === 0) return TRUE;
      return (c, f, fr) => {
        for (const a of args) if (!a(c, f, fr)) return false;
        return true;
      };
    }
    case "or": {
      const args = p.args.map((a) => compilePred(a, slots));
      if (args.length === 0) return FALSE;
      return (c, f, fr) => {
        for (const a of args) if (a(c, f, fr)) return true;
        return false;
      };
    }
    case "cmp": {
      const rep = staticRep(p.left);
      if (rep !== staticRep(p.right)) return FALSE;
      return compileCompare(p.op, rep, compileValue(p.left, slots), compileValue(p.right, slots));
    }
    case "in": {
      const rep = staticRep(p.value);
      const members = new Set<string | number>();
      for (const m of p.set) {
        const fit = setMemberFor(rep, m);
        if (fit !== null) members.add(fit);
      }
      if (members.size === 0) return FALSE;
      const v = compileValue(p.value, slots);
      return (c, f, fr) => {
        const x = v(c, f, fr);
        return x !== null && typeof x !== "boolean" && members.has(x);
      };
    }
    case "tag": {
      const tag = p.tag;
      return (c) => c.tags.has(tag);
    }
    case "set": {
      const v = compileValue(p.value, slots);
      return (c, f, fr) => v(c, f, fr) !== null;
    }
    case "anniversary": {
      const rep = staticRep(p.value);
      if (rep !== "date" && rep !== "datetime") return FALSE;
      const v = compileValue(p.value, slots);
      const w = slots.windows.push({ fromDays: p.fromDays, toDays: p.toDays }) - 1;
      if (rep === "date") {
        return (c, f, fr) => {
          const x = v(c, f, fr);
          return typeof x === "string" && (fr.windows[w]?.has(x.slice(5, 10)) ?? false);
        };
      }
      return (c, f, fr) => {
        const x = v(c, f, fr);
        if (typeof x !== "number") return false;
        const key = monthDayOfInstant(x, fr.ctx);
        return key !== null && (fr.windows[w]?.has(key) ?? false);
      };
    }
  }
}
