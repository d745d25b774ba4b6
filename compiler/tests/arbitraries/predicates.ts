/**
 * fast-check arbitraries for the differential tests of the predicate backends:
 * a fixed "catalog-lite" with an attribute of every type, random predicates
 * over it (every node kind, nested and/or/not, arithmetic with division,
 * relative time with shifts, anniversaries, tags, `in` sets, `set` tests,
 * occasional mixed representations and ill-typed constants), random
 * evaluation contexts (zones with daylight-saving changes, instants next to
 * the changes and to Feb 28/29) and random customers whose values are drawn
 * near the predicates' constants and the context's "now" (null, missing,
 * boundary numbers, ill-typed values, Unicode strings).
 */
import { repOf } from "../../check/expr.ts";
import fc from "fast-check";
import { DateTime } from "luxon";
import type { CmpOp, CustomerRecord, EvalContext, EventFields, Pred, Rep, Shift, TimeUnit, ValueExpr } from "../../ir/predicate.ts";
import type { AttributeTypePlan, CatalogPlan, FieldPlan } from "../../plan/types.ts";
import { resolveTime } from "../../time/resolve.ts";

// ---------------------------------------------------------------- catalog

export const TIERS = ["mass", "wealth", "premium", "private"] as const;

/** Attributes of the catalog-lite: every attribute type, two of the common ones. */
export const LITE_ATTRIBUTES: readonly FieldPlan[] = [
  { name: "aum", type: { t: "money", currency: "CNY" } },
  { name: "balance", type: { t: "money", currency: "CNY" } },
  { name: "age", type: { t: "int" } },
  { name: "tenure", type: { t: "int" } },
  { name: "ratio", type: { t: "number" } },
  { name: "propensity", type: { t: "score" } },
  { name: "name", type: { t: "string" } },
  { name: "branch", type: { t: "string" } },
  { name: "tier", type: { t: "enum", values: TIERS } },
  { name: "zone", type: { t: "timezone" } },
  { name: "vip", type: { t: "bool" } },
  { name: "birthday", type: { t: "date" } },
  { name: "maturity", type: { t: "date" } },
  { name: "lastLogin", type: { t: "datetime" } },
  { name: "openedAt", type: { t: "datetime" } },
  { name: "tags", type: { t: "tags" } },
];

/** A catalog plan around a list of attributes (only the parts the backends read are meaningful). */
export function liteCatalog(attributes: readonly FieldPlan[] = LITE_ATTRIBUTES, tags: readonly string[] = TAG_POOL, zone = "Asia/Shanghai"): CatalogPlan {
  return {
    name: "lite",
    hash: "0",
    zone,
    currency: "CNY",
    attributes,
    tags: tags.map((name) => ({ name })),
    events: [],
    channels: [],
    benefits: [],
    policies: [],
  };
}

export const TAG_POOL: readonly string[] = ["payroll", "wealth_holder", "staff", "代发工资客户", "😀vip", "it's", 'say "hi"', ""];

/** Event fields predicates may read (the interpreter and the JS backend only). */
export const LITE_FIELDS: readonly FieldPlan[] = [
  { name: "amount", type: { t: "money", currency: "CNY" } },
  { name: "device", type: { t: "enum", values: ["ios", "android", "web"] } },
  { name: "at", type: { t: "datetime" } },
  { name: "day", type: { t: "date" } },
  { name: "flag", type: { t: "bool" } },
];

/** The checker's representation of a type; tags have none (they are tested with `has`). */
function repOfType(t: AttributeTypePlan): Rep | undefined {
  return t.t === "tags" ? undefined : repOf(t);
}

function namesByRep(fields: readonly FieldPlan[]): Record<Rep, string[]> {
  const out: Record<Rep, string[]> = { number: [], string: [], bool: [], date: [], datetime: [] };
  for (const f of fields) {
    const r = repOfType(f.type);
    if (r) out[r].push(f.name);
  }
  return out;
}

// ------------------------------------------------------------------ values

