/**
 * Crash safety: a worker process (crash-worker.ts) replays a generated input
 * stream into a SqliteStore on a file and is SIGKILLed at random points,
 * then restarted on the same file until the stream is done. Afterwards every
 * invariant holds, no committed outbox row is lost or duplicated, every row
 * was dispatched (a row dispatched twice only across a kill: at least once,
 * never twice within one life), and outbox, journey, entries, timers and
 * ledgers equal those of an uninterrupted run of the same stream.
 *
 * CRASH_KILLS=n for more kills (default 20).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { mulberry32 } from "../../bench/support/random.ts";
import { SqliteStore } from "../store/sqlite.ts";
import { storeState } from "./support/canonical.ts";
import { driveAll, makeRuntime, newLog } from "./support/drive.ts";
import { checkInvariants } from "./support/invariants.ts";
import { compileScenario } from "./support/compile.ts";
import { scenarioFromSeed } from "./support/scenario.ts";

const KILLS = Number(process.env["CRASH_KILLS"] ?? 20);
const KILLS_PER_STREAM = 6;
const MAX_STEPS = 300;
const dir = mkdtempSync(join(tmpdir(), "campaign-crash-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Life {
  readonly dispatched: { seq: number; id: string }[];
  readonly done: boolean;
  readonly killed: boolean;
  readonly duplicates: number;
}

/**
 * Runs the worker once. With `kill`, SIGKILLs it when it reports step `kill.step` done (or any later
 * one), after a further random 0-`kill.ms` ms, so the kill lands anywhere in the steps that follow.
 */
function life(db: string, seed: number, plansFile: string, kill: { step: number; ms: number } | undefined): Promise<Life> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "runtime/tests/crash-worker.ts", db, String(seed), String(MAX_STEPS), plansFile], { stdio: ["ignore", "pipe", "pipe"] });
    const dispatched: { seq: number; id: string }[] = [];
    let buf = "";
    let err = "";
    let done = false;
    let duplicates = 0;
    let killed = false;
    let armed = false;
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        const [tag, a, b] = line.split(" ");
        if (tag === "S" && kill !== undefined && Number(a) >= kill.step && !armed) {
          armed = true;
          setTimeout(() => {
            if (!done) killed = child.kill("SIGKILL");
          }, kill.ms);
        } else if (tag === "D") dispatched.push({ seq: Number(a), id: b ?? "" });
        else if (tag === "DONE") {
          done = true;
          duplicates = Number(a);
        }
      }
    });
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (signal === "SIGKILL" && killed) resolve({ dispatched, done: false, killed: true, duplicates });
      else if (code === 0 && done) resolve({ dispatched, done: true, killed: false, duplicates });
      else reject(new Error(`worker exited with ${code ?? signal}: ${err}`));
    });
  });
}

describe("crash safety (SIGKILL at random points, restart on the same file)", () => {
  it(`survives ${KILLS} kills: same outbox, journey and state as an uninterrupted run`, { timeout: 300_000 }, async () => {
    const rnd = mulberry32(20261025);
    let kills = 0;
    let streams = 0;
    let resumedWithDuplicates = 0;
    let redispatched = 0;
    for (let seed = 1; kills < KILLS; seed++) {
      streams++;
      const scenario = scenarioFromSeed(seed, MAX_STEPS);
      // The uninterrupted run.
      const plans = compileScenario(scenario);
      const plansFile = join(dir, `s${seed}.plans.json`);
      writeFileSync(plansFile, JSON.stringify(plans));
      const ref = new SqliteStore(":memory:");
      const clock = { now: 0 };
      const log = newLog();
      driveAll(makeRuntime(plans, ref, scenario, clock), ref, scenario, clock, log);
      const expected = storeState(scenario, ref);
      ref.close();

      const db = join(dir, `s${seed}.db`);
      const lives: Life[] = [];
      for (let k = 0; ; k++) {
        const killAt = k < KILLS_PER_STREAM && kills < KILLS ? { step: Math.floor(rnd() * scenario.steps.length), ms: Math.floor(rnd() * 20) } : undefined;
        const l = await life(db, seed, plansFile, killAt);
        lives.push(l);
        if (l.killed) kills++;
        if (k > 0 && l.duplicates > 0) resumedWithDuplicates++;
        if (l.done) break;
        if (k > 50) throw new Error("the worker never finished");
      }

      const store = new SqliteStore(db);
      try {
        const got = storeState(scenario, store);
        expect(got.outbox).toBe(expected.outbox);
        expect(got.journey).toBe(expected.journey);
        expect(got.entries).toBe(expected.entries);
        expect(got.ledger).toBe(expected.ledger);
        expect(got.deadLetters).toBe(expected.deadLetters);
        expect(checkInvariants(scenario, store, log)).toEqual([]);
        // Every committed row was dispatched and acknowledged; none lost, none made twice.
        expect(store.pendingOutbox(1_000_000)).toEqual([]);
        const rows = store.allOutbox();
        const byId = new Map(rows.map((r) => [r.action.id, r.seq]));
        expect(byId.size).toBe(rows.length);
        const seen = new Set<string>();
        for (const l of lives) {
          const inLife = new Set<string>();
          for (const d of l.dispatched) {
            expect(byId.get(d.id), `dispatched row ${d.id} is in the outbox with its seq`).toBe(d.seq);
            expect(inLife.has(d.id), `row ${d.id} dispatched twice in one life`).toBe(false);
            inLife.add(d.id);
            seen.add(d.id);
          }
        }
        expect(seen.size).toBe(rows.length);
        redispatched += lives.reduce((n, l) => n + l.dispatched.length, 0) - seen.size;
      } finally {
        store.close();
      }
    }
    console.log(`crash test: ${kills} kills over ${streams} streams; ${resumedWithDuplicates} final lives resumed past inputs already seen; ${redispatched} rows dispatched again after a kill (at least once)`);
    expect(kills).toBeGreaterThanOrEqual(KILLS);
    expect(resumedWithDuplicates).toBeGreaterThan(0);
  });
});
