/**
 * Loading a plan: the only way the runtime (and any other consumer) should
 * turn plan JSON into a `Plan`. Never throws on bad input; every problem is a
 * diagnostic:
 *
 *   P001  the text is not JSON (located at the first wrong character)
 *   P002  `planVersion` is not one this build supports (says which are)
 *   P003  the document does not match the schema (one diagnostic per problem,
 *         each message starting with the failing field's path, such as
 *         `waves[1].touches[0].channel: expected string`)
 *
 * When the plan was given as text, diagnostics point at the offending place
 * in that text (the field's value, or the unknown key); otherwise at the
 * start of the file.
 */
import { z } from "zod";
import type { Diagnostic } from "../../language/diagnostics/diagnostic.ts";
import { makeDiagnostic } from "../../language/diagnostics/make.ts";
import { fileStartSpan, LineIndex, type Span } from "../../language/span.ts";
import "../diagnostics/planCodes.ts";
import { planSchema, SUPPORTED_PLAN_VERSIONS } from "./schema.ts";
import type { Plan } from "./types.ts";

export type LoadPlanResult = { readonly ok: true; readonly plan: Plan } | { readonly ok: false; readonly diagnostics: Diagnostic[] };

export interface LoadPlanOptions {
  /** The plan file's path, for diagnostics' spans. */
  readonly file?: string;
  /** At most this many P003 diagnostics are reported (default 20). */
  readonly maxIssues?: number;
}

/** Validates a plan given as JSON text or as an already parsed value. */
export function loadPlan(input: string | unknown, options: LoadPlanOptions = {}): LoadPlanResult {
  const file = options.file ?? "";
  const text = typeof input === "string" ? input : undefined;
  const where = (path: readonly PropertyKey[], key?: string): Span => spanOf(text, file, path, key);

  let value: unknown = input;
  if (text !== undefined) {
    try {
      value = JSON.parse(text);
    } catch {
      return fail([notJson(text, file)]);
    }
  }

  const version = isRecord(value) ? value["planVersion"] : undefined;
  if (typeof version === "number" && !SUPPORTED_PLAN_VERSIONS.includes(version)) {
    const supported = SUPPORTED_PLAN_VERSIONS.join(", ");
    return fail([
      makeDiagnostic("P002", `unsupported plan version \`${version}\`: this build reads plan version${SUPPORTED_PLAN_VERSIONS.length === 1 ? "" : "s"} ${supported}`, where(["planVersion"]), {
        help: "compile the campaign again with the compiler that matches this runtime",
      }),
    ]);
  }

  let result: ReturnType<typeof planSchema.safeParse>;
  try {
    result = planSchema.safeParse(value, { reportInput: true });
  } catch (e) {
    // Only absurd input gets here (nesting deep enough to exhaust the stack).
    return fail([makeDiagnostic("P003", `plan: cannot be validated (${e instanceof Error ? e.message : String(e)})`, where([]))]);
  }
  if (result.success) return { ok: true, plan: result.data };

  const max = options.maxIssues ?? 20;
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const issue of result.error.issues) {
    for (const d of describeIssue(issue, where)) {
      const key = `${d.span.offset}:${d.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(d);
    }
  }
  if (out.length > max) {
    const more = out.length - max;
    out.length = max;
    out.push(makeDiagnostic("P003", `plan: ${more} more problem${more === 1 ? "" : "s"} not shown`, where([])));
  }
  return fail(out);
}

function fail(diagnostics: Diagnostic[]): LoadPlanResult {
  return { ok: false, diagnostics };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

// ---------------------------------------------------------------- messages

/** `waves[1].touches[0].channel`; `plan` for the root. */
export function formatPath(path: readonly PropertyKey[]): string {
  let s = "";
  for (const p of path) {
    if (typeof p === "number") s += `[${p}]`;
    else {
      const name = String(p);
      const plain = /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name);
      s += plain ? (s === "" ? name : `.${name}`) : `[${JSON.stringify(name)}]`;
    }
  }
  return s === "" ? "plan" : s;
}

function describeValue(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  switch (typeof v) {
    case "string":
      return v.length <= 40 ? `\`${JSON.stringify(v)}\`` : "a string";
    case "number":
    case "boolean":
      return `\`${String(v)}\``;
    case "object":
      return "an object";
    default:
      return typeof v;
  }
}

const quoteAll = (xs: readonly unknown[]): string => xs.map((x) => `\`${typeof x === "string" ? x : JSON.stringify(x)}\``).join(", ");

