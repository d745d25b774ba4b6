/**
 * fast-check generators of hostile and near-valid .campaign text for the
 * parser fuzz tests: random Unicode, token soup built from the language's
 * own vocabulary, mutations of real sources, deep nesting and long lines.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { keywordTokens } from "../../lexer/tokens.ts";
import { MAX_NESTING } from "../../parser/parse.ts";

const REPO = join(dirname(fileURLToPath(import.meta.url)), "../../..");

function campaignFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of entries) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...campaignFiles(p));
    else if (e.endsWith(".campaign")) out.push(p);
  }
  return out;
}

/** Valid sources to mutate: the golden valid files and every example. */
export function seedSources(): { path: string; text: string }[] {
  const files = [...campaignFiles(join(REPO, "language/tests/golden/valid")), ...campaignFiles(join(REPO, "examples"))];
  return files.map((p) => ({ path: p.slice(REPO.length + 1), text: readFileSync(p, "utf8") }));
}

// ------------------------------------------------------------ characters

/** Characters that tend to break lexers, position tracking or terminals. */
const NASTY_CHARS = [
  "\u0000", // NUL
  "\u0001",
  "\u0007",
  "\u001b",
  "\u007f",
  "\b",
  "\t",
  "\v",
  "\f",
  "\r",
  "\n",
  "\r\n",
  "\u0085", // NEL
  "\u00a0",
  "\u2028", // line separator
  "\u2029", // paragraph separator
  "\u200b", // zero-width space
  "\u200d", // zero-width joiner
  "\u200e", // LRM
  "\u200f", // RLM
  "\u202a",
  "\u202b",
  "\u202e", // RLO
  "\u2066",
  "\u2067",
  "\u2069",
  "\u061c", // Arabic letter mark
  "\u3000", // ideographic space
  "\ufeff", // BOM
  "\ufffd",
  "\uffff",
  "\ud800", // lone high surrogate
  "\udbff",
  "\udc00", // lone low surrogate
  "\udfff",
  "\ud83d\ude00", // a valid pair (emoji)
  "\u0301", // combining accent
  "é",
  "ß",
  "İ",
  "ﬁ",
  "Ω",
  "Ж",
  "ع",
  "א",
  "零",
  "售",
  "万",
  "亿",
  "％",
  "：",
  "，",
  "（",
  "）",
  "“",
  "”",
  "`",
  "\\",
  '"',
  "'",
];

/** One UTF-16 unit from the lone-surrogate ranges. */
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
/** Any UTF-16 code unit, so surrogate halves and unpaired surrogates occur. */
const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const controlChar = fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c));
const nastyChar = fc.constantFrom(...NASTY_CHARS);

/** Random Unicode strings: whole code points, raw code units, and nasty characters mixed. */
export const unicodeText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: "binary", maxLength: 300 }),
  fc.string({ unit: "grapheme", maxLength: 200 }),
  fc.string({ unit: fc.oneof(anyCodeUnit, nastyChar, loneSurrogate, controlChar), maxLength: 300 }),
);

// ------------------------------------------------------------ token soup

const KEYWORDS = [...keywordTokens.keys()];
const PUNCTUATION = ["{", "}", "(", ")", "[", "]", ",", ":", ".", "..", "<=", ">=", "!=", "<", ">", "=", "+", "-", "*", "/", "%", "!", "&", "|", "#", "@", "$", "?", ";", "~", "^"];

const digits = (min: number, max: number): fc.Arbitrary<string> => fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: min, maxLength: max });
const pad2 = (n: number): string => String(n).padStart(2, "0");

