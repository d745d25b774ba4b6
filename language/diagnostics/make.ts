import type { Span } from "../span.ts";
import { codeInfo } from "./codes.ts";
import type { Diagnostic, RelatedSpan, Severity, SuggestedFix } from "./diagnostic.ts";

/** Builds a diagnostic whose severity comes from the code catalogue unless overridden. */
export function makeDiagnostic(
  code: string,
  message: string,
  span: Span,
  extra: { related?: RelatedSpan[]; fixes?: SuggestedFix[]; help?: string; severity?: Severity } = {},
): Diagnostic {
  return {
    code,
    severity: extra.severity ?? codeInfo(code).severity,
    message,
    span,
    related: extra.related ?? [],
    fixes: extra.fixes ?? [],
    ...(extra.help ? { help: extra.help } : {}),
  };
}
