/**
 * Scenarios for the two runtime changes `campaign dry-run` needed, on both
 * stores: a batch scan's hint carries the occurrence's instant (so a source
 * can pre-filter with an audience that reads the clock), and the records a
 * batch scan yields get the customer's profile updates laid over them, as
 * lookups always did; and the batch scheduler remembers the next occurrence
 * after each cursor (runDue asks before every step; recomputing it with luxon
 * for every input made a 30-day dry-run spend most of its time there), which
 * must not outlive a plan change.
 */
import { beforeEach, describe, expect, it } from "vitest";
import type { CustomerRecord } from "../../compiler/ir/predicate.ts";
import { compile, MapCustomers, setup, t, useStore } from "./harness.ts";

const CATALOG = `catalog bank {
  timezone "Asia/Shanghai"
  currency CNY
  customer {
    aum money
    birthday date
  }
  event app.login { device: enum(ios, android, web) }
  channel app_push cost 0
}
`;

const BATCH = `campaign rich {
  uses catalog bank
  window 2026-12-01 .. 2026-12-31
  audience aum >= 100k
  trigger every day at 10:00 bank time
  waves
    1. app_push "hello" now
}
`;

/** Records the hints of the scans the runtime makes. */
class HintedCustomers extends MapCustomers {
  readonly hints: ({ readonly campaign: string; readonly at?: number } | undefined)[] = [];
  override *scan(hint?: { readonly campaign: string; readonly at?: number }): Iterable<CustomerRecord> {
    this.hints.push(hint);
    yield* super.scan();
  }
}

describe.each(["memory", "sqlite"] as const)("dry-run regressions on the %s store", (kind) => {
  beforeEach(() => useStore(kind));

  it("a batch occurrence scans with the campaign and the occurrence's instant", () => {
    const customers = new HintedCustomers();
    customers.add("u1", { aum: 200_000 });
    const h = setup(compile(CATALOG, BATCH), customers);
    h.runUntil(t("2026-12-02T12:00"));
    expect(customers.hints).toEqual([
      { campaign: "rich", at: t("2026-12-01T10:00") },
      { campaign: "rich", at: t("2026-12-02T10:00") },
    ]);
  });

  it("a profile update before a batch occurrence counts for its audience (it was ignored: the scanned record was used as the source had it)", () => {
    // u1 is below the audience in the source; an update at 09:00 lifts her AUM to 150k.
    // u2 is in the audience in the source; an update takes her out of it.
    const customers = new MapCustomers().add("u1", { aum: 50_000 }).add("u2", { aum: 500_000 });
    const h = setup(compile(CATALOG, BATCH), customers);
    h.profile("u1", t("2026-12-01T09:00"), { aum: 150_000 });
    h.profile("u2", t("2026-12-01T09:30"), { aum: 1_000 });
    h.runUntil(t("2026-12-01T12:00"));
    expect(h.touches()).toEqual(["u1 rich w1 app_push hello 2026-12-01T10:00"]);
  });

  it("the remembered next occurrence follows a replaced plan's new schedule", () => {
    const customers = new MapCustomers().add("u1", { aum: 200_000 }).add("u2", { aum: 300_000 });
    const plans = compile(CATALOG, BATCH);
    const h = setup(plans, customers);
    h.runUntil(t("2026-12-01T12:00"));
    // The next occurrence (Dec 2 10:00) is known now; the new plan runs at 08:00 instead, for everyone again.
    const moved = compile(CATALOG, BATCH.replace("at 10:00", "at 08:00").replace('1. app_push "hello" now', '1. app_push "early" now'));
    h.runtime.replacePlan(moved[0]!);
    h.runUntil(t("2026-12-02T09:00"));
    expect(h.touches()).toEqual(["u1 rich w1 app_push hello 2026-12-01T10:00", "u2 rich w1 app_push hello 2026-12-01T10:00"]);
    // once per customer (the default): the 08:00 occurrence ran and offered entry to no one new
    customers.add("u3", { aum: 400_000 });
    h.runUntil(t("2026-12-03T09:00"));
    expect(h.touches().slice(2)).toEqual(["u3 rich w1 app_push early 2026-12-03T08:00"]);
  });

  it("with customer time, a source's distinctValues gives the zones in use (no scan of every customer)", () => {
    const cat = CATALOG.replace("birthday date", "birthday date\n    zone timezone");
    const src = BATCH.replace("bank time", "customer time");
    class ZoneCustomers extends HintedCustomers {
      asked: string[] = [];
      distinctValues(attribute: string): (string | number | boolean | null)[] {
        this.asked.push(attribute);
        return [...new Set([...this.map.values()].map((c) => c.attrs[attribute] ?? null))].filter((v) => v !== null).sort();
      }
    }
    const run = (customers: HintedCustomers) => {
      customers.add("u1", { aum: 200_000, zone: "Europe/London" }).add("u2", { aum: 300_000 });
      const h = setup(compile(cat, src), customers);
      h.runUntil(t("2026-12-02T00:00"));
      return h.touches();
    };
    const withZones = new ZoneCustomers();
    const plain = new HintedCustomers();
    const a = run(withZones);
    expect(a).toEqual(run(plain));
    expect(a).toEqual(["u2 rich w1 app_push hello 2026-12-01T10:00", "u1 rich w1 app_push hello 2026-12-01T18:00"]);
    expect(withZones.asked).toEqual(["zone"]);
    expect(withZones.hints.filter((h) => h === undefined)).toEqual([]);
    expect(plain.hints.filter((h) => h === undefined).length).toBe(1);
  });
});
