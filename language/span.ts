/**
 * Source locations. Every AST node and every diagnostic carries a Span.
 * Lines and columns are 1-based; columns count UTF-16 code units (what
 * JavaScript strings and Monaco use). `offset` and `length` are in UTF-16
 * code units from the start of the file.
 */
export interface Span {
  /** Path or URI of the file the span lies in ("" when unknown). */
  readonly file: string;
  readonly offset: number;
  readonly length: number;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

/** A span of length zero at the start of a file, for file-level diagnostics. */
export function fileStartSpan(file: string): Span {
  return { file, offset: 0, length: 0, line: 1, column: 1, endLine: 1, endColumn: 1 };
}

/** The smallest span covering both `a` and `b` (which must be in the same file). */
export function joinSpans(a: Span, b: Span): Span {
  const first = a.offset <= b.offset ? a : b;
  const aEnd = a.offset + a.length;
  const bEnd = b.offset + b.length;
  const last = aEnd >= bEnd ? a : b;
  return {
    file: a.file,
    offset: first.offset,
    length: Math.max(aEnd, bEnd) - first.offset,
    line: first.line,
    column: first.column,
    endLine: last.endLine,
    endColumn: last.endColumn,
  };
}

/**
 * Maps offsets to line/column positions for one text. Built once per file;
 * lookups are a binary search over line starts.
 */
export class LineIndex {
  private readonly lineStarts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13 && text.charCodeAt(i + 1) !== 10) starts.push(i + 1);
    }
    this.lineStarts = starts;
  }

  /** 1-based line and column of an offset (clamped into the text). */
  position(offset: number): { line: number; column: number } {
    const off = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.lineStarts[mid] ?? 0) <= off) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: off - (this.lineStarts[lo] ?? 0) + 1 };
  }

  /** The text of a 1-based line, without its line terminator. */
  lineText(line: number): string {
    const start = this.lineStarts[line - 1];
    if (start === undefined) return "";
    const next = this.lineStarts[line];
    let end = next === undefined ? this.text.length : next;
    while (end > start && (this.text.charCodeAt(end - 1) === 10 || this.text.charCodeAt(end - 1) === 13)) end--;
    return this.text.slice(start, end);
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** A span for [offset, offset+length) in `file`. */
  span(file: string, offset: number, length: number): Span {
    const len = Math.max(0, Math.min(length, this.text.length - Math.min(offset, this.text.length)));
    const start = this.position(offset);
    const end = this.position(offset + len);
    return { file, offset, length: len, line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
  }
}
