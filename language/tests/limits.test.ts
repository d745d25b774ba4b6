import { describe, expect, it } from "vitest";
import { MAX_TREE_DEPTH, parse } from "../parser/parse.ts";

describe("limits that keep consumers safe", () => {
  it("refuses a declaration whose tree is too deep (a chain of thousands of `and`s) with a located S010", () => {
    const chain = Array.from({ length: 6000 }, (_, i) => `a > ${i}`).join(" and ");
    const text = `campaign ok {\n  priority 1\n}\ncampaign deep {\n  audience ${chain}\n}\n`;
    const r = parse(text, "deep.campaign");
    const s010 = r.diagnostics.filter((d) => d.code === "S010");
    expect(s010).toHaveLength(1);
    expect(s010[0]?.span.line).toBe(4);
    expect(r.file.decls.map((d) => d.name?.name)).toEqual(["ok"]);
    // What is kept can be serialised and cloned without exhausting the stack.
    expect(() => structuredClone(r.file)).not.toThrow();
  });

  it("keeps a long but reasonable chain", () => {
    const chain = Array.from({ length: Math.floor(MAX_TREE_DEPTH / 4) }, (_, i) => `a > ${i}`).join(" and ");
    const r = parse(`campaign c {\n  audience ${chain}\n}\n`, "c.campaign");
    expect(r.diagnostics).toEqual([]);
    expect(r.file.decls).toHaveLength(1);
  });
});
