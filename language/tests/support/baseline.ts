/**
 * Error baselines in the style of the TypeScript compiler's
 * `tests/baselines/reference/*.errors.txt`: one block per diagnostic,
 *
 *   invalid/missing_brace.campaign:4:1 S004 error: expected ..., found `campaign`
 *     campaign second {
 *     ~~~~~~~~
 *     = fix: replace with `...`
 *
 * the header gives file, 1-based line and column (UTF-16 units, as the Span
 * does), code, severity and message; then every source line the span covers
 * (at most MAX_SPAN_LINES) with `~` under exactly the characters of the span.
 * A reviewer sees at a glance whether the location is right.
 *
 * The source line is shown so that it reads the same in any editor: tabs are
 * kept (and the underline puts a tab under a tab, so both line up whatever
 * the tab width), wide CJK characters get two marks, and invisible or
 * dangerous characters (controls, bidirectional overrides, zero-width ones)
 * are shown as `<U+202E>` so that a hostile input cannot hide in the file.
 * A zero-length span (an insertion point) is marked with a single `~`.
 */
import type { Diagnostic } from "../../diagnostics/diagnostic.ts";
import { charWidth } from "../../diagnostics/render.ts";
import { LineIndex, type Span } from "../../span.ts";

/** Spans longer than this many lines show their first lines and a `...` line. */
export const MAX_SPAN_LINES = 3;

/** The text the baseline shows for no diagnostics at all. */
export const NO_DIAGNOSTICS = "(no diagnostics)\n";

/** One displayed piece of a source line: a code point as shown, and the UTF-16 range it came from. */
interface Piece {
  readonly from: number;
  readonly to: number;
  readonly text: string;
  /** Cells the piece takes; tabs are handled separately. */
  readonly width: number;
  readonly tab: boolean;
}

/** Code points that would be invisible or would reorder text if printed raw. */
export function isHidden(cp: number): boolean {
  return (
    (cp < 0x20 && cp !== 9) ||
    (cp >= 0x7f && cp < 0xa0) ||
    (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0x2028 && cp <= 0x202e) ||
    (cp >= 0x2060 && cp <= 0x2069) ||
    cp === 0xfeff ||
    (cp >= 0xd800 && cp <= 0xdfff)
  );
}

function pieces(line: string): Piece[] {
  const out: Piece[] = [];
  let i = 0;
  while (i < line.length) {
    const cp = line.codePointAt(i) ?? 0;
    const len = cp > 0xffff ? 2 : 1;
    if (cp === 9) out.push({ from: i, to: i + 1, text: "\t", width: 0, tab: true });
    else if (isHidden(cp)) {
      const text = `<U+${cp.toString(16).toUpperCase().padStart(4, "0")}>`;
      out.push({ from: i, to: i + len, text, width: text.length, tab: false });
    } else out.push({ from: i, to: i + len, text: line.slice(i, i + len), width: charWidth(cp), tab: false });
    i += len;
  }
  return out;
}

/** A source line as the baseline shows it. */
export function displayLine(line: string): string {
  return pieces(line)
    .map((p) => p.text)
    .join("");
}

/**
 * The underline for UTF-16 columns [from, to) of `line` (0-based): blanks
 * (and tabs) under what comes before, `~` under the span, at least one `~`.
 */
export function underline(line: string, from: number, to: number): string {
  let prefix = "";
  let marks = "";
  for (const p of pieces(line)) {
    if (p.to <= from) prefix += p.tab ? "\t" : " ".repeat(p.width);
    else if (p.from < to) marks += "~".repeat(p.tab ? 1 : Math.max(1, p.width));
  }
  // A span that runs past the end of the line (its line break) or sits at the end.
  const pastEnd = Math.max(0, to - Math.max(from, line.length));
  marks += "~".repeat(pastEnd);
  if (from > line.length) prefix += " ".repeat(from - line.length);
  return prefix + (marks === "" ? "~" : marks);
}

/** The lines of one diagnostic's block, without indentation for the source part. */
function sourceLines(span: Span, index: LineIndex): string[] {
  const out: string[] = [];
  const last = Math.min(span.endLine, span.line + MAX_SPAN_LINES - 1);
  for (let ln = span.line; ln <= last; ln++) {
    const text = index.lineText(ln);
    const from = ln === span.line ? span.column - 1 : 0;
    const to = ln === span.endLine ? span.endColumn - 1 : text.length;
    // A multi-line span's middle and end lines: underline only the non-blank part.
    const start = ln === span.line ? from : Math.min(text.length - text.trimStart().length, to);
    if (ln > span.line && to <= start) continue;
    out.push(`  ${displayLine(text)}`.trimEnd());
    out.push(`  ${underline(text, start, Math.max(to, start))}`);
  }
  if (span.endLine > last) out.push("  ...");
  return out;
}

function position(span: Span, from: Span): string {
  return span.file === from.file ? `${span.line}:${span.column}` : `${span.file}:${span.line}:${span.column}`;
}

/**
 * Renders diagnostics (all in the one file whose text is `text`) as a
 * baseline. Diagnostics are printed in the order given; callers sort them
 * (parse already returns them in `compareDiagnostics` order).
 */
export function renderBaseline(diagnostics: readonly Diagnostic[], text: string): string {
  if (diagnostics.length === 0) return NO_DIAGNOSTICS;
  const index = new LineIndex(text);
  const blocks = diagnostics.map((d) => {
    const s = d.span;
    const lines = [`${s.file}:${s.line}:${s.column} ${d.code} ${d.severity}: ${d.message}`, ...sourceLines(s, index)];
    if (d.help !== undefined) lines.push(`  = help: ${d.help}`);
    for (const r of d.related) lines.push(`  = note: ${r.message} (${position(r.span, s)})`);
    for (const f of d.fixes) {
      const edits = f.edits.map((e) => `${position(e.span, s)} ${JSON.stringify(e.newText)}`).join(", ");
      lines.push(`  = fix: ${f.title} [${edits}]`);
    }
    return lines.join("\n");
  });
  return `${blocks.join("\n\n")}\n`;
}