/** Numbers that make comparisons and arithmetic interesting, shared by constants and customer data. */
export const BOUNDARY_NUMBERS: readonly number[] = [
  0, -0, 1, -1, 2, 3, 7, 10, 12, 0.1, 0.2, 0.30000000000000004, 0.5, 18, 25, 100, 5000, 10_000, 50_000, 200_000, 1e15, -1e15, 1e-9, -1e-9, 2 ** 53, -(2 ** 53), 2 ** 53 - 1, 1e300, -1e300, 1.7976931348623157e308, 5e-324, 123456789, 987654321, 9.5, -2.5,
];

export const numberArb: fc.Arbitrary<number> = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...BOUNDARY_NUMBERS) },
  { weight: 3, arbitrary: fc.integer({ min: -1000, max: 1000 }) },
  { weight: 2, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
);

/** Strings: ASCII, CJK, emoji, quotes, SQL and JS metacharacters, NUL, enum values and tag names. */
export const STRING_POOL: readonly string[] = [
  "",
  "a",
  "0",
  "1",
  "12",
  "1e15",
  "B01",
  "b01",
  "mass",
  "wealth",
  "premium",
  "private",
  "ios",
  "Asia/Shanghai",
  "张三",
  "李四",
  "代发工资客户",
  "😀",
  "😀😀",
  "\uFF01",
  "\uE000",
  "it's",
  'say "hi"',
  "'; DROP TABLE customers; --",
  "\u0000",
  "a\u0000b",
  "${x}",
  "`x`",
  "\\",
  "é",
  "e\u0301",
  "zzz",
];

export const stringArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...STRING_POOL) },
  { weight: 2, arbitrary: fc.string({ maxLength: 6, unit: "binary" }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 4, unit: "grapheme" }) },
);

export const TIME_UNITS: readonly TimeUnit[] = ["minute", "hour", "day", "week", "month", "year"];
export const DATE_UNITS: readonly TimeUnit[] = ["day", "week", "month", "year"];

export const shiftArb = (units: readonly TimeUnit[]): fc.Arbitrary<Shift> =>
  fc.record({
    amount: fc.oneof(fc.constantFrom(0, -1, 1, -7, 7, -30, -90, 90, -180, 14, -365), fc.integer({ min: -400, max: 400 })),
    unit: fc.constantFrom(...units),
  });

// ------------------------------------------------------------------ contexts

/** Zones: no DST, US and EU DST, a 30-minute DST, a southern-hemisphere DST, a zone that skipped a day. */
export const ZONES: readonly string[] = ["UTC", "Asia/Shanghai", "America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "America/Sao_Paulo", "Pacific/Apia", "Asia/Kolkata"];

/** Instants next to daylight-saving changes and to Feb 28/29 (UTC ms). */
const SPECIAL_INSTANTS: readonly number[] = [
  Date.UTC(2026, 2, 8, 7, 0), // New York springs forward
  Date.UTC(2026, 10, 1, 6, 0), // New York falls back
  Date.UTC(2026, 2, 29, 1, 0), // Berlin springs forward
  Date.UTC(2026, 9, 25, 1, 0), // Berlin falls back
  Date.UTC(2024, 1, 29, 12, 0), // a leap day
  Date.UTC(2025, 1, 28, 12, 0), // Feb 28 of a non-leap year
  Date.UTC(2027, 1, 28, 20, 0),
  Date.UTC(2028, 1, 28, 23, 0),
  Date.UTC(2026, 11, 31, 16, 30), // New Year in Shanghai
  Date.UTC(2011, 11, 30, 10, 0), // Apia skipped Dec 30, 2011
];

export const ctxArb: fc.Arbitrary<EvalContext> = fc.record({
  now: fc.oneof(
    { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...SPECIAL_INSTANTS), fc.integer({ min: -30 * 3_600_000, max: 30 * 3_600_000 })).map(([t, d]) => t + d) },
    { weight: 2, arbitrary: fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2060, 0, 1) }) },
  ),
  zone: fc.constantFrom(...ZONES),
});

// ------------------------------------------------------------- predicates

/** What the predicate generator may read. */
export interface PredScope {
  readonly attributes: readonly FieldPlan[];
  /** Event fields; empty for audience predicates. */
  readonly fields: readonly FieldPlan[];
  readonly tags: readonly string[];
  /** Enum values and other strings to compare against. */
  readonly strings: readonly string[];
  /** Allow anniversaries of date-times (not selectable in SQL). */
  readonly datetimeAnniversaries: boolean;
}

