/**
 * One scenario per semantic rule of the runtime (spec/runtime.md), each with
 * the expected outbox contents and times.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { compile, MapCustomers, setup, t, useStore } from "./harness.ts";

const CATALOG = `catalog bank {
  timezone "Asia/Shanghai"
  currency CNY
  customer {
    aum money
    tier enum(mass, wealth, premium)
    phone string
    zone timezone
    branch string
    birthday date
  }
  tag payroll
  tag sms_off
  tag dnc
  event app.login { device: enum(ios, android, web) }
  event payroll.credited { amount: money }
  event purchase { product: enum(wealth, deposit), amount: money }
  event complaint.filed { }
  channel app_push cost 0 quiet 22:00-08:00
  channel sms cost 0.05 quiet 21:00-09:00 address phone optout sms_off
  channel rm_task cost 5 capacity 1 per day per branch
  benefit points cost 0.01 each
  benefit cash88 cost 88
  contact policy marketing {
    at most 3 per day, 5 per week across all channels
    exclude has dnc
  }
}
`;

function campaign(body: string, name = "c1", priority = 50): string {
  return `campaign ${name} {
  uses catalog bank
  window 2026-12-01 .. 2026-12-31
  priority ${priority}
${body}
}
`;
}

const LOGIN_THREE_WAVES = campaign(`
  audience has payroll and aum between 10k and 200k
  trigger on app.login where device in (ios, android)
    once per customer
  goal purchase where product = wealth and amount >= 50k within 14 days
  waves
    1. app_push "reco" now
    2. sms "sms1" after 2 days unless converted
    3. rm_task "call" after 3 days
       else app_push "call_fallback"
  benefit on goal
    points 2000 when amount >= 50k
    cash88 when amount >= 200k
    once per customer`);

function bank(): MapCustomers {
  return new MapCustomers()
    .add("u1", { aum: 50_000, tier: "wealth", phone: "138", branch: "B1" }, ["payroll"])
    .add("u2", { aum: 50_000, tier: "wealth", phone: null, branch: "B1" }, ["payroll"])
    .add("u3", { aum: 5_000, tier: "mass", phone: "139", branch: "B1" }, ["payroll"]);
}

describe.each(["memory", "sqlite"] as const)("on the %s store", (kind) => {
beforeEach(() => useStore(kind));

describe("entry", () => {
  it("enters on the trigger when audience and trigger condition hold, once per customer", () => {
    const h = setup(compile(CATALOG, LOGIN_THREE_WAVES), bank());
    h.event("app.login", "u1", t("2026-12-02T10:00"), { device: "ios" });
    h.event("app.login", "u1", t("2026-12-02T11:00"), { device: "ios" });
    h.event("app.login", "u3", t("2026-12-02T10:00"), { device: "ios" }); // aum below range
    h.event("app.login", "u2", t("2026-12-02T10:00"), { device: "web" }); // trigger condition false
    h.runUntil(t("2026-12-02T23:00"));
    expect(h.touches()).toEqual(["u1 c1 w1 app_push reco 2026-12-02T10:00"]);
  });

  it("suppresses touches that come due after the window ends", () => {
    const src = `campaign late {
  uses catalog bank
  window 2026-12-01 .. 2026-12-10
  trigger on app.login
  waves
    1. app_push "a" now
    2. app_push "b" after 3 days
}
`;
    const h = setup(compile(CATALOG, src), bank());
    h.event("app.login", "u1", t("2026-12-09T10:00"));
    h.runUntil(t("2026-12-20T00:00"));
    expect(h.touches()).toEqual(["u1 late w1 app_push a 2026-12-09T10:00"]);
    expect(h.store.journey().filter((j) => j.reason === "window").map((j) => j.wave)).toEqual([2]);
  });

  it("ignores triggers outside the window", () => {
    const h = setup(compile(CATALOG, LOGIN_THREE_WAVES), bank());
    h.event("app.login", "u1", t("2026-11-30T10:00"), { device: "ios" });
    h.runUntil(t("2026-12-10T00:00"));
    expect(h.touches()).toEqual([]);
  });

  it("re-enters after the cool-down with `again after`", () => {
    const src = campaign(`
  trigger on app.login
    again after 7 days
  waves
    1. app_push "hi" now`);
    const h = setup(compile(CATALOG, src), bank());
    h.event("app.login", "u1", t("2026-12-02T10:00"));
    h.event("app.login", "u1", t("2026-12-05T10:00"));
    h.event("app.login", "u1", t("2026-12-09T10:00"));
    h.runUntil(t("2026-12-10T00:00"));
    expect(h.touches()).toEqual(["u1 c1 w1 app_push hi 2026-12-02T10:00", "u1 c1 w1 app_push hi 2026-12-09T10:00"]);
  });
});

describe("waves", () => {
  it("sends waves after their delays, moves touches out of quiet hours and falls back when unreachable", () => {
    const h = setup(compile(CATALOG, LOGIN_THREE_WAVES), bank());
    h.event("app.login", "u1", t("2026-12-02T22:30"), { device: "ios" });
    h.runUntil(t("2026-12-10T00:00"));
    // push: quiet 22:00-08:00 → 08:00 next day; sms 2 days after the push at 08:00 is in sms quiet hours (21-09) → 09:00;
    // rm_task 3 days after that.
    expect(h.touches()).toEqual([
      "u1 c1 w1 app_push reco 2026-12-03T08:00",
      "u1 c1 w2 sms sms1 2026-12-05T09:00",
      "u1 c1 w3 rm_task call 2026-12-08T09:00",
    ]);
    const deferrals = h.store.journey().filter((j) => j.kind === "deferral");
    expect(deferrals.map((d) => d.reason)).toEqual(["quiet-hours", "quiet-hours"]);
  });

  it("falls back to the next channel when the customer has no address, and when capacity is used up", () => {
    const h = setup(compile(CATALOG, LOGIN_THREE_WAVES), bank());
    h.event("app.login", "u1", t("2026-12-02T10:00"), { device: "ios" });
    h.event("app.login", "u2", t("2026-12-02T10:00"), { device: "ios" });
    h.runUntil(t("2026-12-10T00:00"));
    const touches = h.touches();
    // u2 has no phone: wave 2 (sms, no fallback) is suppressed; wave 3: one rm_task per branch per day, so the second goes to app_push.
    expect(touches).toContain("u2 c1 w1 app_push reco 2026-12-02T10:00");
    expect(touches.filter((x) => x.startsWith("u2") && x.includes(" w2 "))).toEqual([]);
    expect(touches).toContain("u1 c1 w3 rm_task call 2026-12-07T10:00");
    expect(touches).toContain("u2 c1 w3 app_push call_fallback 2026-12-07T10:00");
    const reasons = h.store.journey().filter((j) => j.customerId === "u2" && (j.kind === "suppression" || j.kind === "fallback")).map((j) => j.reason);
    expect(reasons).toEqual(["no-address", "capacity"]);
  });

  it("skips a wave whose `only` condition is false and one whose previous touch was opened", () => {
    const src = campaign(`
  trigger on app.login
  waves
    1. app_push "a" now
    2. app_push "b" after 1 day unless opened
    3. app_push "c" after 1 day, only tier >= premium
    4. app_push "d" after 1 day`);
    const h = setup(compile(CATALOG, src), bank());
    h.event("app.login", "u1", t("2026-12-02T10:00"));
    const first = h.store.allOutbox()[0];
    expect(first?.action.kind).toBe("touch");
    h.feedback(first?.action.id ?? "", "opened", t("2026-12-02T12:00"));
    h.runUntil(t("2026-12-10T00:00"));
    expect(h.touches()).toEqual(["u1 c1 w1 app_push a 2026-12-02T10:00", "u1 c1 w4 app_push d 2026-12-05T10:00"]);
  });
});

describe("goals and benefits", () => {
  it("a conversion cancels the remaining waves and pays every matching benefit line, once per customer", () => {
    const h = setup(compile(CATALOG, LOGIN_THREE_WAVES), bank());
    h.event("app.login", "u1", t("2026-12-02T10:00"), { device: "ios" });
    h.event("purchase", "u1", t("2026-12-03T10:00"), { product: "wealth", amount: 250_000 });
    h.event("purchase", "u1", t("2026-12-04T10:00"), { product: "wealth", amount: 60_000 });
    h.runUntil(t("2026-12-20T00:00"));
    expect(h.touches()).toEqual(["u1 c1 w1 app_push reco 2026-12-02T10:00"]);
    const payouts = h.actions().filter((a) => a.kind === "payout");
    expect(payouts).toMatchObject([
      { benefit: "points", quantity: 2000, cost: 20, customerId: "u1" },
      { benefit: "cash88", quantity: 1, cost: 88, customerId: "u1" },
    ]);
    expect(h.store.journey().filter((j) => j.kind === "conversion")).toHaveLength(2);
  });

  it("counts every goal event in the attribution window and pays up to `at most N per customer`", () => {
    const src = campaign(`
  trigger on app.login
  goal purchase within 30 days
  waves
    1. app_push "a" now
    2. app_push "b" after 3 days
  benefit on goal
    points 100
    at most 2 per customer`);
    const h = setup(compile(CATALOG, src), bank());
    h.event("app.login", "u1", t("2026-12-02T10:00"));
    for (const d of ["03", "04", "05"]) h.event("purchase", "u1", t(`2026-12-${d}T10:00`), { product: "deposit", amount: 1000 });
    h.runUntil(t("2027-01-10T00:00"));
    expect(h.touches()).toEqual(["u1 c1 w1 app_push a 2026-12-02T10:00"]);
    expect(h.actions().filter((a) => a.kind === "payout")).toHaveLength(2);
    expect(h.store.journey().filter((j) => j.kind === "conversion")).toHaveLength(3);
    expect(h.store.getEntry("c1", "u1")?.status).toBe("done");
  });

  it("ignores a goal event outside the attribution window", () => {
    const h = setup(compile(CATALOG, LOGIN_THREE_WAVES), bank());
    h.event("app.login", "u1", t("2026-12-02T10:00"), { device: "ios" });
    h.runUntil(t("2026-12-16T11:00"));
    h.event("purchase", "u1", t("2026-12-17T10:00"), { product: "wealth", amount: 60_000 });
    expect(h.actions().filter((a) => a.kind === "payout")).toEqual([]);
  });

  it("converts on an attribute change since entry", () => {
    const src = campaign(`
  trigger on app.login
  goal aum up by at least 10k within 30 days
  waves
    1. app_push "a" now
    2. app_push "b" after 5 days
  benefit on goal
    points 1000`);
    const h = setup(compile(CATALOG, src), bank());
    h.event("app.login", "u1", t("2026-12-02T10:00"));
    h.profile("u1", t("2026-12-03T10:00"), { aum: 55_000 });
    h.profile("u1", t("2026-12-04T10:00"), { aum: 61_000 });
    h.runUntil(t("2026-12-20T00:00"));
    expect(h.touches()).toEqual(["u1 c1 w1 app_push a 2026-12-02T10:00"]);
    expect(h.actions().filter((a) => a.kind === "payout")).toMatchObject([{ benefit: "points", quantity: 1000, cost: 10 }]);
  });
});

describe("caps and priorities", () => {
  it("the bank-wide policy caps touches across campaigns and the higher priority wins the last slot", () => {
    const mk = (name: string, prio: number) =>
      campaign(
        `
  trigger every day at 10:00
  waves
    1. app_push "${name}" now`,
        name,
        prio,
      );
    // Four batch campaigns at the same instant; the policy allows 3 per day.
    const plans = compile(CATALOG, mk("low", 10), mk("mid", 50), mk("high", 90), mk("top", 95));
    const customers = new MapCustomers().add("u1", { aum: 1 }, []);
    const h = setup(plans, customers);
    h.runUntil(t("2026-12-01T12:00"));
    expect(h.touches().sort()).toEqual(["u1 high w1 app_push high 2026-12-01T10:00", "u1 mid w1 app_push mid 2026-12-01T10:00", "u1 top w1 app_push top 2026-12-01T10:00"]);
    const capped = h.store.journey().filter((j) => j.kind === "suppression" && j.reason === "policy-cap");
    expect(capped.map((j) => j.campaign)).toEqual(["low"]);
  });

  it("a campaign's own cap with `when capped: defer` moves the touch to when the cap allows", () => {
    const src = campaign(`
  trigger on app.login
    again after 1 hour
  cap 1 per day
  when capped: defer
  waves
    1. app_push "a" now`);
    const h = setup(compile(CATALOG, src), bank());
    h.event("app.login", "u1", t("2026-12-02T10:00"));
    h.event("app.login", "u1", t("2026-12-02T10:00").valueOf() + 2 * 3_600_000);
    h.runUntil(t("2026-12-05T00:00"));
    // The push of the second entry waits for the next calendar day, but 00:00 is in quiet hours: 08:00.
    expect(h.touches()).toEqual(["u1 c1 w1 app_push a 2026-12-02T10:00", "u1 c1 w1 app_push a 2026-12-03T08:00"]);
  });
});

describe("opt-outs, do-not-contact, holdout", () => {
  it("an opt-out takes effect for touches already scheduled", () => {
    const h = setup(compile(CATALOG, LOGIN_THREE_WAVES), bank());
    h.event("app.login", "u1", t("2026-12-02T10:00"), { device: "ios" });
    h.optOut("u1", "sms", t("2026-12-03T10:00"));
    h.optOut("u1", "*", t("2026-12-06T10:00"));
    h.runUntil(t("2026-12-20T00:00"));
    expect(h.touches()).toEqual(["u1 c1 w1 app_push reco 2026-12-02T10:00"]);
    const reasons = h.store.journey().filter((j) => j.kind === "suppression").map((j) => j.reason);
    expect(reasons).toEqual(["opt-out", "do-not-contact"]);
  });

  it("a policy exclusion (do-not-contact tag) keeps the customer out of the campaign", () => {
    const h = setup(compile(CATALOG, LOGIN_THREE_WAVES), bank().add("u9", { aum: 50_000, phone: "1" }, ["payroll", "dnc"]));
    h.event("app.login", "u9", t("2026-12-02T10:00"), { device: "ios" });
    h.runUntil(t("2026-12-20T00:00"));
    expect(h.touches()).toEqual([]);
    expect(h.store.getEntry("c1", "u9")).toBeUndefined();
    expect(h.store.journey().map((j) => `${j.kind} ${j.reason}`)).toEqual(["suppression do-not-contact"]);
  });

  it("holdout members enter, receive nothing, and stay in the same group", () => {
    const src = campaign(`
  trigger on app.login
  waves
    1. app_push "a" now
  holdout 50%`);
    const customers = new MapCustomers();
    for (let i = 0; i < 200; i++) customers.add(`h${i}`, { aum: 1 });
    const run = () => {
      const h = setup(compile(CATALOG, src), customers);
      for (let i = 0; i < 200; i++) h.event("app.login", `h${i}`, t("2026-12-02T10:00"));
      const holdout = h.store.journey().filter((j) => j.kind === "entry" && j.group === "holdout").map((j) => j.customerId);
      return { holdout, touched: h.touches().length };
    };
    const a = run();
    const b = run();
    expect(a.holdout).toEqual(b.holdout);
    expect(a.holdout.length + a.touched).toBe(200);
    expect(a.holdout.length).toBeGreaterThan(70);
    expect(a.holdout.length).toBeLessThan(130);
  });
});

describe("budget", () => {
  it("is never overspent: payouts beyond the total are suppressed", () => {
    const src = campaign(`
  trigger on app.login
  goal purchase within 14 days
  waves
    1. app_push "a" now
  benefit on goal
    cash88
  budget 200 total
    when spent: stop benefits`);
    const customers = new MapCustomers();
    for (let i = 0; i < 5; i++) customers.add(`b${i}`, { aum: 1 });
    const h = setup(compile(CATALOG, src), customers);
    for (let i = 0; i < 5; i++) h.event("app.login", `b${i}`, t("2026-12-02T10:00"));
    for (let i = 0; i < 5; i++) h.event("purchase", `b${i}`, t("2026-12-03T10:00"), { product: "wealth", amount: 1 });
    const payouts = h.actions().filter((a) => a.kind === "payout");
    expect(payouts).toHaveLength(2);
    expect(h.store.budgetUsed("c1", "total")).toBe(176);
    expect(h.store.journey().filter((j) => j.reason === "budget")).toHaveLength(3);
  });
});

describe("absence patterns", () => {
  const src = campaign(`
  trigger on payroll.credited and no app.login within 3 days
  waves
    1. sms "nudge" now`);

  it("enters when the absence holds for the whole period", () => {
    const h = setup(compile(CATALOG, src), bank());
    h.event("payroll.credited", "u1", t("2026-12-02T10:00"), { amount: 8000 });
    h.runUntil(t("2026-12-10T00:00"));
    expect(h.touches()).toEqual(["u1 c1 w1 sms nudge 2026-12-05T10:00"]);
  });

  it("does not enter when the awaited-absent event arrives", () => {
    const h = setup(compile(CATALOG, src), bank());
    h.event("payroll.credited", "u1", t("2026-12-02T10:00"), { amount: 8000 });
    h.event("app.login", "u1", t("2026-12-04T10:00"), { device: "ios" });
    h.runUntil(t("2026-12-10T00:00"));
    expect(h.touches()).toEqual([]);
  });
});

describe("plan changes while running", () => {
  const v1 = campaign(`
  trigger on app.login
  waves
    1. app_push "a" now
    2. app_push "b_v1" after 2 days`);
  const v2 = v1.replace('"b_v1"', '"b_v2"');

  it("a replaced plan keeps customers in flight, and its rules apply to what is decided next", () => {
    const h = setup(compile(CATALOG, v1), bank());
    h.event("app.login", "u1", t("2026-12-02T10:00"));
    h.runtime.replacePlan(compile(CATALOG, v2)[0]!);
    h.runUntil(t("2026-12-10T00:00"));
    expect(h.touches()).toEqual(["u1 c1 w1 app_push a 2026-12-02T10:00", "u1 c1 w2 app_push b_v2 2026-12-04T10:00"]);
    expect(h.runtime.planIds()).toEqual(["c1"]);
  });

  it("a retired plan enters no one and drops the waves still due", () => {
    const h = setup(compile(CATALOG, v1), bank());
    h.event("app.login", "u1", t("2026-12-02T10:00"));
    h.runtime.retirePlan("c1");
    h.event("app.login", "u2", t("2026-12-03T10:00"));
    h.runUntil(t("2026-12-10T00:00"));
    expect(h.touches()).toEqual(["u1 c1 w1 app_push a 2026-12-02T10:00"]);
    expect(h.runtime.planIds()).toEqual([]);
  });

  it("refuses a plan that fails validation, naming the field, and keeps the plans it has", () => {
    const h = setup(compile(CATALOG, v1), bank());
    const bad = { ...compile(CATALOG, v2)[0]!, planVersion: 99 } as unknown as Parameters<typeof h.runtime.replacePlan>[0];
    expect(() => h.runtime.replacePlan(bad)).toThrow(/plan refused: P002 .*99/);
    const broken = JSON.parse(JSON.stringify(compile(CATALOG, v2)[0])) as { waves: { touches: { channel?: string }[] }[] };
    delete broken.waves[1]!.touches[0]!.channel;
    expect(() => h.runtime.replacePlan(broken as unknown as Parameters<typeof h.runtime.replacePlan>[0])).toThrow(/waves\[1\]\.touches\[0\]\.channel/);
    expect(h.runtime.planIds()).toEqual(["c1"]);
  });

  it("refuses to add a campaign that is already loaded", () => {
    const h = setup(compile(CATALOG, v1), bank());
    expect(() => h.runtime.addPlan(compile(CATALOG, v2)[0]!)).toThrow(/already loaded/);
  });
});

describe("bad input and idempotency", () => {
  it("dead-letters unknown customers, wrong payloads and late events, and carries on", () => {
    const h = setup(compile(CATALOG, LOGIN_THREE_WAVES), bank());
    expect(h.event("app.login", "nobody", t("2026-12-02T10:00"), { device: "ios" }).status).toBe("dead-letter");
    expect(h.event("app.login", "u1", t("2026-12-02T10:00"), { device: "nokia" }).status).toBe("dead-letter");
    expect(h.event("purchase", "u1", t("2026-12-02T10:00"), { amount: "lots" }).status).toBe("dead-letter");
    expect(h.event("no.such", "u1", t("2026-12-02T10:00")).status).toBe("dead-letter");
    expect(h.event("app.login", "u1", t("2026-12-02T12:00"), { device: "ios" }).status).toBe("processed");
    expect(h.runtime.handleEvent({ id: "late", type: "app.login", customerId: "u2", at: t("2026-12-02T09:00"), fields: {} }).status).toBe("dead-letter");
    expect(h.store.deadLetters()).toHaveLength(5);
    expect(h.touches()).toEqual(["u1 c1 w1 app_push reco 2026-12-02T12:00"]);
  });

  it("processes an event id seen twice once, and acknowledging twice is harmless", () => {
    const h = setup(compile(CATALOG, LOGIN_THREE_WAVES), bank());
    h.event("app.login", "u1", t("2026-12-02T10:00"), { device: "ios" }, "same");
    expect(h.event("app.login", "u1", t("2026-12-02T10:05"), { device: "ios" }, "same").status).toBe("duplicate");
    const row = h.runtime.pendingActions()[0];
    h.runtime.acknowledge(row?.seq ?? 0);
    h.runtime.acknowledge(row?.seq ?? 0);
    expect(h.runtime.pendingActions()).toEqual([]);
    expect(h.store.allOutbox()).toHaveLength(1);
  });

  it("gives the same outbox byte for byte for the same inputs", () => {
    const run = () => {
      const h = setup(compile(CATALOG, LOGIN_THREE_WAVES), bank());
      h.event("app.login", "u1", t("2026-12-02T22:30"), { device: "ios" });
      h.event("app.login", "u2", t("2026-12-02T23:30"), { device: "android" });
      h.event("purchase", "u2", t("2026-12-04T10:00"), { product: "wealth", amount: 80_000 });
      h.runUntil(t("2026-12-20T00:00"));
      return JSON.stringify(h.store.allOutbox()) + JSON.stringify(h.store.journey());
    };
    expect(run()).toBe(run());
  });
});
});
