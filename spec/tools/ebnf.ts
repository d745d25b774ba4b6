/**
 * Prints the grammar of .campaign files as EBNF (W3C notation: `::=`, `|`,
 * `?`, `*`, `+`, `( )`, slash-star comments) from the Chevrotain GAST of the
 * shared parser, so spec/grammar.ebnf can never drift from the parser.
 *
 * - one production per parser rule, in the order the rules are defined;
 * - keywords and punctuation as quoted terminals (`"campaign"`, `"{"`);
 * - token classes (names, literals) by their token name (`Name`,
 *   `NumberLiteral`), described with their patterns in a lexical section;
 * - token categories (`DurationUnit`, `CompareOp`, `WeekdayName`, ...) by
 *   name, with a comment listing their members.
 *
 * Semantic gates (such as "a currency is three capital letters") are not part
 * of the GAST; spec/language.md describes them.
 */
import {
  Lexer,
  Alternation,
  Alternative,
  NonTerminal,
  Option,
  Repetition,
  RepetitionMandatory,
  RepetitionMandatoryWithSeparator,
  RepetitionWithSeparator,
  Rule,
  Terminal,
  type IProduction,
  type TokenType,
} from "chevrotain";

/** Where long right-hand sides are broken. */
const WIDTH = 100;

/** What the printer needs to know about the tokens. */
export interface TokenVocabulary {
  /** Every token type of the lexer (categories included). */
  readonly tokens: readonly TokenType[];
  /** Keyword spellings by token (quoted in the output). */
  readonly keywordOf: ReadonlyMap<TokenType, string>;
  /** Spellings of soft keywords, which are also accepted as names. */
  readonly softKeywords: ReadonlySet<string>;
}

/** A token written literally in the source: a keyword or a fixed punctuation/operator string. */
function fixedSpelling(t: TokenType, vocab: TokenVocabulary): string | undefined {
  const kw = vocab.keywordOf.get(t);
  if (kw !== undefined) return kw;
  return typeof t.PATTERN === "string" ? t.PATTERN : undefined;
}

function quote(s: string): string {
  return s.includes('"') ? `'${s}'` : `"${s}"`;
}

/** How a terminal is written in a production. */
function terminalText(t: TokenType, vocab: TokenVocabulary): string {
  const fixed = fixedSpelling(t, vocab);
  return fixed !== undefined && !isCategory(t, vocab) ? quote(fixed) : t.name;
}

/** Tokens that other tokens list among their CATEGORIES. */
function membersOf(category: TokenType, vocab: TokenVocabulary): TokenType[] {
  return vocab.tokens.filter((t) => t !== category && (t.CATEGORIES ?? []).includes(category));
}

function isCategory(t: TokenType, vocab: TokenVocabulary): boolean {
  return membersOf(t, vocab).length > 0;
}

// ------------------------------------------------------------- layout

/** Productions of a sequence, as printed items. */
function seq(items: readonly IProduction[], vocab: TokenVocabulary): string[] {
  return items.map((p) => inline(p, vocab));
}

function group(items: string[]): string {
  return items.length === 1 && isAtomic(items[0] ?? "") ? (items[0] ?? "") : `( ${items.join(" ")} )`;
}

/** True when `s` needs no parentheses before a postfix operator. */
function isAtomic(s: string): boolean {
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(s) || /^"[^"]*"$/.test(s) || /^'[^']*'$/.test(s)) return true;
  if (!s.startsWith("(") || !s.endsWith(")")) return false;
  // One balanced group, not `( a ) ( b )`.
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '"' || c === "'") {
      i = s.indexOf(c, i + 1);
      continue;
    }
    if (c === "(") depth++;
    else if (c === ")") {
      depth--;
      if (depth === 0 && i < s.length - 1) return false;
    }
  }
  return true;
}

/** The sequence an alternative of a choice stands for. */
function alternativeItems(a: IProduction): readonly IProduction[] {
  return a instanceof Alternative ? a.definition : [a];
}

function alternatives(alts: readonly IProduction[], vocab: TokenVocabulary): string[] {
  return alts.map((a) => (a instanceof Alternative ? seq(a.definition, vocab).join(" ") : inline(a, vocab)) || "/* empty */");
}

