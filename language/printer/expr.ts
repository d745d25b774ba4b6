/**
 * One-line printing of names, literals and expressions. Literals print from
 * their `raw` text (`50k`, `1.5万`, `90 days` stay as written), strings are
 * re-encoded, names that collide with a hard keyword (or are not plain names)
 * are written in backticks, and parentheses are kept exactly as `group` nodes.
 */
import type * as A from "../ast.ts";
import { hardKeywords, Name } from "../lexer/tokens.ts";
import { encodeString } from "../parser/literals.ts";

const HARD = new Set(hardKeywords);
const namePattern = Name.PATTERN;
const PLAIN_NAME = new RegExp(`^(?:${namePattern instanceof RegExp ? namePattern.source : "[A-Za-z_][A-Za-z0-9_]*"})$`);

/** A name as it must be written: in backticks when it is a hard keyword or not a plain name. */
export function printName(name: string): string {
  return HARD.has(name) || !PLAIN_NAME.test(name) ? "`" + name + "`" : name;
}

export function ident(id: A.Ident | undefined): string {
  return id ? printName(id.name) : "";
}

export function str(s: A.StringLit | undefined): string {
  return s ? encodeString(s.value) : '""';
}

export function num(n: A.NumberLit | undefined): string {
  if (!n) return "";
  return n.currency ? `${n.raw} ${ident(n.currency)}` : n.raw;
}

export function literal(l: A.Literal): string {
  switch (l.kind) {
    case "number":
      return num(l);
    case "percent":
    case "duration":
    case "date":
    case "datetime":
    case "time":
      return l.raw;
    case "string":
      return encodeString(l.value);
    case "bool":
      return l.value ? "true" : "false";
    case "relativeDay":
      return l.day;
  }
}

export function duration(d: A.DurationLit | undefined): string {
  return d ? d.raw : "";
}

/** An expression on one line. */
export function expr(e: A.Expr | undefined): string {
  if (!e) return "";
  switch (e.kind) {
    case "ref":
      return ident(e.name);
    case "group":
      return `(${expr(e.expr)})`;
    case "logical":
      return `${expr(e.left)} ${e.op} ${expr(e.right)}`;
    case "not":
      return `not ${expr(e.operand)}`;
    case "compare":
      return `${expr(e.left)} ${e.op} ${expr(e.right)}`;
    case "arith":
      return `${expr(e.left)} ${e.op} ${expr(e.right)}`;
    case "negate":
      return `-${expr(e.operand)}`;
    case "percentOf":
      return `${e.percent.raw} of ${expr(e.operand)}`;
    case "between":
      return `${expr(e.subject)} ${e.negated ? "not " : ""}between ${expr(e.low)} and ${expr(e.high)}`;
    case "in":
      return `${expr(e.subject)} ${e.negated ? "not " : ""}in (${e.values.map(expr).join(", ")})`;
    case "has": {
      const mode = e.mode === "one" ? "" : e.mode + " ";
      const tags = e.tags.length === 1 ? ident(e.tags[0]) : `(${e.tags.map(ident).join(", ")})`;
      return `has ${mode}${tags}`;
    }
    case "relativeTime": {
      const s = expr(e.subject);
      switch (e.form) {
        case "within":
          return `${s} within ${e.direction ? e.direction + " " : ""}${duration(e.duration)}`;
        case "moreThanAgo":
          return `${s} more than ${duration(e.duration)} ago`;
        case "lessThanAgo":
          return `${s} less than ${duration(e.duration)} ago`;
        case "isDay":
          return `${s} is ${e.day ?? "today"}`;
      }
      return s;
    }
    case "anniversary":
      return `${expr(e.subject)} anniversary`;
    case "isSet":
      return `${expr(e.subject)} is ${e.negated ? "not " : ""}set`;
    case "segmentRef":
      return `segment ${ident(e.name)}`;
    case "literal":
      return literal(e.value);
  }
}

/** The operands of a chain of one logical operator (`a and b and c`), not looking inside parentheses. */
export function chainOperands(e: A.LogicalExpr): A.Expr[] {
  const out: A.Expr[] = [];
  const walk = (x: A.Expr): void => {
    if (x.kind === "logical" && x.op === e.op) {
      walk(x.left);
      if (x.right) out.push(x.right);
    } else out.push(x);
  };
  walk(e);
  return out;
}
