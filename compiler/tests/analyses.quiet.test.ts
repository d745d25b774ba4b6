/**
 * The analyses stay quiet on the example campaigns (all checked together, as
 * one program) and on the language's valid golden programs. An example may
 * show an analysis on purpose by saying so in a comment: `// shows A014`.
 */
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkProgram, type SourceInput } from "../program.ts";

const ROOT = join(import.meta.dirname, "..", "..");

function campaignFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .flatMap((e) => {
      const p = join(dir, e);
      return statSync(p).isDirectory() ? campaignFiles(p) : p.endsWith(".campaign") ? [p] : [];
    })
    .sort();
}

function analysisDiagnostics(inputs: SourceInput[]): string[] {
  const meant = new Map(inputs.map((i) => [i.path, new Set([...i.text.matchAll(/\/\/\s*shows\s+(A\d{3})/g)].map((m) => m[1]))]));
  return checkProgram(inputs)
    .diagnostics.filter((d) => /^A\d{3}$/.test(d.code) && !meant.get(d.span.file)?.has(d.code))
    .map((d) => `${d.span.file}:${d.span.line}:${d.span.column} ${d.code} ${d.message}`);
}

describe("analyses on valid programs", () => {
  it("are quiet on the examples", () => {
    const files = campaignFiles(join(ROOT, "examples"));
    expect(files.filter((f) => !f.includes(`${join("examples", "catalog")}`) && !f.includes(join("examples", "segments"))).length).toBeGreaterThan(0);
    const inputs = files.map((f) => ({ path: f, text: readFileSync(f, "utf8") }));
    const prog = checkProgram(inputs);
    expect(prog.campaigns.length).toBeGreaterThan(0);
    expect(analysisDiagnostics(inputs)).toEqual([]);
  });

  it("are quiet on language/tests/golden/valid", () => {
    const files = campaignFiles(join(ROOT, "language", "tests", "golden", "valid"));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(analysisDiagnostics([{ path: f, text: readFileSync(f, "utf8") }])).toEqual([]);
  });
});
