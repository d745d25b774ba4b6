/**
 * Local-time arithmetic in IANA zones (luxon): calendar shifts, period keys
 * and bounds, clock times and quiet hours. Correct across daylight-saving
 * changes: a local time that does not exist (spring forward) moves to the
 * first instant after the gap; one that exists twice (fall back) takes the
 * earlier instant.
 */
import type { Zone } from "luxon";
import { applyShift, DAY_MS, fixOffset, HOUR_MS, local, localDay, zoneOf } from "../../compiler/time/zones.ts";

export { applyShift, local };

export type CalendarUnit = "day" | "week" | "month";

interface Period {
  readonly key: string;
  readonly start: number;
  readonly end: number;
}

/** Periods by zone and local day: a period depends only on the zone and the local date it contains. */
interface DayPeriods {
  day?: Period;
  week?: Period;
  month?: Period;
}

const dayCache = new Map<Zone, Map<number, DayPeriods>>();


function computePeriod(ms: number, unit: CalendarUnit, zone: string): Period {
  const d = local(ms, zone);
  const key = unit === "day" ? d.toFormat("yyyy-MM-dd") : unit === "week" ? `${d.weekYear}-W${String(d.weekNumber).padStart(2, "0")}` : d.toFormat("yyyy-MM");
  const start = d.startOf(unit);
  return { key, start: start.toMillis(), end: start.plus({ [`${unit}s`]: 1 }).toMillis() };
}

/** The calendar period containing `ms`, computed with luxon once per zone, local day and unit. */
function periodOf(ms: number, unit: CalendarUnit, zone: string): Period {
  const z = zoneOf(zone);
  if (typeof z === "string" || !Number.isFinite(ms)) return computePeriod(ms, unit, zone);
  let days = dayCache.get(z);
  if (!days) {
    days = new Map();
    dayCache.set(z, days);
  }
  const day = localDay(ms, z);
  let entry = days.get(day);
  if (!entry) {
    if (days.size > 50_000) days.clear();
    entry = {};
    days.set(day, entry);
  }
  let p = entry[unit];
  if (!p) {
    p = computePeriod(ms, unit, zone);
    entry[unit] = p;
  }
  return p;
}

/** A key naming the calendar period containing `ms`: `2026-12-01`, `2026-W49`, `2026-12`. */
export function periodKey(ms: number, unit: CalendarUnit, zone: string): string {
  return periodOf(ms, unit, zone).key;
}

/** Start (inclusive) and end (exclusive) of the calendar period containing `ms` (ISO weeks start on Monday). */
export function periodBounds(ms: number, unit: CalendarUnit, zone: string): { start: number; end: number } {
  return periodOf(ms, unit, zone);
}

const minutesCache = new Map<string, number>();

function minutesOf(hhmm: string): number {
  let v = minutesCache.get(hhmm);
  if (v === undefined) {
    const [h, m] = hhmm.split(":").map(Number);
    v = (h ?? 0) * 60 + (m ?? 0);
    if (minutesCache.size > 10_000) minutesCache.clear();
    minutesCache.set(hhmm, v);
  }
  return v;
}

/** Minutes since local midnight at `ms` (the local clock's hour × 60 + minute). */
function localMinutes(ms: number, zone: string): number {
  const z = zoneOf(zone);
  if (typeof z === "string" || !Number.isFinite(ms)) {
    const d = local(ms, zone);
    return d.hour * 60 + d.minute;
  }
  const localMs = ms + z.offset(ms) * 60_000;
  return Math.floor((localMs - Math.floor(localMs / DAY_MS) * DAY_MS) / 60_000);
}

/** The instant of local clock time `hhmm` on the local day of `day` (+ `plusDays`). */
export function atLocalTime(day: number, hhmm: string, zone: string, plusDays = 0): number {
  const mins = minutesOf(hhmm);
  const z = zoneOf(zone);
  if (typeof z !== "string" && Number.isFinite(day) && Math.abs(day) < 7e12 && Number.isInteger(mins) && mins >= 0 && Number.isInteger(plusDays)) {
    // The same steps as the luxon chain below (startOf day, plus days, set the clock, plus a day for
    // 24:00), each as luxon takes it: local time from the instant's offset, back through fixOffset.
    const toLocalDay = (ts: number, add: number): number => {
      const o = z.offset(ts);
      return fixOffset(Math.floor((ts + o * 60_000) / DAY_MS) * DAY_MS + add, o, z);
    };
    const plus = (ts: number, days: number): number => {
      if (days === 0) return ts;
      const o = z.offset(ts);
      return fixOffset(ts + o * 60_000 + days * DAY_MS, o, z);
    };
    const base = plus(toLocalDay(day, 0), plusDays);
    const set = toLocalDay(base, (Math.floor(mins / 60) % 24) * HOUR_MS + (mins % 60) * 60_000);
    return plus(set, mins >= 1440 ? 1 : 0);
  }
  const base = local(day, zone).startOf("day").plus({ days: plusDays });
  // 24:00 is the next midnight.
  return base.set({ hour: Math.floor(mins / 60) % 24, minute: mins % 60, second: 0, millisecond: 0 }).plus({ days: mins >= 1440 ? 1 : 0 }).toMillis();
}

/** The first instant at or after `ms` whose local clock reads `hhmm`. */
export function nextLocalTime(ms: number, hhmm: string, zone: string): number {
  const today = atLocalTime(ms, hhmm, zone);
  return today >= ms ? today : atLocalTime(ms, hhmm, zone, 1);
}

export interface QuietRange {
  readonly from: string;
  readonly to: string;
}

function inRange(mins: number, r: QuietRange): boolean {
  const f = minutesOf(r.from);
  const t = minutesOf(r.to);
  return f < t ? mins >= f && mins < t : mins >= f || mins < t;
}

/** Whether local time at `ms` falls in any quiet range (`from` inclusive, `to` exclusive). */
export function inQuietHours(ms: number, ranges: readonly QuietRange[], zone: string): boolean {
  if (ranges.length === 0) return false;
  const mins = localMinutes(ms, zone);
  for (const r of ranges) if (inRange(mins, r)) return true;
  return false;
}

/**
 * The first instant at or after `ms` outside all quiet ranges. A range
 * covering the whole day (`00:00-24:00`) has no end: returns undefined.
 */
export function quietEnd(ms: number, ranges: readonly QuietRange[], zone: string): number | undefined {
  let t = ms;
  for (let guard = 0; guard < 8; guard++) {
    const mins = localMinutes(t, zone);
    const r = ranges.find((x) => inRange(mins, x));
    if (!r) return t;
    const f = minutesOf(r.from);
    const to = minutesOf(r.to);
    if (f === 0 && to >= 1440) return undefined;
    const sameDay = f < to || mins < to;
    const next = atLocalTime(t, r.to, zone, sameDay ? 0 : 1);
    if (next <= t) return undefined;
    t = next;
  }
  return undefined;
}
