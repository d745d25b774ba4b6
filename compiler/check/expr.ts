/**
 * Name resolution and type checking of expressions, producing predicate IR.
 *
 * `checkCondition` handles boolean positions (audience, trigger `where`,
 * wave `only`, exits); `checkValue` handles value positions (operands of
 * comparisons, arithmetic, benefit quantities). Each type rule reports its
 * own diagnostic code (see compiler/diagnostics/codes.ts) and the checker
 * carries on with an `error` type so one mistake gives one diagnostic.
 */
import { DateTime } from "luxon";
import type * as A from "../../language/ast.ts";
import { makeDiagnostic } from "../../language/diagnostics/make.ts";
import type { SuggestedFix } from "../../language/diagnostics/diagnostic.ts";
import type { Span } from "../../language/span.ts";
import { closest } from "../../language/parser/literals.ts";
import type { AttributeInfo } from "../catalog/model.ts";
import { andOf, type Pred, type Rep, type Shift, type ValueExpr } from "../ir/predicate.ts";
import { isNumeric, isTemporal, showType, type ExprType, type ScalarType } from "../types.ts";
import type { Scope } from "./scope.ts";

/** A checked value: its IR (absent for symbols, durations and errors) and its type. */
export interface Checked {
  readonly ir?: ValueExpr;
  readonly type: ExprType;
  /** For durations: the shift they denote. */
  readonly duration?: Shift;
  /** For percentages: the fraction. */
  readonly fraction?: number;
  readonly span: Span;
}

const ERROR: ExprType = { t: "error" };

export function repOf(t: ScalarType): Rep {
  switch (t.t) {
    case "money":
    case "int":
    case "number":
    case "score":
      return "number";
    case "string":
    case "enum":
    case "timezone":
    case "tags":
      return "string";
    case "bool":
      return "bool";
    case "date":
      return "date";
    case "datetime":
      return "datetime";
  }
}

function report(scope: Scope, code: string, message: string, span: Span, fixes: SuggestedFix[] = [], help?: string): void {
  scope.diagnostics.push(makeDiagnostic(code, message, span, { fixes, ...(help ? { help } : {}) }));
}

function replaceFix(span: Span, text: string): SuggestedFix[] {
  return [{ title: `replace with \`${text}\``, edits: [{ span, newText: text }] }];
}

// --------------------------------------------------------------- conditions

export function checkCondition(e: A.Expr | undefined, scope: Scope): Pred {
  if (!e) return { k: "true" };
  switch (e.kind) {
    case "logical": {
      const l = checkCondition(e.left, scope);
      const r = checkCondition(e.right, scope);
      if (e.op === "and") return andOf([l, r]);
      const args: Pred[] = [];
      for (const p of [l, r]) if (p.k === "or") args.push(...p.args);
      else args.push(p);
      return { k: "or", args };
    }
    case "not":
      return { k: "not", arg: checkCondition(e.operand, scope) };
    case "group":
      return checkCondition(e.expr, scope);
    case "compare":
      return checkCompare(e.op, e.left, e.right, e.span, scope);
    case "between": {
      const p = andOf([checkCompare(">=", e.subject, e.low, e.span, scope), checkCompare("<=", e.subject, e.high, e.span, scope)]);
      return e.negated ? { k: "not", arg: p } : p;
    }
    case "in":
      return checkIn(e, scope);
    case "has":
      return checkHas(e, scope);
    case "relativeTime":
      return checkRelativeTime(e, scope);
    case "isSet": {
      const v = checkValue(e.subject, scope);
      if (!v.ir) {
        if (v.type.t !== "error") report(scope, "T006", `\`is set\` needs an attribute or field, not a ${showType(v.type)}`, e.span);
        return { k: "false" };
      }
      const p: Pred = { k: "set", value: v.ir };
      return e.negated ? { k: "not", arg: p } : p;
    }
    case "segmentRef":
      return checkSegmentRef(e, scope);
    case "ref": {
      const v = checkValue(e, scope);
      if (v.type.t === "bool" && v.ir) return { k: "cmp", op: "=", left: v.ir, right: { k: "const", value: true, rep: "bool" } };
      if (v.type.t === "error") return { k: "false" };
      if (v.type.t === "symbol") return { k: "false" };
      report(scope, "T006", `\`${e.name.name}\` is of type ${showType(v.type)}, not a condition: compare it with something`, e.span);
      return { k: "false" };
    }
    case "literal":
      if (e.value.kind === "bool") return { k: e.value.value ? "true" : "false" };
      report(scope, "T006", `a ${e.value.kind} literal is not a condition`, e.span);
      return { k: "false" };
    case "anniversary":
      report(scope, "T004", "an anniversary needs a time test: `birthday anniversary is today` or `... within next 7 days`", e.span);
      return { k: "false" };
    default:
      report(scope, "T006", "this is a value, not a condition: compare it with something", e.span);
      return { k: "false" };
  }
}

