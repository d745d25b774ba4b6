/**
 * resolveTime's fast paths (compiler/time/resolve.ts: hour-cached offsets for
 * `now`, remembered `today` values per local day and offset) against luxon
 * alone, around daylight-saving changes, in zones with half-hour and
 * 30-minute DST (Lord Howe), a zone that skipped a whole day (Apia, 2011-12-30),
 * and at random instants and shifts (fast-check).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Shift } from "../ir/predicate.ts";
import { resolveTime, resolveTimeWithLuxon, type TimeAnchor } from "../time/resolve.ts";

const ZONES = ["Asia/Shanghai", "America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "Pacific/Apia", "Asia/Kolkata", "UTC"];
const ANCHORS: TimeAnchor[] = ["now", "today", "startOfToday"];
const UNITS: Shift["unit"][] = ["minute", "hour", "day", "week", "month", "year"];

function same(anchor: TimeAnchor, shift: Shift, now: number, zone: string): void {
  const ctx = { now, zone };
  const want = resolveTimeWithLuxon(anchor, shift, ctx);
  // Twice: the second answer may come from the remembered values.
  expect(resolveTime(anchor, shift, ctx), `${anchor} ${shift.amount} ${shift.unit} at ${new Date(now).toISOString()} in ${zone}`).toBe(want);
  expect(resolveTime(anchor, shift, ctx)).toBe(want);
}

describe("resolveTime equals luxon's answer", () => {
  it("every 23 minutes around the 2026 daylight-saving changes and Apia's skipped day", () => {
    const around = ["2026-03-08T07:00:00Z", "2026-03-29T01:00:00Z", "2026-04-04T15:00:00Z", "2026-10-04T15:30:00Z", "2026-10-25T01:00:00Z", "2026-11-01T06:00:00Z", "2011-12-30T10:00:00Z"].map((x) => Date.parse(x));
    const shifts: Shift[] = [
      { amount: 0, unit: "day" },
      { amount: -1, unit: "day" },
      { amount: 1, unit: "day" },
      { amount: -90, unit: "day" },
      { amount: 2, unit: "week" },
      { amount: -36, unit: "hour" },
      { amount: 90, unit: "minute" },
      { amount: -1, unit: "month" },
      { amount: 1, unit: "year" },
    ];
    for (const zone of ZONES) {
      for (const center of around) {
        for (let ms = center - 18 * 3_600_000; ms <= center + 18 * 3_600_000; ms += 23 * 60_000 + 7_000) {
          for (const anchor of ANCHORS) for (const shift of shifts) same(anchor, shift, ms, zone);
        }
      }
    }
  });

  it("at random instants, anchors and shifts (fast-check)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2100, 0, 1) }),
        fc.constantFrom(...ZONES),
        fc.constantFrom(...ANCHORS),
        fc.constantFrom(...UNITS),
        fc.integer({ min: -5000, max: 5000 }),
        (now, zone, anchor, unit, amount) => same(anchor, { amount, unit }, now, zone),
      ),
      { numRuns: 5000 },
    );
  });

  it("keeps luxon's errors for a bad zone or instant, and its NaN beyond its range", () => {
    expect(() => resolveTime("now", { amount: 0, unit: "day" }, { now: 0, zone: "Mars/Olympus" })).toThrow(/unknown time zone/);
    expect(() => resolveTime("today", { amount: 0, unit: "day" }, { now: Number.NaN, zone: "UTC" })).toThrow(/finite/);
    expect(resolveTime("now", { amount: 1e9, unit: "week" }, { now: 0, zone: "UTC" })).toBe(resolveTimeWithLuxon("now", { amount: 1e9, unit: "week" }, { now: 0, zone: "UTC" }));
  });
});
