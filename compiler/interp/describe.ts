/**
 * Plain-language renderings of predicate clauses and values for explanations:
 * `aum ≥ 10,000`, `lastLogin ≥ now − 90 days`, `has payroll`,
 * `birthday anniversary within today … today + 7 days`.
 */
import type { CmpOp, Pred, RuntimeValue, ValueExpr } from "../ir/predicate.ts";
import { showInstant } from "../time/resolve.ts";

const numberFormat = new Intl.NumberFormat("en-US", { maximumFractionDigits: 6, useGrouping: true });

const OPS: Record<CmpOp, string> = { "=": "=", "!=": "≠", "<": "<", "<=": "≤", ">": ">", ">=": "≥" };
const ARITH: Record<string, string> = { "+": "+", "-": "−", "*": "×", "/": "÷" };

/** A number as people read it: `10,000`, `0.05`, `-3`. */
export function showNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Math.abs(n) >= 1e21) return String(n);
  return numberFormat.format(n);
}

/** A constant as written in an explanation. */
function showConstant(v: number | string | boolean, rep: string, zone: string | undefined): string {
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "number") return rep === "datetime" && zone ? showInstant(v, zone) : showNumber(v);
  return rep === "date" ? v : JSON.stringify(v);
}

function plural(n: number, unit: string): string {
  return `${showNumber(n)} ${unit}${Math.abs(n) === 1 ? "" : "s"}`;
}

/** A value expression in plain language. */
export function describeValue(v: ValueExpr, zone?: string): string {
  switch (v.k) {
    case "attr":
      return v.name;
    case "field":
      return `event.${v.name}`;
    case "const":
      return showConstant(v.value, v.rep, zone);
    case "neg":
      return `−${wrap(v.arg, zone)}`;
    case "arith":
      return `${wrap(v.left, zone)} ${ARITH[v.op] ?? v.op} ${wrap(v.right, zone)}`;
    case "time": {
      const base = v.anchor === "startOfToday" ? "start of today" : v.anchor;
      const n = v.shift.amount;
      if (n === 0) return base;
      return `${base} ${n < 0 ? "−" : "+"} ${plural(Math.abs(n), v.shift.unit)}`;
    }
  }
}

function wrap(v: ValueExpr, zone?: string): string {
  const s = describeValue(v, zone);
  return v.k === "arith" ? `(${s})` : s;
}

function dayOffset(n: number): string {
  if (n === 0) return "today";
  return `today ${n < 0 ? "−" : "+"} ${plural(Math.abs(n), "day")}`;
}

/** One predicate node in plain language (compound nodes name their connective). */
export function describePred(p: Pred, zone?: string): string {
  switch (p.k) {
    case "true":
      return "always";
    case "false":
      return "never";
    case "and":
      return "all of";
    case "or":
      return "any of";
    case "not":
      return "not";
    case "label":
      return p.label;
    case "cmp":
      return `${describeValue(p.left, zone)} ${OPS[p.op]} ${describeValue(p.right, zone)}`;
    case "in": {
      const rep = p.value.k === "attr" || p.value.k === "field" || p.value.k === "const" ? p.value.rep : "number";
      return `${describeValue(p.value, zone)} in (${p.set.map((m) => (typeof m === "number" ? showConstant(m, rep, zone) : m)).join(", ")})`;
    }
    case "tag":
      return `has ${p.tag}`;
    case "set":
      return `${describeValue(p.value, zone)} is set`;
    case "anniversary":
      if (p.fromDays === p.toDays) return `${describeValue(p.value, zone)} anniversary is ${p.fromDays === 0 ? "today" : p.fromDays === 1 ? "tomorrow" : p.fromDays === -1 ? "yesterday" : dayOffset(p.fromDays)}`;
      return `${describeValue(p.value, zone)} anniversary within ${dayOffset(p.fromDays)} … ${dayOffset(p.toDays)}`;
  }
}

/** A runtime value shown next to a clause; `rep` decides how numbers are shown (date-times as local times). */
export function showRuntimeValue(v: RuntimeValue | undefined, rep: string, zone?: string): string {
  if (v === null || v === undefined) return "missing";
  return showConstant(v, rep, zone);
}