function checkSegmentRef(e: A.SegmentRefExpr, scope: Scope): Pred {
  const name = e.name?.name;
  if (!name) return { k: "false" };
  const seg = scope.segments.get(name);
  if (!seg) {
    const near = closest(name, scope.segments.keys());
    report(scope, "N009", `unknown segment \`${name}\`${near ? `; did you mean \`${near}\`?` : ""}`, e.name?.span ?? e.span, near && e.name ? replaceFix(e.name.span, near) : []);
    return { k: "false" };
  }
  if (scope.segmentStack.includes(name)) {
    report(scope, "N019", `segment \`${name}\` refers to itself through ${[...scope.segmentStack, name].map((s) => `\`${s}\``).join(" → ")}`, e.span);
    return { k: "false" };
  }
  scope.segmentStack.push(name);
  try {
    // Segments are customer predicates: event fields are never in scope inside them.
    const inner: Scope = { ...scope, fields: undefined, eventName: undefined, context: `segment \`${name}\`` };
    return { k: "label", label: `segment ${name}`, pred: checkCondition(seg.decl.condition, inner) };
  } finally {
    scope.segmentStack.pop();
  }
}

function checkHas(e: A.HasExpr, scope: Scope): Pred {
  const preds: Pred[] = [];
  for (const t of e.tags) {
    if (!scope.catalog.tags.has(t.name)) {
      const near = closest(t.name, scope.catalog.tags.keys());
      report(scope, "N004", `unknown tag \`${t.name}\`${near ? `; did you mean \`${near}\`?` : ""}`, t.span, near ? replaceFix(t.span, near) : []);
    }
    preds.push({ k: "tag", tag: t.name });
  }
  switch (e.mode) {
    case "one":
      return preds[0] ?? { k: "false" };
    case "all":
      return andOf(preds);
    case "any":
      return preds.length === 1 ? (preds[0] as Pred) : { k: "or", args: preds };
    case "none":
      return { k: "not", arg: preds.length === 1 ? (preds[0] as Pred) : { k: "or", args: preds } };
  }
}

function checkIn(e: A.InExpr, scope: Scope): Pred {
  const subject = checkValue(e.subject, scope);
  const set: (string | number)[] = [];
  let ok = subject.ir !== undefined;
  if (subject.type.t === "tags") {
    report(scope, "T001", "use `has any (...)` to test tags", e.span, []);
    return { k: "false" };
  }
  // A bare name that resolved to nothing: report it here, not its list values as non-constants.
  if (subject.type.t === "symbol") {
    unknownName(subject.type.name, subject.span, scope);
    return { k: "false" };
  }
  if (subject.type.t === "error") return { k: "false" };
  if (subject.ir && !["enum", "string", "int", "number", "money", "score", "timezone"].includes(subject.type.t)) {
    report(scope, "T001", `\`in\` needs a value of type enum, string or number, not ${showType(subject.type)}`, e.subject.span);
    ok = false;
  }
  for (const v of e.values) {
    const c = coerceConstant(v, subject.type, scope);
    if (c === undefined) ok = false;
    else set.push(c);
  }
  if (!ok || !subject.ir) return { k: "false" };
  const p: Pred = { k: "in", value: subject.ir, set: [...new Set(set)] };
  return e.negated ? { k: "not", arg: p } : p;
}

