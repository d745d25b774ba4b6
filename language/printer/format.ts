/**
 * `campaign fmt`: the canonical formatter. Formatting is refused (the text is
 * returned unchanged) when the file has a syntax error, so that a broken
 * file is never rewritten from a partial tree.
 */
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import { hasErrors } from "../diagnostics/diagnostic.ts";
import { parse } from "../parser/parse.ts";
import { printFile } from "./printer.ts";

export { printFile } from "./printer.ts";

export interface FormatResult {
  /** The canonical text, or the input unchanged when it has errors. */
  readonly text: string;
  /** The parser's diagnostics for the input. */
  readonly diagnostics: Diagnostic[];
  /** Whether `text` differs from the input. */
  readonly changed: boolean;
}

/** Formats one .campaign file. Never throws. */
export function format(text: string, fileName = ""): FormatResult {
  const { file, diagnostics } = parse(text, fileName);
  if (hasErrors(diagnostics)) return { text, diagnostics, changed: false };
  const out = printFile(file);
  return { text: out, diagnostics, changed: out !== text };
}
