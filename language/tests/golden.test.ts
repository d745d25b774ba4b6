/**
 * The golden corpus of the front end (language/tests/golden/):
 *
 * - valid/*.campaign parse with no diagnostic at all;
 * - invalid/*.campaign each make one kind of mistake (three_mistakes makes
 *   three). Next to each, NAME.expected.txt is its error baseline (see
 *   support/baseline.ts): `file:line:col CODE severity: message`, the source
 *   line and `~` under the exact span. The file's leading comment also lists
 *   the expected diagnostics as `// expect: CODE line:col` lines.
 *
 * Expected files are reviewed by hand. `UPDATE_GOLDEN=1 npx vitest run
 * language/tests/golden.test.ts` rewrites them (review the diff before
 * committing); the `// expect:` lines are never rewritten.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type * as A from "../ast.ts";
import { parse } from "../parser/parse.ts";
import { displayLine, NO_DIAGNOSTICS, renderBaseline, underline } from "./support/baseline.ts";
import { actualExpectations, declaredExpectations } from "./support/expectations.ts";

const ROOT = join(import.meta.dirname, "golden");
const UPDATE = process.env["UPDATE_GOLDEN"] === "1";

function campaignFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir))
    .filter((f) => f.endsWith(".campaign"))
    .sort();
}

/** Every span in the tree, for checking they lie inside the text. */
function spans(node: unknown, out: A.Node["span"][] = []): A.Node["span"][] {
  if (Array.isArray(node)) for (const n of node) spans(n, out);
  else if (node !== null && typeof node === "object") {
    for (const [k, v] of Object.entries(node)) {
      if (k === "span" && v && typeof v === "object" && "offset" in v) out.push(v as A.Node["span"]);
      else spans(v, out);
    }
  }
  return out;
}

describe("baseline rendering", () => {
  it("underlines exactly the span, under tabs and wide characters", () => {
    expect(underline("\taudience x", 1, 9)).toBe("\t~~~~~~~~");
    expect(underline('campaign 生日 {', 9, 11)).toBe("         ~~~~");
    expect(underline("abc", 3, 3)).toBe("   ~");
    expect(underline("abc", 1, 1)).toBe(" ~");
  });

  it("shows invisible and reordering characters", () => {
    expect(displayLine('"\u202Eevil\u0007"')).toBe('"<U+202E>evil<U+0007>"');
    expect(underline('"\u202Eevil"', 1, 2)).toBe(" ~~~~~~~~");
  });

  it("renders no diagnostics as a fixed line", () => {
    expect(renderBaseline([], "x")).toBe(NO_DIAGNOSTICS);
  });

  it("renders a diagnostic with its file, position, code, severity, source and fix", () => {
    const text = "campaign c {\n  audiense has payroll\n}\n";
    const out = renderBaseline(parse(text, "t.campaign").diagnostics, text);
    expect(out).toBe(
      "t.campaign:2:3 S004 error: expected a campaign clause or `}`, found `audiense`; did you mean `audience`?\n" +
        "    audiense has payroll\n" +
        "    ~~~~~~~~\n" +
        '  = fix: replace with `audience` [2:3 "audience"]\n',
    );
  });
});

describe("golden: valid files parse without diagnostics", () => {
  const files = campaignFiles("valid");
  it("has several valid files", () => {
    expect(files.length).toBeGreaterThanOrEqual(6);
  });
  for (const f of files) {
    it(f, () => {
      const text = readFileSync(join(ROOT, "valid", f), "utf8");
      const result = parse(text, `valid/${f}`);
      expect(renderBaseline(result.diagnostics, text)).toBe(NO_DIAGNOSTICS);
      if (!f.startsWith("empty")) expect(result.file.decls.length).toBeGreaterThan(0);
      for (const s of spans(result.file)) {
        expect(s.offset).toBeGreaterThanOrEqual(0);
        expect(s.offset + s.length).toBeLessThanOrEqual(text.length);
      }
    });
  }
});

describe("golden: invalid files match their baselines", () => {
  const files = campaignFiles("invalid");
  it("has at least 25 invalid files, each with a baseline", () => {
    expect(files.length).toBeGreaterThanOrEqual(25);
    const orphans = readdirSync(join(ROOT, "invalid"))
      .filter((f) => f.endsWith(".expected.txt"))
      .filter((f) => !existsSync(join(ROOT, "invalid", f.replace(/\.expected\.txt$/, ".campaign"))));
    expect(orphans, "expected files without their source").toEqual([]);
  });

  for (const f of files) {
    it(f, () => {
      const text = readFileSync(join(ROOT, "invalid", f), "utf8");
      const result = parse(text, `invalid/${f}`);
      expect(result.diagnostics.length, "an invalid file must produce diagnostics").toBeGreaterThan(0);
      expect(actualExpectations(result.diagnostics), "the `// expect:` lines of the file").toEqual(declaredExpectations(text));

      const actual = renderBaseline(result.diagnostics, text);
      const expectedPath = join(ROOT, "invalid", f.replace(/\.campaign$/, ".expected.txt"));
      if (UPDATE) writeFileSync(expectedPath, actual);
      expect(existsSync(expectedPath), `${expectedPath} is missing: run with UPDATE_GOLDEN=1 and review it`).toBe(true);
      expect(actual).toBe(readFileSync(expectedPath, "utf8"));
    });
  }

  it("three_mistakes gives three diagnostics on three different lines", () => {
    const text = readFileSync(join(ROOT, "invalid", "three_mistakes.campaign"), "utf8");
    const { diagnostics } = parse(text, "three_mistakes.campaign");
    expect(diagnostics).toHaveLength(3);
    expect(new Set(diagnostics.map((d) => d.span.line)).size).toBe(3);
  });
});