/** Checks a list element against the subject's type; returns the constant or undefined after reporting. */
function coerceConstant(v: A.Expr, subjectType: ExprType, scope: Scope): string | number | undefined {
  if (subjectType.t === "enum") {
    if (v.kind === "ref") {
      const name = v.name.name;
      if (subjectType.values.includes(name)) return name;
      const near = closest(name, subjectType.values);
      report(scope, "T003", `\`${name}\` is not a value of ${showType(subjectType)}${near ? `; did you mean \`${near}\`?` : ""}`, v.span, near ? replaceFix(v.span, near) : []);
      return undefined;
    }
    if (v.kind === "literal" && v.value.kind === "string" && subjectType.values.includes(v.value.value)) return v.value.value;
    report(scope, "T003", `expected a value of ${showType(subjectType)}`, v.span);
    return undefined;
  }
  const c = checkValue(v, scope, subjectType);
  if (c.type.t === "error") return undefined;
  if (!c.ir || c.ir.k !== "const" || typeof c.ir.value === "boolean") {
    report(scope, "T013", "list values must be constants", v.span);
    return undefined;
  }
  if (subjectType.t === "error") return c.ir.value;
  if (!compatible(subjectType, c.type, scope, v.span)) return undefined;
  return c.ir.value;
}

// ------------------------------------------------------------- comparisons

function checkCompare(op: A.CompareOp, leftE: A.Expr, rightE: A.Expr | undefined, span: Span, scope: Scope): Pred {
  if (!rightE) return { k: "false" };
  let left = checkValue(leftE, scope);
  let right = checkValue(rightE, scope, left.type);
  if (left.type.t === "symbol" && right.type.t !== "symbol") left = checkValue(leftE, scope, right.type);
  if (left.type.t === "error" || right.type.t === "error") return { k: "false" };
  // Enum against one of its values.
  const enumSide = left.type.t === "enum" ? left : right.type.t === "enum" ? right : undefined;
  const otherSide = enumSide === left ? right : left;
  if (enumSide && enumSide.type.t === "enum" && otherSide.type.t !== "enum") {
    return compareEnum(op, enumSide === left, enumSide, otherSide, rightE, leftE, scope);
  }
  if (left.type.t === "symbol" || right.type.t === "symbol") {
    const sym = left.type.t === "symbol" ? left : right;
    unknownName(sym.type.t === "symbol" ? sym.type.name : "?", sym.span, scope);
    return { k: "false" };
  }
  if (left.type.t === "enum" && right.type.t === "enum") {
    if (left.type.values.join() !== right.type.values.join()) {
      report(scope, "T001", `cannot compare ${showType(left.type)} with ${showType(right.type)}`, span);
      return { k: "false" };
    }
  }
  if (left.type.t === "tags" || right.type.t === "tags") {
    report(scope, "T001", "tags are tested with `has`, `has any (...)` or `has all (...)`", span);
    return { k: "false" };
  }
  if (left.type.t === "duration" || right.type.t === "duration") {
    report(scope, "T014", "a duration is not a point in time: write `now - 90 days`, or use `within 90 days` / `more than 90 days ago`", span);
    return { k: "false" };
  }
  if (left.type.t === "percent" || right.type.t === "percent") {
    const other = left.type.t === "percent" ? right.type : left.type;
    if (other.t !== "score" && other.t !== "number" && other.t !== "percent") {
      report(scope, "T015", `a percentage compares only with a score or number; for a share of an amount write \`50% of ${other.t === "money" ? "aum" : "x"}\``, span);
      return { k: "false" };
    }
  }
  if (!compatible(left.type, right.type, scope, span)) return { k: "false" };
  if (op !== "=" && op !== "!=") {
    const t = left.type.t === "numeric literal" ? right.type : left.type;
    if (t.t === "string" || t.t === "bool" || t.t === "timezone") {
      report(scope, "T008", `\`${op}\` does not apply to ${showType(t)}: use \`=\` or \`!=\``, span);
      return { k: "false" };
    }
  }
  if (!left.ir || !right.ir) return { k: "false" };
  return { k: "cmp", op, left: left.ir, right: right.ir };
}

