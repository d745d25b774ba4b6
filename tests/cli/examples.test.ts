/** The examples are the project's showcase: they must check clean, be formatted, and pass their tests. */
import { describe, expect, it } from "vitest";
import { repoRoot, runCli } from "./run.ts";

describe("examples/", () => {
  it("check with no errors and no warnings", () => {
    const r = runCli(["check", "examples"], repoRoot);
    expect(r.stdout).toMatch(/checked \d+ files: 0 errors, 0 warnings\n$/);
    expect(r.status).toBe(0);
  });

  it("are in the canonical layout (`campaign fmt --check examples` exits 0)", () => {
    const r = runCli(["fmt", "--check", "examples"], repoRoot);
    expect(r.stdout).toMatch(/^0 of \d+ files would be reformatted\n$/);
    expect(r.status).toBe(0);
  });

  it("pass their test blocks on the runtime", () => {
    const r = runCli(["test", "examples"], repoRoot);
    expect(r.stdout).toMatch(/\n\d+ passed, 0 failed\n$/);
    expect(r.status).toBe(0);
  });
});
