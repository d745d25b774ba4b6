/**
 * `campaign test` as a process: the examples pass; a copy of an example with
 * one wrong expectation fails with the expected line and the actual outbox;
 * `--json` and `--filter`; refusal on program errors; exit codes.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { project, removeProjects, repoRoot, runCli } from "./run.ts";

afterAll(removeProjects);

const example = (path: string): string => readFileSync(join(repoRoot, "examples", path), "utf8");

/** The catalog, the segments and the payroll campaign, with `edit` applied to the campaign. */
function payrollProject(edit: (text: string) => string): string {
  const original = example("payroll_login_wealth.campaign");
  const edited = edit(original);
  expect(edited).not.toBe(original);
  return project({
    "catalog/retail.campaign": example("catalog/retail.campaign"),
    "segments/common.campaign": example("segments/common.campaign"),
    "payroll_login_wealth.campaign": edited,
  });
}

const CLOSING = /^(\d+) passed, (\d+) failed$/;

function closingLines(stdout: string): string[] {
  return stdout.split("\n").filter((l) => CLOSING.test(l));
}

interface JsonTest {
  campaign: string;
  file: string;
  title: string;
  line: number;
  status: "passed" | "failed";
  zone: string;
  expectations: { text: string; line: number; customer: string; passed: boolean; offending: { time: string; text: string }[] }[];
  diagnostics: { code: string }[];
  customers?: Record<string, { actions: { kind: string; time: string; text: string; channel?: string }[]; journey: { time: string; kind: string; text: string }[] }>;
  notes: string[];
}
interface JsonReport {
  diagnostics: { code: string; severity: string }[];
  tests: JsonTest[];
  summary: { passed: number; failed: number; ran: boolean; files: number; errors: number; warnings: number };
}

