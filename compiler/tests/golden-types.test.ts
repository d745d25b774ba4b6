/**
 * Golden diagnostics for the name and type rules. Each
 * compiler/tests/golden-types/NAME.campaign is a small whole program (catalog
 * included) that breaks one rule (or several, in the multi_* files);
 * NAME.expected.txt next to it lists every diagnostic the checker gives:
 *
 *   LINE:COL CODE severity: message
 *     <the source line>
 *     ~~~~~ under the span (to the end of the line for multi-line spans)
 *     = help / note / fix lines, when the diagnostic has them
 *
 * The expected files are reviewed by hand: a changed message or location
 * shows up as a diff. `UPDATE_GOLDEN=1 npx vitest run compiler/tests/golden-types`
 * rewrites them (then review the diff before committing).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../language/diagnostics/diagnostic.ts";
import { charWidth } from "../../language/diagnostics/render.ts";
import { LineIndex } from "../../language/span.ts";
import { compilerCodes } from "../diagnostics/codes.ts";
import { checkProgram } from "../program.ts";

const DIR = join(import.meta.dirname, "golden-types");
const UPDATE = process.env["UPDATE_GOLDEN"] === "1";

/** Terminal cells of a string (CJK takes two), so underlines line up in an editor too. */
function width(s: string): number {
  let w = 0;
  for (const ch of s) w += charWidth(ch.codePointAt(0) ?? 0);
  return w;
}

export function renderGolden(diagnostics: readonly Diagnostic[], text: string): string {
  const index = new LineIndex(text);
  const blocks = diagnostics.map((d) => {
    const s = d.span;
    const line = index.lineText(s.line);
    const start = Math.min(Math.max(s.column - 1, 0), line.length);
    const end = s.endLine > s.line ? line.length : Math.min(Math.max(s.endColumn - 1, start), line.length);
    const out = [`${s.line}:${s.column} ${d.code} ${d.severity}: ${d.message}`, `  ${line}`.trimEnd(), `  ${" ".repeat(width(line.slice(0, start)))}${"~".repeat(Math.max(1, width(line.slice(start, end))))}`];
    if (d.help !== undefined) out.push(`  = help: ${d.help}`);
    for (const r of d.related) out.push(`  = note: ${r.message} (${r.span.file === s.file ? "" : `${r.span.file}:`}${r.span.line}:${r.span.column})`);
    for (const f of d.fixes) out.push(`  = fix: ${f.title}`);
    return out.join("\n");
  });
  return blocks.length === 0 ? "(no diagnostics)\n" : `${blocks.join("\n\n")}\n`;
}

const cases = readdirSync(DIR)
  .filter((f) => f.endsWith(".campaign"))
  .sort();

describe("golden type and name diagnostics", () => {
  it("has cases", () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  for (const file of cases) {
    it(file, () => {
      const text = readFileSync(join(DIR, file), "utf8");
      const program = checkProgram([{ path: file, text }]);
      const actual = renderGolden(program.diagnostics, text);
      const expectedPath = join(DIR, file.replace(/\.campaign$/, ".expected.txt"));
      if (UPDATE) writeFileSync(expectedPath, actual);
      expect(existsSync(expectedPath), `${expectedPath} is missing: run with UPDATE_GOLDEN=1 and review it`).toBe(true);
      expect(actual).toBe(readFileSync(expectedPath, "utf8"));
      // A single-rule file is named after its code and must produce it.
      const code = /^([NT]\d{3})_/.exec(file)?.[1];
      if (code) expect(program.diagnostics.map((d) => d.code)).toContain(code);
    });
  }

  it("covers every N- and T-code of the compiler", () => {
    const covered = new Set(cases.map((f) => /^([NT]\d{3})_/.exec(f)?.[1]).filter((c): c is string => c !== undefined));
    const missing = compilerCodes.map((c) => c.code).filter((c) => /^[NT]/.test(c) && !covered.has(c));
    expect(missing).toEqual([]);
  });

  it("has no expected file without its source", () => {
    const orphans = readdirSync(DIR)
      .filter((f) => f.endsWith(".expected.txt"))
      .filter((f) => !existsSync(join(DIR, f.replace(/\.expected\.txt$/, ".campaign"))));
    expect(orphans).toEqual([]);
  });
});
