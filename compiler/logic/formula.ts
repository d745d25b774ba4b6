/**
 * The reasoner's normal form: a predicate with every `not` pushed down to
 * literals, each literal a constraint on one subject (a customer attribute or
 * an event field) that the solver understands, or an opaque atom it does not.
 *
 * Null semantics (see compiler/ir/predicate.ts): a comparison, membership or
 * anniversary test on a missing value is false and `not` simply negates, so
 * the logic is two-valued. Pushing `not` through a comparison therefore adds
 * the missing case: `not (aum > 5)` is `aum <= 5 or aum is missing`.
 */
import type { CmpOp, Pred, Rep, ValueExpr } from "../ir/predicate.ts";
import { attributesRead, fieldsRead } from "../ir/predicate.ts";

/** Where a literal came from: the leaf it was made from and the labels around it (outermost first). */
export interface Source {
  readonly pred: Pred;
  readonly labels: readonly string[];
  /** True when the literal is the leaf negated (or its missing-value case). */
  readonly negated: boolean;
}

export type Scalar = string | number | boolean;

export type Lit =
  /** The subject is present and lies in the interval, measured in `frame`. */
  | { readonly k: "range"; readonly subject: string; readonly frame: string; readonly lo: number; readonly loOpen: boolean; readonly hi: number; readonly hiOpen: boolean; readonly src: Source }
  /** The subject is present and equal to one of the values. */
  | { readonly k: "oneOf"; readonly subject: string; readonly values: readonly Scalar[]; readonly src: Source }
  /** The subject is present and equal to none of the values. */
  | { readonly k: "noneOf"; readonly subject: string; readonly values: readonly Scalar[]; readonly src: Source }
  | { readonly k: "tag"; readonly tag: string; readonly has: boolean; readonly src: Source }
  | { readonly k: "present"; readonly subject: string; readonly present: boolean; readonly src: Source }
  /**
   * Anything else, with its polarity. `key` identifies the atom, so `p` and
   * `not p` are recognised as complements; `reads` lists the subjects it reads.
   */
  | { readonly k: "opaque"; readonly key: string; readonly positive: boolean; readonly reads: readonly string[]; readonly independent: boolean; readonly src: Source };

export type Formula =
  | { readonly k: "true" }
  | { readonly k: "false" }
  | { readonly k: "lit"; readonly lit: Lit }
  | { readonly k: "and"; readonly args: readonly Formula[] }
  | { readonly k: "or"; readonly args: readonly Formula[] };

const TRUE: Formula = { k: "true" };
const FALSE: Formula = { k: "false" };

export function fAnd(args: readonly Formula[]): Formula {
  const out: Formula[] = [];
  for (const a of args) {
    if (a.k === "false") return FALSE;
    if (a.k === "true") continue;
    if (a.k === "and") out.push(...a.args);
    else out.push(a);
  }
  if (out.length === 0) return TRUE;
  return out.length === 1 ? (out[0] as Formula) : { k: "and", args: out };
}

export function fOr(args: readonly Formula[]): Formula {
  const out: Formula[] = [];
  for (const a of args) {
    if (a.k === "true") return TRUE;
    if (a.k === "false") continue;
    if (a.k === "or") out.push(...a.args);
    else out.push(a);
  }
  if (out.length === 0) return FALSE;
  return out.length === 1 ? (out[0] as Formula) : { k: "or", args: out };
}

const lit = (l: Lit): Formula => ({ k: "lit", lit: l });

/** The subject key of a plain attribute or field value, e.g. `attr:aum`. */
export function subjectOf(v: ValueExpr): string | undefined {
  return v.k === "attr" ? `attr:${v.name}` : v.k === "field" ? `field:${v.name}` : undefined;
}

const MINUTE = 60_000;
const FIXED_MS: Record<string, number> = { minute: MINUTE, hour: 60 * MINUTE, day: 1440 * MINUTE, week: 7 * 1440 * MINUTE };

/** Days since 1970-01-01 of a "YYYY-MM-DD" date, or undefined. */
export function dayNumber(s: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return undefined;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / 86_400_000;
}

