/**
 * The front end's entry point: text in, AST plus diagnostics out.
 *
 * Architecture invariant: `parse` never throws. Whatever the input (binary
 * junk, a 10 MB file, 10,000 nested parentheses) it returns a SourceFile,
 * possibly with gaps, and diagnostics whose spans lie inside the input.
 */
import { EarlyExitException, EOF, Lexer, type IRecognitionException, type IToken } from "chevrotain";
import type * as A from "../ast.ts";
import type { Diagnostic, RelatedSpan, SuggestedFix } from "../diagnostics/diagnostic.ts";
import { compareDiagnostics } from "../diagnostics/diagnostic.ts";
import { makeDiagnostic } from "../diagnostics/make.ts";
import * as T from "../lexer/tokens.ts";
import { LineIndex, type Span } from "../span.ts";
import { validateStructure } from "../validate/structure.ts";
import { CampaignParser, type UnclosedBrace } from "./grammar.ts";
import { describeToken } from "./errorMessages.ts";
import { closest, editDistance } from "./literals.ts";

export interface ParseResult {
  readonly file: A.SourceFile;
  readonly diagnostics: Diagnostic[];
}

/** Declarations whose syntax tree is deeper than this are refused with S010. */
export const MAX_TREE_DEPTH = 400;

/** The depth of an AST (objects and arrays), measured without recursion, stopping at `limit`. */
function treeDepth(root: unknown, limit: number): number {
  let max = 0;
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (depth > max) max = depth;
    if (max >= limit) return max;
    if (Array.isArray(node)) {
      for (const x of node) if (x !== null && typeof x === "object") stack.push([x, depth + 1]);
    } else if (node !== null && typeof node === "object") {
      for (const [k, v] of Object.entries(node)) if (k !== "span" && v !== null && typeof v === "object") stack.push([v, depth + 1]);
    }
  }
  return max;
}

/** Inputs larger than this are refused with S010 instead of being parsed. */
export const MAX_SOURCE_CHARS = 16 * 1024 * 1024;
/** Deeper nesting of parentheses is refused with S010 (it would exhaust the stack). */
export const MAX_NESTING = 64;
/** At most this many syntax errors are reported per file; the rest are summarised. */
export const MAX_SYNTAX_ERRORS = 100;

let lexerInstance: Lexer | undefined;
let parserInstance: CampaignParser | undefined;

/** The shared lexer (built once; Chevrotain lexers are reusable). */
export function campaignLexer(): Lexer {
  lexerInstance ??= new Lexer(T.allTokens, { positionTracking: "full", ensureOptimizations: false });
  return lexerInstance;
}

/** The shared parser instance (building one runs grammar analysis, so it is reused). */
export function campaignParser(): CampaignParser {
  parserInstance ??= new CampaignParser();
  return parserInstance;
}

const CLAUSE_CONTEXT: Record<string, string> = {
  campaignDecl: "a campaign clause or `}`",
  catalogDecl: "a catalog member or `}`",
  customerMember: "an attribute or `}`",
  eventMember: "a payload field or `}`",
  testClause: "a test step or `}`",
  policyMember: "a policy rule or `}`",
  segmentsDecl: "a segment or `}`",
  variantsClause: "a variant or `}`",
};

