/**
 * Predicates compiled to JavaScript: the fast in-process backend of the
 * runtime (trigger conditions on events, wave conditions, audience checks of
 * one customer).
 *
 * `compilePredicate(pred)` generates one specialised function per predicate
 * (straight-line code over local variables, no call per IR node) with
 * `new Function`, once; calling the result with an evaluation context
 * resolves every relative time value and anniversary window once
 * (compiler/time) and returns the function that evaluates many customers.
 *
 * Safety — no user text ever becomes source text. The generator writes only
 * fixed keywords and operators, local names it makes up itself (`v3`, `k0`,
 * `t1`, `w0`) and array indices. Every constant of the plan — strings,
 * numbers, `in` sets, attribute, field and tag names — is a *value* in the
 * array `K`, which the generated code copies into locals (`const k3 = K[3]`)
 * and uses as operands and property keys. compiler/tests/codegen.fast.test.ts checks
 * that the source of predicates built from the injection corpus contains none
 * of its strings.
 *
 * Own properties only — a name such as `__proto__`, `constructor` or
 * `toString` must read nothing inherited. A `hasOwnProperty` call on every
 * read costs about a third of the evaluation time, so attribute and field
 * reads are plain keyed reads `a[k3]` when, and only when, the name is not a
 * property of Object.prototype (checked when the predicate is compiled, and
 * again each time it is bound to a context, so a polluted prototype switches
 * the predicate to the checked variant). Records are plain or null-prototype
 * objects (JSON data, compiler/data/customerRecord.ts), so a name that
 * Object.prototype lacks can only be an own property. Names that Object.
 * prototype has are read through `hasOwnProperty` every time.
 *
 * Semantics are the reference interpreter's (compiler/interp/interpret.ts);
 * compiler/tests/backends*.test.ts and codegen.fast.test.ts check that they agree.
 *
 * Fallback: where code generation is not allowed (a Content-Security-Policy
 * without 'unsafe-eval', e.g. the web editor), `new Function` throws and the
 * predicate is compiled to closures instead (`compilePredicateClosures`,
 * same semantics, slower: about 0.7× hand-written speed on the audience
 * benchmark); the tests run both.
 */
import type { CmpOp, CustomerRecord, EvalContext, EventFields, Pred, Rep, RuntimeValue, ValueExpr } from "../ir/predicate.ts";
import { normalizeValue, setMemberFor, staticRep, wellFormed } from "../data/values.ts";
import { anniversaryKeys, monthDayOfInstant, resolveTime } from "../time/resolve.ts";

/** Evaluates one customer (and, for event conditions, the event's fields). */
export type CompiledPredicate = (customer: CustomerRecord, fields?: EventFields) => boolean;

/** Work to do once per evaluation context: relative times and anniversary windows, by slot. */
interface Slots {
  readonly times: { anchor: "now" | "today" | "startOfToday"; shift: { amount: number; unit: "minute" | "hour" | "day" | "week" | "month" | "year" } }[];
  readonly windows: { fromDays: number; toDays: number }[];
}

const hasOwn = Object.prototype.hasOwnProperty;
const NO_FIELDS: EventFields = Object.freeze(Object.create(null) as EventFields);

/** Whether a program may create functions from source (false under a CSP without 'unsafe-eval'). */
let codegenAllowed: boolean | undefined;
function canGenerate(): boolean {
  if (codegenAllowed === undefined) {
    try {
      codegenAllowed = new Function("return 1")() === 1;
    } catch {
      codegenAllowed = false;
    }
  }
  return codegenAllowed;
}

/** Compiles a predicate; the result is bound to an evaluation context, then applied to customers. */
export function compilePredicate(pred: Pred): (ctx: EvalContext) => CompiledPredicate {
  return canGenerate() ? compilePredicateGenerated(pred) : compilePredicateClosures(pred);
}

// ================================================================ generated

/** The helpers generated code may call, passed in as values (never looked up by name). */
interface Helpers {
  readonly H: typeof hasOwn;
  readonly CS: (a: string, b: string) => number;
  readonly WF: (s: string) => string;
  readonly ISD: (s: string) => boolean;
  readonly MD: (ms: number, ctx: EvalContext) => string | null;
  readonly NF: EventFields;
}

const HELPERS: Helpers = { H: hasOwn, CS: compareStrings, WF: wellFormed, ISD: isDateText, MD: monthDayOfInstant, NF: NO_FIELDS };

