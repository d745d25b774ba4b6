/**
 * Check-time benchmark: how long `checkProgram` (parse, names, types,
 * analyses) takes on all examples and on 1,000 generated campaigns sharing
 * one catalog. Baseline in the same run: parsing alone on the same text.
 * Run: node --import tsx bench/check.bench.ts   (writes bench/results/check.json)
 */
import { campaignFiles } from "./support/files.ts";
import { readFileSync, writeFileSync } from "node:fs";
import { checkProgram, type SourceInput } from "../compiler/program.ts";
import { parse } from "../language/parser/parse.ts";
import { machineInfo, median } from "./support/machine.ts";
import { mulberry32 } from "./support/random.ts";


const CATALOG = readFileSync("bench/fixtures/audience.campaign", "utf8").split("\ncampaign ")[0] ?? "";

/** A generated campaign: varied audience, trigger, waves, caps, budget. */
function generatedCampaign(i: number, rnd: () => number): string {
  const lo = 10 + Math.floor(rnd() * 90);
  const hi = lo + 50 + Math.floor(rnd() * 400);
  const risks = ["R1", "R2", "R3", "R4", "R5"].filter(() => rnd() < 0.5);
  const trigger = rnd() < 0.5 ? "trigger on app.login where device in (ios, android)\n    once per customer" : `trigger every day at ${String(8 + Math.floor(rnd() * 10)).padStart(2, "0")}:00`;
  return `campaign gen_${i} "生成活动 ${i}" {
  uses catalog benchbank
  window 2026-12-01 .. 2026-12-31
  priority ${Math.floor(rnd() * 100)}
  audience has payroll
    and aum between ${lo}k and ${hi}k
    and ${risks.length ? `risk in (${risks.join(", ")})` : "age >= 30"}
    and lastLogin within ${30 + Math.floor(rnd() * 90)} days
    and not has staff
  ${trigger}
  waves
    1. app_push "tpl_${i}_1" now
    2. app_push "tpl_${i}_2" after ${1 + Math.floor(rnd() * 5)} days
  cap 1 per day, 2 per week
  holdout ${Math.floor(rnd() * 20)}%
}
`;
}

function time(fn: () => void, reps: number): number {
  fn(); // warm-up
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fn();
    ts.push(performance.now() - t0);
  }
  return median(ts);
}

const exampleInputs: SourceInput[] = campaignFiles("examples").map((p) => ({ path: p, text: readFileSync(p, "utf8") }));
const rnd = mulberry32(42);
const generated: SourceInput[] = [{ path: "catalog.campaign", text: CATALOG }];
for (let i = 0; i < 1000; i++) generated.push({ path: `gen_${i}.campaign`, text: generatedCampaign(i, rnd) });

const results: Record<string, unknown>[] = [];
for (const [name, inputs] of [["examples", exampleInputs], ["1000 generated campaigns", generated]] as const) {
  if (inputs.length === 0) continue;
  const program = checkProgram(inputs);
  const errors = program.diagnostics.filter((d) => d.severity === "error");
  const bytes = inputs.reduce((s, i) => s + Buffer.byteLength(i.text), 0);
  const runs: Record<string, number>[] = [];
  const checkMs = time(() => runs.push(checkProgram(inputs).timings), 5);
  const warmStages = Object.fromEntries(Object.keys(program.timings).map((k) => [k, Math.round(median(runs.slice(1).map((t) => t[k] ?? 0)) * 10) / 10]));
  const parseMs = time(() => inputs.forEach((i) => parse(i.text, i.path)), 5);
  results.push({
    input: name,
    files: inputs.length,
    campaigns: program.campaigns.length,
    bytes,
    errors: errors.length,
    checkMs: Math.round(checkMs * 10) / 10,
    parseOnlyMs: Math.round(parseMs * 10) / 10,
    checkOverParse: Math.round((checkMs / parseMs) * 100) / 100,
    perCampaignMs: Math.round((checkMs / Math.max(1, program.campaigns.length)) * 1000) / 1000,
    /** Stages of the first (cold) check. */
    stagesMs: Object.fromEntries(Object.entries(program.timings).map(([k, v]) => [k, Math.round(v * 10) / 10])),
    /** Stages of the timed checks (median of each). */
    stagesMsWarm: warmStages,
  });
  if (errors.length > 0) console.error(`warning: ${name} has ${errors.length} errors, first: ${errors[0]?.code} ${errors[0]?.message}`);
}
console.table(results.map(({ stagesMs: _s, stagesMsWarm: _w, ...r }) => r));
for (const r of results) console.log(r.input, "stages (cold):", JSON.stringify(r.stagesMs), "stages (warm median):", JSON.stringify(r.stagesMsWarm));
const out = { benchmark: "check", machine: machineInfo(), results };
writeFileSync("bench/results/check.json", JSON.stringify(out, null, 2) + "\n");
console.log("saved bench/results/check.json");