/** Parses one .campaign file. */
export function parse(text: string, fileName = ""): ParseResult {
  const index = new LineIndex(text);
  const empty = (diags: Diagnostic[]): ParseResult => ({
    file: { kind: "file", decls: [], comments: [], span: index.span(fileName, 0, text.length) },
    diagnostics: diags,
  });
  if (text.length > MAX_SOURCE_CHARS) {
    return empty([
      makeDiagnostic("S010", `file is too large to parse (${text.length} characters, the limit is ${MAX_SOURCE_CHARS})`, index.span(fileName, 0, 0)),
    ]);
  }
  const diagnostics: Diagnostic[] = [];
  const lexed = campaignLexer().tokenize(text);
  for (const e of mergeLexErrors(lexed.errors)) {
    const bad = text.slice(e.offset, e.offset + e.length);
    const shown = bad.length > 20 ? bad.slice(0, 17) + "..." : bad;
    diagnostics.push(makeDiagnostic("S001", `unexpected character${e.length > 1 ? "s" : ""} \`${printable(shown)}\``, index.span(fileName, e.offset, e.length)));
  }
  const comments: A.Comment[] = [];
  for (const c of lexed.groups["comments"] ?? []) {
    const span = index.span(fileName, c.startOffset, c.image.length);
    if (c.tokenType === T.UnterminatedBlockComment) {
      diagnostics.push(makeDiagnostic("S003", "block comment is not closed: add `*/`", index.span(fileName, c.startOffset, 2), { fixes: [insertAtEnd(index, fileName, text, " */")] }));
    }
    comments.push({ text: c.image, span, block: c.tokenType !== T.LineComment });
    reportHiddenCharacters(c.image, c.startOffset, index, fileName, diagnostics);
  }
  const tokens = lexed.tokens;
  let depth = 0;
  let prefixRun = 0;
  for (const t of tokens) {
    if (t.tokenType === T.StringLiteral || t.tokenType === T.UnterminatedString || t.tokenType === T.QuotedName) {
      reportHiddenCharacters(t.image, t.startOffset, index, fileName, diagnostics);
    }
    if (t.tokenType === T.UnterminatedString) {
      diagnostics.push(makeDiagnostic("S002", "string is not closed: add `\"` before the end of the line", index.span(fileName, t.startOffset, t.image.length), {
        fixes: [{ title: "close the string", edits: [{ span: index.span(fileName, t.startOffset + t.image.length, 0), newText: '"' }] }],
      }));
      // Reported once, here: the parser then takes it for the string it was meant to be,
      // so a missing quote does not also give "expected a string" at the same place.
      t.tokenType = T.StringLiteral;
      t.tokenTypeIdx = T.StringLiteral.tokenTypeIdx ?? t.tokenTypeIdx;
    }
    if (t.tokenType === T.LParen || t.tokenType === T.LCurly || t.tokenType === T.LBracket) depth++;
    else if (t.tokenType === T.RParen || t.tokenType === T.RCurly || t.tokenType === T.RBracket) depth = Math.max(0, depth - 1);
    prefixRun = t.tokenType === T.Not || t.tokenType === T.Minus ? prefixRun + 1 : 0;
    if (depth > MAX_NESTING || prefixRun > MAX_NESTING) {
      diagnostics.push(makeDiagnostic("S010", `nesting is too deep (more than ${MAX_NESTING} levels): simplify the expression`, index.span(fileName, t.startOffset, t.image.length)));
      return empty(diagnostics.sort(compareDiagnostics));
    }
  }

  const parser = campaignParser();
  parser.fileName = fileName;
  parser.literalProblems = [];
  parser.unclosedBraces = [];
  parser.messages.reset();
  parser.input = tokens;
  const decls: A.TopDecl[] = [];
  const errors: IRecognitionException[] = [];
  try {
    // With recovery on, a top-level failure yields undefined rather than a list, and
    // the parser skips to the end of the file. A stray word between declarations
    // would then hide every later declaration: parse again from the next one.
    let input = tokens;
    for (;;) {
      parser.input = input;
      const got = parser.file() ?? [];
      decls.push(...got);
      errors.push(...parser.errors);
      const stop = parser.errors.find((e) => parser.messages.expectedAt.get(e.token)?.includes(EOF));
      const at = stop ? input.indexOf(stop.token) : -1;
      const next = at < 0 ? -1 : input.findIndex((t, i) => i > at && TOP_LEVEL_STARTS.has(t.tokenType));
      const resume = input[next];
      // Resume only if recovery did not already read that declaration.
      if (!resume || got.some((d) => d.span.offset >= resume.startOffset)) break;
      input = input.slice(next);
    }
  } catch (e) {
    // Stack exhaustion on pathological input: report, keep nothing.
    const first = tokens[0];
    diagnostics.push(makeDiagnostic("S010", `input is too deeply nested to parse (${e instanceof RangeError ? "stack exhausted" : String(e)})`, first ? index.span(fileName, first.startOffset, first.image.length) : index.span(fileName, 0, 0)));
    return empty(diagnostics.sort(compareDiagnostics));
  }

  const seen = new Set<number>();
  let reported = 0;
  const unclosed = errors.length > 0 ? unclosedNotes(parser.unclosedBraces, tokens, index, fileName) : () => undefined;
  for (const err of errors) {
    const span = errorSpan(err, tokens, index, fileName, text);
    if (seen.has(span.offset)) continue;
    seen.add(span.offset);
    if (++reported > MAX_SYNTAX_ERRORS) {
      diagnostics.push(makeDiagnostic("S004", `too many syntax errors; ${errors.length - MAX_SYNTAX_ERRORS} more not shown`, span));
      break;
    }
    const d = syntaxDiagnostic(err, span, parser.messages.expectedAt.get(err.token), startsLine(err.token, tokens));
    const note = unclosed(err.token);
    diagnostics.push(note ? { ...d, related: [...d.related, note] } : d);
  }
  for (const p of parser.literalProblems) {
    const span = parser.tokSpan(p.token);
    // An escape's fix replaces the escape, not the whole string.
    const escape = p.code === "S009" && p.fix ? badEscapeAt(p.token.image, p.fix.slice(1)) : -1;
    const editSpan = escape >= 0 ? index.span(fileName, p.token.startOffset + escape, (p.fix ?? "").length - 1) : span;
    const fixes: SuggestedFix[] = p.fix ? [{ title: `replace with \`${p.fix}\``, edits: [{ span: editSpan, newText: p.fix }] }] : [];
    diagnostics.push(makeDiagnostic(p.code, p.message + (p.fix ? `; did you mean \`${p.fix}\`?` : ""), span, { fixes }));
  }
  parser.input = [];
  // A chain such as `a and b and ... ` thousands long parses (iteratively) into a
  // tree as deep as the chain; recursive consumers (checker, formatter, JSON,
  // structured clone to a web worker) would exhaust the stack. Such a
  // declaration is refused here, with a located S010, instead.
  const kept: A.TopDecl[] = [];
  for (const d of decls) {
    const depth = treeDepth(d, MAX_TREE_DEPTH + 1);
    if (depth > MAX_TREE_DEPTH) {
      diagnostics.push(makeDiagnostic("S010", `this declaration nests too deeply (more than ${MAX_TREE_DEPTH} levels, e.g. a chain of thousands of \`and\`s): split it, for example into named segments`, d.name?.span ?? d.span));
    } else kept.push(d);
  }
  decls.length = 0;
  decls.push(...kept);
  const file: A.SourceFile = { kind: "file", decls, comments, span: index.span(fileName, 0, text.length) };
  diagnostics.push(...validateStructure(file));
  return { file, diagnostics: diagnostics.sort(compareDiagnostics) };
}