describe("campaign test", () => {
  it("passes on the examples: exit 0 and exactly one closing line, last", () => {
    const r = runCli(["test", "examples"], repoRoot);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(closingLines(r.stdout)).toHaveLength(1);
    const last = lines[lines.length - 1] ?? "";
    const m = CLOSING.exec(last);
    expect(m?.[2]).toBe("0");
    expect(Number(m?.[1])).toBeGreaterThanOrEqual(16);
    expect(lines.filter((l) => l.startsWith("PASS ")).length).toBe(Number(m?.[1]));
  });

  it("fails on one wrong expectation: exit 1, expected vs actual, and the count", () => {
    // The SMS really goes out at 09:00 on Dec 5 (quiet hours); claim 21:30 on Dec 4.
    const dir = payrollProject((t) => t.replace('expect sms "wealth_sms_1" to c1 at 2026-12-05T09:00', 'expect sms "wealth_sms_1" to c1 at 2026-12-04T21:30'));
    const r = runCli(["test", "."], dir);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("FAIL payroll_login_wealth: a late-evening login");
    expect(r.stdout).toContain('  expected: expect sms "wealth_sms_1" to c1 at 2026-12-04 21:30  (payroll_login_wealth.campaign:');
    expect(r.stdout).toContain("    actual outbox of c1 (times in Asia/Shanghai):\n");
    expect(r.stdout).toContain('      2026-12-02 21:30  app_push "wealth_reco_a" (wave 1, variant a)\n      2026-12-05 09:00  sms "wealth_sms_1" (wave 2, variant a)\n');
    // The journey line that explains it: the wave waited for the end of the quiet hours.
    expect(r.stdout).toContain("      2026-12-04 21:30  deferral wave 2 sms: quiet-hours: quiet hours of sms 21:00-09:00 (Asia/Shanghai) (until 2026-12-05 09:00)\n");
    expect(r.stdout).toContain("PASS payroll_login_wealth: no branch");
    expect(closingLines(r.stdout)).toEqual(["2 passed, 1 failed"]);
    expect(r.stdout.endsWith("2 passed, 1 failed\n")).toBe(true);
  });

  it("shows what breaks an expectation of absence", () => {
    // c7 is mass tier, so wave 3 is skipped; but she does get the SMS.
    const dir = payrollProject((t) => t.replace("expect no ai_call to c7", "expect no sms to c7"));
    const r = runCli(["test", "."], dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("  expected: expect no sms to c7  (payroll_login_wealth.campaign:");
    expect(r.stdout).toContain('    but got: 2026-12-05 09:00  sms "wealth_sms_1" (wave 2, variant a)\n');
    expect(r.stdout).toContain("      2026-12-10 09:00  skip wave 3: condition: only-condition of wave 3\n");
    expect(closingLines(r.stdout)).toEqual(["2 passed, 1 failed"]);
  });

  it("--json: one document with the tests, their expectations and a summary", () => {
    const dir = payrollProject((t) => t.replace('expect sms "wealth_sms_1" to c1 at 2026-12-05T09:00', 'expect sms "wealth_sms_1" to c1 at 2026-12-04T21:30'));
    const r = runCli(["test", "--json", "."], dir);
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(report.summary).toMatchObject({ passed: 2, failed: 1, ran: true, files: 3, errors: 0 });
    expect(report.tests.map((t) => [t.campaign, t.status])).toEqual([
      ["payroll_login_wealth", "failed"],
      ["payroll_login_wealth", "passed"],
      ["payroll_login_wealth", "passed"],
    ]);
    const failed = report.tests[0];
    expect(failed?.file).toBe("payroll_login_wealth.campaign");
    expect(failed?.zone).toBe("Asia/Shanghai");
    expect(failed?.expectations.filter((e) => !e.passed).map((e) => [e.text, e.customer])).toEqual([['expect sms "wealth_sms_1" to c1 at 2026-12-04 21:30', "c1"]]);
    expect(failed?.customers?.["c1"]?.actions.map((a) => `${a.time} ${a.channel ?? ""}`)).toEqual(["2026-12-02 21:30 app_push", "2026-12-05 09:00 sms", "2026-12-10 09:00 rm_task"]);
    expect(failed?.customers?.["c1"]?.journey.some((j) => j.kind === "deferral")).toBe(true);
    // Passed tests carry no outcome, only their expectations.
    expect(report.tests[1]?.customers).toBeUndefined();
    expect(report.tests[1]?.expectations.every((e) => e.passed)).toBe(true);
  });

  it("--filter runs only the tests whose title contains the text", () => {
    const r = runCli(["test", "examples", "--filter", "holdout"], repoRoot);
    expect(r.status).toBe(0);
    const titles = r.stdout.split("\n").filter((l) => l.startsWith("PASS "));
    expect(titles.length).toBeGreaterThanOrEqual(2);
    expect(titles.every((l) => l.includes("holdout"))).toBe(true);
    expect(closingLines(r.stdout)).toEqual([`${titles.length} passed, 0 failed`]);
  });

  it("a value that does not fit its type fails the test with a located diagnostic", () => {
    const dir = payrollProject((t) => t.replace(/aum 50k,(\s+)tier wealth/, "aum 50k,$1tier gold"));
    const r = runCli(["test", "."], dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("error[X201]: `gold` is not a value of attribute `tier`");
    expect(r.stdout).toContain("--> payroll_login_wealth.campaign:");
    expect(closingLines(r.stdout)).toEqual(["2 passed, 1 failed"]);
  });

  it("refuses to run when the program has errors: exit 1, diagnostics, no closing count", () => {
    const dir = payrollProject((t) => t.replace("expect no ai_call to c1", "expect no ai_cal to c1"));
    const r = runCli(["test", "."], dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("error[N007]");
    expect(r.stdout).toMatch(/no tests run\n$/);
    expect(closingLines(r.stdout)).toEqual([]);
    const j = JSON.parse(runCli(["test", "--json", "."], dir).stdout) as JsonReport;
    expect(j.summary.ran).toBe(false);
    expect(j.tests).toEqual([]);
  });

  it("defaults to the current directory, and exits 2 on bad usage", () => {
    const dir = payrollProject((t) => t.replace("expect no ai_call to c1", "expect no ai_call to c1 // unchanged"));
    const r = runCli(["test"], dir);
    expect(r.status).toBe(0);
    expect(closingLines(r.stdout)).toEqual(["3 passed, 0 failed"]);
    expect(runCli(["test", "--bogus"], dir).status).toBe(2);
    const missing = runCli(["test", "nope"], dir);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("no such file or directory");
  });
});
