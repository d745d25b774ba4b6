/**
 * Syntax colouring from the language's own lexer: every line is tokenized
 * with the same Chevrotain lexer the parser uses, and each token is coloured
 * by its class from `tokenClassOf` (language/lexer/tokens.ts). There is no
 * keyword list here: a keyword added to the language is coloured at once.
 * The only state carried between lines is "inside a block comment".
 */
import type * as Monaco from "monaco-editor/editor";
import * as T from "../../language/lexer/tokens.ts";
import { campaignLexer } from "../../language/parser/parse.ts";

class LineState implements Monaco.languages.IState {
  constructor(readonly inComment: boolean) {}
  clone(): LineState {
    return new LineState(this.inComment);
  }
  equals(other: Monaco.languages.IState): boolean {
    return other instanceof LineState && other.inComment === this.inComment;
  }
}

/** The Monaco token type of a token class (the theme colours these). */
export function scopeOf(cls: T.TokenClass): string {
  return cls === "name" ? "identifier" : cls === "punctuation" ? "delimiter" : cls;
}

interface Piece {
  readonly start: number;
  readonly scope: string;
}

/** Tokens of one line, given whether it starts inside a block comment. */
export function tokenizeLine(line: string, inComment: boolean): { pieces: Piece[]; inComment: boolean } {
  const pieces: Piece[] = [];
  let offset = 0;
  if (inComment) {
    const end = line.indexOf("*/");
    pieces.push({ start: 0, scope: "comment" });
    if (end < 0) return { pieces, inComment: true };
    offset = end + 2;
  }
  const rest = line.slice(offset);
  const lexed = campaignLexer().tokenize(rest);
  const all = [...lexed.tokens, ...(lexed.groups["comments"] ?? [])].sort((a, b) => a.startOffset - b.startOffset);
  const marks: { start: number; end: number; scope: string }[] = [];
  let stillInComment = false;
  for (const t of all) {
    const cls = T.tokenClassOf.get(t.tokenType) ?? "name";
    marks.push({ start: offset + t.startOffset, end: offset + t.startOffset + t.image.length, scope: scopeOf(cls) });
    if (t.tokenType === T.UnterminatedBlockComment) stillInComment = true;
  }
  for (const e of lexed.errors) marks.push({ start: offset + e.offset, end: offset + e.offset + e.length, scope: "invalid" });
  marks.sort((a, b) => a.start - b.start);
  let pos = offset;
  for (const m of marks) {
    if (m.start > pos) pieces.push({ start: pos, scope: "" });
    pieces.push({ start: m.start, scope: m.scope });
    pos = m.end;
  }
  if (pos < line.length) pieces.push({ start: pos, scope: "" });
  return { pieces, inComment: stillInComment };
}

export function campaignTokensProvider(): Monaco.languages.TokensProvider {
  return {
    getInitialState: () => new LineState(false),
    tokenize(line: string, state: Monaco.languages.IState): Monaco.languages.ILineTokens {
      const r = tokenizeLine(line, state instanceof LineState && state.inComment);
      return { tokens: r.pieces.map((p) => ({ startIndex: p.start, scopes: p.scope })), endState: new LineState(r.inComment) };
    },
  };
}

/** Colours per token class; one rule per class that `tokenClassOf` can return. */
export const themeRules: Record<T.TokenClass, string> = {
  keyword: "0b57d0",
  type: "8a3ffc",
  unit: "b35c00",
  name: "1f1f1f",
  string: "a31515",
  number: "098658",
  date: "0f7b6c",
  operator: "5f6368",
  punctuation: "5f6368",
  comment: "6a737d",
  whitespace: "1f1f1f",
  invalid: "d93025",
};