/**
 * The related span for a syntax error at `token` that leaves a block open:
 * the `{` a missing `}` would close, "never closed".
 *
 * The parser records, for each token where it expected a `}`, the `{` of the
 * block it was in; when several blocks are left open at one token (the file
 * ends inside nested blocks), the innermost comes first and is named. The
 * diagnostic shown at that token gets the note, even when another error there
 * (such as a missing value) is the one reported. Recovery can also skip a
 * block's real `}` (after stray tokens), so a note is given only when the
 * braces of the file really do not balance: some `{` open at that point is
 * matched by no `}` later on. Which block lacks its `}` is the parser's view,
 * the count only confirms that one does.
 *
 * When the file ends inside a block but the parser gave up on it without
 * asking for its `}` (an unfinished clause at the end), the error at the end
 * of the file names the innermost `{` that the count leaves open.
 */
function unclosedNotes(missing: readonly UnclosedBrace[], tokens: readonly IToken[], index: LineIndex, fileName: string): (token: IToken | undefined) => RelatedSpan | undefined {
  // The `{`s that no `}` matches, counting braces only, outermost first.
  const open: IToken[] = [];
  for (const t of tokens) {
    if (t.tokenType === T.LCurly) open.push(t);
    else if (t.tokenType === T.RCurly) open.pop();
  }
  const firstUnmatched = open[0];
  const lastUnmatched = open[open.length - 1];
  if (!firstUnmatched || !lastUnmatched) return () => undefined;
  const note = (brace: IToken): RelatedSpan => ({ span: index.span(fileName, brace.startOffset, brace.image.length), message: "this `{` is never closed" });
  const atEnd = (t: IToken): boolean => t.tokenType === EOF || Number.isNaN(t.startOffset);
  const notes = new Map<IToken, RelatedSpan>();
  for (const m of missing) {
    if (notes.has(m.at) || m.open.tokenType !== T.LCurly || Number.isNaN(m.open.startOffset)) continue;
    if (!atEnd(m.at) && m.at.startOffset < firstUnmatched.startOffset) continue;
    notes.set(m.at, note(m.open));
  }
  return (token) => (token === undefined ? undefined : (notes.get(token) ?? (atEnd(token) ? note(lastUnmatched) : undefined)));
}