export const AUDIENCE_SCOPE: PredScope = { attributes: LITE_ATTRIBUTES, fields: [], tags: TAG_POOL, strings: STRING_POOL, datetimeAnniversaries: false };
export const EVENT_SCOPE: PredScope = { attributes: LITE_ATTRIBUTES, fields: LITE_FIELDS, tags: TAG_POOL, strings: STRING_POOL, datetimeAnniversaries: true };

const DAY = 86_400_000;
/** Small whole numbers, so integer columns meet integer division and exact sums. */
const smallIntArb = fc.integer({ min: -20, max: 20 });

const dateArb: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 1950, max: 2060 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }))
  .map(([y, m, d]) => DateTime.utc(y, m, Math.min(d, DateTime.utc(y, m, 1).daysInMonth ?? 28)).toISODate() ?? "2000-01-01");

function constArb(rep: Rep, scope: PredScope): fc.Arbitrary<ValueExpr> {
  const c = (a: fc.Arbitrary<number | string | boolean>): fc.Arbitrary<ValueExpr> => a.map((value) => ({ k: "const", value, rep }) as ValueExpr);
  switch (rep) {
    case "number":
      return c(fc.oneof(numberArb, smallIntArb));
    case "string":
      return c(fc.oneof(fc.constantFrom(...scope.strings), stringArb));
    case "bool":
      return c(fc.boolean());
    case "date":
      return c(fc.oneof(dateArb, fc.constantFrom("2024-02-29", "2025-02-28", "2026-12-01")));
    case "datetime":
      return c(fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2060, 0, 1) }));
  }
}

/** Leaves of a representation: attributes, fields, constants, relative time. */
function leafArb(rep: Rep, scope: PredScope): fc.Arbitrary<ValueExpr> {
  const attrs = namesByRep(scope.attributes)[rep];
  const fields = namesByRep(scope.fields)[rep];
  const options: { weight: number; arbitrary: fc.Arbitrary<ValueExpr> }[] = [{ weight: 3, arbitrary: constArb(rep, scope) }];
  if (attrs.length) options.push({ weight: 6, arbitrary: fc.constantFrom(...attrs).map((name) => ({ k: "attr", name, rep }) as ValueExpr) });
  if (fields.length) options.push({ weight: 3, arbitrary: fc.constantFrom(...fields).map((name) => ({ k: "field", name, rep }) as ValueExpr) });
  if (rep === "datetime") options.push({ weight: 4, arbitrary: fc.tuple(fc.constantFrom("now" as const, "startOfToday" as const), shiftArb(TIME_UNITS)).map(([anchor, shift]) => ({ k: "time", anchor, shift }) as ValueExpr) });
  if (rep === "date") options.push({ weight: 4, arbitrary: shiftArb(DATE_UNITS).map((shift) => ({ k: "time", anchor: "today", shift }) as ValueExpr) });
  return fc.oneof(...options);
}

/** A numeric expression: leaves, arithmetic (incl. division), negation; datetimes may take part. */
function numberExprArb(scope: PredScope, depth: number): fc.Arbitrary<ValueExpr> {
  if (depth <= 0) return fc.oneof({ weight: 5, arbitrary: leafArb("number", scope) }, { weight: 1, arbitrary: leafArb("datetime", scope) });
  return fc.oneof(
    { weight: 5, arbitrary: leafArb("number", scope) },
    {
      weight: 3,
      arbitrary: fc.record({ op: fc.constantFrom("+" as const, "-" as const, "*" as const, "/" as const, "/" as const), left: numberExprArb(scope, depth - 1), right: numberExprArb(scope, depth - 1) }).map((r) => ({ k: "arith", ...r }) as ValueExpr),
    },
    { weight: 1, arbitrary: numberExprArb(scope, depth - 1).map((arg) => ({ k: "neg", arg }) as ValueExpr) },
    // Rarely: arithmetic over something that is not a number (always missing).
    { weight: 1, arbitrary: fc.record({ left: leafArb("string", scope), right: leafArb("number", scope) }).map((r) => ({ k: "arith", op: "+", ...r }) as ValueExpr) },
  );
}

function valueArb(rep: Rep, scope: PredScope): fc.Arbitrary<ValueExpr> {
  return rep === "number" ? numberExprArb(scope, 2) : leafArb(rep, scope);
}

