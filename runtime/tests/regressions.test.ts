/**
 * One scenario per runtime bug found by the property, crash and replay tests
 * (runtime/tests/properties.test.ts and friends), on both stores.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { compile, MapCustomers, setup, t, useStore } from "./harness.ts";

const CATALOG = `catalog bank {
  timezone "Asia/Shanghai"
  currency CNY
  customer {
    aum money
    phone string
  }
  tag dnc
  event app.login { device: enum(ios, android, web) }
  event purchase { amount: money }
  channel app_push cost 0
  channel sms cost 0.05 address phone
  benefit points cost 0.01 each
  contact policy marketing {
    at most 1 per day across all channels
    at most 1 per rolling 24 hours on sms
    exclude has dnc
  }
}
`;

function campaign(name: string, body: string): string {
  return `campaign ${name} {
  uses catalog bank
  window 2026-12-01 .. 2026-12-31
${body}
}
`;
}

describe.each(["memory", "sqlite"] as const)("regressions on the %s store", (kind) => {
  beforeEach(() => useStore(kind));

  it("a touch decided late for an earlier instant of a calendar period counts the touch already sent later in it", () => {
    // Bug: caps counted only contacts up to the touch's own instant, so a wave timer run after an
    // input of a later time (or a late input inside the tolerance) broke `1 per day`.
    const plans = compile(
      CATALOG,
      campaign("delayed", `  trigger on app.login\n  waves\n    1. app_push "d" after 6 hours`),
      campaign("instant", `  trigger on purchase\n  waves\n    1. app_push "i" now`),
    );
    const h = setup(plans, new MapCustomers().add("u1", { aum: 1, phone: "1" }));
    h.runtime.handleEvent({ id: "e1", type: "app.login", customerId: "u1", at: t("2026-12-02T09:00"), fields: { device: "ios" } });
    // The dispatch service hands in a 16:00 purchase before running the 15:00 wave.
    h.runtime.handleEvent({ id: "e2", type: "purchase", customerId: "u1", at: t("2026-12-02T16:00"), fields: { amount: 1 } });
    h.runUntil(t("2026-12-03T00:00"));
    expect(h.touches()).toEqual(["u1 instant w1 app_push i 2026-12-02T16:00"]);
    expect(h.store.journey().filter((j) => j.reason === "policy-cap").map((j) => j.campaign)).toEqual(["delayed"]);
  });

  it("a rolling window counts a touch already sent less than a window later", () => {
    const plans = compile(
      CATALOG.replace("at most 1 per day across all channels", "at most 5 per day across all channels"),
      campaign("delayed", `  trigger on app.login\n  waves\n    1. sms "d" after 20 hours`),
      campaign("instant", `  trigger on purchase\n  waves\n    1. sms "i" now`),
    );
    const h = setup(plans, new MapCustomers().add("u1", { aum: 1, phone: "1" }));
    h.runtime.handleEvent({ id: "e1", type: "app.login", customerId: "u1", at: t("2026-12-02T00:00"), fields: { device: "ios" } });
    h.runtime.handleEvent({ id: "e2", type: "purchase", customerId: "u1", at: t("2026-12-02T22:00"), fields: { amount: 1 } });
    h.runUntil(t("2026-12-05T00:00"));
    // The 20:00 sms would put two sms in the 24 hours ending at 22:00: dropped.
    expect(h.touches()).toEqual(["u1 instant w1 sms i 2026-12-02T22:00"]);
  });

  it("a contact policy's exclude withholds benefits, not only touches", () => {
    // Bug: a customer excluded by `exclude has dnc` received no touch but was paid on conversion.
    const src = campaign(
      "c1",
      `  trigger on app.login
  goal purchase within 14 days
  waves
    1. app_push "a" now
  benefit on goal
    points 100`,
    );
    const h = setup(compile(CATALOG, src), new MapCustomers().add("ok", { aum: 1 }).add("dnc", { aum: 1 }, ["dnc"]));
    for (const c of ["ok", "dnc"]) h.event("app.login", c, t("2026-12-02T10:00"), { device: "ios" });
    for (const c of ["ok", "dnc"]) h.event("purchase", c, t("2026-12-03T10:00"), { amount: 5 });
    expect(h.actions().map((a) => `${a.kind} ${a.customerId}`)).toEqual(["touch ok", "payout ok"]);
    // Since do-not-contact customers are not entered at all, the customer never reaches the benefit.
    expect(h.store.getEntry("c1", "dnc")).toBeUndefined();
    expect(h.store.journey().filter((j) => j.customerId === "dnc" && j.kind === "suppression").map((j) => j.rule)).toEqual(["policy marketing: exclude; not entered"]);
  });

  it("a dead-lettered input handed in again is a duplicate, not a second dead letter", () => {
    // Bug: dead-lettered ids were not marked seen, so a replay (or a restart after a crash) wrote the dead letter twice.
    const h = setup(compile(CATALOG, campaign("c1", `  trigger on app.login\n  waves\n    1. app_push "a" now`)), new MapCustomers().add("u1", { aum: 1 }));
    const bad = { id: "x1", type: "no.such", customerId: "u1", at: t("2026-12-02T10:00"), fields: {} };
    expect(h.runtime.handleEvent(bad).status).toBe("dead-letter");
    expect(h.runtime.handleEvent(bad).status).toBe("duplicate");
    expect(h.runtime.handleFeedback({ id: "f1", touchId: "nope", kind: "opened", at: t("2026-12-02T10:00") }).status).toBe("dead-letter");
    expect(h.runtime.handleFeedback({ id: "f1", touchId: "nope", kind: "opened", at: t("2026-12-02T10:00") }).status).toBe("duplicate");
    expect(h.store.deadLetters()).toHaveLength(2);
  });
});

describe("local time with the hour-cached zones (a speed-up of runtime/time/local.ts)", () => {
  it("agrees with plain luxon at every 7 minutes around the 2026 daylight-saving changes", async () => {
    const { DateTime } = await import("luxon");
    const { local, applyShift } = await import("../time/local.ts");
    const around = ["2026-03-08T07:00:00Z", "2026-03-29T01:00:00Z", "2026-10-25T01:00:00Z", "2026-11-01T06:00:00Z"].map((x) => Date.parse(x));
    for (const zone of ["America/New_York", "Europe/Berlin", "Asia/Shanghai"]) {
      for (const center of around) {
        for (let ms = center - 6 * 3_600_000; ms <= center + 6 * 3_600_000; ms += 7 * 60_000 + 13_000) {
          const plain = DateTime.fromMillis(ms, { zone });
          const cached = local(ms, zone);
          expect(cached.toISO()).toBe(plain.toISO());
          expect(cached.startOf("day").toMillis()).toBe(plain.startOf("day").toMillis());
          expect(applyShift(ms, { amount: 1, unit: "day" }, zone)).toBe(plain.plus({ days: 1 }).toMillis());
          expect(cached.set({ hour: 2, minute: 30 }).toMillis()).toBe(plain.set({ hour: 2, minute: 30 }).toMillis());
        }
      }
    }
  });
});

describe("local time without DateTime objects in the common path (day shifts, period keys and bounds, quiet hours)", () => {
  it("agrees with plain luxon around daylight-saving changes, for every unit and shift", async () => {
    const { DateTime } = await import("luxon");
    const { applyShift, periodKey, periodBounds, inQuietHours, quietEnd } = await import("../time/local.ts");
    const around = ["2026-03-08T07:00:00Z", "2026-03-29T01:00:00Z", "2026-10-25T01:00:00Z", "2026-11-01T06:00:00Z", "2026-12-31T16:00:00Z"].map((x) => Date.parse(x));
    const quiet = [{ from: "22:00", to: "08:00" }, { from: "01:30", to: "02:45" }];
    for (const zone of ["America/New_York", "Europe/Berlin", "Asia/Shanghai", "Australia/Lord_Howe"]) {
      for (const center of around) {
        for (let ms = center - 30 * 3_600_000; ms <= center + 30 * 3_600_000; ms += 17 * 60_000 + 7_000) {
          const plain = DateTime.fromMillis(ms, { zone });
          for (const amount of [-14, -1, 1, 2, 14]) {
            for (const unit of ["minute", "hour", "day", "week", "month"] as const) {
              expect(applyShift(ms, { amount, unit }, zone)).toBe(plain.plus({ [`${unit}s`]: amount }).toMillis());
            }
          }
          expect(periodKey(ms, "day", zone)).toBe(plain.toFormat("yyyy-MM-dd"));
          expect(periodKey(ms, "week", zone)).toBe(`${plain.weekYear}-W${String(plain.weekNumber).padStart(2, "0")}`);
          expect(periodKey(ms, "month", zone)).toBe(plain.toFormat("yyyy-MM"));
          for (const unit of ["day", "week", "month"] as const) {
            const b = periodBounds(ms, unit, zone);
            expect([b.start, b.end]).toEqual([plain.startOf(unit).toMillis(), plain.startOf(unit).plus({ [`${unit}s`]: 1 }).toMillis()]);
          }
          const mins = plain.hour * 60 + plain.minute;
          const plainQuiet = mins >= 22 * 60 || mins < 8 * 60 || (mins >= 90 && mins < 165);
          expect(inQuietHours(ms, quiet, zone)).toBe(plainQuiet);
          const end = quietEnd(ms, quiet, zone);
          if (end !== undefined) expect(inQuietHours(end, quiet, zone)).toBe(false);
        }
      }
    }
  });
});

describe("local clock times without DateTime objects", () => {
  it("atLocalTime and nextLocalTime agree with the plain luxon chain around DST changes (gaps, repeated hours, 24:00)", async () => {
    const { DateTime } = await import("luxon");
    const { atLocalTime, nextLocalTime } = await import("../time/local.ts");
    const plainAt = (day: number, hhmm: string, zone: string, plusDays: number): number => {
      const [h, m] = hhmm.split(":").map(Number) as [number, number];
      const mins = h * 60 + m;
      return DateTime.fromMillis(day, { zone }).startOf("day").plus({ days: plusDays }).set({ hour: Math.floor(mins / 60) % 24, minute: mins % 60, second: 0, millisecond: 0 }).plus({ days: mins >= 1440 ? 1 : 0 }).toMillis();
    };
    const around = ["2026-03-08T07:00:00Z", "2026-03-29T01:00:00Z", "2026-10-25T01:00:00Z", "2026-11-01T06:00:00Z", "2026-04-05T15:00:00Z"].map((x) => Date.parse(x));
    for (const zone of ["America/New_York", "Europe/Berlin", "Asia/Shanghai", "Australia/Lord_Howe"]) {
      for (const center of around) {
        for (let ms = center - 40 * 3_600_000; ms <= center + 40 * 3_600_000; ms += 23 * 60_000 + 11_000) {
          for (const hhmm of ["00:00", "01:30", "02:00", "02:30", "03:00", "08:00", "21:00", "24:00"]) {
            for (const plusDays of [0, 1, -1]) expect(atLocalTime(ms, hhmm, zone, plusDays)).toBe(plainAt(ms, hhmm, zone, plusDays));
            const today = plainAt(ms, hhmm, zone, 0);
            expect(nextLocalTime(ms, hhmm, zone)).toBe(today >= ms ? today : plainAt(ms, hhmm, zone, 1));
          }
        }
      }
    }
  });
});
