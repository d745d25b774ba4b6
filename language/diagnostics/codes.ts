/**
 * The catalogue of diagnostic codes: one entry per code, with its severity,
 * a title, an explanation and a minimal failing example. spec/diagnostics.md
 * is generated from this table and a test checks that every example produces
 * its code. Codes are stable: never reuse or renumber one.
 *
 * Prefixes: S syntax (language/), N names, T types, A analyses, P plans
 * (compiler/), R runtime, X command line.
 */
import type { Severity } from "./diagnostic.ts";

export interface DiagnosticCodeInfo {
  readonly code: string;
  readonly severity: Severity;
  readonly title: string;
  readonly explanation: string;
  /** A minimal .campaign source that produces this code. */
  readonly example: string;
}

const CATALOG_HEADER = `catalog retail {
  timezone "Asia/Shanghai"
  currency CNY
  customer { aum money  tier enum(mass, wealth, premium) }
  tag payroll "代发工资客户"
  channel sms cost 0.05
}
`;

export const diagnosticCodes: readonly DiagnosticCodeInfo[] = [
  {
    code: "S001",
    severity: "error",
    title: "unexpected character",
    explanation: "The lexer met characters that start no token: stray punctuation, control characters or symbols such as `$` or `#`. Remove them, or put text that belongs in a label inside double quotes.",
    example: `campaign c {\n  priority 5 #\n}\n`,
  },
  {
    code: "S002",
    severity: "error",
    title: "unterminated string",
    explanation: "A string opened with `\"` has no closing quote before the end of its line. Strings cannot span lines; use `\\n` for a line break inside one.",
    example: `campaign c "生日关怀 {\n}\n`,
  },
  {
    code: "S003",
    severity: "error",
    title: "unterminated block comment",
    explanation: "A `/*` comment has no closing `*/`, so everything after it is ignored.",
    example: `campaign c {\n  /* priority 5\n}\n`,
  },
  {
    code: "S004",
    severity: "error",
    title: "unexpected token",
    explanation: "The parser expected something else at this point. The message lists what would be accepted; when the word is close to a keyword, a fix suggests it. When a `}` is missing (the file ends, or something else comes, while a block is open), a note points back at the `{` that is never closed, the innermost one when blocks are nested. The parser recovers at the next clause, so later mistakes are reported in the same run.",
    example: `campaign c {\n  audiense has payroll\n}\n`,
  },
  {
    code: "S005",
    severity: "error",
    title: "missing required part",
    explanation: "A construct that needs at least one item has none: `waves` with no wave, `enum()` with no value, `in ()` with no value.",
    example: `campaign c {\n  waves\n}\n`,
  },
  {
    code: "S007",
    severity: "error",
    title: "unknown or missing unit",
    explanation: "A number carries a suffix that is not a known unit, or a duration is written without one. Amounts take `k`, `m`, `bn`, `万`, `亿`; percentages `%`; durations `min`, `h`, `d`, `w`, `mo`, `y` or a word (`90 days`).",
    example: `campaign c {\n  audience lastLogin within 90\n}\n`,
  },
  {
    code: "S008",
    severity: "error",
    title: "invalid date or time",
    explanation: "A date, time or date-time literal names a day, month, hour or offset that does not exist (`2026-02-30`, `25:00`).",
    example: `campaign c {\n  window 2026-02-30 .. 2026-03-31\n}\n`,
  },
  {
    code: "S009",
    severity: "error",
    title: "invalid escape in string",
    explanation: "Inside strings, `\\\\` starts an escape: `\\n`, `\\t`, `\\r`, `\\\"`, `\\\\`, `\\0`, `\\uXXXX` or `\\u{X...}`. Any other letter after a backslash is an error.",
    example: `campaign c "a\\qb" {\n}\n`,
  },
  {
    code: "S010",
    severity: "error",
    title: "input too large or too deeply nested",
    explanation: "The file is larger than 16 MiB or nests brackets or prefixes (`not`, `-`) more than 64 levels deep. Such input is refused rather than risking the tool's stack or memory.",
    example: `campaign c {\n  audience ${"(".repeat(70)}has payroll${")".repeat(70)}\n}\n`,
  },
  {
    code: "S011",
    severity: "error",
    title: "number too large",
    explanation: "An integer literal (after applying its unit) is beyond 2^53, where arithmetic stops being exact.",
    example: `campaign c {\n  priority 99999999999999999999\n}\n`,
  },
  {
    code: "S012",
    severity: "error",
    title: "clause given twice",
    explanation: "A clause that a campaign (or catalog, or budget) may hold only once appears again. The second one is reported; the related span points at the first.",
    example: `campaign c {\n  priority 5\n  priority 6\n}\n`,
  },
  {
    code: "S013",
    severity: "error",
    title: "waves out of order",
    explanation: "Waves are numbered 1, 2, 3 ... in the order they run. A gap, a repeat or a wrong order is an error; the fix renumbers the wave.",
    example: `campaign c {\n  waves\n    1. sms "a" now\n    3. sms "b" after 2 days\n}\n`,
  },
  {
    code: "S015",
    severity: "warning",
    title: "test without expectations",
    explanation: "A `test` block has no `expect` step, so it can never fail. Add what should (or should not) happen.",
    example: `${CATALOG_HEADER}campaign c {\n  test "nothing checked" {\n    given customer c1 { tier mass }\n  }\n}\n`,
  },
  {
    code: "S016",
    severity: "error",
    title: "percentages do not add up",
    explanation: "Variant weights must add up to 100%, and a pacing curve's shares must add up to 100%.",
    example: `campaign c {\n  variants { a 50%, b 40% }\n}\n`,
  },
  {
    code: "S017",
    severity: "error",
    title: "percentage out of range",
    explanation: "A share (holdout, variant weight, pacing point) must lie between 0% and 100%.",
    example: `campaign c {\n  holdout 120%\n}\n`,
  },
  {
    code: "S018",
    severity: "error",
    title: "invisible or bidirectional control character",
    explanation: "A string, name or comment holds a character that is invisible or reorders text on screen (bidirectional overrides and isolates U+202A-U+202E, U+2066-U+2069, control characters). Reviewers would see something other than what runs (\"Trojan Source\"). Write the character as an escape (`\\u{202e}`) inside strings, or remove it.",
    example: `campaign c "\u202Eevil" {\n}\n`,
  },
];

const byCode = new Map(diagnosticCodes.map((c) => [c.code, c]));

/** The catalogue entry of a code; throws for an unknown code (a programming error). */
export function codeInfo(code: string): DiagnosticCodeInfo {
  const info = byCode.get(code);
  if (!info) throw new Error(`diagnostic code ${code} is not in the catalogue`);
  return info;
}

/** Registers more codes (the compiler, runtime and CLI add theirs). */
export function registerCodes(codes: readonly DiagnosticCodeInfo[]): void {
  for (const c of codes) {
    if (byCode.has(c.code)) continue;
    byCode.set(c.code, c);
    (diagnosticCodes as DiagnosticCodeInfo[]).push(c);
  }
}
