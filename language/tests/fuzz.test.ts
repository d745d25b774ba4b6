/**
 * Fuzzing the front end with fast-check. Whatever the input, `parse` must
 * not throw, must finish, must report diagnostics with a code, a message and
 * a span inside the text whose line/column agree with its offset, must give
 * AST nodes whose spans lie inside the text, and must give the same result
 * twice.
 *
 * Case counts: about 10,000 in total by default (CI), split across the
 * generators by weight. FUZZ_RUNS=<total> runs more (or fewer) locally;
 * FUZZ_SEED=<n> replays a seed (default: a fixed seed, so CI is
 * reproducible; FUZZ_SEED=random picks a new one and prints it).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { campaignLexer, MAX_NESTING, MAX_SOURCE_CHARS, parse } from "../parser/parse.ts";
import { applyMutation, deepNesting, framedSoup, longLine, mutatedSource, roughTokens, seedSources, tokenSoup, unicodeText } from "./fuzz/arbitraries.ts";
import { firstDifference, HANG_MS, lineStarts, positionOf, runCase, violations } from "./fuzz/invariants.ts";

const TOTAL_RUNS = Math.max(100, Number(process.env["FUZZ_RUNS"] ?? 10_000));
const SEED = process.env["FUZZ_SEED"] === "random" ? Date.now() % 2 ** 31 : Number(process.env["FUZZ_SEED"] ?? 20261201);
if (process.env["FUZZ_SEED"] === "random") console.log(`fuzz seed: ${SEED}`);

/** Share of the total runs each generator gets. Long lines are few: each is up to 200,000 characters. */
const WEIGHTS = { unicode: 0.25, soup: 0.25, framed: 0.17, mutated: 0.3, nesting: 0.028, long: 0.002 } as const;
const runsFor = (k: keyof typeof WEIGHTS): number => Math.max(10, Math.round(TOTAL_RUNS * WEIGHTS[k]));

const seeds = seedSources();
/** Slowest case per generator, printed at the end so hangs-in-the-making are visible. */
const slowest = new Map<string, { ms: number; length: number }>();

function property(name: string, arb: fc.Arbitrary<string>, runs: number): void {
  fc.assert(
    fc.property(arb, (text) => {
      const { ms, problems } = runCase(text);
      const prev = slowest.get(name);
      if (!prev || ms > prev.ms) slowest.set(name, { ms, length: text.length });
      if (problems.length > 0) throw new Error(`${problems.length} problem(s) on input ${JSON.stringify(text.length > 400 ? text.slice(0, 400) + "…" : text)}:\n  ${problems.slice(0, 10).join("\n  ")}`);
    }),
    { numRuns: runs, seed: SEED, endOnFailure: false },
  );
}

describe("parse survives fuzzing", () => {
  it("has valid seed sources to mutate, which pass every invariant", () => {
    expect(seeds.length).toBeGreaterThan(0);
    let decls = 0;
    for (const s of seeds) {
      const { result, problems } = runCase(s.text);
      expect(problems, s.path).toEqual([]);
      decls += result.file.decls.length;
    }
    // Mutating only empty or comment-only files would exercise little of the grammar.
    expect(decls).toBeGreaterThan(seeds.length);
  });

  it(`random Unicode strings (${runsFor("unicode")} cases)`, () => property("unicode", unicodeText, runsFor("unicode")));
  it(`token soup of keywords, punctuation, literals, comments and odd characters (${runsFor("soup")} cases)`, () => property("soup", tokenSoup, runsFor("soup")));
  it(`token soup inside campaign, catalog, waves and test blocks (${runsFor("framed")} cases)`, () => property("framed", framedSoup, runsFor("framed")));
  it(`mutations of valid sources (${runsFor("mutated")} cases)`, () => property("mutated", mutatedSource(seeds), runsFor("mutated")));
  it(`nesting just under and over MAX_NESTING (${runsFor("nesting")} cases)`, () => property("nesting", deepNesting, runsFor("nesting")));
  it(`very long lines (${runsFor("long")} cases)`, () => property("long", longLine, runsFor("long")));

  it("reports the slowest case per generator (none may look like a hang)", () => {
    const rows = [...slowest.entries()].map(([k, v]) => `${k}: ${v.ms.toFixed(1)} ms on ${v.length} chars`);
    console.log(`fuzz: ${TOTAL_RUNS} cases requested, seed ${SEED}; slowest per generator:\n  ${rows.join("\n  ")}`);
    for (const v of slowest.values()) expect(v.ms).toBeLessThan(HANG_MS);
  });
});

