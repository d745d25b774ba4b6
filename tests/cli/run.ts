/**
 * Helpers for the CLI tests: run `node bin/campaign.js` as a child process
 * and build throwaway project directories.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const launcher = join(repoRoot, "bin", "campaign.js");

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI with `args` in `cwd`, without colour. */
export function runCli(args: readonly string[], cwd: string): CliResult {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
  delete env["FORCE_COLOR"];
  const r = spawnSync(process.execPath, [launcher, ...args], { cwd, env, encoding: "utf8", timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const created: string[] = [];

/** A fresh temporary directory holding `files` (path relative to the directory → contents). */
export function project(files: Record<string, string | Uint8Array>): string {
  const dir = mkdtempSync(join(tmpdir(), "campaign-cli-"));
  created.push(dir);
  for (const [path, contents] of Object.entries(files)) {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, contents);
  }
  return dir;
}

/** Removes every directory `project` made (call from afterAll). */
export function removeProjects(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A small catalog and campaign that parse without diagnostics. */
export const VALID = `catalog retail "零售" {
  timezone "Asia/Shanghai"
  currency CNY
  customer {
    aum   money  "管理资产规模"
    tier  enum(mass, wealth, premium)
  }
  tag payroll "代发工资客户"
  event app.login { device: enum(ios, android) }
  channel app_push cost 0 quiet 22:00-08:00
  channel sms cost 0.05 quiet 21:00-09:00
}

campaign payroll_login "代发客户登录" {
  uses catalog retail
  window 2026-12-01 .. 2026-12-31
  priority 80
  audience has payroll and aum between 10k and 200k
  trigger on app.login
    once per customer
  waves
    1. app_push "wealth_reco" now
    2. sms "wealth_sms" after 2 days
}
`;

/** A campaign with a misspelt clause keyword on line 2, column 3. */
export const MISSPELT = `campaign c {
  audiense has payroll
}
`;