function describeIssue(issue: z.core.$ZodIssue, where: (path: readonly PropertyKey[], key?: string) => Span): Diagnostic[] {
  const path = issue.path;
  const at = formatPath(path);
  const d = (message: string, span: Span = where(path)): Diagnostic => makeDiagnostic("P003", `${at}: ${message}`, span);
  switch (issue.code) {
    case "invalid_type": {
      const missing = issue.input === undefined;
      return [d(missing ? `expected ${issue.expected}, but the field is missing` : `expected ${issue.expected}, got ${describeValue(issue.input)}`)];
    }
    case "unrecognized_keys":
      return issue.keys.map((k) => makeDiagnostic("P003", `${formatPath([...path, k])}: unknown field \`${k}\` (not part of plan version ${SUPPORTED_PLAN_VERSIONS.join(", ")})`, where(path, k)));
    case "invalid_value": {
      const expected = issue.values.length === 1 ? quoteAll(issue.values) : `one of ${quoteAll(issue.values)}`;
      return [d(`expected ${expected}, ${issue.input === undefined ? "but the field is missing" : `got ${describeValue(issue.input)}`}`)];
    }
    case "invalid_union": {
      if (issue.discriminator !== undefined && "options" in issue && Array.isArray(issue.options)) {
        // The path ends at the discriminator; the input is the object holding it.
        const tag = isRecord(issue.input) ? issue.input[issue.discriminator] : undefined;
        return [d(`expected one of ${quoteAll(issue.options as unknown[])}, ${tag === undefined ? "but the field is missing" : `got ${describeValue(tag)}`}`)];
      }
      const expected = new Set<string>();
      let simple = issue.errors.length > 0;
      for (const branch of issue.errors) {
        const first = branch[0];
        if (branch.length === 1 && first && first.code === "invalid_type" && first.path.length === 0) expected.add(first.expected);
        else simple = false;
      }
      if (simple) return [d(`expected ${[...expected].join(" or ")}, got ${describeValue(issue.input)}`)];
      return [d("matches none of the allowed shapes")];
    }
    case "too_small":
      if (issue.origin === "array") return [d(`expected at least ${String(issue.minimum)} item${issue.minimum === 1 ? "" : "s"}`)];
      if (issue.origin === "string") return [d("expected a non-empty string")];
      return [d(`expected a number ${issue.inclusive ? ">=" : ">"} ${String(issue.minimum)}, got ${describeValue(issue.input)}`)];
    case "too_big":
      return [d(`expected a number ${issue.inclusive ? "<=" : "<"} ${String(issue.maximum)}, got ${describeValue(issue.input)}`)];
    case "invalid_format":
      return [d(`${issue.message.startsWith("expected") ? issue.message : `expected ${issue.format}`}, got ${describeValue(issue.input)}`)];
    default:
      return [d(issue.message)];
  }
}

// ---------------------------------------------------------------- locations

function spanOf(text: string | undefined, file: string, path: readonly PropertyKey[], key?: string): Span {
  if (text === undefined) return fileStartSpan(file);
  const loc = locate(text, path, key);
  return new LineIndex(text).span(file, loc.offset, loc.length);
}

function notJson(text: string, file: string): Diagnostic {
  const index = new LineIndex(text);
  if (text.trim() === "") return makeDiagnostic("P001", "not JSON: the plan file is empty", index.span(file, 0, 0));
  const at = jsonErrorOffset(text);
  const ch = text.codePointAt(at);
  const what = ch === undefined ? "the text ends too early" : `unexpected ${/\s/.test(String.fromCodePoint(ch)) ? "whitespace" : `\`${String.fromCodePoint(ch)}\``}`;
  return makeDiagnostic("P001", `not JSON: ${what}`, index.span(file, at, ch === undefined ? 0 : ch > 0xffff ? 2 : 1));
}

const WS = /[ \t\r\n]*/y;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const LITERAL = /true|false|null/y;

function skipWs(text: string, i: number): number {
  WS.lastIndex = i;
  WS.exec(text);
  return WS.lastIndex;
}

/** End of the string starting at `i` (a `"`), or -(offset of the error) - 1. */
function scanString(text: string, i: number): number {
  let j = i + 1;
  while (j < text.length) {
    const c = text.charCodeAt(j);
    if (c === 34) return j + 1;
    if (c < 0x20) return -j - 1;
    if (c === 92) {
      const e = text[j + 1];
      if (e === "u") {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(j + 2, j + 6))) return -(j + 1) - 1;
        j += 6;
      } else if (e !== undefined && '"\\/bfnrt'.includes(e)) j += 2;
      else return -(j + 1) - 1;
    } else j++;
  }
  return -text.length - 1;
}