function compareEnum(op: A.CompareOp, enumOnLeft: boolean, enumSide: Checked, other: Checked, rightE: A.Expr, leftE: A.Expr, scope: Scope): Pred {
  if (enumSide.type.t !== "enum" || !enumSide.ir) return { k: "false" };
  const values = enumSide.type.values;
  const otherE = enumOnLeft ? rightE : leftE;
  let value: string | undefined;
  if (other.type.t === "symbol") value = other.type.name;
  else if (other.ir?.k === "const" && typeof other.ir.value === "string") value = other.ir.value;
  if (value === undefined) {
    report(scope, "T001", `cannot compare ${showType(enumSide.type)} with ${showType(other.type)}`, otherE.span);
    return { k: "false" };
  }
  const idx = values.indexOf(value);
  if (idx < 0) {
    const near = closest(value, values);
    report(scope, "T003", `\`${value}\` is not a value of ${showType(enumSide.type)}${near ? `; did you mean \`${near}\`?` : ""}`, otherE.span, near ? replaceFix(otherE.span, near) : []);
    return { k: "false" };
  }
  // Normalise to `enum OP value`, then ordering comparisons become membership by declaration order.
  const flipped: Record<A.CompareOp, A.CompareOp> = { "=": "=", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<=" };
  const o = enumOnLeft ? op : flipped[op];
  const constant: ValueExpr = { k: "const", value, rep: "string" };
  switch (o) {
    case "=":
    case "!=":
      return { k: "cmp", op: o, left: enumSide.ir, right: constant };
    case "<":
      return { k: "in", value: enumSide.ir, set: values.slice(0, idx) };
    case "<=":
      return { k: "in", value: enumSide.ir, set: values.slice(0, idx + 1) };
    case ">":
      return { k: "in", value: enumSide.ir, set: values.slice(idx + 1) };
    case ">=":
      return { k: "in", value: enumSide.ir, set: values.slice(idx) };
  }
}

/** Whether two value types may meet in a comparison; reports T001/T002 when not. */
function compatible(a: ExprType, b: ExprType, scope: Scope, span: Span): boolean {
  if (a.t === "error" || b.t === "error") return false;
  if (a.t === "money" && b.t === "money") {
    if (a.currency !== b.currency) {
      report(scope, "T002", `cannot compare money in ${a.currency} with money in ${b.currency}`, span);
      return false;
    }
    return true;
  }
  const numericLike = (t: ExprType) => isNumeric(t) || t.t === "percent";
  if (numericLike(a) && numericLike(b)) {
    if ((a.t === "money") !== (b.t === "money") && a.t !== "numeric literal" && b.t !== "numeric literal") {
      report(scope, "T001", `cannot compare ${showType(a)} with ${showType(b)}`, span);
      return false;
    }
    return true;
  }
  if (a.t === b.t) {
    if (a.t === "enum" && b.t === "enum") return a.values.join() === b.values.join();
    return true;
  }
  if ((a.t === "string" && b.t === "timezone") || (a.t === "timezone" && b.t === "string")) return true;
  report(scope, "T001", `cannot compare ${showType(a)} with ${showType(b)}`, span);
  return false;
}

// ------------------------------------------------------------ relative time

function checkRelativeTime(e: A.RelativeTimeExpr, scope: Scope): Pred {
  if (e.subject.kind === "anniversary") return checkAnniversary(e, e.subject, scope);
  const s = checkValue(e.subject, scope);
  if (s.type.t === "error") return { k: "false" };
  if (!isTemporal(s.type) || !s.ir) {
    report(scope, "T004", `relative time applies to dates and date-times, and ${describe(e.subject)} is ${showType(s.type)}`, e.subject.span);
    return { k: "false" };
  }
  const isDate = s.type.t === "date";
  const d = e.duration ? durationShift(e.duration, scope, isDate) : undefined;
  if (e.form !== "isDay" && !d) return { k: "false" };
  const anchor = isDate ? ("today" as const) : ("now" as const);
  const at = (amount: number, unit = d?.unit ?? "day"): ValueExpr => ({ k: "time", anchor, shift: { amount, unit } });
  const cmp = (op: A.CompareOp, v: ValueExpr): Pred => ({ k: "cmp", op, left: s.ir as ValueExpr, right: v });
  const n = d?.amount ?? 0;
  switch (e.form) {
    case "within":
      return e.direction === "next" ? andOf([cmp(">=", at(0)), cmp("<=", at(n))]) : andOf([cmp(">=", at(-n)), cmp("<=", at(0))]);
    case "moreThanAgo":
      return cmp("<", at(-n));
    case "lessThanAgo":
      return cmp(">", at(-n));
    case "isDay": {
      const offset = e.day === "tomorrow" ? 1 : e.day === "yesterday" ? -1 : 0;
      if (isDate) return cmp("=", { k: "time", anchor: "today", shift: { amount: offset, unit: "day" } });
      return andOf([
        cmp(">=", { k: "time", anchor: "startOfToday", shift: { amount: offset, unit: "day" } }),
        cmp("<", { k: "time", anchor: "startOfToday", shift: { amount: offset + 1, unit: "day" } }),
      ]);
    }
  }
}

function checkAnniversary(e: A.RelativeTimeExpr, a: A.AnniversaryExpr, scope: Scope): Pred {
  const s = checkValue(a.subject, scope);
  if (s.type.t === "error") return { k: "false" };
  if (!isTemporal(s.type) || !s.ir) {
    report(scope, "T004", `\`anniversary\` applies to dates, and ${describe(a.subject)} is ${showType(s.type)}`, a.subject.span);
    return { k: "false" };
  }
  if (e.form === "isDay") {
    const off = e.day === "tomorrow" ? 1 : e.day === "yesterday" ? -1 : 0;
    return { k: "anniversary", value: s.ir, fromDays: off, toDays: off };
  }
  if (e.form !== "within" || !e.duration) {
    report(scope, "T004", "an anniversary is tested with `is today`, `is tomorrow` or `within next N days`", e.span);
    return { k: "false" };
  }
  const d = durationShift(e.duration, scope, true);
  if (!d) return { k: "false" };
  const days = d.unit === "week" ? d.amount * 7 : d.unit === "day" ? d.amount : NaN;
  if (!Number.isInteger(days) || days > 366) {
    report(scope, "T016", "an anniversary window is given in whole days or weeks, at most a year", e.duration.span);
    return { k: "false" };
  }
  return e.direction === "next" ? { k: "anniversary", value: s.ir, fromDays: 0, toDays: days } : { k: "anniversary", value: s.ir, fromDays: -days, toDays: 0 };
}