/** One production on one line. */
function inline(p: IProduction, vocab: TokenVocabulary): string {
  if (p instanceof Terminal) return terminalText(p.terminalType, vocab);
  if (p instanceof NonTerminal) return p.nonTerminalName;
  if (p instanceof Option) return `${group(seq(p.definition, vocab))}?`;
  if (p instanceof Repetition) return `${group(seq(p.definition, vocab))}*`;
  if (p instanceof RepetitionMandatory) return `${group(seq(p.definition, vocab))}+`;
  if (p instanceof RepetitionMandatoryWithSeparator || p instanceof RepetitionWithSeparator) {
    const body = seq(p.definition, vocab);
    const item = body.join(" ");
    const sep = terminalText(p.separator, vocab);
    const list = `${item} ( ${sep} ${item} )*`;
    return p instanceof RepetitionWithSeparator ? `( ${list} )?` : list;
  }
  if (p instanceof Alternation) return `( ${alternatives(p.definition, vocab).join(" | ")} )`;
  if (p instanceof Alternative) return seq(p.definition, vocab).join(" ");
  throw new Error(`unknown GAST production ${p.constructor.name}`);
}

/**
 * The right-hand side of a rule. A top-level choice puts one alternative per
 * line; a long sequence is broken between items, and a long item that is a
 * choice puts its alternatives on lines of their own.
 */
function rightHandSide(rule: Rule, vocab: TokenVocabulary, indent: string): string {
  const only = rule.definition.length === 1 ? rule.definition[0] : undefined;
  if (only instanceof Alternation) {
    return only.definition.map((a) => layoutSeq(alternativeItems(a), vocab, indent + "  ")).join(`\n${indent}| `);
  }
  return layoutSeq(rule.definition, vocab, indent + "  ");
}

function layoutSeq(items: readonly IProduction[], vocab: TokenVocabulary, indent: string): string {
  const one = seq(items, vocab).join(" ") || "/* empty */";
  if (indent.length + one.length <= WIDTH) return one;
  const lines: string[] = [];
  let current = "";
  for (const p of items) {
    let text = inline(p, vocab);
    if (indent.length + text.length > WIDTH) text = layoutLong(p, vocab, indent);
    if (current !== "" && (text.includes("\n") || indent.length + current.length + 1 + text.length > WIDTH)) {
      lines.push(current);
      current = text;
    } else current = current === "" ? text : `${current} ${text}`;
  }
  if (current !== "") lines.push(current);
  return lines.join(`\n${indent}`);
}

/** An item too long for one line: choices one alternative per line, groups broken inside. */
function layoutLong(p: IProduction, vocab: TokenVocabulary, indent: string): string {
  const inner = indent + "    ";
  const suffix = p instanceof Option ? "?" : p instanceof Repetition ? "*" : p instanceof RepetitionMandatory ? "+" : "";
  if (p instanceof Alternation) {
    return `( ${p.definition.map((a) => layoutSeq(alternativeItems(a), vocab, inner)).join(`\n${indent}| `)}\n${indent})`;
  }
  if (suffix !== "") {
    const def = (p as Option).definition;
    const only = def.length === 1 ? def[0] : undefined;
    if (only instanceof Alternation) return `${layoutLong(only, vocab, indent)}${suffix}`;
    return `( ${layoutSeq(def, vocab, indent + "  ")}\n${indent})${suffix}`;
  }
  return inline(p, vocab);
}

// ------------------------------------------------------------- sections

/** One production per rule, in definition order. */
export function productions(rules: readonly Rule[], vocab: TokenVocabulary): string {
  const width = Math.max(...rules.map((r) => r.name.length));
  return rules
    .map((r) => {
      const head = `${r.name.padEnd(width)} ::= `;
      return head + rightHandSide(r, vocab, " ".repeat(width + 2));
    })
    .join("\n");
}

