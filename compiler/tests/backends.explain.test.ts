/**
 * `explain`: the trace tree and its rendering, customer JSON conversion, and
 * the `campaign explain` command run through a small in-process harness
 * (temporary JSON files, captured output, exit codes).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runExplain, type ExplainOptions } from "../../cli/commands/explain.ts";
import { UsageError } from "../../cli/usage.ts";
import { toCustomerRecord } from "../data/customerRecord.ts";
import { explain, renderExplanation } from "../explain/explain.ts";
import { evaluate, trace } from "../interp/interpret.ts";
import type { Pred } from "../ir/predicate.ts";
import { liteCatalog } from "./arbitraries/predicates.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const EXAMPLES = join(ROOT, "examples");
const dir = mkdtempSync(join(tmpdir(), "campaign-explain-"));

function jsonFile(name: string, value: unknown): string {
  const p = join(dir, name);
  writeFileSync(p, JSON.stringify(value));
  return p;
}

/** Runs the command in-process and captures what it prints. */
function run(options: ExplainOptions, paths: string[] = [EXAMPLES]): { code: number; out: string; err: string } {
  let out = "";
  let err = "";
  const code = runExplain(paths, options, { out: (t) => void (out += t), err: (t) => void (err += t) });
  return { code, out, err };
}

const payrollCustomer = {
  id: "c1",
  aum: 50_000,
  monthlyIncome: 12_000,
  risk: "R2",
  age: 30,
  tier: "wealth",
  stage: "active",
  lastLogin: "2026-11-20T10:00",
  "score.wealthPropensity": 0.5,
  tags: ["payroll"],
};

