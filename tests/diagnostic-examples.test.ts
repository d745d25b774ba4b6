/**
 * Every entry of the diagnostic catalogue carries a minimal failing example;
 * this test runs each through the tool that reports its code (see
 * spec/tools/examples.ts: S through `parse`, N/T/A through the compiler's
 * `checkProgram`, P through `loadPlan`) and checks that the example produces
 * that very code. A wrong example would document a diagnostic that the tool
 * never gives.
 *
 * Codes reported about whole files (X, command line) have no source example;
 * the CLI's process tests cover them. When the runtime registers R codes,
 * `exampleRoute` throws for them until it learns their route, so this test
 * fails instead of silently skipping them.
 */
import { describe, expect, it } from "vitest";
import { diagnosticCodes } from "../language/diagnostics/codes.ts";
import { exampleRoute, runExample } from "../spec/tools/examples.ts";

describe("diagnostic catalogue examples", () => {
  it("has syntax, compiler and plan codes", () => {
    const prefixes = new Set(diagnosticCodes.map((c) => c.code.charAt(0)));
    for (const p of ["S", "N", "T", "A", "P"]) expect(prefixes, `no ${p} codes registered`).toContain(p);
  });

  it("has codes that are unique and well formed", () => {
    const codes = diagnosticCodes.map((c) => c.code);
    expect(codes.filter((c, i) => codes.indexOf(c) !== i)).toEqual([]);
    expect(codes.filter((c) => !/^[A-Z]\d{3}$/.test(c))).toEqual([]);
  });

  for (const info of diagnosticCodes) {
    const route = exampleRoute(info);
    if (route === "none") {
      it(`${info.code} ${info.title}: has no source example`, () => {
        expect(info.example).toBe("");
        expect(runExample(info)).toBeUndefined();
      });
      continue;
    }
    it(`${info.code} ${info.title}: its example produces ${info.code} (via ${route})`, () => {
      expect(info.example.trim(), "the example is empty").not.toBe("");
      const produced = runExample(info) ?? [];
      const codes = produced.map((d) => d.code);
      expect(codes, `example gives ${JSON.stringify(produced.map((d) => `${d.code} ${d.span.line}:${d.span.column} ${d.message}`))}`).toContain(info.code);
      // The reported severity is the catalogue's (a diagnostic may not downgrade its own code silently).
      for (const d of produced.filter((x) => x.code === info.code)) expect(d.severity).toBe(info.severity);
    });
  }
});