/** Tokens that start a top-level declaration: where parsing resumes after a stray word. */
const TOP_LEVEL_STARTS = new Set([T.Catalog, T.Campaign, T.Segments]);

/** True when `token` is the first token on its line (so the line before may hold an unfinished clause). */
function startsLine(token: IToken | undefined, tokens: readonly IToken[]): boolean {
  if (!token) return false;
  const i = tokens.indexOf(token);
  const prev = i > 0 ? tokens[i - 1] : undefined;
  return prev !== undefined && (prev.endLine ?? 0) < (token.startLine ?? 0);
}

/** Offset in a string token's image of the first invalid escape `escape` (such as `\\q`), or -1. */
function badEscapeAt(image: string, escape: string): number {
  for (let i = 0; i < image.length; i++) {
    if (image[i] !== "\\") continue;
    if (image.startsWith(escape, i)) return i;
    i++; // skip the escaped character
  }
  return -1;
}

function printable(s: string): string {
  return [...s].map((c) => ((c.codePointAt(0) ?? 0) < 0x20 || c === "`" ? `\\u{${(c.codePointAt(0) ?? 0).toString(16)}}` : c)).join("");
}

function insertAtEnd(index: LineIndex, fileName: string, text: string, newText: string): SuggestedFix {
  return { title: `insert \`${newText.trim()}\``, edits: [{ span: index.span(fileName, text.length, 0), newText }] };
}

/** Joins adjacent lexer errors (one per bad character) into one per run. */
function mergeLexErrors(errors: { offset: number; length: number }[]): { offset: number; length: number }[] {
  const out: { offset: number; length: number }[] = [];
  for (const e of errors) {
    const last = out[out.length - 1];
    if (last && last.offset + last.length === e.offset) last.length += e.length;
    else out.push({ offset: e.offset, length: e.length });
  }
  return out;
}

/** Where a parse error points: the offending token, or the end of the previous token at end of file. */
function errorSpan(err: IRecognitionException, tokens: IToken[], index: LineIndex, fileName: string, text: string): Span {
  const t = err.token;
  if (t && t.tokenType !== EOF && !Number.isNaN(t.startOffset)) return index.span(fileName, t.startOffset, t.image.length);
  const prev = (err as IRecognitionException & { previousToken?: IToken }).previousToken ?? tokens[tokens.length - 1];
  if (prev && !Number.isNaN(prev.startOffset)) return index.span(fileName, prev.startOffset + prev.image.length, 0);
  return index.span(fileName, text.length, 0);
}

