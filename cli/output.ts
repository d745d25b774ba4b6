/**
 * How commands report: rendered diagnostics and a summary line as text, or
 * one JSON document with `--json`. Reports go to stdout; usage errors go to
 * stderr (see main.ts).
 */
import type { Diagnostic } from "../language/diagnostics/diagnostic.ts";
import { compareDiagnostics } from "../language/diagnostics/diagnostic.ts";
import { renderDiagnostics, renderSummary } from "../language/diagnostics/render.ts";
import type { SourceFile } from "./files.ts";

/** Counts in every JSON report. */
export interface JsonSummary {
  readonly errors: number;
  readonly warnings: number;
  /** Files read by the command. */
  readonly files: number;
}

/** The JSON document `check --json` prints (fmt adds `changed`). Documented in README.md. */
export interface JsonReport {
  readonly diagnostics: readonly Diagnostic[];
  readonly summary: JsonSummary;
}

/** Builds the summary counts for a JSON report. */
export function summarize(diagnostics: readonly Diagnostic[], files: number): JsonSummary {
  return {
    errors: diagnostics.filter((d) => d.severity === "error").length,
    warnings: diagnostics.filter((d) => d.severity === "warning").length,
    files,
  };
}

/** Colour when stdout is a terminal, unless NO_COLOR is set; FORCE_COLOR forces it. */
export function useColor(): boolean {
  const force = process.env["FORCE_COLOR"];
  if (force !== undefined && force !== "" && force !== "0") return true;
  if (process.env["NO_COLOR"] !== undefined && process.env["NO_COLOR"] !== "") return false;
  return process.stdout.isTTY === true;
}

/** Renders diagnostics in their canonical order, each against its own file's text. */
export function renderAll(diagnostics: readonly Diagnostic[], sources: readonly SourceFile[], color: boolean): string {
  const texts = new Map(sources.map((s) => [s.path, s.text]));
  const lookup = (file: string): string | undefined => texts.get(file);
  return renderDiagnostics([...diagnostics].sort(compareDiagnostics), lookup, { color });
}

/** `checked 3 files: 1 error, 0 warnings` */
export function summaryLine(verb: string, files: number, diagnostics: readonly Diagnostic[]): string {
  return `${verb} ${files} file${files === 1 ? "" : "s"}: ${renderSummary(diagnostics)}`;
}

/** Writes to stdout. */
export function print(text: string): void {
  process.stdout.write(text.endsWith("\n") ? text : text + "\n");
}

/** Writes a value as pretty JSON to stdout. */
export function printJson(value: unknown): void {
  print(JSON.stringify(value, null, 2));
}
