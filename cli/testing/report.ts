/**
 * How `campaign test` reports: readable text, or one JSON document (`--json`).
 * Pure: builds strings and values; the command prints them.
 *
 * Text: one `PASS`/`FAIL` line per test; under a failed test, each failed
 * expectation (`expected: ...`, with the actions that break an `expect no`),
 * then for each customer concerned her actual outbox and the journey lines
 * that explain it (entries, suppressions, deferrals, skips, fallbacks with
 * their rules), times in the catalog zone. The last line is always exactly
 * `N passed, N failed` (CI reads it).
 */
import type { Diagnostic } from "../../language/diagnostics/diagnostic.ts";
import { renderDiagnostics } from "../../language/diagnostics/render.ts";
import type { ActionLine, CustomerOutcome, TestResult, TestRunReport } from "./runner.ts";

/** The closing line: `3 passed, 1 failed`. */
export function closingLine(report: Pick<TestRunReport, "passed" | "failed">): string {
  return `${report.passed} passed, ${report.failed} failed`;
}

function where(r: TestResult): string {
  return `${r.file}:${r.span.line}:${r.span.column}`;
}

function actionRow(a: ActionLine): string {
  return `${a.time}  ${a.text}`;
}

function outcomeRows(customer: string, outcome: CustomerOutcome | undefined, zone: string): string[] {
  const rows = [`    actual outbox of ${customer} (times in ${zone}):`];
  const actions = outcome?.actions ?? [];
  if (actions.length === 0) rows.push("      (nothing)");
  for (const a of actions) rows.push(`      ${actionRow(a)}`);
  const journey = outcome?.journey ?? [];
  rows.push(`    journey of ${customer}:`);
  if (journey.length === 0) rows.push("      (no entry)");
  for (const j of journey) rows.push(`      ${j.time}  ${j.text}`);
  return rows;
}

/** The text of one test's result (several lines for a failure). */
export function renderResult(r: TestResult, lookup: (file: string) => string | undefined, color = false): string {
  const head = `${r.status === "passed" ? "PASS" : "FAIL"} ${r.campaign}: ${r.title} (${where(r)})`;
  if (r.status === "passed") return head;
  const rows = [head];
  if (r.diagnostics.length > 0) {
    rows.push("  the test could not run:");
    rows.push(...renderDiagnostics(r.diagnostics, lookup, { color }).trimEnd().split("\n").map((l) => `  ${l}`));
    return rows.join("\n");
  }
  const concerned: string[] = [];
  for (const e of r.expectations) {
    if (e.passed) continue;
    rows.push(`  expected: ${e.text}  (${r.file}:${e.span.line})`);
    for (const a of e.offending) rows.push(`    but got: ${actionRow(a)}`);
    if (!concerned.includes(e.customer)) concerned.push(e.customer);
  }
  for (const c of concerned) rows.push(...outcomeRows(c, r.customers[c], r.zone));
  for (const n of r.notes) rows.push(`  note: ${n}`);
  return rows.join("\n");
}

/** The whole text report, ending with the closing line. */
export function renderReport(report: TestRunReport, lookup: (file: string) => string | undefined, color = false): string {
  const parts = report.results.map((r) => renderResult(r, lookup, color));
  if (report.results.length === 0) parts.push("no tests found");
  parts.push(closingLine(report));
  return parts.join("\n") + "\n";
}

/** One test in the JSON report. */
export interface JsonTestResult {
  readonly campaign: string;
  readonly file: string;
  readonly title: string;
  readonly line: number;
  readonly status: "passed" | "failed";
  /** The catalog zone the `time` fields are in. */
  readonly zone: string;
  readonly expectations: readonly { readonly text: string; readonly line: number; readonly customer: string; readonly passed: boolean; readonly offending: readonly ActionLine[] }[];
  /** Why the test could not run (then it failed without expectations checked). */
  readonly diagnostics: readonly Diagnostic[];
  /** Only for failed tests: each customer's actions and journey lines. */
  readonly customers?: TestResult["customers"];
  readonly notes: readonly string[];
}

/** The JSON document `campaign test --json` prints. Documented in README.md. */
export interface TestJsonReport {
  /** Diagnostics of the program (warnings; or the errors that stopped the run). */
  readonly diagnostics: readonly Diagnostic[];
  readonly tests: readonly JsonTestResult[];
  readonly summary: {
    readonly passed: number;
    readonly failed: number;
    /** False when the program had errors and no test ran. */
    readonly ran: boolean;
    readonly files: number;
    readonly errors: number;
    readonly warnings: number;
  };
}

export function jsonResult(r: TestResult): JsonTestResult {
  return {
    campaign: r.campaign,
    file: r.file,
    title: r.title,
    line: r.span.line,
    status: r.status,
    zone: r.zone,
    expectations: r.expectations.map((e) => ({ text: e.text, line: e.span.line, customer: e.customer, passed: e.passed, offending: e.offending })),
    diagnostics: r.diagnostics,
    ...(r.status === "failed" ? { customers: r.customers } : {}),
    notes: r.notes,
  };
}
