/**
 * The line model of the formatter.
 *
 * The printer turns the AST into a list of output lines. Each line carries an
 * *anchor*: the range of source offsets (and source lines) its content came
 * from. Comments are then placed by comparing their offsets with the anchors
 * (see `placeComments`), which needs no knowledge of the grammar:
 *
 *  - a comment after a line's anchor, on the same source line, and before
 *    the next line's anchor is a *trailing* comment of that line;
 *  - a comment inside a line's anchor (for example between two operands of a
 *    one-line expression) is *hoisted* onto its own line before that line;
 *  - any other comment is a *leading* comment of the next line, on its own
 *    line; comments after the last line end the file.
 *
 * Output lines are in source order (anchors never overlap and their starts
 * increase), so placement is a binary search per comment.
 */
import type { Comment } from "../ast.ts";
import type { Span } from "../span.ts";

/** Where a line's content came from in the source. */
export interface Anchor {
  readonly start: number;
  readonly end: number;
  readonly startLine: number;
  readonly endLine: number;
}

/** Whether a blank line may precede a line (or the comments before it). */
export type BlankRule =
  /** Always one blank line before the first thing of this line's run (top-level declarations). */
  | "force"
  /** One blank line if the source had at least one there. */
  | "keep"
  /** Never a blank line. */
  | "never";

export interface Line {
  readonly indent: number;
  readonly text: string;
  readonly anchor: Anchor;
  readonly blank: BlankRule;
  /** Whether comments placed before this line keep a blank line from the source. */
  readonly commentBlank: boolean;
  /** Indentation of comments placed before this line (a closing `}` indents them like the block's items). */
  readonly commentIndent: number;
  /** The line opens a block: no blank line directly after it. */
  readonly opens: boolean;
}

/** The anchor of a span, or from the start of one span to the end of another. */
export function anchorOf(from: Span, to: Span = from): Anchor {
  return { start: from.offset, end: to.offset + to.length, startLine: from.line, endLine: to.endLine };
}

/** The anchor of the first `length` characters of a span (a leading keyword). */
export function anchorHead(span: Span, length: number): Anchor {
  return { start: span.offset, end: span.offset + Math.min(length, span.length), startLine: span.line, endLine: span.line };
}

/** The anchor of the last character of a span (a closing `}`). */
export function anchorTail(span: Span): Anchor {
  const end = span.offset + span.length;
  return { start: Math.max(span.offset, end - 1), end, startLine: span.endLine, endLine: span.endLine };
}

interface Placement {
  readonly leading: Comment[][];
  readonly trailing: Comment[][];
  readonly atEnd: Comment[];
}

/** Assigns every comment to exactly one place: before a line, after a line, or at the end of the file. */
export function placeComments(lines: readonly Line[], comments: readonly Comment[]): Placement {
  const leading: Comment[][] = lines.map(() => []);
  const trailing: Comment[][] = lines.map(() => []);
  const atEnd: Comment[] = [];
  const sorted = [...comments].sort((a, b) => a.span.offset - b.span.offset);
  for (const c of sorted) {
    const o = c.span.offset;
    // The last line whose anchor starts at or before the comment.
    let lo = 0;
    let hi = lines.length - 1;
    let prev = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const l = lines[mid];
      if (l && l.anchor.start <= o) {
        prev = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    const p = prev >= 0 ? lines[prev] : undefined;
    if (p && o < p.anchor.end) {
      leading[prev]?.push(c);
    } else if (p && c.span.line === p.anchor.endLine) {
      trailing[prev]?.push(c);
    } else if (prev + 1 < lines.length) {
      leading[prev + 1]?.push(c);
    } else atEnd.push(c);
  }
  return { leading, trailing, atEnd };
}

/** Renders lines with their comments to text (`\n` line ends, a final newline unless empty). */
export function renderLines(lines: readonly Line[], comments: readonly Comment[]): string {
  const { leading, trailing, atEnd } = placeComments(lines, comments);
  const out: string[] = [];
  let prevEnd: number | undefined;
  let afterOpen = true;
  const emitBlank = (wanted: boolean): void => {
    if (wanted && !afterOpen && out.length > 0) out.push("");
  };
  const gap = (startLine: number): boolean => prevEnd !== undefined && startLine - prevEnd >= 2;
  const emitComment = (c: Comment, indent: number): void => {
    out.push(" ".repeat(indent) + c.text);
    prevEnd = c.span.endLine;
    afterOpen = false;
  };
  lines.forEach((line, i) => {
    let first = true;
    for (const c of leading[i] ?? []) {
      emitBlank((first && line.blank === "force") || (line.commentBlank && gap(c.span.line)));
      emitComment(c, line.commentIndent);
      first = false;
    }
    emitBlank((first && line.blank === "force") || (line.blank !== "never" && gap(line.anchor.startLine)));
    let text = " ".repeat(line.indent) + line.text;
    let end = line.anchor.endLine;
    for (const c of trailing[i] ?? []) {
      text += " " + c.text;
      end = Math.max(end, c.span.endLine);
    }
    out.push(text);
    prevEnd = end;
    afterOpen = line.opens;
  });
  for (const c of atEnd) {
    emitBlank(gap(c.span.line));
    emitComment(c, 0);
  }
  return out.length === 0 ? "" : out.join("\n") + "\n";
}
