/**
 * What must hold for `parse` on any input whatsoever. Each check returns a
 * list of human-readable violations (empty when all is well), so a failing
 * fuzz case says exactly what broke and where.
 */
import type { ParseResult } from "../../parser/parse.ts";
import { parse } from "../../parser/parse.ts";
import type { Span } from "../../span.ts";

/** Line starts computed independently of LineIndex: `\n`, `\r\n` and a lone `\r` end a line. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}

/** 1-based line and UTF-16 column of an offset. */
export function positionOf(starts: readonly number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - (starts[lo] ?? 0) + 1 };
}

const describe = (s: Span): string => `{offset ${s.offset}, length ${s.length}, ${s.line}:${s.column}-${s.endLine}:${s.endColumn}}`;

/** Violations of: the span lies inside the text and its line/column agree with its offsets. */
export function checkSpan(span: unknown, text: string, starts: readonly number[], fileName: string, where: string): string[] {
  const s = span as Span;
  if (typeof s !== "object" || s === null) return [`${where}: span is not an object`];
  const nums = [s.offset, s.length, s.line, s.column, s.endLine, s.endColumn];
  if (!nums.every((n) => Number.isInteger(n))) return [`${where}: span has a non-integer field ${JSON.stringify(s)}`];
  const out: string[] = [];
  if (s.file !== fileName) out.push(`${where}: span file is ${JSON.stringify(s.file)}, not ${JSON.stringify(fileName)}`);
  if (!(s.offset >= 0 && s.length >= 0 && s.offset + s.length <= text.length)) {
    out.push(`${where}: span ${describe(s)} is outside the text (length ${text.length})`);
    return out;
  }
  const start = positionOf(starts, s.offset);
  const end = positionOf(starts, s.offset + s.length);
  if (start.line !== s.line || start.column !== s.column) out.push(`${where}: span ${describe(s)} starts at ${start.line}:${start.column} by its offset`);
  if (end.line !== s.endLine || end.column !== s.endColumn) out.push(`${where}: span ${describe(s)} ends at ${end.line}:${end.column} by its offset`);
  return out;
}

/**
 * Every object reachable from `root` that has a `span`, with a path for
 * messages. Iterative: a chain of 20,000 `and`s is a 20,000-deep tree, and a
 * recursive walk would overflow the stack.
 */
function* nodesWithSpans(root: unknown): Generator<{ node: Record<string, unknown>; path: string }> {
  const stack: { value: unknown; path: string }[] = [{ value: root, path: "file" }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (typeof value !== "object" || value === null) continue;
    const rec = value as Record<string, unknown>;
    if ("span" in rec && rec["span"] !== undefined) yield { node: rec, path };
    for (const [k, v] of Object.entries(rec)) {
      if (k === "span" || typeof v !== "object" || v === null) continue;
      if (Array.isArray(v)) v.forEach((item, i) => stack.push({ value: item, path: `${path}.${k}[${i}]` }));
      else stack.push({ value: v, path: `${path}.${k}` });
    }
  }
}

/** Structural equality without recursion (see nodesWithSpans); returns the first differing path or undefined. */
export function firstDifference(a: unknown, b: unknown): string | undefined {
  const stack: { a: unknown; b: unknown; path: string }[] = [{ a, b, path: "$" }];
  while (stack.length > 0) {
    const x = stack.pop()!;
    if (Object.is(x.a, x.b)) continue;
    if (typeof x.a !== "object" || typeof x.b !== "object" || x.a === null || x.b === null) return x.path;
    if (Array.isArray(x.a) !== Array.isArray(x.b)) return x.path;
    const ka = Object.keys(x.a);
    const kb = Object.keys(x.b);
    if (ka.length !== kb.length || ka.some((k, i) => k !== kb[i])) return `${x.path} (keys)`;
    for (const k of ka) stack.push({ a: (x.a as Record<string, unknown>)[k], b: (x.b as Record<string, unknown>)[k], path: `${x.path}.${k}` });
  }
  return undefined;
}

/** All invariant violations of one parse result for `text`. */
export function violations(text: string, fileName: string, result: ParseResult): string[] {
  const starts = lineStarts(text);
  const out: string[] = [];
  if (!result || typeof result !== "object" || !result.file || !Array.isArray(result.diagnostics)) return ["parse returned no file or no diagnostics array"];
  result.diagnostics.forEach((d, i) => {
    const where = `diagnostic ${i} (${d.code} ${JSON.stringify(d.message)})`;
    if (typeof d.code !== "string" || d.code.trim() === "") out.push(`${where}: empty code`);
    if (typeof d.message !== "string" || d.message.trim() === "") out.push(`${where}: empty message`);
    if (!["error", "warning", "info"].includes(d.severity)) out.push(`${where}: bad severity ${String(d.severity)}`);
    out.push(...checkSpan(d.span, text, starts, fileName, where));
    d.related.forEach((r, j) => out.push(...checkSpan(r.span, text, starts, fileName, `${where} related ${j}`)));
    d.fixes.forEach((f, j) => f.edits.forEach((e, k) => out.push(...checkSpan(e.span, text, starts, fileName, `${where} fix ${j} edit ${k}`))));
  });
  for (const { node, path } of nodesWithSpans(result.file)) out.push(...checkSpan(node["span"], text, starts, fileName, `AST ${path}${typeof node["kind"] === "string" ? ` (${node["kind"]})` : ""}`));
  return out;
}

/** A single small input taking longer than this is a hang, not slowness. */
export const HANG_MS = 5_000;

export interface CaseOutcome {
  result: ParseResult;
  ms: number;
  problems: string[];
}

/**
 * Parses `text` twice and checks everything: no throw, no hang, spans,
 * codes and messages, and the same result both times.
 */
/** The text parsed before the current one: the parser instance is shared, so a failure may depend on it. */
let previousText: string | undefined;

export function runCase(text: string, fileName = "fuzz.campaign"): CaseOutcome {
  const problems: string[] = [];
  let result: ParseResult;
  const before = previousText;
  previousText = text;
  const t0 = performance.now();
  try {
    result = parse(text, fileName);
  } catch (e) {
    let alone = "";
    try {
      parse(text, fileName);
      alone = " (it does not throw when parsed again: it depends on parser state left by the previous input)";
    } catch {
      alone = " (it throws again when parsed again)";
    }
    const prev = before === undefined ? "none" : JSON.stringify(before.length > 300 ? before.slice(0, 300) + "…" : before);
    return {
      result: undefined as unknown as ParseResult,
      ms: performance.now() - t0,
      problems: [`parse threw${alone}; previous input: ${prev}; error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`],
    };
  }
  const ms = performance.now() - t0;
  if (ms > HANG_MS) problems.push(`parse took ${Math.round(ms)} ms on ${text.length} characters`);
  problems.push(...violations(text, fileName, result));
  let again: ParseResult;
  try {
    again = parse(text, fileName);
  } catch (e) {
    problems.push(`second parse threw: ${String(e)}`);
    return { result, ms, problems };
  }
  const diff = firstDifference(result, again);
  if (diff !== undefined) problems.push(`parsing the same text twice gave different results (first difference at ${diff})`);
  return { result, ms, problems };
}
