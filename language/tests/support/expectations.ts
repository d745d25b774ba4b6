/**
 * Expectations written next to the input (the Crafting Interpreters style):
 * an invalid golden file states in its leading comment which diagnostics it
 * must produce, by code and position,
 *
 *   // A campaign clause keyword is misspelt.
 *   // expect: S004 4:3
 *
 * so that a reader sees the intent without opening the baseline, and a
 * baseline rewritten with UPDATE_GOLDEN=1 cannot silently move a location:
 * these lines are only ever edited by hand.
 */
import type { Diagnostic } from "../../diagnostics/diagnostic.ts";

const EXPECT = /^\s*\/\/\s*expect:\s*([A-Z]\d{3})\s+(\d+):(\d+)\s*$/;

/** `CODE line:col` for each `// expect:` line of the text, in order. */
export function declaredExpectations(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => EXPECT.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => `${m[1]} ${m[2]}:${m[3]}`);
}

/** `CODE line:col` for each diagnostic, in the order given. */
export function actualExpectations(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.code} ${d.span.line}:${d.span.column}`);
}
