/**
 * Plain-text rendering of predicate IR and of what a satisfiable cube allows,
 * for diagnostic messages: `aum between 50k and 200k`, `has payroll`.
 */
import type { Pred, ValueExpr } from "../ir/predicate.ts";
import type { Lit, Scalar } from "./formula.ts";
import type { SubjectDomain, Witness } from "./solve.ts";

/** A number as campaign authors write it: 50000 → `50k`, 2000000 → `2m`. */
export function showNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const abs = Math.abs(n);
  if (abs >= 1e9 && n % 1e8 === 0) return `${n / 1e9}bn`;
  if (abs >= 1e6 && n % 1e5 === 0) return `${n / 1e6}m`;
  if (abs >= 1e3 && n % 100 === 0) return `${n / 1e3}k`;
  return String(Math.round(n * 1e6) / 1e6);
}

function showScalar(v: Scalar): string {
  return typeof v === "number" ? showNumber(v) : String(v);
}

const PLURAL = (n: number, unit: string): string => `${n} ${unit}${Math.abs(n) === 1 ? "" : "s"}`;

export function showValue(v: ValueExpr): string {
  switch (v.k) {
    case "attr":
    case "field":
      return v.name;
    case "const":
      if (v.rep === "datetime" && typeof v.value === "number") return new Date(v.value).toISOString().slice(0, 16).replace("T", " ") + "Z";
      if (v.rep === "string") return /^[\p{L}_][\p{L}\p{N}_]*$/u.test(String(v.value)) ? String(v.value) : JSON.stringify(v.value);
      return showScalar(v.value);
    case "arith":
      return `${showValue(v.left)} ${v.op} ${showValue(v.right)}`;
    case "neg":
      return `-${showValue(v.arg)}`;
    case "time": {
      const base = v.anchor === "now" ? "now" : v.anchor === "today" ? "today" : "start of today";
      if (v.shift.amount === 0) return base;
      return `${base} ${v.shift.amount < 0 ? "-" : "+"} ${PLURAL(Math.abs(v.shift.amount), v.shift.unit)}`;
    }
  }
}

/** A predicate as text, close to the source syntax. */
export function showPred(p: Pred): string {
  switch (p.k) {
    case "true":
      return "true";
    case "false":
      return "false";
    case "and":
      return p.args.map((a) => (a.k === "or" ? `(${showPred(a)})` : showPred(a))).join(" and ");
    case "or":
      return p.args.map((a) => (a.k === "and" ? `(${showPred(a)})` : showPred(a))).join(" or ");
    case "not":
      if (p.arg.k === "tag") return `not has ${p.arg.tag}`;
      if (p.arg.k === "set") return `${showValue(p.arg.value)} is not set`;
      if (p.arg.k === "in") return `${showValue(p.arg.value)} not in (${p.arg.set.map(showScalar).join(", ")})`;
      return `not (${showPred(p.arg)})`;
    case "cmp":
      return `${showValue(p.left)} ${p.op} ${showValue(p.right)}`;
    case "in":
      return `${showValue(p.value)} in (${p.set.map(showScalar).join(", ")})`;
    case "tag":
      return `has ${p.tag}`;
    case "set":
      return `${showValue(p.value)} is set`;
    case "anniversary":
      return p.fromDays === p.toDays ? `${showValue(p.value)} anniversary is ${p.fromDays === 0 ? "today" : p.fromDays === 1 ? "tomorrow" : p.fromDays === -1 ? "yesterday" : `today ${p.fromDays > 0 ? "+" : "-"} ${PLURAL(Math.abs(p.fromDays), "day")}`}` : `${showValue(p.value)} anniversary within ${p.fromDays < 0 ? `last ${PLURAL(-p.fromDays, "day")}` : `next ${PLURAL(p.toDays, "day")}`}`;
    case "label":
      return p.label.startsWith("segment ") ? p.label : showPred(p.pred);
  }
}

/** The condition a literal stands for, as text. */
export function showLit(l: Lit): string {
  const name = (s: string): string => s.replace(/^(attr|field):/, "");
  if (l.k === "present" && !l.present && l.src.negated) return `${name(l.subject)} is not set`;
  if (l.k === "tag") return l.has ? `has ${l.tag}` : `not has ${l.tag}`;
  return l.src.negated ? showPred({ k: "not", arg: l.src.pred }) : showPred(l.src.pred);
}

function frameBase(frame: string): { base: string; unit?: string } {
  const [anchor, unit] = frame.split(":");
  const base = anchor === "now" ? "now" : anchor === "today" ? "today" : "start of today";
  return { base, ...(unit && unit !== "ms" ? { unit } : {}) };
}

function showPoint(frame: string, v: number): string {
  if (frame === "abs") return showNumber(v);
  const { base, unit } = frameBase(frame);
  if (v === 0) return base;
  if (!unit) {
    const day = 86_400_000;
    const [amount, u] = v % day === 0 ? [v / day, "day"] : v % 3_600_000 === 0 ? [v / 3_600_000, "hour"] : [v / 60_000, "minute"];
    return `${base} ${amount < 0 ? "-" : "+"} ${PLURAL(Math.abs(amount), u)}`;
  }
  return `${base} ${v < 0 ? "-" : "+"} ${PLURAL(Math.abs(v), unit)}`;
}

function showDomain(d: SubjectDomain): string[] {
  const name = d.subject.replace(/^(attr|field):/, "");
  const out: string[] = [];
  for (const r of d.ranges) {
    const lo = r.lo === -Infinity ? undefined : showPoint(r.frame, r.lo);
    const hi = r.hi === Infinity ? undefined : showPoint(r.frame, r.hi);
    if (lo !== undefined && hi !== undefined && r.lo === r.hi) out.push(`${name} = ${lo}`);
    else if (lo !== undefined && hi !== undefined && !r.loOpen && !r.hiOpen) out.push(`${name} between ${lo} and ${hi}`);
    else {
      if (lo !== undefined) out.push(`${name} ${r.loOpen ? ">" : ">="} ${lo}`);
      if (hi !== undefined) out.push(`${name} ${r.hiOpen ? "<" : "<="} ${hi}`);
    }
  }
  if (d.values) out.push(d.values.length === 1 ? `${name} = ${showScalar(d.values[0] as Scalar)}` : `${name} in (${d.values.map(showScalar).join(", ")})`);
  for (const v of d.excluded) out.push(`${name} != ${showScalar(v)}`);
  for (const o of d.opaque) out.push(o.positive ? showPred(o.pred) : showPred({ k: "not", arg: o.pred }));
  if (out.length === 0 && d.present !== undefined) out.push(d.present ? `${name} is set` : `${name} is not set`);
  return out;
}

/** What a satisfiable cube allows, as one condition: `has payroll and aum between 50k and 200k`. */
export function showWitness(w: Witness): string {
  const parts: string[] = [];
  for (const [t, has] of [...w.tags].sort((a, b) => Number(b[1]) - Number(a[1]))) parts.push(has ? `has ${t}` : `not has ${t}`);
  const opaqueSeen = new Set<string>();
  for (const d of w.subjects) {
    for (const s of showDomain(d)) {
      if (opaqueSeen.has(s)) continue;
      opaqueSeen.add(s);
      parts.push(s);
    }
  }
  return parts.length === 0 ? "any customer" : parts.join(" and ");
}