type Binder = (T: readonly RuntimeValue[], W: readonly ReadonlySet<string>[], ctx: EvalContext) => CompiledPredicate;
type Factory = (K: readonly unknown[], helpers: Helpers) => Binder;

/** A predicate as generated source, with the constants and slots it indexes. */
export interface GeneratedPredicate {
  /** The body of `new Function("K", "X", source)`. */
  readonly source: string;
  /** Constants, by index: the only place the plan's strings, numbers and names live. */
  readonly constants: readonly unknown[];
  /** Attribute and field names read with a plain keyed read (not properties of Object.prototype). */
  readonly plainNames: readonly string[];
  readonly slots: Slots;
}

/** Compiles a predicate to generated code (throws where `new Function` is not allowed). */
export function compilePredicateGenerated(pred: Pred): (ctx: EvalContext) => CompiledPredicate {
  const fast = generatePredicate(pred, false);
  const make = (g: GeneratedPredicate): Binder => (new Function("K", "X", g.source) as Factory)(g.constants.map(internalized), HELPERS);
  const fastBinder = make(fast);
  let checkedBinder: Binder | undefined;
  return (ctx: EvalContext) => {
    const T = fast.slots.times.map((t) => resolveTime(t.anchor, t.shift, ctx));
    const W = fast.slots.windows.map((w) => anniversaryKeys(w.fromDays, w.toDays, ctx));
    // A name that has since become a property of Object.prototype (pollution) must not be read plainly.
    if (fast.plainNames.some((n) => n in Object.prototype)) {
      checkedBinder ??= make(generatePredicate(pred, true));
      return checkedBinder(T, W, ctx);
    }
    return fastBinder(T, W, ctx);
  };
}

/**
 * The same string, internalized. A string built at run time (sliced from the
 * source, parsed from JSON) is not, and V8 then looks it up in its string
 * table on every keyed read `a[k]`, where a literal name in hand-written code
 * is compared by identity: this alone kept generated predicates at 0.8× the
 * hand-written speed (bench/audience.bench.ts). A computed property key is
 * internalized, so reading it back gives the copy literal names use.
 */
function internalized(value: unknown): unknown {
  if (typeof value !== "string") return value;
  return Object.keys({ [value]: 0 })[0] ?? value;
}

/** A value as generated code holds it. */
interface GenValue {
  /** An expression: a local, `null`, or a constant local. Strings may be raw (see `raw`). */
  readonly expr: string;
  readonly rep: Rep;
  /** Whether the value can be missing (null) at run time. */
  readonly nullable: boolean;
  /** A string that may still hold lone surrogates (normalise with WF before ordering or comparing with U+FFFD). */
  readonly raw: boolean;
  /** The constant value, when it is one (after normalisation). */
  readonly constant?: RuntimeValue;
}

const NULL_VALUE = (rep: Rep): GenValue => ({ expr: "null", rep, nullable: true, raw: false, constant: null });

class Gen {
  readonly constants: unknown[] = [];
  readonly plainNames = new Set<string>();
  readonly slots: Slots = { times: [], windows: [] };
  private readonly lines: string[] = [];
  private depth = 2;
  private next = 0;
  /** Values already read in the current scope, by a key of kind, representation and name. */
  private cache = new Map<string, GenValue>();
  private readonly constIndex = new Map<unknown, number>();
  usesAttrs = false;
  usesFields = false;
  usesTags = false;
  usesCtx = false;

  constructor(private readonly checkAll: boolean) {}

  fresh(prefix: string): string {
    return `${prefix}${this.next++}`;
  }

  emit(line: string): void {
    this.lines.push("  ".repeat(this.depth) + line);
  }

  open(line: string): void {
    this.emit(line);
    this.depth++;
  }

  close(n = 1): void {
    for (let i = 0; i < n; i++) {
      this.depth--;
      this.emit("}");
    }
  }

  body(): string {
    return this.lines.join("\n");
  }

  /** A local holding constant `value` (strings and numbers by value; never in the source). */
  constant(value: unknown): string {
    const key = typeof value === "number" && Object.is(value, -0) ? "-0" : value;
    let i = this.constIndex.get(key);
    if (i === undefined) {
      i = this.constants.push(value) - 1;
      this.constIndex.set(key, i);
    }
    return `k${i}`;
  }

