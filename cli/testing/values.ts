/**
 * Test values (`aum 50k`, `tier premium`, `lastLogin 2026-11-20T10:00`,
 * `tags [payroll]`) read by the declared type of their attribute or field,
 * into the runtime's value representations (compiler/ir/predicate.ts):
 *
 *   money        a number literal, in the type's currency (`100 USD` must match it)
 *   int          a whole number literal
 *   number       a number literal or a percentage (`5%` is 0.05)
 *   score        a number or percentage from 0 to 1
 *   string       a quoted string
 *   timezone     a quoted IANA zone name
 *   enum         one of its names, bare (`tier premium`)
 *   bool         `true` or `false`
 *   date         `YYYY-MM-DD`
 *   datetime     `YYYY-MM-DDTHH:MM[:SS]` in the catalog zone unless an offset or
 *                `[Zone]` is written; a date means its local midnight (epoch ms)
 *   tags         a list of declared tag names (`[payroll, staff]`); one bare name is a list of one
 *
 * Pure: no file system, no clock; errors come back as located diagnostics.
 */
import { DateTime, IANAZone } from "luxon";
import type * as A from "../../language/ast.ts";
import type { Diagnostic } from "../../language/diagnostics/diagnostic.ts";
import { makeDiagnostic } from "../../language/diagnostics/make.ts";
import { closest } from "../../language/parser/literals.ts";
import { dateTimeMillis } from "../../compiler/check/expr.ts";
import type { RuntimeValue } from "../../compiler/ir/predicate.ts";
import type { AttributeTypePlan } from "../../compiler/plan/types.ts";
import "./codes.ts";

type Scalar = A.Literal | A.Ident;

/** Epoch ms of a date (local midnight) or date-time literal; date-times without offset or zone are in `zone`. */
export function literalInstant(v: A.DateLit | A.DateTimeLit, zone: string): number | undefined {
  if (v.kind === "datetime") return dateTimeMillis(v, zone);
  const d = DateTime.fromObject({ year: v.year, month: v.month, day: v.day }, { zone });
  return d.isValid ? d.toMillis() : undefined;
}

function describe(v: Scalar | NonNullable<A.TestValue["value"]>): string {
  switch (v.kind) {
    case "ident":
      return `the name \`${v.name}\``;
    case "list":
      return "a list";
    case "string":
      return `the string ${JSON.stringify(v.value)}`;
    case "number":
      return `the number \`${v.raw}${v.currency ? ` ${v.currency.name}` : ""}\``;
    case "percent":
      return `the percentage \`${v.raw}\``;
    case "duration":
      return `the duration \`${v.raw}\``;
    case "date":
      return `the date \`${v.raw}\``;
    case "datetime":
      return `the date-time \`${v.raw}\``;
    case "time":
      return `the time \`${v.raw}\``;
    case "bool":
      return `\`${String(v.value)}\``;
    case "relativeDay":
      return `\`${v.day}\``;
  }
}

function typeName(t: AttributeTypePlan): string {
  if (t.t === "money") return `money (${t.currency})`;
  if (t.t === "enum") return `enum(${t.values.join(", ")})`;
  return t.t;
}

export type Converted = { readonly ok: true; readonly value: RuntimeValue } | { readonly ok: false; readonly diagnostic: Diagnostic };

/**
 * Reads one test value as `type`. `what` names the attribute or field in
 * messages (`attribute \`aum\``).
 */
