/**
 * The generated spec files (spec/grammar.ebnf from the parser, spec/diagnostics.md
 * from the diagnostic catalogue) must match what the generator prints today.
 * When this fails, run `npm run gen:spec` and commit the result.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { specFiles } from "../spec/tools/specFiles.ts";

const root = join(import.meta.dirname, "..");

/** The first differing line, for a message that points at the change. */
function firstDifference(a: string, b: string): string {
  const al = a.split("\n");
  const bl = b.split("\n");
  for (let i = 0; i < Math.max(al.length, bl.length); i++) {
    if (al[i] !== bl[i]) return `line ${i + 1}:\n  committed: ${JSON.stringify(al[i] ?? "(end of file)")}\n  generated: ${JSON.stringify(bl[i] ?? "(end of file)")}`;
  }
  return "no difference";
}

describe("generated spec files are up to date", () => {
  for (const f of specFiles()) {
    it(f.path, () => {
      const path = join(root, f.path);
      expect(existsSync(path), `${f.path} is missing: run \`npm run gen:spec\``).toBe(true);
      const committed = readFileSync(path, "utf8");
      if (committed !== f.text) {
        expect.fail(`${f.path} is out of date: run \`npm run gen:spec\` and commit the result\nfirst difference at ${firstDifference(committed, f.text)}`);
      }
    });
  }

  it("the grammar has a production for every parser rule", () => {
    const ebnf = specFiles().find((f) => f.path === "spec/grammar.ebnf")?.text ?? "";
    for (const rule of ["file", "campaignDecl", "waveDecl", "predicate", "literal", "testStep"]) expect(ebnf).toMatch(new RegExp(`^${rule} +::= `, "m"));
    expect(ebnf).toContain('"campaign" Name StringLiteral? "{" campaignClause* "}"');
    expect(ebnf).toMatch(/DurationUnit \(a duration unit\): one of\n \*  "minute" "minutes"/);
  });
});
