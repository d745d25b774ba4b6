/**
 * Replay: handing the same stream in a second time leaves the state as it
 * was: every input reports `duplicate`, and outbox, journey, entries,
 * timers, ledgers and dead letters are identical, on both stores.
 */
import { describe, expect, it } from "vitest";
import { MemoryStore } from "../store/memory.ts";
import { SqliteStore } from "../store/sqlite.ts";
import type { Store } from "../store/types.ts";
import { storeState } from "./support/canonical.ts";
import { compileScenario } from "./support/compile.ts";
import { applyStep, driveAll, makeRuntime, newLog } from "./support/drive.ts";
import { drainUntil, scenarioFromSeed } from "./support/scenario.ts";

const SEEDS = Array.from({ length: 12 }, (_, i) => 101 + i);

describe.each([
  ["memory", () => new MemoryStore() as Store],
  ["sqlite", () => new SqliteStore(":memory:") as Store],
] as const)("replaying a stream on the %s store", (_name, makeStore) => {
  it.each(SEEDS)("leaves the state unchanged (seed %i)", (seed) => {
    const s = scenarioFromSeed(seed, 150);
    const plans = compileScenario(s);
    const store = makeStore();
    const clock = { now: 0 };
    const first = makeRuntime(plans, store, s, clock);
    driveAll(first, store, s, clock, newLog());
    const before = storeState(s, store);
    expect(JSON.parse(before.outbox).length).toBeGreaterThan(0);
    // A fresh runtime on the same store (as after a restart), the same inputs again.
    const again = makeRuntime(plans, store, s, clock);
    s.steps.forEach((step, i) => {
      const r = applyStep(again, store, s, i, step, undefined);
      if (step.kind === "tick") expect(r).toBe(0);
      else expect(r).toEqual({ status: "duplicate" });
    });
    expect(again.runDue(drainUntil(s))).toBe(0);
    expect(storeState(s, store)).toEqual(before);
    store.close();
  });
});
