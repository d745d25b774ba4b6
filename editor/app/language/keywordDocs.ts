/**
 * Keyword documentation for hovers and completion, derived at run time from
 * the language reference (spec/language.md): one entry per grammar-rule
 * section (`### ruleName` with a `Syntax:` line). A keyword is documented by
 * the first section whose syntax starts with it, else by the first section
 * whose syntax mentions it. No hand-kept table: when the reference changes,
 * the hovers change with it.
 */
import { durationUnitTokens, keywordTokens, softKeywords, weekdayTokens } from "../../../language/lexer/tokens.ts";

export interface RuleDoc {
  /** The section's heading: the grammar rule it documents. */
  readonly rule: string;
  /** The syntax line, without the `Syntax:` prefix. */
  readonly syntax: string;
  /** The first paragraph of explanation (markdown). */
  readonly summary: string;
}

export interface KeywordDoc extends RuleDoc {
  readonly keyword: string;
  readonly soft: boolean;
}

/** Splits the reference into grammar-rule sections that have a syntax line. */
export function parseRuleDocs(markdown: string): RuleDoc[] {
  const lines = markdown.split(/\r?\n/);
  const docs: RuleDoc[] = [];
  for (let i = 0; i < lines.length; i++) {
    const heading = /^###\s+(.+?)\s*$/.exec(lines[i] ?? "");
    if (!heading?.[1]) continue;
    let j = i + 1;
    while (j < lines.length && (lines[j] ?? "").trim() === "") j++;
    if (!(lines[j] ?? "").startsWith("Syntax:")) continue;
    // The syntax may continue over several lines until a blank line.
    const syntaxLines: string[] = [];
    while (j < lines.length && (lines[j] ?? "").trim() !== "") syntaxLines.push((lines[j++] ?? "").trim());
    // "Syntax: one of" is followed by a list of alternatives.
    if (/one of$/.test(syntaxLines[syntaxLines.length - 1] ?? "")) {
      while (j < lines.length && (lines[j] ?? "").trim() === "") j++;
      while (j < lines.length && (lines[j] ?? "").trim() !== "") syntaxLines.push((lines[j++] ?? "").trim());
    }
    const syntax = syntaxLines.join("\n").replace(/^Syntax:\s*/, "");
    while (j < lines.length && (lines[j] ?? "").trim() === "") j++;
    const para: string[] = [];
    while (j < lines.length && (lines[j] ?? "").trim() !== "" && !(lines[j] ?? "").startsWith("#") && !(lines[j] ?? "").startsWith("```")) para.push(lines[j++] ?? "");
    docs.push({ rule: heading[1], syntax, summary: para.join("\n") });
  }
  return docs;
}

function syntaxWords(syntax: string): string[] {
  // Only the parts in backticks are syntax; the rest is prose ("one of", "see ...").
  const code = [...syntax.matchAll(/`([^`]*)`/g)].map((m) => m[1] ?? "").join(" ");
  return code.split(/[^A-Za-z_]+/).filter((w) => w.length > 0);
}

/** Documentation for every keyword the lexer knows, from the reference's sections. */
export function keywordDocsFrom(markdown: string): Map<string, KeywordDoc> {
  const rules = parseRuleDocs(markdown);
  const out = new Map<string, KeywordDoc>();
  for (const keyword of keywordTokens.keys()) {
    const starts = rules.find((r) => syntaxWords(r.syntax)[0] === keyword);
    const mentions = starts ?? rules.find((r) => syntaxWords(r.syntax).includes(keyword));
    const fallback = mentions ?? rules.find((r) => r.rule === fallbackRule(keyword));
    if (fallback) out.set(keyword, { ...fallback, keyword, soft: softKeywords.has(keyword) });
  }
  return out;
}

/** Where words that no syntax line spells out are explained: units with durations, weekdays with recurrences. */
function fallbackRule(keyword: string): string {
  const token = keywordTokens.get(keyword);
  if (token && durationUnitTokens.includes(token)) return "duration";
  if (token && weekdayTokens.includes(token)) return "recurrence";
  return "testStep";
}
