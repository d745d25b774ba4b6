/**
 * Golden diagnostics of the static analyses: each golden-analyses/NAME.campaign
 * is checked together with golden-analyses/catalog.campaign and its
 * diagnostics are compared with NAME.expected.txt. Format per diagnostic:
 * `line:col CODE severity: message`, the source line, and `~` under the span.
 * Set UPDATE_GOLDEN=1 to rewrite the expected files (then review them).
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../language/diagnostics/diagnostic.ts";
import { LineIndex } from "../../language/span.ts";
import { analysisCodes } from "../diagnostics/analysisCodes.ts";
import { checkProgram } from "../program.ts";

const DIR = join(dirname(fileURLToPath(import.meta.url)), "golden-analyses");
const CATALOG = "catalog.campaign";

export function renderGolden(ds: readonly Diagnostic[], file: string, text: string): string {
  const index = new LineIndex(text);
  return ds
    .filter((d) => d.span.file === file)
    .map((d) => {
      const line = index.lineText(d.span.line);
      const end = d.span.endLine > d.span.line ? line.length + 1 : d.span.endColumn;
      const under = " ".repeat(d.span.column - 1) + "~".repeat(Math.max(1, end - d.span.column));
      const extra = [...(d.help ? [`  help: ${d.help}`] : []), ...d.fixes.map((f) => `  fix: ${f.title}`), ...d.related.map((r) => `  note ${r.span.line}:${r.span.column}: ${r.message}`)];
      return [`${d.span.line}:${d.span.column} ${d.code} ${d.severity}: ${d.message}`, line, under, ...extra].join("\n");
    })
    .join("\n\n")
    .concat("\n");
}

const cases = readdirSync(DIR)
  .filter((f) => f.endsWith(".campaign") && f !== CATALOG)
  .sort();

describe("analysis golden diagnostics", () => {
  const catalogText = readFileSync(join(DIR, CATALOG), "utf8");
  it("covers every analysis code", () => {
    const shown = new Set(cases.flatMap((n) => {
      const p = join(DIR, n.replace(/\.campaign$/, ".expected.txt"));
      return existsSync(p) ? [...readFileSync(p, "utf8").matchAll(/^\d+:\d+ (A\d{3}) /gm)].map((m) => m[1]) : [];
    }));
    for (const info of analysisCodes) expect(shown, info.code).toContain(info.code);
  });
  for (const name of cases) {
    it(name, () => {
      const text = readFileSync(join(DIR, name), "utf8");
      const prog = checkProgram([
        { path: CATALOG, text: catalogText },
        { path: name, text },
      ]);
      const nonAnalysis = prog.diagnostics.filter((d) => !d.code.startsWith("A"));
      expect(nonAnalysis.map((d) => `${d.code} ${d.message}`)).toEqual([]);
      const actual = renderGolden(prog.diagnostics, name, text);
      const expectedPath = join(DIR, name.replace(/\.campaign$/, ".expected.txt"));
      if (process.env.UPDATE_GOLDEN || !existsSync(expectedPath)) writeFileSync(expectedPath, actual);
      expect(actual).toBe(readFileSync(expectedPath, "utf8"));
    });
  }
});

describe("analysis code examples", () => {
  for (const info of analysisCodes) {
    it(`${info.code} example produces ${info.code}`, () => {
      const prog = checkProgram([{ path: "example.campaign", text: info.example }]);
      const codes = prog.diagnostics.map((d) => d.code);
      expect(codes).toContain(info.code);
      expect(prog.diagnostics.filter((d) => d.severity === "error" && !d.code.startsWith("A"))).toEqual([]);
      expect(prog.diagnostics.find((d) => d.code === info.code)?.severity).toBe(info.severity);
    });
  }
});