function syntaxDiagnostic(err: IRecognitionException, span: Span, expected: readonly import("chevrotain").TokenType[] | undefined, firstOnLine: boolean): Diagnostic {
  const code = err instanceof EarlyExitException || err.name === "EarlyExitException" ? "S005" : "S004";
  let message = err.message;
  const ruleStack = err.context?.ruleStack ?? [];
  const rule = ruleStack[ruleStack.length - 1] ?? "";
  const ctx = CLAUSE_CONTEXT[rule];
  if (ctx && expected && expected.length === 1 && expected[0] === T.RCurly) {
    message = `expected ${ctx}, found ${describeToken(err.token)}`;
  }
  const fixes: SuggestedFix[] = [];
  const image = err.token?.image ?? "";
  // A clause keyword at the start of a line most likely begins the next clause: the
  // clause before it is unfinished, and writing the keyword in backticks would not help.
  if (firstOnLine && CLAUSE_WORDS.has(image)) {
    return makeDiagnostic(code, message, span, { help: `\`${image}\` starts a new clause here: is the one before it complete?` });
  }
  if (expected?.includes(T.Name) && T.hardKeywords.includes(image)) {
    return makeDiagnostic(code, `${message}: \`${image}\` is a reserved word`, span, {
      fixes: [{ title: `write \`\`${image}\`\` to use it as a name`, edits: [{ span, newText: `\`${image}\`` }] }],
      help: `reserved words can be used as names when written in backticks: \`\`${image}\`\``,
    });
  }
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(image)) {
    const expectedWords = (expected ?? []).map((t) => [...T.keywordTokens.entries()].find(([, tok]) => tok === t)?.[0]).filter((w): w is string => w !== undefined);
    const clauseWords = ctx ? [...CLAUSE_STARTERS[rule] ?? []] : [];
    // A word that fits here wins, unless another keyword is strictly closer
    // (`unles` after a wave is `unless`, though the campaign expects a clause).
    const local = closest(image, [...expectedWords, ...clauseWords]);
    const global = closest(image, T.hardKeywords);
    const suggestion = local && (!global || editDistance(image, local) <= editDistance(image, global)) ? local : (global ?? local);
    if (suggestion && suggestion !== image) {
      message += `; did you mean \`${suggestion}\`?`;
      fixes.push({ title: `replace with \`${suggestion}\``, edits: [{ span, newText: suggestion }] });
    }
  }
  return makeDiagnostic(code, message, span, { fixes });
}

/** First keywords of the items a block can hold, for suggestions when a block sees an unknown word. */
const CLAUSE_STARTERS: Record<string, string[]> = {
  campaignDecl: ["uses", "window", "priority", "audience", "exclude", "trigger", "goal", "exit", "waves", "benefit", "cap", "when", "budget", "holdout", "variants", "policy", "segment", "test"],
  catalogDecl: ["timezone", "currency", "customer", "tag", "event", "channel", "benefit", "contact", "segment"],
  testClause: ["given", "at", "event", "update", "expect"],
  policyMember: ["at", "exclude"],
  segmentsDecl: ["uses", "segment"],
};

/** Every word that starts a clause or member of some block. */
const CLAUSE_WORDS = new Set(Object.values(CLAUSE_STARTERS).flat());

/**
 * Characters that change how text *looks* without being visible: bidirectional
 * overrides and isolates ("Trojan Source"), and control characters. In a file
 * that a bank reviews before launch, what a reviewer sees must be what runs, so
 * each is an error (S018) with a fix that writes it as a visible escape.
 */
const HIDDEN = /[\u202A-\u202E\u2066-\u2069\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

function reportHiddenCharacters(image: string, start: number, index: LineIndex, fileName: string, out: Diagnostic[]): void {
  HIDDEN.lastIndex = 0;
  let m: RegExpExecArray | null;
  let count = 0;
  while ((m = HIDDEN.exec(image)) !== null && count < 10) {
    count++;
    const code = (m[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0");
    const span = index.span(fileName, start + m.index, 1);
    const inString = image.startsWith('"');
    out.push(
      makeDiagnostic("S018", `invisible character U+${code} ${Number.parseInt(code, 16) >= 0x2000 ? "(a bidirectional control) " : ""}in the source: it can make the text read differently from what runs`, span, {
        fixes: inString ? [{ title: `write it as \`\\u{${code.toLowerCase()}}\``, edits: [{ span, newText: `\\u{${code.toLowerCase()}}` }] }] : [{ title: "remove it", edits: [{ span, newText: "" }] }],
      }),
    );
  }
}
