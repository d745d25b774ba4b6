/**
 * The crash test's child process: replays the input stream of a scenario
 * (deterministic from a seed) into a SqliteStore on a file, dispatching and
 * acknowledging outbox rows after every step, like a dispatch service would.
 * The parent SIGKILLs it at random points and starts it again on the same
 * file: it then replays the stream from the start, the inputs already seen
 * report `duplicate` (idempotency) and `runDue` finds nothing already done,
 * so it carries on where it stopped.
 *
 *   node --import tsx runtime/tests/crash-worker.ts <db> <seed> <maxSteps> <plans.json>
 *
 * The plans are the scenario's, compiled once by the parent (so a restart
 * does not pay for loading the compiler's front end).
 *
 * Prints (synchronously, so nothing is lost to the kill) `READY`, then
 * `S <i>` after step i, `D <seq> <id>` for every row it dispatches, then
 * `DONE <duplicates>`.
 */
import { readFileSync, writeSync } from "node:fs";
import type { Plan } from "../../compiler/plan/types.ts";
import { SqliteStore } from "../store/sqlite.ts";
import type { CampaignRuntime } from "../engine/runtime.ts";
import { applyStep, makeRuntime } from "./support/drive.ts";
import { drainUntil, scenarioFromSeed } from "./support/scenario.ts";

function out(line: string): void {
  writeSync(1, `${line}\n`);
}

function dispatch(rt: CampaignRuntime): void {
  for (;;) {
    const rows = rt.pendingActions(100);
    if (rows.length === 0) return;
    for (const r of rows) {
      out(`D ${r.seq} ${r.action.id}`);
      rt.acknowledge(r.seq);
    }
  }
}

const [db, seedArg, stepsArg, plansFile] = process.argv.slice(2);
if (!db || !seedArg || !stepsArg || !plansFile) throw new Error("usage: crash-worker.ts <db> <seed> <maxSteps> <plans.json>");
const scenario = scenarioFromSeed(Number(seedArg), Number(stepsArg));
const plans = JSON.parse(readFileSync(plansFile, "utf8")) as Plan[];
const store = new SqliteStore(db);
const clock = { now: 0 };
const rt = makeRuntime(plans, store, scenario, clock);
out("READY");
// Rows committed before the last kill but not yet acknowledged are dispatched again (at least once).
dispatch(rt);
let duplicates = 0;
scenario.steps.forEach((step, i) => {
  clock.now = Math.max(clock.now, step.at);
  const r = applyStep(rt, store, scenario, i, step, undefined);
  if (typeof r !== "number" && r.status === "duplicate") duplicates++;
  dispatch(rt);
  out(`S ${i}`);
});
rt.runDue(drainUntil(scenario));
dispatch(rt);
out(`DONE ${duplicates}`);
store.close();