const REPS: readonly Rep[] = ["number", "string", "bool", "date", "datetime"];
const OPS: readonly CmpOp[] = ["=", "!=", "<", "<=", ">", ">="];

function cmpArb(scope: PredScope): fc.Arbitrary<Pred> {
  const sameRep = fc.constantFrom(...REPS).chain((rep) => fc.record({ op: fc.constantFrom(...OPS), left: valueArb(rep, scope), right: valueArb(rep, scope) }));
  // Occasionally two different representations (false in every backend), or an ill-typed constant.
  const mixed = fc.record({ op: fc.constantFrom(...OPS), left: valueArb("number", scope), right: fc.oneof(leafArb("datetime", scope), leafArb("string", scope)) });
  const illTyped = fc.record({
    op: fc.constantFrom(...OPS),
    left: leafArb("number", scope),
    right: fc.oneof(fc.constant<ValueExpr>({ k: "const", value: "5", rep: "number" }), fc.constant<ValueExpr>({ k: "const", value: Number.NaN, rep: "number" }), fc.constant<ValueExpr>({ k: "const", value: 5, rep: "string" })),
  });
  const ratio = arithCompareArb(scope);
  return fc.oneof({ weight: 12, arbitrary: sameRep.map((r) => ({ k: "cmp", ...r }) as Pred) }, { weight: 4, arbitrary: ratio }, { weight: 1, arbitrary: mixed.map((r) => ({ k: "cmp", ...r }) as Pred) }, { weight: 1, arbitrary: illTyped.map((r) => ({ k: "cmp", ...r }) as Pred) });
}

/**
 * Arithmetic between number attributes (integer columns favoured) compared
 * with a number or another attribute: integer division, exact integer sums
 * beyond 2^53, overflow to Infinity and NaN, division by zero.
 */
export function arithCompareArb(scope: PredScope): fc.Arbitrary<Pred> {
  const numberAttrs = namesByRep(scope.attributes).number;
  const intAttrs = scope.attributes.filter((a) => a.type.t === "int").map((a) => a.name);
  const names = [...numberAttrs, ...intAttrs, ...intAttrs, ...intAttrs];
  const attrLeaf = names.length ? fc.constantFrom(...names).map((name) => ({ k: "attr", name, rep: "number" }) as ValueExpr) : leafArb("number", scope);
  const operand = fc.oneof({ weight: 3, arbitrary: attrLeaf }, { weight: 1, arbitrary: constArb("number", scope) });
  const arith = fc.record({ op: fc.constantFrom("+" as const, "-" as const, "*" as const, "/" as const), left: attrLeaf, right: operand }).map((r) => ({ k: "arith", ...r }) as ValueExpr);
  const side = fc.oneof({ weight: 2, arbitrary: arith }, { weight: 1, arbitrary: arith.map((arg) => ({ k: "neg", arg }) as ValueExpr) }, { weight: 1, arbitrary: fc.record({ op: fc.constantFrom("+" as const, "/" as const), left: arith, right: operand }).map((r) => ({ k: "arith", ...r }) as ValueExpr) },
    // Two products: Infinity − Infinity, Infinity × 0 and Infinity ÷ Infinity are NaN (missing).
    { weight: 1, arbitrary: fc.record({ op: fc.constantFrom("+" as const, "-" as const, "*" as const, "/" as const), left: arith, right: arith }).map((r) => ({ k: "arith", ...r }) as ValueExpr) },
  );
  const cmp = fc.record({ op: fc.constantFrom(...OPS), left: side, right: fc.oneof(constArb("number", scope), attrLeaf, side) }).map((r) => ({ k: "cmp", ...r }) as Pred);
  return fc.oneof({ weight: 3, arbitrary: cmp }, { weight: 1, arbitrary: side.map((value) => ({ k: "set", value }) as Pred) }, { weight: 1, arbitrary: cmp.map((arg) => ({ k: "not", arg }) as Pred) }, { weight: 1, arbitrary: fc.array(cmp, { minLength: 2, maxLength: 3 }).map((args) => ({ k: "or", args }) as Pred) });
}

