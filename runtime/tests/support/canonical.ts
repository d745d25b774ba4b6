/** A store's observable state as canonical JSON, for comparing runs byte for byte. */
import type { Store } from "../../store/types.ts";
import type { Scenario } from "./scenario.ts";

export interface StoreState {
  readonly outbox: string;
  readonly journey: string;
  readonly entries: string;
  readonly ledger: string;
  readonly deadLetters: string;
}

/** Outbox (without acknowledgement stamps), journey, every entry and timer, budgets and payout counts. */
export function storeState(s: Scenario, store: Store): StoreState {
  const outbox = store.allOutbox().map((r) => ({ seq: r.seq, action: r.action }));
  const entries: unknown[] = [];
  const ledger: unknown[] = [];
  for (const c of s.campaigns) {
    ledger.push([c.name, store.budgetUsed(c.name, "total")]);
    for (const cust of s.customers) {
      const e = store.getEntry(c.name, cust.id);
      const timers = store.timersOf(c.name, cust.id).sort((a, b) => (a.id < b.id ? -1 : 1));
      if (e || timers.length > 0) entries.push({ e: e ?? null, timers, paid: store.payoutCount(c.name, cust.id) });
    }
  }
  return {
    outbox: JSON.stringify(outbox),
    journey: JSON.stringify(store.journey()),
    entries: JSON.stringify(entries),
    ledger: JSON.stringify(ledger),
    deadLetters: JSON.stringify(store.deadLetters().map((d) => ({ at: d.at, reason: d.reason, input: d.input }))),
  };
}
