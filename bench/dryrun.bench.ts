/**
 * Dry-run benchmark: `campaign dry-run` of one real-time example
 * (payroll_login_wealth: app.login trigger) and one batch example
 * (birthday_care: a daily batch at 09:00 in each customer's zone) over a
 * sample bank of 2,000,000 customers and 30 days of events, each in a fresh
 * process: wall time and peak memory (process.resourceUsage().maxRSS of that
 * process). Targets on the 2-core machine: under 60 s and under 2 GB each.
 *
 *   node --import tsx bench/dryrun.bench.ts [--customers 2000000] [--out bench/results/dryrun.json]
 *
 * The bank is generated once with `campaign sample-data --seed 1` and cached
 * as bench/.data/bank-<N>.db (gitignored: *.db). With `--child` the script
 * runs one dry-run in-process and prints its measurements (the parent's mode
 * spawns it).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { machineInfo } from "./support/machine.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? (process.argv[i + 1] as string) : fallback;
}

interface ChildResult {
  readonly exitCode: number;
  readonly wallMs: number;
  /** User + system CPU time of the process: robust to other load on the shared machine, unlike wall time. */
  readonly cpuMs: number;
  readonly maxRssMiB: number;
  readonly report: unknown;
}

async function child(): Promise<void> {
  const args = process.argv.slice(process.argv.indexOf("--child") + 1);
  const { run } = await import("../cli/main.ts");
  // The report goes to a file so the parent can read figures from it; stdout carries the measurements.
  const out = join(root, "bench", ".data", `report-${process.pid}.json`);
  const write = process.stdout.write.bind(process.stdout);
  const chunks: string[] = [];
  process.stdout.write = ((s: string | Uint8Array) => {
    chunks.push(typeof s === "string" ? s : Buffer.from(s).toString("utf8"));
    return true;
  }) as typeof process.stdout.write;
  const t0 = performance.now();
  const exitCode = await run(args);
  const wallMs = performance.now() - t0;
  process.stdout.write = write;
  writeFileSync(out, chunks.join(""));
  const usage = process.resourceUsage();
  const result: ChildResult = { exitCode, wallMs: Math.round(wallMs), cpuMs: Math.round((usage.userCPUTime + usage.systemCPUTime) / 1000), maxRssMiB: Math.round(usage.maxRSS / 1024), report: out };
  write(JSON.stringify(result) + "\n");
}

function summary(reportPath: string): Record<string, unknown> {
  const r = JSON.parse(readFileSync(reportPath, "utf8")) as {
    inputs: { events: number; profileUpdates: number; handedIn: { events: number; profileUpdates: number } };
    campaigns: { id: string; audience: { size: number }; entries: { total: number }; touches: { total: number }; suppressions: { total: number }; payouts: { count: number }; accounting: { pending: number; balanced: boolean } }[];
  };
  return {
    events: r.inputs.events,
    profileUpdates: r.inputs.profileUpdates,
    handedIn: r.inputs.handedIn,
    campaigns: r.campaigns.map((c) => ({ id: c.id, audience: c.audience.size, entries: c.entries.total, touches: c.touches.total, suppressions: c.suppressions.total, payouts: c.payouts.count, pending: c.accounting.pending, balanced: c.accounting.balanced })),
  };
}

function parent(): void {
  const customers = Number(arg("--customers", "2000000"));
  const outFile = resolve(root, arg("--out", "bench/results/dryrun.json"));
  const data = join(root, "bench", ".data");
  mkdirSync(data, { recursive: true });
  const bank = join(data, `bank-${customers}.db`);
  let generation: Record<string, unknown> | undefined;
  if (!existsSync(bank)) {
    process.stderr.write(`generating ${bank} (${customers} customers, 30 days)...\n`);
    const t0 = performance.now();
    const g = spawnSync(process.execPath, [join(root, "bin", "campaign.js"), "sample-data", "--customers", String(customers), "--days", "30", "--seed", "1", "-o", bank], { stdio: ["ignore", "ignore", "inherit"] });
    if (g.status !== 0) throw new Error("sample-data failed");
    generation = { ms: Math.round(performance.now() - t0) };
  }
  const cases = [
    { name: "real-time: payroll_login_wealth (app.login trigger)", files: ["examples/payroll_login_wealth.campaign"] },
    { name: "batch: birthday_care (daily at 09:00 customer time)", files: ["examples/birthday_care.campaign"] },
  ];
  const results: Record<string, unknown>[] = [];
  for (const c of cases) {
    process.stderr.write(`${c.name}...\n`);
    const r = spawnSync(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), "--child", "dry-run", ...c.files, "examples/catalog", "examples/segments", "--data", bank, "--json"], {
      cwd: root,
      encoding: "utf8",
      maxBuffer: 1 << 26,
      stdio: ["ignore", "pipe", "inherit"],
    });
    const line = r.stdout.trim().split("\n").pop() ?? "";
    const m = JSON.parse(line) as ChildResult;
    const row = { case: c.name, exitCode: m.exitCode, wallMs: m.wallMs, cpuMs: m.cpuMs, maxRssMiB: m.maxRssMiB, loadAverage: loadavg().map((x) => Math.round(x * 100) / 100), underTargets: m.wallMs < 60_000 && m.maxRssMiB < 2048, ...summary(String(m.report)) };
    rmSync(String(m.report), { force: true });
    process.stderr.write(`  ${(m.wallMs / 1000).toFixed(1)} s wall, ${(m.cpuMs / 1000).toFixed(1)} s CPU, ${m.maxRssMiB} MiB peak\n`);
    results.push(row);
  }
  // The previous run's figures are kept beside the new ones, so a change's before/after stays on record.
  let previous: unknown;
  if (existsSync(outFile)) {
    const old = JSON.parse(readFileSync(outFile, "utf8")) as { machine?: { date?: string }; results?: { case: string; wallMs: number; maxRssMiB: number }[] };
    previous = { date: old.machine?.date ?? null, results: (old.results ?? []).map((r) => ({ case: r.case, wallMs: r.wallMs, maxRssMiB: r.maxRssMiB, ...("cpuMs" in r ? { cpuMs: r.cpuMs } : {}) })) };
  }
  const doc = { benchmark: "dry-run", machine: machineInfo(), customers, days: 30, seed: 1, ...(generation ? { generation } : {}), targets: { wallMs: 60_000, maxRssMiB: 2048 }, results, ...(previous ? { previous } : {}) };
  writeFileSync(outFile, JSON.stringify(doc, null, 2) + "\n");
  process.stderr.write(`wrote ${outFile}\n`);
}

if (process.argv.includes("--child")) await child();
else parent();