describe("the invariant checks themselves catch bad results", () => {
  // A checker that never fails would make every property above vacuous.
  it("recomputes line and column from the text", () => {
    const text = "ab\ncd\r\nef\rgh";
    const starts = lineStarts(text);
    expect(positionOf(starts, 0)).toEqual({ line: 1, column: 1 });
    expect(positionOf(starts, 4)).toEqual({ line: 2, column: 2 });
    expect(positionOf(starts, 7)).toEqual({ line: 3, column: 1 });
    expect(positionOf(starts, 10)).toEqual({ line: 4, column: 1 });
    expect(positionOf(starts, text.length)).toEqual({ line: 4, column: 3 });
  });

  it("flags spans outside the text, wrong line/column, empty codes and foreign file names", () => {
    const text = "campaign c {\n  priority x\n}\n";
    const good = parse(text, "fuzz.campaign");
    expect(violations(text, "fuzz.campaign", good)).toEqual([]);
    expect(good.diagnostics.length).toBeGreaterThan(0);
    const d = good.diagnostics[0]!;
    const bad = (patch: object) => ({ ...good, diagnostics: [{ ...d, ...patch }] });
    expect(violations(text, "fuzz.campaign", bad({ span: { ...d.span, offset: text.length, length: 1 } })).join()).toMatch(/outside the text/);
    expect(violations(text, "fuzz.campaign", bad({ span: { ...d.span, column: d.span.column + 1 } })).join()).toMatch(/starts at/);
    expect(violations(text, "fuzz.campaign", bad({ span: { ...d.span, endLine: d.span.endLine + 1 } })).join()).toMatch(/ends at/);
    expect(violations(text, "fuzz.campaign", bad({ code: "" })).join()).toMatch(/empty code/);
    expect(violations(text, "fuzz.campaign", bad({ message: " " })).join()).toMatch(/empty message/);
    expect(violations(text, "other.campaign", good).join()).toMatch(/span file/);
    const decl = good.file.decls[0]!;
    const badAst = { ...good, file: { ...good.file, decls: [{ ...decl, span: { ...decl.span, length: text.length + 5 } }] } };
    expect(violations(text, "fuzz.campaign", badAst as typeof good).join()).toMatch(/AST file\.decls\[0\] \(campaign\)/);
  });

  it("compares results structurally, however deep, and names the first difference", () => {
    const deep = (n: number, leaf: number): unknown => {
      let x: unknown = { leaf };
      for (let i = 0; i < n; i++) x = { kind: "not", operand: x };
      return x;
    };
    expect(firstDifference(deep(50_000, 1), deep(50_000, 1))).toBeUndefined();
    expect(firstDifference(deep(50_000, 1), deep(50_000, 2))).toMatch(/\.operand\.leaf$/);
    expect(firstDifference({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe("$ (keys)");
    expect(firstDifference([1, 2], [1, 3])).toBe("$.1");
  });

  it("mutations change the text, and token-level ones keep every other token", () => {
    const src = 'campaign c { priority 80 audience aum >= 50k and has payroll }';
    expect(roughTokens(src).join("")).toBe(src);
    expect(applyMutation(src, { kind: "truncate", at: 0.5 }).length).toBeLessThan(src.length);
    expect(applyMutation(src, { kind: "deleteToken", at: 0 })).toBe(src.slice("campaign".length));
    expect(applyMutation(src, { kind: "duplicateRange", at: 0, length: 8 })).toBe("campaign" + src);
  });
});

describe("huge and pathological inputs (deterministic)", () => {
  const campaign = (i: number): string => `campaign c_${i} "活动 ${i}" {
  uses catalog retail
  window 2026-12-01 .. 2026-12-31
  audience has payroll and aum between 10k and 200k and risk in (R2, R3) and lastLogin within 90 days
  trigger on app.login where device in (ios, android)
    once per customer
  waves
    1. app_push "reco_${i}" now
    2. sms "sms_${i}" after 2 days unless converted
  cap 1 per day, 2 per week on sms
  holdout 10%
}
`;

  it("parses a 10 MB+ file of repeated valid campaigns without throwing, keeping every campaign", () => {
    const one = campaign(0).length;
    const n = Math.ceil((10.5 * 1024 * 1024) / one);
    const text = Array.from({ length: n }, (_, i) => campaign(i)).join("");
    expect(text.length).toBeGreaterThan(10 * 1024 * 1024);
    expect(text.length).toBeLessThan(MAX_SOURCE_CHARS);
    const { file, diagnostics } = parse(text, "big.campaign");
    expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(file.decls.length).toBe(n);
    const last = file.decls[n - 1]!;
    const lastStart = text.lastIndexOf("campaign c_");
    expect(last.span.offset).toBe(lastStart);
    expect(last.span.offset + last.span.length).toBe(text.trimEnd().length);
    expect(last.span.line).toBe(text.slice(0, lastStart).split("\n").length);
    expect(last.span.column).toBe(1);
  }, 120_000);

  it("refuses a file over MAX_SOURCE_CHARS with S010 at the start of the file", () => {
    const text = campaign(0).repeat(Math.ceil((MAX_SOURCE_CHARS + 1) / campaign(0).length));
    const { file, diagnostics } = parse(text, "huge.campaign");
    expect(diagnostics.map((d) => d.code)).toEqual(["S010"]);
    expect(diagnostics[0]!.span).toMatchObject({ offset: 0, line: 1, column: 1 });
    expect(diagnostics[0]!.message).toMatch(/too large/);
    expect(file.decls).toEqual([]);
  });

  for (const [what, open, close] of [
    ["parentheses", "(", ")"],
    ["`not`s", "not ", ""],
    ["unary minuses", "-", ""],
    ["braces", "{", "}"],
    ["brackets", "[", "]"],
  ] as const) {
    it(`10,000 nested ${what} give S010, not a stack overflow`, () => {
      const text = `campaign c { audience ${open.repeat(10_000)}aum > 1${close.repeat(10_000)} }`;
      const { result, problems } = runCase(text);
      expect(problems).toEqual([]);
      const s010 = result.diagnostics.filter((d) => d.code === "S010");
      expect(s010).toHaveLength(1);
      expect(s010[0]!.message).toMatch(/too deep/);
      // It points at the first token past the limit, not at the start of the file.
      const firstOpen = text.indexOf(open.trim() || open);
      expect(s010[0]!.span.offset).toBeGreaterThan(firstOpen);
    });
  }

  it(`nesting exactly at MAX_NESTING (${MAX_NESTING}) still parses`, () => {
    const text = `campaign c { audience ${"(".repeat(MAX_NESTING - 1)}aum > 1${")".repeat(MAX_NESTING - 1)} }`;
    const { result, problems } = runCase(text);
    expect(problems).toEqual([]);
    expect(result.diagnostics).toEqual([]);
  });

  it("lexes a 1 MB line of one character class without a catastrophic regex", () => {
    // Each of these would blow up a backtracking pattern if one were quadratic.
    for (const text of ["a.".repeat(500_000), '"' + "\\".repeat(1_000_000), "1_".repeat(500_000), "/*" + " ".repeat(1_000_000), "`" + "x".repeat(1_000_000)]) {
      const t0 = performance.now();
      const lexed = campaignLexer().tokenize(text);
      expect(lexed.tokens.length + lexed.errors.length + (lexed.groups["comments"]?.length ?? 0)).toBeGreaterThan(0);
      expect(performance.now() - t0).toBeLessThan(HANG_MS);
      const { problems } = runCase(text);
      expect(problems).toEqual([]);
    }
  }, 120_000);
});