/**
 * A comparison operand as a point on a numeric scale (`frame`), when it is
 * one: a number constant ("abs"), a date constant (days, "absday"), a
 * date-time constant (ms, "abs"), or a time relative to now/today, measured
 * from its anchor. Relative times in months or years get frames of their own,
 * so they are never compared with fixed-length shifts.
 */
function numericPoint(v: ValueExpr, subjectRep: Rep): { frame: string; value: number } | undefined {
  if (v.k === "const") {
    if (typeof v.value === "number" && (subjectRep === "number" || subjectRep === "datetime")) return { frame: "abs", value: v.value };
    if (typeof v.value === "string" && subjectRep === "date") {
      const d = dayNumber(v.value);
      return d === undefined ? undefined : { frame: "abs", value: d };
    }
    return undefined;
  }
  if (v.k === "time") {
    const { amount, unit } = v.shift;
    if (subjectRep === "date" && v.anchor === "today") {
      if (unit === "day") return { frame: "today:day", value: amount };
      if (unit === "week") return { frame: "today:day", value: amount * 7 };
      return { frame: `today:${unit}`, value: amount };
    }
    if (subjectRep === "datetime" && v.anchor !== "today") {
      const ms = FIXED_MS[unit];
      if (ms !== undefined) return { frame: `${v.anchor}:ms`, value: amount * ms };
      return { frame: `${v.anchor}:${unit}`, value: amount };
    }
  }
  return undefined;
}