function inArb(scope: PredScope): fc.Arbitrary<Pred> {
  const members = (rep: Rep): fc.Arbitrary<(string | number)[]> => {
    switch (rep) {
      case "number":
        return fc.array(fc.oneof(numberArb, numberArb, fc.constantFrom("0", "1", "12", "10000", "1e15"), stringArb), { maxLength: 5 });
      case "datetime":
        return fc.array(fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2060, 0, 1) }), { maxLength: 3 });
      case "date":
        return fc.array(fc.oneof(dateArb, fc.constant("2024-02-29")), { maxLength: 3 });
      default:
        return fc.array(fc.oneof(fc.constantFrom(...scope.strings), fc.constantFrom(...TIERS), stringArb, numberArb), { maxLength: 6 });
    }
  };
  return fc.constantFrom<Rep>("number", "string", "string", "date", "datetime", "bool").chain((rep) => fc.record({ value: valueArb(rep, scope), set: members(rep) }).map((r) => ({ k: "in", ...r }) as Pred));
}

function anniversaryArb(scope: PredScope): fc.Arbitrary<Pred> {
  const subject = scope.datetimeAnniversaries ? fc.oneof({ weight: 3, arbitrary: leafArb("date", scope) }, { weight: 1, arbitrary: leafArb("datetime", scope) }) : leafArb("date", scope);
  const window = fc.oneof(
    { weight: 4, arbitrary: fc.tuple(fc.integer({ min: -10, max: 10 }), fc.integer({ min: 0, max: 14 })).map(([from, len]) => [from, from + len] as const) },
    { weight: 1, arbitrary: fc.tuple(fc.integer({ min: -400, max: 400 }), fc.integer({ min: -400, max: 400 })).map(([a, b]) => [a, b] as const) },
  );
  return fc.record({ value: subject, window }).map(({ value, window: [fromDays, toDays] }) => ({ k: "anniversary", value, fromDays, toDays }) as Pred);
}

function leafPredArb(scope: PredScope): fc.Arbitrary<Pred> {
  return fc.oneof(
    { weight: 1, arbitrary: fc.constantFrom<Pred>({ k: "true" }, { k: "false" }) },
    { weight: 10, arbitrary: cmpArb(scope) },
    { weight: 4, arbitrary: inArb(scope) },
    { weight: 4, arbitrary: fc.constantFrom(...scope.tags).map((tag) => ({ k: "tag", tag }) as Pred) },
    { weight: 2, arbitrary: fc.constantFrom(...REPS).chain((rep) => valueArb(rep, scope)).map((value) => ({ k: "set", value }) as Pred) },
    { weight: 3, arbitrary: anniversaryArb(scope) },
  );
}

/** Random predicates over a scope, nested up to `depth` connectives. */
export function predArb(scope: PredScope, depth = 4): fc.Arbitrary<Pred> {
  const { pred } = fc.letrec<{ pred: Pred }>((tie) => ({
    pred: fc.oneof(
      { maxDepth: depth, depthIdentifier: "pred", depthSize: "small", withCrossShrink: true },
      { weight: 6, arbitrary: leafPredArb(scope) },
      { weight: 2, arbitrary: fc.array(tie("pred"), { maxLength: 4 }).map((args) => ({ k: "and", args }) as Pred) },
      { weight: 2, arbitrary: fc.array(tie("pred"), { maxLength: 4 }).map((args) => ({ k: "or", args }) as Pred) },
      { weight: 2, arbitrary: tie("pred").map((arg) => ({ k: "not", arg }) as Pred) },
      { weight: 1, arbitrary: fc.tuple(fc.constantFrom("segment high_value", "exclude"), tie("pred")).map(([label, pred]) => ({ k: "label", label, pred }) as Pred) },
    ),
  }));
  return pred;
}

/** How deeply connectives nest in a predicate. */
export function depthOf(p: Pred): number {
  switch (p.k) {
    case "and":
    case "or":
      return 1 + Math.max(0, ...p.args.map(depthOf));
    case "not":
      return 1 + depthOf(p.arg);
    case "label":
      return 1 + depthOf(p.pred);
    default:
      return 1;
  }
}

// -------------------------------------------------------------- customers