/** A duration literal as a shift; for dates the unit must be days or longer. */
export function durationShift(d: A.DurationLit, scope: Scope, forDate = false): Shift | undefined {
  if (!Number.isInteger(d.amount) || d.amount < 0) {
    report(scope, "T016", `durations are whole, non-negative numbers of units, not \`${d.raw}\``, d.span);
    return undefined;
  }
  if (forDate && (d.unit === "hour" || d.unit === "minute")) {
    report(scope, "T016", `\`${d.raw}\` is finer than a day, but this compares dates: use days`, d.span);
    return undefined;
  }
  return { amount: d.amount, unit: d.unit };
}

function describe(e: A.Expr): string {
  return e.kind === "ref" ? `\`${e.name.name}\`` : "this";
}

// ------------------------------------------------------------------ values

export function checkValue(e: A.Expr | undefined, scope: Scope, expected?: ExprType): Checked {
  if (!e) return { type: ERROR, span: { file: "", offset: 0, length: 0, line: 1, column: 1, endLine: 1, endColumn: 1 } };
  switch (e.kind) {
    case "ref":
      return resolveRef(e, scope, expected);
    case "group":
      return e.expr ? { ...checkValue(e.expr, scope, expected), span: e.span } : { type: ERROR, span: e.span };
    case "literal":
      return checkLiteral(e.value, scope, expected);
    case "negate": {
      const v = checkValue(e.operand, scope, expected);
      if (v.type.t === "error") return v;
      if (!isNumeric(v.type) || !v.ir) {
        report(scope, "T005", `cannot negate ${showType(v.type)}`, e.span);
        return { type: ERROR, span: e.span };
      }
      if (v.ir.k === "const" && typeof v.ir.value === "number") return { ...v, ir: { ...v.ir, value: -v.ir.value }, span: e.span };
      return { ir: { k: "neg", arg: v.ir }, type: v.type, span: e.span };
    }
    case "percentOf": {
      const v = checkValue(e.operand, scope, expected);
      if (v.type.t === "error") return v;
      if (!isNumeric(v.type) || !v.ir) {
        report(scope, "T005", `a percentage is taken of a number or amount, not of ${showType(v.type)}`, e.span);
        return { type: ERROR, span: e.span };
      }
      return { ir: { k: "arith", op: "*", left: v.ir, right: { k: "const", value: e.percent.value, rep: "number" } }, type: v.type, span: e.span };
    }
    case "arith":
      return checkArith(e, scope, expected);
    default:
      report(scope, "T006", "a condition cannot be used as a value here", e.span);
      return { type: ERROR, span: e.span };
  }
}