const numberLit = fc.oneof(
  fc.tuple(digits(1, 6), fc.option(digits(1, 4), { nil: undefined }), fc.constantFrom("", "", "k", "m", "bn", "万", "亿", "%", "h", "d", "w", "min", "kk", "x", "K", "元", "_", "1_000")).map(
    ([i, f, u]) => `${i}${f !== undefined ? "." + f : ""}${u}`,
  ),
  fc.constantFrom("0", "1_000_000", "1__0", "99999999999999999999999999", "1e10", "0.", ".5", "1.5万", "36h", "2m", "1.2.3", "00", "-0", "1e999"),
  digits(1, 400), // absurdly long number
);
const dateLit = fc.oneof(
  fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 })).map(([y, m, d]) => `${String(y).padStart(4, "0")}-${pad2(m)}-${pad2(d)}`),
  fc.constantFrom("2026-02-29", "2024-02-29", "2026-13-01", "2026-00-10", "0000-00-00", "2026-12-31"),
);
const timeLit = fc.tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }), fc.option(fc.integer({ min: 0, max: 99 }), { nil: undefined })).map(
  ([h, m, s]) => `${pad2(h)}:${pad2(m)}${s !== undefined ? ":" + pad2(s) : ""}`,
);
const dateTimeLit = fc.tuple(dateLit, timeLit, fc.constantFrom("", "Z", "+08:00", "-23:59", "+99:99", "[Asia/Shanghai]", "+08:00[Asia/Shanghai]", "[]", "[../../etc]")).map(([d, t, z]) => `${d}T${t}${z}`);
const stringBody = fc.string({ unit: fc.oneof(fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 }), nastyChar, fc.constantFrom("\\n", "\\t", '\\"', "\\\\", "\\u{1F600}", "\\u{110000}", "\\u{", "\\x", "\\")), maxLength: 40 });
const stringLit = fc.oneof(
  stringBody.map((b) => `"${b}"`),
  stringBody.map((b) => `"${b}`), // unterminated
  stringBody.map((b) => `"${b}\n"`), // broken by a newline
);
const comment = fc.oneof(
  stringBody.map((b) => `// ${b}\n`),
  stringBody.map((b) => `/* ${b} */`),
  stringBody.map((b) => `/* ${b}`), // unterminated
  fc.constantFrom("/*/", "/**/", "/* /* nested */ */", "//", "/*"),
);
const cjkChar = fc.integer({ min: 0x4e00, max: 0x9fff }).map((c) => String.fromCharCode(c));
const latinPart = fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz_ABCXYZ0123456789");
const name = fc.oneof(
  fc.constantFrom("aum", "age", "risk", "tier", "app.login", "payroll", "sms", "app_push", "c1", "R2", "CNY", "USD", "score.wealthPropensity", "a.b.c", "a..b", "_", "x.", ".x"),
  fc.tuple(fc.constantFrom(..."abcxyz_"), fc.string({ unit: latinPart, maxLength: 12 })).map(([a, b]) => a + b),
  fc.string({ unit: fc.oneof(cjkChar, latinPart), minLength: 1, maxLength: 8 }), // CJK names
  fc.string({ unit: fc.oneof(cjkChar, latinPart, fc.constantFrom("`", " ")), minLength: 1, maxLength: 8 }).map((n) => `\`${n}\``), // quoted names, possibly broken
);
const space = fc.constantFrom(" ", " ", " ", "\n", "\n  ", "\t", "\r\n", "", "\u3000", "\u00a0", "\ufeff");

/** One token of the language, or something that looks like one. */
export const soupToken: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...KEYWORDS) },
  { weight: 3, arbitrary: fc.constantFrom(...PUNCTUATION) },
  { weight: 3, arbitrary: name },
  { weight: 3, arbitrary: numberLit },
  { weight: 1, arbitrary: dateLit },
  { weight: 1, arbitrary: timeLit },
  { weight: 1, arbitrary: dateTimeLit },
  { weight: 2, arbitrary: stringLit },
  { weight: 1, arbitrary: comment },
  { weight: 1, arbitrary: nastyChar },
  { weight: 1, arbitrary: loneSurrogate },
  { weight: 1, arbitrary: controlChar },
);

/** A sequence of tokens joined by assorted whitespace. */
export const tokenSoup: fc.Arbitrary<string> = fc
  .array(fc.tuple(soupToken, space), { maxLength: 120 })
  .map((parts) => parts.map(([t, s]) => t + s).join(""));

/** Token soup framed as a campaign or catalog, so the parser gets deep into clause rules. */
export const framedSoup: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom("campaign c {\n", "catalog k {\n", "segments s {\n", "campaign c {\n  audience ", "campaign c {\n  waves\n    1. ", "campaign c {\n  test \"t\" {\n", "catalog k {\n  customer {\n"), tokenSoup, fc.constantFrom("\n}\n", "", "}", "\n}\n}\n"))
  .map(([a, b, c]) => a + b + c);

// ------------------------------------------------------------ mutations

