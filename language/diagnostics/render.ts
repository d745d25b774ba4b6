/**
 * Renders diagnostics as text in the rustc / Cedar style:
 *
 *   error[S004]: unexpected token `audiense`; did you mean `audience`?
 *     --> offers.campaign:2:3
 *      |
 *    2 |   audiense has payroll
 *      |   ^^^^^^^^
 *      = help: ...
 *      = fix: replace with `audience`
 *
 * Pure: no Node built-ins, so the editor can use it in the browser too.
 * Widths follow what a terminal shows: tabs expand to the next multiple of
 * four columns and East Asian wide characters (CJK, full-width forms, most
 * emoji) take two cells, so the carets sit under the characters they mean.
 */
import { LineIndex, type Span } from "../span.ts";
import type { Diagnostic, Severity } from "./diagnostic.ts";

/** Source text for one file, or a lookup that finds the text of any file by its name. */
export type SourceText = string | ((file: string) => string | undefined);

export interface RenderOptions {
  /** Wrap parts in ANSI colour codes (default false). */
  readonly color?: boolean;
}

const TAB_WIDTH = 4;

const ANSI = {
  reset: "\u001b[0m",
  bold: "\u001b[1m",
  red: "\u001b[31m",
  yellow: "\u001b[33m",
  cyan: "\u001b[36m",
  blue: "\u001b[34m",
  green: "\u001b[32m",
} as const;

type Style = (s: string) => string;

interface Palette {
  readonly severity: Style;
  readonly bold: Style;
  readonly gutter: Style;
  readonly secondary: Style;
  readonly fix: Style;
}

function palette(severity: Severity, color: boolean): Palette {
  if (!color) {
    const id: Style = (s) => s;
    return { severity: id, bold: id, gutter: id, secondary: id, fix: id };
  }
  const wrap = (...codes: string[]): Style => (s) => (s === "" ? s : codes.join("") + s + ANSI.reset);
  const sev = severity === "error" ? ANSI.red : severity === "warning" ? ANSI.yellow : ANSI.cyan;
  return { severity: wrap(ANSI.bold, sev), bold: wrap(ANSI.bold), gutter: wrap(ANSI.bold, ANSI.blue), secondary: wrap(ANSI.bold, ANSI.blue), fix: wrap(ANSI.bold, ANSI.green) };
}

/**
 * Renders one diagnostic: header, location, the source line with carets under
 * the span, then `help`, related spans as `note`s (each with its own location
 * and snippet when its source is known) and suggested fixes.
 * `source` is the text of the diagnostic's file, or a lookup by file name
 * (needed to show related spans that lie in other files).
 */
export function renderDiagnostic(d: Diagnostic, source: SourceText, options: RenderOptions = {}): string {
  const p = palette(d.severity, options.color ?? false);
  const textOf = (file: string): string | undefined => (typeof source === "string" ? (file === d.span.file ? source : undefined) : source(file));
  const primaryText = typeof source === "string" ? source : source(d.span.file);
  const related = d.related.map((r) => ({ ...r, text: textOf(r.span.file) }));
  const width = Math.max(2, String(d.span.line).length, ...related.map((r) => String(r.span.line).length));
  const pad = " ".repeat(width);

  const out: string[] = [];
  out.push(`${p.severity(`${d.severity}[${d.code}]`)}${p.bold(`: ${d.message}`)}`);
  out.push(...snippet(d.span, primaryText, width, "^", p.severity, p));
  if (d.help !== undefined) out.push(`${pad} ${p.gutter("=")} ${p.bold("help")}: ${d.help}`);
  for (const fix of d.fixes) out.push(`${pad} ${p.gutter("=")} ${p.fix("fix")}: ${fix.title}`);
  for (const r of related) {
    out.push(`${p.secondary("note")}${p.bold(`: ${r.message}`)}`);
    out.push(...snippet(r.span, r.text, width, "-", p.secondary, p));
  }
  return out.join("\n") + "\n";
}

/** Renders many diagnostics, one blank line apart, each against its own file's text. */
export function renderDiagnostics(diagnostics: readonly Diagnostic[], sources: (file: string) => string | undefined, options: RenderOptions = {}): string {
  return diagnostics.map((d) => renderDiagnostic(d, sources, options)).join("\n");
}

