/**
 * Property tests of the runtime's safety invariants (spec/runtime.md): over
 * random catalogs, campaigns, customers and input streams around the 2026
 * daylight-saving changes, no cap, policy, capacity or budget is ever
 * exceeded, no touch falls in quiet hours or reaches an opted-out, excluded
 * or holdout customer, no benefit is paid twice or beyond its limit, the
 * ledger adds up and outbox ids are unique. Recounted from the outbox and
 * the journey by support/invariants.ts, independently of the engine.
 *
 * FC_RUNS=n runs n scenarios on the memory store (default 200) and n/5 on
 * SQLite (each also compared with the memory store's result byte for byte).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MemoryStore } from "../store/memory.ts";
import { SqliteStore } from "../store/sqlite.ts";
import type { Store } from "../store/types.ts";
import { storeState } from "./support/canonical.ts";
import { driveAll, makeRuntime, newLog } from "./support/drive.ts";
import { checkInvariants } from "./support/invariants.ts";
import { compileScenario } from "./support/compile.ts";
import { renderSources, type Scenario, scenarioArb } from "./support/scenario.ts";

const RUNS = Number(process.env["FC_RUNS"] ?? 200);
const SQLITE_RUNS = Math.max(10, Math.round(RUNS / 5));
const SEED = process.env["FC_SEED"] !== undefined ? Number(process.env["FC_SEED"]) : undefined;

function run(s: Scenario, store: Store) {
  const plans = compileScenario(s);
  const clock = { now: 0 };
  const log = newLog();
  const rt = makeRuntime(plans, store, s, clock);
  driveAll(rt, store, s, clock, log);
  return { violations: checkInvariants(s, store, log), log };
}

function report(s: Scenario, violations: string[]): string {
  return `${violations.slice(0, 10).join("\n")}\n--- sources\n${renderSources(s).join("\n")}`;
}

describe("runtime invariants (property-based)", () => {
  it(`hold on the memory store (${RUNS} runs)`, { timeout: 600_000 }, () => {
    let touches = 0;
    let payouts = 0;
    fc.assert(
      fc.property(scenarioArb(), (s) => {
        const store = new MemoryStore();
        const { violations } = run(s, store);
        for (const r of store.allOutbox()) r.action.kind === "touch" ? touches++ : payouts++;
        expect(violations, report(s, violations)).toEqual([]);
      }),
      { numRuns: RUNS, ...(SEED !== undefined ? { seed: SEED } : {}) },
    );
    // The generator must exercise what the invariants are about.
    expect(touches).toBeGreaterThan(RUNS * 3);
    expect(payouts).toBeGreaterThan(RUNS / 10);
  });

  it(`hold on the SQLite store and give the memory store's result byte for byte (${SQLITE_RUNS} runs)`, { timeout: 600_000 }, () => {
    fc.assert(
      fc.property(scenarioArb(), (s) => {
        const sqlite = new SqliteStore(":memory:");
        try {
          const { violations } = run(s, sqlite);
          expect(violations, report(s, violations)).toEqual([]);
          const memory = new MemoryStore();
          run(s, memory);
          expect(storeState(s, sqlite)).toEqual(storeState(s, memory));
        } finally {
          sqlite.close();
        }
      }),
      { numRuns: SQLITE_RUNS, ...(SEED !== undefined ? { seed: SEED + 1 } : {}) },
    );
  });
});
