import type { Span } from "../span.ts";

/** How bad a diagnostic is. Errors fail `check`; warnings and infos do not. */
export type Severity = "error" | "warning" | "info";

/** A text edit: replace the text under `span` with `newText`. */
export interface TextEdit {
  readonly span: Span;
  readonly newText: string;
}

/** A suggested fix: a title shown to the user and the edits that apply it. */
export interface SuggestedFix {
  readonly title: string;
  readonly edits: readonly TextEdit[];
}

/** A secondary location that helps explain a diagnostic. */
export interface RelatedSpan {
  readonly span: Span;
  readonly message: string;
}

/**
 * The one diagnostic type of the whole toolchain: lexer, parser, checker,
 * plan loader, runtime and CLI all report through it. `code` is stable and
 * documented in spec/diagnostics.md; `message` is plain language, starts
 * lowercase, has no trailing period and puts user text in backticks.
 */
export interface Diagnostic {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly span: Span;
  readonly related: readonly RelatedSpan[];
  readonly fixes: readonly SuggestedFix[];
  /** An optional extra line of explanation (shown as `help:`). */
  readonly help?: string;
}

/** True when any diagnostic in the list is an error. */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

/** Orders diagnostics by file, then position, then code: the order every tool prints them in. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  if (a.span.file !== b.span.file) return a.span.file < b.span.file ? -1 : 1;
  if (a.span.offset !== b.span.offset) return a.span.offset - b.span.offset;
  if (a.code !== b.code) return a.code < b.code ? -1 : 1;
  return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
}
