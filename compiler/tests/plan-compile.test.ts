/**
 * `campaign compile`: refuses sources with errors (writing nothing), and
 * otherwise writes one canonical, loadable `<id>.plan.json` per campaign.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { compileCommand, planFileName, runCompile } from "../../cli/commands/compile.ts";
import { EXAMPLE_CATALOG } from "../diagnostics/codes.ts";
import { loadPlan } from "../plan/load.ts";
import { serializePlan } from "../plan/serialize.ts";

let dir = "";
let printed = "";

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "campaign-compile-"));
  printed = "";
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    printed += typeof chunk === "string" ? chunk : new TextDecoder().decode(chunk);
    return true;
  });
});

afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

const campaign = (id: string, extra = ""): string => `campaign ${id} {\n  uses catalog retail\n  window 2026-12-01 .. 2026-12-31\n  trigger on app.login\n  waves\n    1. sms "hello" now\n${extra}}\n`;

function writeSources(files: Record<string, string>): string {
  const src = join(dir, "src");
  for (const [name, text] of Object.entries(files)) {
    const p = join(src, name);
    mkdirSync(join(p, ".."), { recursive: true });
    writeFileSync(p, text);
  }
  return src;
}

describe("campaign compile", () => {
  it("writes one canonical plan per campaign, found recursively in directories", () => {
    const src = writeSources({ "catalog.campaign": EXAMPLE_CATALOG, "c/a.campaign": campaign("alpha"), "c/deeper/b.campaign": campaign("beta", "  holdout 5%\n"), "notes.txt": "ignored" });
    const out = join(dir, "plans");
    expect(runCompile([src], { out })).toBe(0);
    expect(readdirSync(out).sort()).toEqual(["alpha.plan.json", "beta.plan.json"]);
    for (const name of ["alpha", "beta"]) {
      const text = readFileSync(join(out, `${name}.plan.json`), "utf8");
      const r = loadPlan(text);
      expect(r.ok).toBe(true);
      if (r.ok) {
        expect(r.plan.campaign.id).toBe(name);
        expect(serializePlan(r.plan)).toBe(text);
      }
      expect(printed).toContain(`wrote ${join(out, `${name}.plan.json`)}`);
    }
    expect(printed).toContain("2 plans written");
    // Again: byte-identical files.
    const first = readFileSync(join(out, "beta.plan.json"), "utf8");
    expect(runCompile([src], { out })).toBe(0);
    expect(readFileSync(join(out, "beta.plan.json"), "utf8")).toBe(first);
  });

  it("refuses to write anything when there are errors, and prints them", () => {
    const src = writeSources({ "catalog.campaign": EXAMPLE_CATALOG, "a.campaign": campaign("alpha"), "b.campaign": campaign("beta").replace("sms", "smss") });
    const out = join(dir, "plans");
    expect(runCompile([src], { out })).toBe(1);
    expect(existsSync(out)).toBe(false);
    expect(printed).toContain("N007");
    expect(printed).toContain("unknown channel `smss`");
    expect(printed).toContain("no plans written");
  });

  it("reports in JSON with --json", () => {
    const src = writeSources({ "catalog.campaign": EXAMPLE_CATALOG, "a.campaign": campaign("alpha", "  benefit on goal\n    points 100\n") });
    const out = join(dir, "o");
    expect(runCompile([join(src, "catalog.campaign"), join(src, "a.campaign")], { out, json: true })).toBe(0);
    const report = JSON.parse(printed) as { diagnostics: { code: string }[]; summary: { errors: number; warnings: number; files: number }; plans: { campaign: string; path: string }[] };
    expect(report.summary).toEqual({ errors: 0, warnings: 1, files: 2 });
    expect(report.diagnostics.map((d) => d.code)).toEqual(["A010"]);
    expect(report.plans).toEqual([expect.objectContaining({ campaign: "alpha", path: join(out, "alpha.plan.json") })]);
  });

  it("is a commander command with -o and --json, reporting its exit code", async () => {
    const src = writeSources({ "catalog.campaign": EXAMPLE_CATALOG, "a.campaign": campaign("alpha") });
    let code = -1;
    const cmd = compileCommand((c) => {
      code = c;
    });
    expect(cmd.name()).toBe("compile");
    await cmd.parseAsync([src, "-o", join(dir, "x")], { from: "user" });
    expect(code).toBe(0);
    expect(existsSync(join(dir, "x", "alpha.plan.json"))).toBe(true);
  });

  it("names plan files safely after the campaign id", () => {
    expect(planFileName("payroll_login")).toBe("payroll_login.plan.json");
    expect(planFileName("生日关怀")).toBe("生日关怀.plan.json");
    expect(planFileName("a/b")).toBe("a%2Fb.plan.json");
    expect(planFileName("..")).toBe("%2E..plan.json");
    expect(planFileName("a%b")).not.toBe(planFileName("a/b"));
  });
});