function resolveRef(e: A.RefExpr, scope: Scope, expected?: ExprType): Checked {
  const raw = e.name.name;
  const span = e.span;
  // Explicit qualifiers: `customer.aum`, `event.amount`.
  if (raw.startsWith("customer.") && scope.catalog.attributes.has(raw.slice(9))) return attr(scope.catalog.attributes.get(raw.slice(9)) as AttributeInfo, span, scope);
  if (raw.startsWith("event.")) {
    const f = scope.fields?.get(raw.slice(6));
    if (f) return field(f, span);
  }
  const f = scope.fields?.get(raw);
  if (f) return field(f, span);
  const a = scope.catalog.attributes.get(raw);
  if (a) return attr(a, span, scope);
  // A bare name that matches an enum value of the other side is a symbol.
  if (expected?.t === "enum") return { type: { t: "symbol", name: raw }, span };
  const why = scope.unreachableFields?.get(raw) ?? scope.unreachableFields?.get(raw.replace(/^event\./, ""));
  if (why) {
    report(scope, scope.context.startsWith("wave") ? "T012" : "T011", why, span);
    return { type: ERROR, span };
  }
  if (expected === undefined || expected.t === "symbol") return { type: { t: "symbol", name: raw }, span };
  // The other side already failed (and was reported): this name may well be
  // one of its enum values, so reporting it too would only be a cascade.
  if (expected.t === "error") return { type: ERROR, span };
  unknownName(raw, span, scope);
  return { type: ERROR, span };
}

