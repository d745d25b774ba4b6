/**
 * Writes the generated spec files (spec/grammar.ebnf, spec/diagnostics.md).
 * Run with `npm run gen:spec` (node --import tsx spec/tools/generate.ts)
 * after changing the grammar or the diagnostic catalogue;
 * tests/spec-drift.test.ts fails until the committed files match.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { specFiles } from "./specFiles.ts";

const root = join(import.meta.dirname, "..", "..");
for (const f of specFiles()) {
  writeFileSync(join(root, f.path), f.text);
  console.log(`wrote ${f.path}`);
}