/** A lexer-free split into rough tokens (runs of word chars, whitespace, single others), for token-level mutation. */
export function roughTokens(text: string): string[] {
  return text.match(/[\p{L}\p{N}_.%`]+|\s+|"(?:[^"\\\n]|\\.)*"?|[^\p{L}\p{N}_.%`\s"]/gu) ?? [];
}

type Mutation =
  | { kind: "deleteToken"; at: number }
  | { kind: "duplicateToken"; at: number }
  | { kind: "swapTokens"; a: number; b: number }
  | { kind: "insertToken"; at: number; token: string }
  | { kind: "deleteRange"; at: number; length: number }
  | { kind: "duplicateRange"; at: number; length: number }
  | { kind: "insertChars"; at: number; chars: string }
  | { kind: "replaceChar"; at: number; char: string }
  | { kind: "truncate"; at: number };

/** Positions are fractions in [0, 1) so one mutation applies to any text. */
const frac = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  frac.map((at) => ({ kind: "deleteToken" as const, at })),
  frac.map((at) => ({ kind: "duplicateToken" as const, at })),
  fc.tuple(frac, frac).map(([a, b]) => ({ kind: "swapTokens" as const, a, b })),
  fc.tuple(frac, soupToken).map(([at, token]) => ({ kind: "insertToken" as const, at, token: ` ${token} ` })),
  fc.tuple(frac, fc.integer({ min: 1, max: 200 })).map(([at, length]) => ({ kind: "deleteRange" as const, at, length })),
  fc.tuple(frac, fc.integer({ min: 1, max: 200 })).map(([at, length]) => ({ kind: "duplicateRange" as const, at, length })),
  fc.tuple(frac, fc.string({ unit: fc.oneof(nastyChar, anyCodeUnit, fc.constantFrom("{", "}", "(", ")", '"', "/*", "*/", "//", "`", ",", ".", ":")), minLength: 1, maxLength: 4 })).map(([at, chars]) => ({ kind: "insertChars" as const, at, chars })),
  fc.tuple(frac, fc.oneof(nastyChar, anyCodeUnit)).map(([at, char]) => ({ kind: "replaceChar" as const, at, char })),
  frac.map((at) => ({ kind: "truncate" as const, at })),
);

export function applyMutation(text: string, m: Mutation): string {
  const pos = (f: number, n: number): number => Math.min(n, Math.floor(f * (n + 1)));
  switch (m.kind) {
    case "deleteToken":
    case "duplicateToken":
    case "swapTokens":
    case "insertToken": {
      const toks = roughTokens(text);
      if (toks.length === 0) return text;
      if (m.kind === "deleteToken") toks.splice(pos(m.at, toks.length - 1), 1);
      else if (m.kind === "duplicateToken") {
        const i = pos(m.at, toks.length - 1);
        toks.splice(i, 0, toks[i] ?? "");
      } else if (m.kind === "swapTokens") {
        const a = pos(m.a, toks.length - 1);
        const b = pos(m.b, toks.length - 1);
        [toks[a], toks[b]] = [toks[b] ?? "", toks[a] ?? ""];
      } else toks.splice(pos(m.at, toks.length), 0, m.token);
      return toks.join("");
    }
    case "deleteRange": {
      const i = pos(m.at, text.length);
      return text.slice(0, i) + text.slice(i + m.length);
    }
    case "duplicateRange": {
      const i = pos(m.at, text.length);
      return text.slice(0, i + m.length) + text.slice(i, i + m.length) + text.slice(i + m.length);
    }
    case "insertChars": {
      const i = pos(m.at, text.length);
      return text.slice(0, i) + m.chars + text.slice(i);
    }
    case "replaceChar": {
      const i = pos(m.at, text.length - 1);
      return text.slice(0, i) + m.char + text.slice(i + 1);
    }
    case "truncate":
      return text.slice(0, pos(m.at, text.length));
  }
}

/** A valid source with 1 to 6 mutations applied. */
export function mutatedSource(seeds: readonly { text: string }[]): fc.Arbitrary<string> {
  if (seeds.length === 0) throw new Error("no seed sources to mutate");
  return fc.tuple(fc.constantFrom(...seeds.map((s) => s.text)), fc.array(mutation, { minLength: 1, maxLength: 6 })).map(([text, ms]) => ms.reduce(applyMutation, text));
}

// ------------------------------------------------------------ nesting and long lines

const OPENERS = [
  { open: "(", close: ")" },
  { open: "not ", close: "" },
  { open: "-", close: "" },
  { open: "{", close: "}" },
  { open: "[", close: "]" },
  { open: "not (", close: ")" },
];

/** Nesting from well under to well over MAX_NESTING, in expressions and at top level, closed or not. */
export const deepNesting: fc.Arbitrary<string> = fc
  .tuple(
    fc.integer({ min: MAX_NESTING - 4, max: MAX_NESTING + 4 }),
    fc.constantFrom(...OPENERS),
    fc.boolean(),
    fc.constantFrom("campaign c { audience ", "campaign c { audience aum > ", "campaign c { waves 1. sms \"t\" only ", "", "catalog k { segment s = "),
  )
  .map(([depth, { open, close }, closed, prefix]) => `${prefix}${open.repeat(depth)}aum >= 1${closed ? close.repeat(depth) : ""}${prefix ? " }" : ""}`);

/**
 * One very long line: many tokens, a huge name, a huge string, or a huge
 * comment. Sizes are capped so that a case takes well under a second: error
 * recovery costs about 50 µs per bad token, so 10,000 bad tokens is enough.
 */
export const longLine: fc.Arbitrary<string> = fc.oneof(
  fc.integer({ min: 1_000, max: 5_000 }).map((n) => `campaign c { audience ${Array.from({ length: n }, (_, i) => `a${i} > ${i}`).join(" and ")} }`),
  fc.integer({ min: 10_000, max: 200_000 }).map((n) => `campaign ${"x".repeat(n)} { }`),
  fc.integer({ min: 10_000, max: 200_000 }).map((n) => `campaign c "${"长".repeat(n)}" { }`),
  fc.integer({ min: 10_000, max: 200_000 }).map((n) => `campaign c "${"a".repeat(n)}`),
  fc.integer({ min: 10_000, max: 200_000 }).map((n) => `/* ${"*".repeat(n)}`),
  fc.integer({ min: 1_000, max: 5_000 }).map((n) => `campaign c { waves ${Array.from({ length: n }, (_, i) => `${i + 1}. sms "t${i}" now`).join(" ")} }`),
  fc.integer({ min: 1_000, max: 50_000 }).map((n) => "} ".repeat(n)),
  fc.integer({ min: 1_000, max: 10_000 }).map((n) => "campaign ".repeat(n)),
);