function attr(a: AttributeInfo, span: Span, scope: Scope): Checked {
  if (!scope.customerAttributes) {
    report(scope, "T011", `customer attribute \`${a.name}\` cannot be read in ${scope.context}`, span);
    return { type: ERROR, span };
  }
  if (a.type.t === "tags") return { type: a.type, span };
  return { ir: { k: "attr", name: a.name, rep: repOf(a.type) }, type: a.type, span };
}

function field(f: AttributeInfo, span: Span): Checked {
  if (f.type.t === "tags") return { type: f.type, span };
  return { ir: { k: "field", name: f.name, rep: repOf(f.type) }, type: f.type, span };
}

/** Reports an unknown name with the nearest known attributes and fields as fixes. */
export function unknownName(name: string, span: Span, scope: Scope): void {
  if (scope.eventUnknown) return;
  const candidates = [...scope.catalog.attributes.keys(), ...(scope.fields ? [...scope.fields.keys()] : [])];
  const near = closest(name, candidates);
  const what = scope.fields && scope.eventName ? `unknown name \`${name}\`: neither a customer attribute nor a field of \`${scope.eventName}\`` : `unknown customer attribute \`${name}\``;
  report(scope, "N003", `${what}${near ? `; did you mean \`${near}\`?` : ""}`, span, near ? replaceFix(span, near) : []);
}

function checkLiteral(v: A.Literal, scope: Scope, expected?: ExprType): Checked {
  const span = v.span;
  switch (v.kind) {
    case "number": {
      const cur = v.currency?.name;
      if (cur) {
        if (expected?.t === "money" && expected.currency !== cur) {
          report(scope, "T002", `\`${v.raw} ${cur}\` is in ${cur}, but this compares with money in ${expected.currency}`, span);
          return { type: ERROR, span };
        }
        return { ir: { k: "const", value: v.value, rep: "number" }, type: { t: "money", currency: cur }, span };
      }
      const type: ExprType = expected?.t === "money" ? expected : { t: "numeric literal" };
      return { ir: { k: "const", value: v.value, rep: "number" }, type, span };
    }
    case "percent":
      return { ir: { k: "const", value: v.value, rep: "number" }, type: { t: "percent" }, fraction: v.value, span };
    case "duration":
      return { type: { t: "duration" }, duration: { amount: v.amount, unit: v.unit }, span };
    case "string":
      if (expected?.t === "enum") return { type: { t: "symbol", name: v.value }, span };
      return { ir: { k: "const", value: v.value, rep: "string" }, type: { t: "string" }, span };
    case "bool":
      return { ir: { k: "const", value: v.value, rep: "bool" }, type: { t: "bool" }, span };
    case "date":
      return { ir: { k: "const", value: v.raw, rep: "date" }, type: { t: "date" }, span };
    case "datetime": {
      const ms = dateTimeMillis(v, scope.catalog.zone);
      if (ms === undefined) {
        report(scope, "T010", `unknown time zone \`${v.zone ?? ""}\` in \`${v.raw}\``, span);
        return { type: ERROR, span };
      }
      return { ir: { k: "const", value: ms, rep: "datetime" }, type: { t: "datetime" }, span };
    }
    case "time":
      return { type: { t: "time" }, span };
    case "relativeDay":
      if (v.day === "now") return { ir: { k: "time", anchor: "now", shift: { amount: 0, unit: "day" } }, type: { t: "datetime" }, span };
      return { ir: { k: "time", anchor: "today", shift: { amount: v.day === "today" ? 0 : v.day === "tomorrow" ? 1 : -1, unit: "day" } }, type: { t: "date" }, span };
  }
}

/** Epoch milliseconds of a date-time literal: its offset, else its `[Zone]`, else the catalog zone. */
export function dateTimeMillis(v: A.DateTimeLit, catalogZone: string): number | undefined {
  const base = { year: v.year, month: v.month, day: v.day, hour: v.hour, minute: v.minute, second: v.second };
  let zone = v.zone ?? catalogZone;
  if (v.offset) zone = v.offset === "Z" ? "UTC" : `UTC${v.offset}`;
  const dt = DateTime.fromObject(base, { zone });
  return dt.isValid ? dt.toMillis() : undefined;
}

