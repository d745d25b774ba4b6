/**
 * Runtime values as every predicate backend reads them. A value whose shape
 * does not fit the representation it is read as is *missing*, so a record that
 * carries a stray value cannot make the backends disagree:
 *
 *   number    a finite JS number            (NaN, ±Infinity are missing)
 *   datetime  a finite JS number (epoch ms)
 *   string    a JS string, made well-formed (a lone surrogate becomes U+FFFD,
 *             as it would when written to SQLite as UTF-8)
 *   date      a string "YYYY-MM-DD" (four-digit year, digits only)
 *   bool      a JS boolean
 *
 * The interpreter, the compiled JavaScript and the SQL loader
 * (compiler/data/load.ts) all read through `normalizeValue`.
 */
import type { Rep, RuntimeValue, ValueExpr } from "../ir/predicate.ts";

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Replaces lone surrogates with U+FFFD (what a UTF-8 encoder writes for them). */
export function wellFormed(s: string): string {
  return s.replace(LONE_SURROGATE, "\uFFFD");
}

/** `raw` read as a value of `rep`, or null when it is missing or does not fit. */
export function normalizeValue(rep: Rep, raw: unknown): RuntimeValue {
  switch (rep) {
    case "number":
    case "datetime":
      return typeof raw === "number" && Number.isFinite(raw) ? raw : null;
    case "string":
      return typeof raw === "string" ? wellFormed(raw) : null;
    case "date":
      return typeof raw === "string" && DATE.test(raw) ? raw : null;
    case "bool":
      return typeof raw === "boolean" ? raw : null;
  }
}

/** An own property of a record, never one inherited from Object.prototype (`constructor`, `__proto__`). */
export function ownValue(record: Readonly<Record<string, unknown>>, name: string): unknown {
  return Object.prototype.hasOwnProperty.call(record, name) ? record[name] : undefined;
}

/**
 * The representation a value expression has, known without evaluating it:
 * attributes, fields and constants carry theirs; arithmetic and negation are
 * numbers; `today` is a date; `now` and `startOfToday` are date-times.
 * Comparisons between different representations are false in every backend.
 */
export function staticRep(v: ValueExpr): Rep {
  switch (v.k) {
    case "attr":
    case "field":
    case "const":
      return v.rep;
    case "arith":
    case "neg":
      return "number";
    case "time":
      return v.anchor === "today" ? "date" : "datetime";
  }
}

/** Whether a representation takes part in arithmetic (numbers and date-times as epoch ms). */
export function isArithmeticRep(rep: Rep): boolean {
  return rep === "number" || rep === "datetime";
}

/**
 * A member of an `in` set as compared with values of `rep`, or null when it can
 * never equal one: finite numbers for numeric reps, (well-formed) strings for
 * text reps, "YYYY-MM-DD" strings for dates; nothing for bools.
 */
export function setMemberFor(rep: Rep, member: unknown): string | number | null {
  if (rep === "number" || rep === "datetime") return typeof member === "number" && Number.isFinite(member) ? member : null;
  if (rep === "string") return typeof member === "string" ? wellFormed(member) : null;
  if (rep === "date") return typeof member === "string" && DATE.test(member) ? member : null;
  return null;
}