/** Counts by severity, e.g. `2 errors, 1 warning` (infos are added only when present). */
export function renderSummary(diagnostics: readonly Diagnostic[]): string {
  const count = (s: Severity): number => diagnostics.filter((d) => d.severity === s).length;
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;
  const parts = [plural(count("error"), "error"), plural(count("warning"), "warning")];
  const infos = count("info");
  if (infos > 0) parts.push(plural(infos, "info"));
  return parts.join(", ");
}

/** The location line and, when the source is known, the line with its underline. */
function snippet(span: Span, text: string | undefined, width: number, mark: string, markStyle: Style, p: Palette): string[] {
  const pad = " ".repeat(width);
  const location = `${span.file || "<input>"}:${span.line}:${span.column}`;
  const lines = [`${pad}${p.gutter("-->")} ${location}`];
  if (text === undefined) return lines;
  const index = new LineIndex(text);
  if (span.line < 1 || span.line > index.lineCount) return lines;
  const lineText = index.lineText(span.line);
  const startCol = Math.min(Math.max(span.column, 1), lineText.length + 1);
  // A multi-line span is underlined to the end of its first line.
  const endCol = span.endLine > span.line ? lineText.length + 1 : Math.min(Math.max(span.endColumn, startCol), lineText.length + 1);
  const shown = displayLine(lineText);
  const before = displayWidth(lineText, 0, startCol - 1);
  const under = Math.max(1, displayWidth(lineText, startCol - 1, endCol - 1));
  const number = String(span.line).padStart(width);
  lines.push(`${pad} ${p.gutter("|")}`);
  lines.push(`${p.gutter(`${number} |`)} ${shown}`.trimEnd());
  lines.push(`${pad} ${p.gutter("|")} ${" ".repeat(before)}${markStyle(mark.repeat(under))}`);
  return lines;
}

/** The line as it is printed: tabs expanded, control characters made visible. */
function displayLine(line: string): string {
  let out = "";
  let col = 0;
  for (const ch of line) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === "\t") {
      const n = TAB_WIDTH - (col % TAB_WIDTH);
      out += " ".repeat(n);
      col += n;
    } else if (isControl(cp)) {
      out += "\uFFFD";
      col += 1;
    } else {
      out += ch;
      col += charWidth(cp);
    }
  }
  return out;
}

/**
 * Terminal cells taken by line[from, to) (UTF-16 indices) when the line is
 * printed from its start (tab stops depend on what comes before).
 */
function displayWidth(line: string, from: number, to: number): number {
  let col = 0;
  let startCol: number | undefined;
  let i = 0;
  while (i < to && i < line.length) {
    if (startCol === undefined && i >= from) startCol = col;
    const cp = line.codePointAt(i) ?? 0;
    if (cp === 9) col += TAB_WIDTH - (col % TAB_WIDTH);
    else col += isControl(cp) ? 1 : charWidth(cp);
    i += cp > 0xffff ? 2 : 1;
  }
  // Positions past the end of the line (a span at end of line) count one cell each.
  const end = col + Math.max(0, to - i);
  return end - (startCol ?? col + Math.max(0, from - i));
}

function isControl(cp: number): boolean {
  return (cp < 0x20 && cp !== 9) || (cp >= 0x7f && cp < 0xa0);
}

/** Cells a code point takes in a terminal: 0 for combining marks, 2 for East Asian wide, else 1. */
export function charWidth(cp: number): number {
  if ((cp >= 0x0300 && cp <= 0x036f) || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0xfe00 && cp <= 0xfe0f)) return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) || // Hangul Jamo
    (cp >= 0x2e80 && cp <= 0x303e) || // CJK radicals, punctuation
    (cp >= 0x3041 && cp <= 0x33ff) || // kana, CJK compatibility
    (cp >= 0x3400 && cp <= 0x4dbf) || // CJK extension A
    (cp >= 0x4e00 && cp <= 0x9fff) || // CJK unified ideographs
    (cp >= 0xa000 && cp <= 0xa4cf) || // Yi
    (cp >= 0xac00 && cp <= 0xd7a3) || // Hangul syllables
    (cp >= 0xf900 && cp <= 0xfaff) || // CJK compatibility ideographs
    (cp >= 0xfe30 && cp <= 0xfe4f) || // CJK compatibility forms
    (cp >= 0xff00 && cp <= 0xff60) || // full-width forms
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) || // emoji
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd) // CJK extensions B and beyond
  ) {
    return 2;
  }
  return 1;
}