/** End of a scalar starting at `i`, or -1. */
function scanScalar(text: string, i: number): number {
  if (text[i] === '"') {
    const e = scanString(text, i);
    return e < 0 ? -1 : e;
  }
  for (const re of [NUMBER, LITERAL]) {
    re.lastIndex = i;
    if (re.exec(text)) return re.lastIndex;
  }
  return -1;
}

/**
 * Offset of the first character that makes `text` not JSON (text.length when
 * it ends too early). Iterative, so deep nesting cannot overflow the stack.
 */
export function jsonErrorOffset(text: string): number {
  const stack: string[] = [];
  let state: "value" | "key" | "after" = "value";
  let i = 0;
  for (;;) {
    i = skipWs(text, i);
    if (state === "value") {
      const c = text[i];
      if (c === "{" || c === "[") {
        stack.push(c);
        i = skipWs(text, i + 1);
        if (text[i] === (c === "{" ? "}" : "]")) {
          stack.pop();
          i++;
          state = "after";
        } else state = c === "{" ? "key" : "value";
        continue;
      }
      const e = c === '"' ? scanString(text, i) : scanScalar(text, i);
      if (e < 0) return c === '"' ? -e - 1 : i;
      i = e;
      state = "after";
    } else if (state === "key") {
      if (text[i] !== '"') return i;
      const e = scanString(text, i);
      if (e < 0) return -e - 1;
      i = skipWs(text, e);
      if (text[i] !== ":") return i;
      i++;
      state = "value";
    } else {
      const top = stack[stack.length - 1];
      if (top === undefined) return i === text.length ? 0 : i;
      const c = text[i];
      if (c === ",") {
        i++;
        state = top === "{" ? "key" : "value";
      } else if ((c === "}" && top === "{") || (c === "]" && top === "[")) {
        stack.pop();
        i++;
      } else return i;
    }
  }
}

/** End of the (valid JSON) value starting at `i`. */
function skipValue(text: string, i: number): number {
  const c = text[i];
  if (c !== "{" && c !== "[") {
    const e = scanScalar(text, i);
    return e < 0 ? i : e;
  }
  let depth = 0;
  let j = i;
  while (j < text.length) {
    const d = text[j];
    if (d === '"') {
      j = scanString(text, j);
      if (j < 0) return text.length;
      continue;
    }
    if (d === "{" || d === "[") depth++;
    else if (d === "}" || d === "]") {
      depth--;
      if (depth === 0) return j + 1;
    }
    j++;
  }
  return text.length;
}

/**
 * Where `path` lies in valid JSON text: the value's span, or with `key` the
 * span of that key inside the object at `path`. When a step is missing (a
 * required field that is absent) the opening bracket of the deepest object
 * or array that exists is returned.
 */
function locate(text: string, path: readonly PropertyKey[], key?: string): { offset: number; length: number } {
  let i = skipWs(text, 0);
  const steps: PropertyKey[] = key === undefined ? [...path] : [...path, key];
  for (const [n, step] of steps.entries()) {
    const open = text[i];
    const here = { offset: i, length: 1 };
    if (open === "{") {
      let j = skipWs(text, i + 1);
      let found = false;
      while (text[j] === '"') {
        const end = scanString(text, j);
        if (end < 0) return here;
        const name: unknown = JSON.parse(text.slice(j, end));
        const keyAt = j;
        j = skipWs(text, end);
        j = skipWs(text, j + 1); // past ':'
        if (name === String(step)) {
          if (key !== undefined && n === steps.length - 1) return { offset: keyAt, length: end - keyAt };
          i = j;
          found = true;
          break;
        }
        j = skipWs(text, skipValue(text, j));
        if (text[j] === ",") j = skipWs(text, j + 1);
      }
      if (!found) return here;
    } else if (open === "[" && typeof step === "number") {
      let j = skipWs(text, i + 1);
      for (let k = 0; k < step && text[j] !== "]" && j < text.length; k++) {
        j = skipWs(text, skipValue(text, j));
        if (text[j] === ",") j = skipWs(text, j + 1);
      }
      if (text[j] === "]" || j >= text.length) return here;
      i = j;
    } else return { offset: i, length: Math.max(1, skipValue(text, i) - i) };
  }
  return { offset: i, length: Math.max(1, skipValue(text, i) - i) };
}