/** Values of a representation near `ctx` (so relative time and anniversaries hit), plus junk. */
function runtimeValueArb(rep: Rep, ctx: EvalContext, scope: PredScope, type?: AttributeTypePlan): fc.Arbitrary<unknown> {
  const junk = fc.constantFrom<unknown>(null, undefined, Number.NaN, Number.POSITIVE_INFINITY, "12", true, 0, "2024-2-1", {}, []);
  const typed = ((): fc.Arbitrary<unknown> => {
    switch (rep) {
      case "number":
        if (type?.t === "int") return fc.oneof({ weight: 6, arbitrary: smallIntArb }, { weight: 1, arbitrary: fc.integer() }, { weight: 1, arbitrary: numberArb });
        return fc.oneof({ weight: 3, arbitrary: numberArb }, { weight: 3, arbitrary: smallIntArb }, { weight: 1, arbitrary: fc.constantFrom(1e300, -1e300, 1.7976931348623157e308, 0, -0) }, { weight: 1, arbitrary: fc.constantFrom(123456789, 987654321, 2 ** 53 - 1, 9007199254740990) });
      case "string":
        return fc.oneof(fc.constantFrom(...scope.strings), fc.constantFrom(...TIERS), stringArb, fc.constant("\uD800x"));
      case "bool":
        return fc.boolean();
      case "date": {
        const today = DateTime.fromMillis(ctx.now, { zone: ctx.zone }).startOf("day");
        const near = fc.tuple(fc.integer({ min: -400, max: 400 }), fc.integer({ min: 0, max: 60 })).map(([d, y]) => today.plus({ days: d }).minus({ years: y }).toISODate() ?? "2000-01-01");
        return fc.oneof({ weight: 4, arbitrary: near }, { weight: 1, arbitrary: dateArb }, { weight: 1, arbitrary: fc.constantFrom("1984-02-29", "2001-02-28", "2000-03-01", "1999-12-31") });
      }
      case "datetime": {
        const exact = fc.tuple(fc.constantFrom("now" as const, "startOfToday" as const), shiftArb(TIME_UNITS)).map(([a, s]) => resolveTime(a, s, ctx));
        const near = fc.integer({ min: -800 * DAY, max: 800 * DAY }).map((d) => ctx.now + d);
        const born = fc.integer({ min: 0, max: 60 }).chain((y) => fc.integer({ min: -400, max: 400 }).map((d) => DateTime.fromMillis(ctx.now, { zone: ctx.zone }).minus({ years: y }).plus({ days: d, minutes: (d * 37) % 1440 }).toMillis()));
        return fc.oneof({ weight: 2, arbitrary: exact }, { weight: 3, arbitrary: near }, { weight: 2, arbitrary: born });
      }
    }
  })();
  return fc.oneof({ weight: 8, arbitrary: typed }, { weight: 2, arbitrary: junk });
}

function recordArb(fields: readonly FieldPlan[], ctx: EvalContext, scope: PredScope): fc.Arbitrary<Record<string, unknown>> {
  const parts = fields
    .map((f) => ({ f, rep: repOfType(f.type) }))
    .filter((x): x is { f: FieldPlan; rep: Rep } => x.rep !== undefined)
    .map(({ f, rep }) => runtimeValueArb(rep, ctx, scope, f.type).map((v) => [f.name, v] as const));
  return fc.tuple(...parts).map((entries) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of entries) if (v !== undefined) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    return out;
  });
}

/** One customer (id given by the caller) and an event's fields, near `ctx`. */
export function customerArb(ctx: EvalContext, scope: PredScope): fc.Arbitrary<{ attrs: Record<string, unknown>; tags: string[]; fields: Record<string, unknown> }> {
  return fc.record({
    attrs: recordArb(scope.attributes, ctx, scope),
    tags: fc.subarray([...scope.tags]),
    fields: recordArb(scope.fields, ctx, scope),
  });
}

/** Customers as the backends take them: ids c0, c1, ... */
export function toRecords(raw: readonly { attrs: Record<string, unknown>; tags: string[] }[], idOf: (i: number) => string = (i) => `c${i}`): CustomerRecord[] {
  // Ill-typed values are deliberate: the backends must treat them as missing alike.
  return raw.map((r, i) => ({ id: idOf(i), attrs: r.attrs as CustomerRecord["attrs"], tags: new Set(r.tags) }));
}

export type RawFields = EventFields;