/** Comments listing the members of each token category used by the grammar. */
export function categories(used: readonly TokenType[], vocab: TokenVocabulary): string {
  return used
    .filter((t) => isCategory(t, vocab))
    .map((cat) => {
      const members = membersOf(cat, vocab);
      const fixed = members.filter((m) => fixedSpelling(m, vocab) !== undefined).map((m) => quote(fixedSpelling(m, vocab) ?? ""));
      const classes = members.filter((m) => fixedSpelling(m, vocab) === undefined).map((m) => m.name);
      const own = hasOwnPattern(cat) ? ` a word matching ${patternText(cat)}, or` : "";
      const lines = [`/* ${cat.name} (${cat.LABEL ?? cat.name}):${own} one of`];
      // Soft keywords are listed once, at the end of the file.
      const soft = members.filter((m) => vocab.softKeywords.has(vocab.keywordOf.get(m) ?? ""));
      const allSoft = vocab.softKeywords.size > 0 && soft.length === vocab.softKeywords.size;
      const all = allSoft ? [...classes, "(the soft keywords listed at the end)"] : [...classes, ...fixed];
      let line = " *  ";
      for (const m of all) {
        if (line.length + m.length + 2 > WIDTH && line.trim() !== "*") {
          lines.push(line.trimEnd());
          line = " *  ";
        }
        line += `${m} `;
      }
      lines.push(line.trimEnd(), " */");
      return lines.join("\n");
    })
    .join("\n\n");
}

/** Token classes used by the grammar whose spelling varies, with their patterns. */
export function tokenClasses(used: readonly TokenType[], vocab: TokenVocabulary): string {
  const viaCategories = used.filter((t) => isCategory(t, vocab)).flatMap((c) => membersOf(c, vocab));
  return [...new Set([...used, ...viaCategories])]
    .filter((t) => fixedSpelling(t, vocab) === undefined && !isCategory(t, vocab))
    .map((t) => `/* ${t.name} (${t.LABEL ?? t.name}): ${patternText(t)} */`)
    .join("\n");
}

/** A token's pattern as a regular expression literal, safe inside a comment. */
function patternText(t: TokenType): string {
  const p = t.PATTERN;
  const text = p instanceof RegExp ? `/${p.source}/` : String(p);
  return text.replace(/\*\//g, "*\\/");
}

function hasOwnPattern(t: TokenType): boolean {
  return t.PATTERN !== undefined && t.PATTERN !== Lexer.NA;
}

/** Terminals used anywhere in the rules, in first-use order. */
export function usedTerminals(rules: readonly Rule[]): TokenType[] {
  const seen = new Set<TokenType>();
  const visit = (p: IProduction): void => {
    if (p instanceof Terminal) seen.add(p.terminalType);
    if (p instanceof RepetitionWithSeparator || p instanceof RepetitionMandatoryWithSeparator) seen.add(p.separator);
    // A NonTerminal's `definition` is the referenced rule's: not visited here.
    if (!(p instanceof NonTerminal) && "definition" in p && Array.isArray(p.definition)) for (const c of p.definition as IProduction[]) visit(c);
  };
  for (const r of rules) visit(r);
  return [...seen];
}

/** The whole EBNF text: header, productions, categories, token classes. */
export function printEbnf(rules: readonly Rule[], vocab: TokenVocabulary, header: string): string {
  const used = usedTerminals(rules);
  const soft = [...vocab.softKeywords].sort();
  const parts = [
    header.trimEnd(),
    productions(rules, vocab),
    "/* ---------------------------------------------------------------- token categories */",
    categories(used, vocab),
    "/* ------------------------------------------------------------------- token classes */",
    tokenClasses(used, vocab),
    [
      "/* Soft keywords: these words are keywords where the grammar quotes them and names",
      " * elsewhere (they belong to the Name category):",
      ...wrapWords(soft.map(quote), " *  "),
      " * Every other quoted word is reserved: write it in backticks to use it as a name.",
      " */",
    ].join("\n"),
  ];
  return `${parts.join("\n\n")}\n`;
}

function wrapWords(words: readonly string[], prefix: string): string[] {
  const lines: string[] = [];
  let line = prefix;
  for (const w of words) {
    if (line.length + w.length + 1 > WIDTH && line !== prefix) {
      lines.push(line.trimEnd());
      line = prefix;
    }
    line += `${w} `;
  }
  if (line !== prefix) lines.push(line.trimEnd());
  return lines;
}