function checkArith(e: A.ArithExpr, scope: Scope, expected?: ExprType): Checked {
  // Only `+` and `-` pass a money expectation on: in `income * 6` the 6 is a plain factor.
  const additive = e.op === "+" || e.op === "-";
  const l = checkValue(e.left, scope, additive ? expected : undefined);
  const r = checkValue(e.right, scope, additive ? (l.type.t === "money" ? l.type : expected) : undefined);
  if (l.type.t === "error" || r.type.t === "error") return { type: ERROR, span: e.span };
  // Time arithmetic: `now - 90 days`, `today + 7 days`.
  if ((e.op === "+" || e.op === "-") && r.type.t === "duration" && l.ir?.k === "time" && r.duration) {
    const sign = e.op === "-" ? -1 : 1;
    if (l.type.t === "date" && (r.duration.unit === "hour" || r.duration.unit === "minute")) {
      report(scope, "T016", "a date moves in days or longer units", e.right?.span ?? e.span);
      return { type: ERROR, span: e.span };
    }
    if (l.ir.shift.amount !== 0 && l.ir.shift.unit !== r.duration.unit) {
      report(scope, "T005", "combine at most one duration with `now` or `today`", e.span);
      return { type: ERROR, span: e.span };
    }
    return { ir: { k: "time", anchor: l.ir.anchor, shift: { amount: l.ir.shift.amount + sign * r.duration.amount, unit: r.duration.unit } }, type: l.type, span: e.span };
  }
  if (isTemporal(l.type) || isTemporal(r.type) || r.type.t === "duration" || l.type.t === "duration") {
    report(scope, "T005", "date arithmetic is supported only as `now ± duration` or `today ± duration`", e.span, [], "for a date attribute, move the duration to the other side: `maturity <= today + 7 days`");
    return { type: ERROR, span: e.span };
  }
  const numericLike = (t: ExprType) => isNumeric(t) || t.t === "percent";
  if (!numericLike(l.type) || !numericLike(r.type) || !l.ir || !r.ir) {
    report(scope, "T005", `arithmetic needs numbers or amounts, not ${showType(numericLike(l.type) ? r.type : l.type)}`, e.span);
    return { type: ERROR, span: e.span };
  }
  let type: ExprType;
  const lm = l.type.t === "money" ? l.type : undefined;
  const rm = r.type.t === "money" ? r.type : undefined;
  if (lm && rm) {
    if (lm.currency !== rm.currency) {
      report(scope, "T002", `cannot combine ${lm.currency} with ${rm.currency}`, e.span);
      return { type: ERROR, span: e.span };
    }
    if (e.op === "*") {
      report(scope, "T005", "multiplying two amounts of money gives no amount", e.span);
      return { type: ERROR, span: e.span };
    }
    type = e.op === "/" ? { t: "number" } : lm;
  } else if (lm || rm) {
    const m = (lm ?? rm) as ExprType;
    if ((e.op === "+" || e.op === "-") && (l.type.t !== "numeric literal" && r.type.t !== "numeric literal")) {
      report(scope, "T005", `cannot add ${showType(l.type)} and ${showType(r.type)}`, e.span);
      return { type: ERROR, span: e.span };
    }
    if (e.op === "/" && rm && !lm) {
      report(scope, "T005", "dividing by an amount of money gives no amount", e.span);
      return { type: ERROR, span: e.span };
    }
    type = m;
  } else if (l.type.t === "int" && r.type.t === "int" && e.op !== "/") type = { t: "int" };
  else if (l.type.t === "numeric literal" && r.type.t === "numeric literal") type = { t: "numeric literal" };
  else type = { t: "number" };
  return { ir: { k: "arith", op: e.op, left: l.ir, right: r.ir }, type, span: e.span };
}
