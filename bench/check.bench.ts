/**
 * Check-time benchmark: how long `checkProgram` (parse, names, types,
 * analyses) takes on all examples and on 1,000 generated campaigns sharing
 * one catalog. Baseline in the same run: parsing alone on the same text.
 * Run: node --import tsx bench/check.bench.ts   (writes bench/results/check.json)
 */
import { benchProgram } from "../compiler/tests/analyses.perf.programs.ts";
import { campaignFiles } from "./support/files.ts";
import { readFileSync, writeFileSync } from "node:fs";
import { checkProgram, type SourceInput } from "../compiler/program.ts";
import { parse } from "../language/parser/parse.ts";
import { machineInfo, median } from "./support/machine.ts";




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
// The same generator (and seed) as the analyses' performance test, so both measure one program.
const generated: SourceInput[] = benchProgram(1000);

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