describe("campaign explain", () => {
  it("prints the audience as an indented tree with values and ✓/✗, then IN", () => {
    const r = run({ campaign: "payroll_login_wealth", customer: jsonFile("in.json", payrollCustomer), at: "2026-12-02T10:00" });
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toContain("campaign payroll_login_wealth, customer c1");
    expect(r.out).toMatch(/^ {2}✓ all of$/m);
    expect(r.out).toMatch(/^ {4}✓ segment payroll_customer$/m);
    expect(r.out).toMatch(/^ {6}✓ all of$/m);
    expect(r.out).toMatch(/^ {8}✓ has payroll$/m);
    expect(r.out).toContain("✓ aum ≥ 10,000  (aum = 50,000)");
    expect(r.out).toContain("✓ lastLogin ≥ now − 90 days  (lastLogin = 2026-11-20 10:00:00");
    expect(r.out.trimEnd().split("\n").at(-1)).toBe("IN: customer c1 is in the audience");
  });

  it("says OUT and marks the failing clause when one clause fails", () => {
    const r = run({ campaign: "payroll_login_wealth", customer: jsonFile("out.json", { ...payrollCustomer, aum: 5000 }), at: "2026-12-02T10:00" });
    expect(r.code).toBe(0);
    expect(r.out).toContain("✗ aum ≥ 10,000  (aum = 5,000)");
    expect(r.out).toMatch(/^audience ✗$/m);
    expect(r.out.trimEnd().split("\n").at(-1)).toBe("OUT: customer c1 is not in the audience");
  });

  it("explains the trigger condition on an event, and --json prints the trace tree", () => {
    const event = jsonFile("web.json", { device: "web" });
    const r = run({ campaign: "payroll_login_wealth", customer: jsonFile("in2.json", payrollCustomer), event, at: "2026-12-02T10:00" });
    expect(r.out).toContain("trigger on app.login ✗");
    expect(r.out).toContain('✗ event.device in (ios, android)  (event.device = "web")');
    expect(r.out.trimEnd().split("\n").at(-1)).toBe("OUT: customer c1 is in the audience, but the trigger condition does not hold");
    const j = run({ campaign: "payroll_login_wealth", customer: jsonFile("in3.json", payrollCustomer), event: jsonFile("ios.json", { device: "ios" }), at: "2026-12-02T10:00", json: true });
    const doc = JSON.parse(j.out) as { result: string; audience: { kind: string; result: boolean; children: unknown[] }; trigger: { event: string; trace: { result: boolean } } };
    expect(doc.result).toBe("IN");
    expect(doc.audience.kind).toBe("and");
    expect(doc.audience.children.length).toBeGreaterThan(3);
    expect(doc.trigger.event).toBe("app.login");
    expect(doc.trigger.trace.result).toBe(true);
  });

  it("reports data problems by attribute name (exit 1), treating those values as missing", () => {
    const r = run({ campaign: "payroll_login_wealth", customer: jsonFile("bad.json", { ...payrollCustomer, aum: "50k", age: 30.5, risk: "R9", birthday: "2026-02-30", nickname: "x" }), at: "2026-12-02T10:00" });
    expect(r.code).toBe(1);
    expect(r.out).toContain("customer.aum: expected a number (money), got the string \"50k\"");
    expect(r.out).toContain("customer.age: expected a whole number (int), got 30.5");
    expect(r.out).toContain("customer.risk: `R9` is not one of R1, R2, R3, R4, R5");
    expect(r.out).toContain("customer.birthday: expected a date");
    expect(r.out).toContain("customer.nickname: `nickname` is not an attribute of the catalog");
    expect(r.out).toContain("✗ aum ≥ 10,000  (aum = missing)");
  });

  it("refuses bad usage: unknown campaign (with a suggestion), bad --at, --event on a scheduled campaign, bad JSON", () => {
    const customer = jsonFile("c.json", payrollCustomer);
    expect(() => run({ campaign: "payroll_login_welth", customer })).toThrow(/did you mean `payroll_login_wealth`/);
    expect(() => run({ campaign: "payroll_login_wealth", customer, at: "tomorrow" })).toThrow(UsageError);
    expect(() => run({ campaign: "birthday_care", customer, event: customer })).toThrow(/schedule/);
    writeFileSync(join(dir, "broken.json"), "{ nope");
    expect(() => run({ campaign: "payroll_login_wealth", customer: join(dir, "broken.json") })).toThrow(/not valid JSON/);
  });

  it("refuses to explain a campaign with errors (exit 1)", () => {
    const bad = join(dir, "bad.campaign");
    writeFileSync(bad, 'campaign broken {\n  uses catalog retail\n  window 2026-12-01 .. 2026-12-31\n  trigger on app.login\n  audience aun > 10k\n}\n');
    const r = run({ campaign: "broken", customer: jsonFile("c2.json", payrollCustomer) }, [join(EXAMPLES, "catalog"), bad]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("N003");
    expect(r.out).toBe("");
  });
});

describe("trace and toCustomerRecord", () => {
  const catalog = liteCatalog();
  const ctx = { now: Date.UTC(2026, 11, 2, 2), zone: "Asia/Shanghai" };

  it("the trace's result is evaluate's, every clause is traced (no short-circuit), values are read", () => {
    const p: Pred = { k: "and", args: [{ k: "tag", tag: "payroll" }, { k: "cmp", op: ">=", left: { k: "arith", op: "/", left: { k: "attr", name: "aum", rep: "number" }, right: { k: "attr", name: "age", rep: "number" } }, right: { k: "const", value: 1000, rep: "number" } }] };
    const { record } = toCustomerRecord(catalog, { aum: 50_000, age: 25, tags: [] });
    const t = trace(p, record, undefined, ctx);
    expect(t.result).toBe(evaluate(p, record, undefined, ctx));
    expect(t.result).toBe(false);
    expect(t.children).toHaveLength(2);
    expect(t.children[1]?.label).toBe("aum ÷ age ≥ 1,000");
    expect(t.children[1]?.values.map((v) => `${v.name}=${v.shown}`)).toEqual(["aum=50,000", "age=25", "aum ÷ age=2,000"]);
    expect(t.children[1]?.result).toBe(true);
  });

  it("converts JSON by catalog type and names the attribute of every mismatch", () => {
    const { record, problems } = toCustomerRecord(catalog, {
      id: "x",
      aum: 1.5,
      age: 3,
      vip: "yes",
      tier: "gold",
      zone: "Mars/Base",
      birthday: "1990-02-29",
      maturity: "2027-01-31",
      lastLogin: "2026-11-20T10:00",
      openedAt: "2026-11-20T10:00Z",
      name: null,
      tags: ["payroll", 5],
    });
    expect(record.attrs["aum"]).toBe(1.5);
    expect(record.attrs["lastLogin"]).toBe(Date.UTC(2026, 10, 20, 2));
    expect(record.attrs["openedAt"]).toBe(Date.UTC(2026, 10, 20, 10));
    expect(record.attrs["maturity"]).toBe("2027-01-31");
    expect(record.attrs["name"]).toBeNull();
    expect(problems.map((p) => p.attribute).sort()).toEqual(["birthday", "tags", "tier", "vip", "zone"]);
    const e = explain({ audience: { k: "true" }, trigger: { kind: "batch", times: [], zone: { mode: "bank" } }, campaign: { id: "c" } } as unknown as Parameters<typeof explain>[0], record, undefined, ctx, problems);
    expect(renderExplanation(e)).toContain("vip: expected true or false, got the string \"yes\"");
  });
});