const FLIP: Record<CmpOp, CmpOp> = { "=": "=", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<=" };
const NEGATE: Record<CmpOp, CmpOp> = { "=": "!=", "!=": "=", "<": ">=", "<=": ">", ">": "<=", ">=": "<" };

function rangeLit(subject: string, frame: string, src: Source, lo: number, loOpen: boolean, hi: number, hiOpen: boolean): Formula {
  return lit({ k: "range", subject, frame, lo, loOpen, hi, hiOpen, src });
}

function range(subject: string, frame: string, op: CmpOp, c: number, src: Source): Formula {
  switch (op) {
    case "=":
      return rangeLit(subject, frame, src, c, false, c, false);
    case "!=":
      return fOr([rangeLit(subject, frame, src, -Infinity, true, c, true), rangeLit(subject, frame, src, c, true, Infinity, true)]);
    case "<":
      return rangeLit(subject, frame, src, -Infinity, true, c, true);
    case "<=":
      return rangeLit(subject, frame, src, -Infinity, true, c, false);
    case ">":
      return rangeLit(subject, frame, src, c, true, Infinity, true);
    case ">=":
      return rangeLit(subject, frame, src, c, false, Infinity, true);
  }
}

function opaque(p: Pred, positive: boolean, src: Source, independent = false): Formula {
  const reads = [...[...attributesRead(p)].map((a) => `attr:${a}`), ...[...fieldsRead(p)].map((f) => `field:${f}`)];
  return lit({ k: "opaque", key: JSON.stringify(p), positive, reads, independent, src });
}

/**
 * The comparison `subject op constant` when one side is a plain attribute or
 * field and the other a constant the solver understands; undefined otherwise.
 */
function simpleCmp(p: Extract<Pred, { k: "cmp" }>): { subject: string; rep: Rep; op: CmpOp; other: ValueExpr } | undefined {
  // Only against constants and relative times: anything else may itself be missing.
  const ls = p.right.k === "const" || p.right.k === "time" ? subjectOf(p.left) : undefined;
  const rs = p.left.k === "const" || p.left.k === "time" ? subjectOf(p.right) : undefined;
  if (ls && !rs && (p.left.k === "attr" || p.left.k === "field")) return { subject: ls, rep: p.left.rep, op: p.op, other: p.right };
  if (rs && !ls && (p.right.k === "attr" || p.right.k === "field")) return { subject: rs, rep: p.right.rep, op: FLIP[p.op], other: p.left };
  return undefined;
}

/** The positive constraint of a simple comparison (the subject is then present). */
function cmpFormula(subject: string, rep: Rep, op: CmpOp, other: ValueExpr, src: Source, whole: Pred): Formula {
  const point = numericPoint(other, rep);
  if (point) return range(subject, point.frame, op, point.value, src);
  if (other.k === "const" && (rep === "string" || rep === "bool") && (op === "=" || op === "!=")) {
    return lit({ k: op === "=" ? "oneOf" : "noneOf", subject, values: [other.value], src });
  }
  return withPresence(opaque(whole, true, src), src);
}

/** An opaque positive atom, plus the presence of everything it reads (a test on a missing value is false). */
function withPresence(atom: Formula, src: Source): Formula {
  if (atom.k !== "lit" || atom.lit.k !== "opaque") return atom;
  return fAnd([atom, ...atom.lit.reads.map((subject) => lit({ k: "present", subject, present: true, src }))]);
}

function sourceOf(pred: Pred, labels: readonly string[], negated: boolean): Source {
  return { pred, labels, negated };
}

/**
 * Pushes negation down to literals, respecting null semantics. `labels`
 * are the `label` nodes around `p` (segment names, exclusions, and the source
 * spans the analyses attach), kept on each literal to explain conflicts.
 */
export function normalize(p: Pred, negated = false, labels: readonly string[] = []): Formula {
  switch (p.k) {
    case "true":
      return negated ? FALSE : TRUE;
    case "false":
      return negated ? TRUE : FALSE;
    case "and":
      return negated ? fOr(p.args.map((a) => normalize(a, true, labels))) : fAnd(p.args.map((a) => normalize(a, false, labels)));
    case "or":
      return negated ? fAnd(p.args.map((a) => normalize(a, true, labels))) : fOr(p.args.map((a) => normalize(a, false, labels)));
    case "not":
      return normalize(p.arg, !negated, labels);
    case "label":
      return normalize(p.pred, negated, [...labels, p.label]);
    case "tag":
      return lit({ k: "tag", tag: p.tag, has: !negated, src: sourceOf(p, labels, negated) });
    case "set": {
      const s = subjectOf(p.value);
      if (!s) return opaque(p, !negated, sourceOf(p, labels, negated));
      return lit({ k: "present", subject: s, present: !negated, src: sourceOf(p, labels, negated) });
    }
    case "cmp": {
      const c = simpleCmp(p);
      if (!c) {
        // A comparison of two attributes (or of arithmetic): opaque, but still
        // false when a plain attribute or field on either side is missing.
        return negated ? opaque(p, false, sourceOf(p, labels, true)) : withPresence(opaque(p, true, sourceOf(p, labels, false)), sourceOf(p, labels, false));
      }
      if (!negated) return cmpFormula(c.subject, c.rep, c.op, c.other, sourceOf(p, labels, false), p);
      // not (x op c)  ==  (x negop c) or x is missing
      const neg: Pred = { ...p, op: NEGATE[p.op] };
      return fOr([cmpFormula(c.subject, c.rep, NEGATE[c.op], c.other, sourceOf(p, labels, true), neg), lit({ k: "present", subject: c.subject, present: false, src: sourceOf(p, labels, true) })]);
    }
    case "in": {
      const s = subjectOf(p.value);
      if (!s) return negated ? opaque(p, false, sourceOf(p, labels, true)) : withPresence(opaque(p, true, sourceOf(p, labels, false)), sourceOf(p, labels, false));
      if (!negated) {
        if (p.set.length === 0) return FALSE;
        return lit({ k: "oneOf", subject: s, values: [...p.set], src: sourceOf(p, labels, false) });
      }
      return fOr([lit({ k: "noneOf", subject: s, values: [...p.set], src: sourceOf(p, labels, true) }), lit({ k: "present", subject: s, present: false, src: sourceOf(p, labels, true) })]);
    }
    case "anniversary": {
      const s = subjectOf(p.value);
      // A window shorter than a year is met by some dates and missed by others.
      const independent = s !== undefined && p.toDays - p.fromDays < 365 && p.toDays >= p.fromDays;
      if (negated) return opaque(p, false, sourceOf(p, labels, true), independent);
      return fAnd([opaque(p, true, sourceOf(p, labels, false), independent), ...(s ? [lit({ k: "present", subject: s, present: true, src: sourceOf(p, labels, false) })] : [])]);
    }
  }
}