export function convertTestValue(value: A.TestValue, type: AttributeTypePlan, zone: string, what: string): Converted {
  const v = value.value;
  const fail = (message: string, help?: string): Converted => ({
    ok: false,
    diagnostic: makeDiagnostic("X201", message, value.span, help ? { help } : {}),
  });
  const mismatch = (expected: string, help?: string): Converted =>
    fail(`${what} is ${typeName(type)}: expected ${expected}, got ${v ? describe(v) : "nothing"}`, help);
  if (!v) return mismatch("a value");
  if (v.kind === "list") return mismatch("one value", "only the tag set takes a list");
  switch (type.t) {
    case "money":
      if (v.kind !== "number") return mismatch("an amount such as `50k`");
      if (v.currency && v.currency.name !== type.currency) return fail(`${what} is money in ${type.currency}, but the value is in ${v.currency.name}`);
      return { ok: true, value: v.value };
    case "int":
      if (v.kind !== "number" || v.currency) return mismatch("a whole number");
      if (!Number.isSafeInteger(v.value)) return mismatch("a whole number");
      return { ok: true, value: v.value };
    case "number":
      if (v.kind === "percent") return { ok: true, value: v.value };
      if (v.kind !== "number" || v.currency) return mismatch("a number");
      return { ok: true, value: v.value };
    case "score": {
      const n = v.kind === "percent" ? v.value : v.kind === "number" && !v.currency ? v.value : undefined;
      if (n === undefined) return mismatch("a number from 0 to 1 or a percentage");
      if (n < 0 || n > 1) return fail(`${what} is a score, from 0 to 1; ${describe(v)} is outside that range`);
      return { ok: true, value: n };
    }
    case "string":
      if (v.kind !== "string") return mismatch("a quoted string", v.kind === "ident" ? `write it in quotes: \`"${v.name}"\`` : undefined);
      return { ok: true, value: v.value };
    case "timezone":
      if (v.kind !== "string") return mismatch("a quoted zone name such as `\"Europe/London\"`");
      if (!IANAZone.isValidZone(v.value)) return fail(`\`${v.value}\` is not a known time zone (${what})`);
      return { ok: true, value: v.value };
    case "enum": {
      if (v.kind !== "ident") return mismatch(`one of ${type.values.join(", ")}`);
      if (type.values.includes(v.name)) return { ok: true, value: v.name };
      const near = closest(v.name, type.values);
      return fail(`\`${v.name}\` is not a value of ${what}: expected one of ${type.values.join(", ")}${near ? `; did you mean \`${near}\`?` : ""}`);
    }
    case "bool":
      if (v.kind !== "bool") return mismatch("`true` or `false`");
      return { ok: true, value: v.value };
    case "date":
      if (v.kind !== "date") return mismatch("a date `YYYY-MM-DD`");
      return { ok: true, value: `${String(v.year).padStart(4, "0")}-${String(v.month).padStart(2, "0")}-${String(v.day).padStart(2, "0")}` };
    case "datetime": {
      if (v.kind !== "datetime" && v.kind !== "date") return mismatch("a date-time such as `2026-11-20T10:00`");
      const ms = literalInstant(v, zone);
      if (ms === undefined) return mismatch("a valid date-time");
      return { ok: true, value: ms };
    }
    case "tags":
      return mismatch("a list of tags");
  }
}

/** Reads a tag set: `[payroll, staff]` (or one bare tag name). Unknown tags are X203. */
export function convertTags(value: A.TestValue, declared: ReadonlySet<string>, what: string): { ok: true; tags: string[] } | { ok: false; diagnostics: Diagnostic[] } {
  const v = value.value;
  const items: Scalar[] = !v ? [] : v.kind === "list" ? [...v.items] : [v];
  if (!v || items.some((i) => i.kind !== "ident")) {
    return { ok: false, diagnostics: [makeDiagnostic("X201", `${what} is a tag set: expected a list of tag names such as \`[payroll, staff]\``, value.span)] };
  }
  const tags: string[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const item of items) {
    if (item.kind !== "ident") continue;
    if (!declared.has(item.name)) {
      const near = closest(item.name, declared);
      diagnostics.push(makeDiagnostic("X203", `unknown tag \`${item.name}\`${near ? `; did you mean \`${near}\`?` : ""}`, item.span));
    } else if (!tags.includes(item.name)) tags.push(item.name);
  }
  return diagnostics.length > 0 ? { ok: false, diagnostics } : { ok: true, tags };
}
