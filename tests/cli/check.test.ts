import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { MISSPELT, project, removeProjects, repoRoot, runCli, VALID } from "./run.ts";

afterAll(removeProjects);

interface JsonDiagnostic {
  code: string;
  severity: string;
  message: string;
  span: { file: string; offset: number; length: number; line: number; column: number; endLine: number; endColumn: number };
  related: unknown[];
  fixes: { title: string; edits: { span: unknown; newText: string }[] }[];
}
interface JsonReport {
  diagnostics: JsonDiagnostic[];
  summary: { errors: number; warnings: number; files: number };
}

describe("campaign check", () => {
  it("exits 0 on clean files found recursively, ignoring other extensions and node_modules", () => {
    const dir = project({
      "src/deep/ok.campaign": VALID,
      "src/notes.txt": "not a campaign {",
      "node_modules/pkg/bad.campaign": MISSPELT,
    });
    const r = runCli(["check", "src"], dir);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("checked 1 file: 0 errors, 0 warnings\n");
    expect(r.status).toBe(0);
  });

  it("exits 1 on errors and shows code, location, source line, carets and fix", () => {
    const dir = project({ "bad.campaign": MISSPELT });
    const r = runCli(["check", "bad.campaign"], dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^error\[S004\]: .*`audiense`/);
    expect(r.stdout).toContain("  --> bad.campaign:2:3\n");
    expect(r.stdout).toContain(" 2 |   audiense has payroll\n   |   ^^^^^^^^\n");
    expect(r.stdout).toContain("= fix: replace with `audience`");
    expect(r.stdout).toMatch(/checked 1 file: \d+ errors?, 0 warnings\n$/);
  });

  it("exits 0 when there are only warnings, and still prints them", () => {
    const source = `${VALID}\ncampaign c2 {\n  uses catalog retail\n  window 2026-12-01 .. 2026-12-31\n  trigger on app.login\n  test "nothing checked" {\n    given customer c1 { tier mass }\n  }\n}\n`;
    const dir = project({ "warn.campaign": source });
    const r = runCli(["check", "."], dir);
    expect(r.stdout).toContain("warning[S015]:");
    expect(r.stdout).toContain("checked 1 file: 0 errors, 1 warning\n");
    expect(r.status).toBe(0);
  });

  it("--json prints one document with diagnostics and summary, files in sorted order", () => {
    const dir = project({ "b/two.campaign": MISSPELT, "a/one.campaign": MISSPELT, "a/ok.campaign": VALID });
    const r = runCli(["check", "b", "a", "--json"], dir);
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(report.summary).toEqual({ errors: report.diagnostics.filter((d) => d.severity === "error").length, warnings: 0, files: 3 });
    expect(report.summary.errors).toBeGreaterThanOrEqual(2);
    const files = report.diagnostics.map((d) => d.span.file);
    expect(files).toEqual([...files].sort());
    expect(files[0]).toBe(join("a", "one.campaign"));
    const first = report.diagnostics[0];
    expect(first).toMatchObject({
      code: "S004",
      severity: "error",
      span: { line: 2, column: 3, length: 8, endLine: 2, endColumn: 11 },
      fixes: [{ title: "replace with `audience`", edits: [{ newText: "audience" }] }],
    });
    expect(Array.isArray(first?.related)).toBe(true);
    expect(typeof first?.message).toBe("string");
  });

  it("reports a file that is not UTF-8 as X001 and exits 1", () => {
    const dir = project({ "latin1.campaign": Uint8Array.from([0x63, 0x61, 0xe9, 0x0a]), "ok.campaign": VALID });
    const r = runCli(["check", "."], dir);
    expect(r.stdout).toContain("error[X001]: file is not valid UTF-8\n  --> latin1.campaign:1:1");
    expect(r.stdout).toContain("checked 2 files: 1 error, 0 warnings");
    expect(r.status).toBe(1);
  });

  it("exits 2 with a message for a path that does not exist", () => {
    const dir = project({ "ok.campaign": VALID });
    const r = runCli(["check", "ok.campaign", "missing.campaign"], dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe("error: no such file or directory: `missing.campaign`\n");
    expect(r.stdout).toBe("");
  });

  it("exits 2 without paths, on an unknown option (of any command) and on an unknown command", () => {
    const dir = project({});
    const none = runCli(["check"], dir);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain("missing required argument 'paths'");
    const option = runCli(["check", ".", "--jsn"], dir);
    expect(option.status).toBe(2);
    expect(option.stderr).toContain("unknown option '--jsn'");
    const other = runCli(["compile", ".", "--nope"], dir);
    expect(other.status).toBe(2);
    expect(other.stderr).toContain("unknown option '--nope'");
    const command = runCli(["chek", "."], dir);
    expect(command.status).toBe(2);
    expect(command.stderr).toContain("unknown command 'chek'");
    expect(command.stderr).toContain("Did you mean check?");
  });
});

describe("campaign (program)", () => {
  it("--version prints the package version", () => {
    const version = (JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { version: string }).version;
    const r = runCli(["--version"], repoRoot);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${version}\n`);
  });

  it("--help lists the commands; each command has its own --help", () => {
    const top = runCli(["--help"], repoRoot);
    expect(top.status).toBe(0);
    expect(top.stdout).toContain("Usage: campaign [options] [command]");
    expect(top.stdout).toMatch(/check \[options\] <paths\.\.\.>/);
    expect(top.stdout).toMatch(/fmt \[options\] \[paths\.\.\.\]/);
    const check = runCli(["check", "--help"], repoRoot);
    expect(check.status).toBe(0);
    expect(check.stdout).toContain("Usage: campaign check [options] <paths...>");
    expect(check.stdout).toContain("--json");
    const fmt = runCli(["fmt", "--help"], repoRoot);
    expect(fmt.status).toBe(0);
    expect(fmt.stdout).toContain("Usage: campaign fmt [options] [paths...]");
    expect(fmt.stdout).toContain("--check");
  });
});