  /** Runs `f` in a nested scope: values read inside are forgotten afterwards (their locals are out of scope). */
  scoped<T>(f: () => T): T {
    const saved = new Map(this.cache);
    try {
      return f();
    } finally {
      this.cache = saved;
    }
  }

  /** Reads an attribute or field into a local holding its normalised value (strings raw), or null. */
  read(kind: "attr" | "field", name: string, rep: Rep): GenValue {
    const key = `${kind}\u0000${rep}\u0000${name}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const obj = kind === "attr" ? "a" : "e";
    if (kind === "attr") this.usesAttrs = true;
    else this.usesFields = true;
    const k = this.constant(name);
    const v = this.fresh("v");
    if (!this.checkAll && !(name in Object.prototype)) {
      this.plainNames.add(name);
      this.emit(`let ${v} = ${obj}[${k}];`);
    } else {
      this.emit(`let ${v} = H.call(${obj}, ${k}) ? ${obj}[${k}] : null;`);
    }
    switch (rep) {
      case "number":
      case "datetime":
        this.emit(`if (typeof ${v} !== "number" || ${v} - ${v} !== 0) ${v} = null;`);
        break;
      case "bool":
        this.emit(`if (typeof ${v} !== "boolean") ${v} = null;`);
        break;
      case "string":
        this.emit(`if (typeof ${v} !== "string") ${v} = null;`);
        break;
      case "date":
        this.emit(`if (typeof ${v} !== "string" || !ISD(${v})) ${v} = null;`);
        break;
    }
    const out: GenValue = { expr: v, rep, nullable: true, raw: rep === "string" };
    this.cache.set(key, out);
    return out;
  }

  /** A string value without lone surrogates (what the interpreter compares). */
  normalized(v: GenValue): string {
    if (!v.raw) return v.expr;
    const key = `wf\u0000${v.expr}`;
    const hit = this.cache.get(key);
    if (hit) return hit.expr;
    const n = this.fresh("n");
    this.emit(`const ${n} = ${v.expr} === null ? null : WF(${v.expr});`);
    this.cache.set(key, { expr: n, rep: "string", nullable: v.nullable, raw: false });
    return n;
  }
}

/** Generates the source of a predicate; `checkAll` reads every name through hasOwnProperty. */
export function generatePredicate(pred: Pred, checkAll = false): GeneratedPredicate {
  const g = new Gen(checkAll);
  genRoot(pred, g);
  const head: string[] = [];
  for (let i = 0; i < g.constants.length; i++) head.push(`const k${i} = K[${i}];`);
  head.push("const H = X.H, CS = X.CS, WF = X.WF, ISD = X.ISD, MD = X.MD, NF = X.NF;");
  const bind: string[] = [];
  for (let i = 0; i < g.slots.times.length; i++) bind.push(`  const t${i} = T[${i}];`);
  for (let i = 0; i < g.slots.windows.length; i++) bind.push(`  const w${i} = W[${i}];`);
  const entry: string[] = [];
  if (g.usesAttrs) entry.push("    const a = c.attrs;");
  if (g.usesFields) entry.push("    const e = f === undefined || f === null ? NF : f;");
  if (g.usesTags) entry.push("    const g = c.tags;");
  const source = [
    '"use strict";',
    ...head,
    "return function bind(T, W, ctx) {",
    ...bind,
    "  return function evaluate(c, f) {",
    ...entry,
    g.body(),
    "  };",
    "};",
  ].join("\n");
  return { source, constants: g.constants, plainNames: [...g.plainNames], slots: g.slots };
}

/** The root: `and` and `or` return early; anything else returns its expression. */
function genRoot(p: Pred, g: Gen): void {
  while (p.k === "label") p = p.pred;
  if (p.k === "and" || p.k === "or") {
    const stop = p.k === "and" ? "false" : "true";
    for (const a of p.args) {
      const e = genPred(a, g);
      if (e === stop) {
        g.emit(`return ${stop};`);
        return;
      }
      if (e === (p.k === "and" ? "true" : "false")) continue;
      if (p.k === "and") g.emit(e.startsWith("!") && paren(e.slice(1)) === e.slice(1) ? `if (${e.slice(1)}) return false;` : `if (!${paren(e)}) return false;`);
      else g.emit(`if (${e}) return true;`);
    }
    g.emit(`return ${p.k === "and" ? "true" : "false"};`);
    return;
  }
  g.emit(`return ${genPred(p, g)};`);
}

function paren(e: string): string {
  return /^[\w.]+(\([\w, ]*\))?$/.test(e) || (e.startsWith("(") && balancedOuter(e)) ? e : `(${e})`;
}

/** Whether the whole of `e` is one parenthesised group. */
function balancedOuter(e: string): boolean {
  let d = 0;
  for (let i = 0; i < e.length; i++) {
    const ch = e[i];
    if (ch === "(") d++;
    else if (ch === ")") {
      d--;
      if (d === 0 && i < e.length - 1) return false;
    }
  }
  return true;
}

/** Emits the statements a predicate needs and returns a side-effect-free boolean expression. */
function genPred(p: Pred, g: Gen): string {
  switch (p.k) {
    case "true":
      return "true";
    case "false":
      return "false";
    case "label":
      return genPred(p.pred, g);
    case "not": {
      const e = genPred(p.arg, g);
      return e === "true" ? "false" : e === "false" ? "true" : `!${paren(e)}`;
    }
    case "and":
    case "or":
      return genJunction(p.k, p.args, g);
    case "cmp":
      return genCompare(p.op, p.left, p.right, g);
    case "in":
      return genIn(p.value, p.set, g);
    case "tag":
      g.usesTags = true;
      return `g.has(${g.constant(p.tag)})`;
    case "set": {
      const v = genValue(p.value, g);
      if (v.constant === null) return "false";
      return v.nullable ? `${v.expr} !== null` : "true";
    }
    case "anniversary": {
      const rep = staticRep(p.value);
      if (rep !== "date" && rep !== "datetime") return "false";
      const v = genValue(p.value, g);
      if (v.constant === null) return "false";
      const w = `w${g.slots.windows.push({ fromDays: p.fromDays, toDays: p.toDays }) - 1}`;
      if (rep === "date") return `(${v.expr} !== null && ${w}.has(${v.expr}.slice(5, 10)))`;
      g.usesCtx = true;
      return `(${v.expr} !== null && ${w}.has(MD(${v.expr}, ctx)))`;
    }
  }
}

/**
 * `and` / `or` inside an expression: a result local and nested blocks, so
 * that values read by one argument stay in scope for the arguments after it.
 */
function genJunction(kind: "and" | "or", args: readonly Pred[], g: Gen): string {
  if (args.length === 0) return kind === "and" ? "true" : "false";
  const r = g.fresh("r");
  g.emit(`let ${r} = ${kind === "and" ? "false" : "true"};`);
  return g.scoped(() => {
    let opened = 0;
    g.open("{");
    opened++;
    for (let i = 0; i < args.length; i++) {
      const e = genPred(args[i] as Pred, g);
      if (i === args.length - 1) g.emit(`${r} = ${e};`);
      else {
        g.open(kind === "and" ? `if (${e}) {` : `if (!${paren(e)}) {`);
        opened++;
      }
    }
    g.close(opened);
    return r;
  });
}

const JS_OPS: Record<CmpOp, string> = { "=": "===", "!=": "!==", "<": "<", "<=": "<=", ">": ">", ">=": ">=" };

function nonNull(...vs: GenValue[]): string[] {
  return vs.filter((v) => v.nullable).map((v) => `${v.expr} !== null`);
}

function genCompare(op: CmpOp, left: ValueExpr, right: ValueExpr, g: Gen): string {
  const rep = staticRep(left);
  if (rep !== staticRep(right)) return "false";
  const l = genValue(left, g);
  if (l.constant === null) return "false";
  const r = genValue(right, g);
  if (r.constant === null) return "false";
  const js = JS_OPS[op];
  let test: string;
  switch (rep) {
    case "number":
    case "datetime":
    case "date":
      // Dates are "YYYY-MM-DD" (ASCII), so JS string order is code point order.
      test = `${l.expr} ${js} ${r.expr}`;
      break;
    case "bool":
      test = op === "=" || op === "!=" ? `${l.expr} ${js} ${r.expr}` : `(${l.expr} ? 1 : 0) ${js} (${r.expr} ? 1 : 0)`;
      break;
    case "string": {
      if (op === "=" || op === "!=") {
        // A raw string equals a well-formed constant without U+FFFD exactly when its normalised form does.
        const rawOk = (x: GenValue, y: GenValue): boolean => typeof y.constant === "string" && !y.constant.includes("\uFFFD") && x.raw;
        const le = rawOk(l, r) ? l.expr : g.normalized(l);
        const re = rawOk(r, l) ? r.expr : g.normalized(r);
        test = `${le} ${js} ${re}`;
      } else {
        test = `CS(${g.normalized(l)}, ${g.normalized(r)}) ${js} 0`;
      }
      break;
    }
  }
  return `(${[...nonNull(l, r), test].join(" && ")})`;
}

function genIn(value: ValueExpr, set: readonly (string | number)[], g: Gen): string {
  const rep = staticRep(value);
  const members = new Set<string | number>();
  for (const m of set) {
    const fit = setMemberFor(rep, m);
    if (fit !== null) members.add(typeof fit === "number" && Object.is(fit, -0) ? 0 : fit);
  }
  if (members.size === 0) return "false";
  const v = genValue(value, g);
  if (v.constant === null) return "false";
  const needsNormal = v.raw && [...members].some((m) => typeof m === "string" && m.includes("\uFFFD"));
  const x = needsNormal ? g.normalized(v) : v.expr;
  // A missing value is null, which equals no member.
  if (members.size <= 8) return `(${[...members].map((m) => `${x} === ${g.constant(m)}`).join(" || ")})`;
  return `(${x} !== null && ${g.constant(new Set(members))}.has(${x}))`;
}

function isArith(rep: Rep): boolean {
  return rep === "number" || rep === "datetime";
}

function genValue(v: ValueExpr, g: Gen): GenValue {
  switch (v.k) {
    case "attr":
    case "field":
      return g.read(v.k, v.name, v.rep);
    case "const": {
      const value = normalizeValue(v.rep, v.value);
      if (value === null) return NULL_VALUE(v.rep);
      return { expr: g.constant(value), rep: v.rep, nullable: false, raw: false, constant: value };
    }
    case "time": {
      const i = g.slots.times.push({ anchor: v.anchor, shift: { amount: v.shift.amount, unit: v.shift.unit } }) - 1;
      return { expr: `t${i}`, rep: staticRep(v), nullable: true, raw: false };
    }
    case "neg": {
      if (!isArith(staticRep(v.arg))) return NULL_VALUE("number");
      const a = genValue(v.arg, g);
      if (a.constant === null) return NULL_VALUE("number");
      const x = g.fresh("x");
      g.emit(a.nullable ? `const ${x} = ${a.expr} === null ? null : -${a.expr};` : `const ${x} = -${a.expr};`);
      return { expr: x, rep: "number", nullable: a.nullable, raw: false };
    }
    case "arith": {
      if (!isArith(staticRep(v.left)) || !isArith(staticRep(v.right))) return NULL_VALUE("number");
      const a = genValue(v.left, g);
      if (a.constant === null) return NULL_VALUE("number");
      const b = genValue(v.right, g);
      if (b.constant === null) return NULL_VALUE("number");
      const x = g.fresh("x");
      const guards = nonNull(a, b);
      if (v.op === "/") guards.push(`${b.expr} !== 0`);
      g.emit(`let ${x} = null;`);
      g.open(guards.length ? `if (${guards.join(" && ")}) {` : "{");
      g.emit(`${x} = ${a.expr} ${v.op} ${b.expr};`);
      g.emit(`if (${x} !== ${x}) ${x} = null;`);
      g.close();
      return { expr: x, rep: "number", nullable: true, raw: false };
    }
  }
}

/** Whether a string is "YYYY-MM-DD" (four digits, two, two), as normalizeValue's date test. */
function isDateText(s: string): boolean {
  if (s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return false;
  for (const i of [0, 1, 2, 3, 5, 6, 8, 9]) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

// ================================================================= closures

/** What one evaluation context resolves: time values and anniversary windows, by slot. */
interface Frame {
  readonly times: readonly RuntimeValue[];
  readonly windows: readonly ReadonlySet<string>[];
  readonly ctx: EvalContext;
}

type ValueFn = (c: CustomerRecord, f: EventFields, fr: Frame) => RuntimeValue;
type PredFn = (c: CustomerRecord, f: EventFields, fr: Frame) => boolean;

/** Compiles a predicate to closures (no generated source): the fallback where `new Function` is not allowed. */
export function compilePredicateClosures(pred: Pred): (ctx: EvalContext) => CompiledPredicate {
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

function readFrom(rep: Rep, rawName: string, pick: (c: CustomerRecord, f: EventFields) => Readonly<Record<string, unknown>>): ValueFn {
  const name = internalized(rawName) as string;
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
      const tag = internalized(p.tag) as string;
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
