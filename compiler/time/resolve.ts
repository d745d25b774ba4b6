/**
 * Relative time for the predicate backends: the one place where a
 * `{ k: "time", anchor, shift }` value and an anniversary window are turned
 * into concrete values for an evaluation context. The interpreter, the
 * compiled JavaScript and the SQL compiler all call this module, so they
 * cannot disagree about what "today" or "now - 90 days" means.
 *
 * Calendar arithmetic happens in the context's zone with luxon, so it is
 * correct across daylight-saving changes:
 *   - `day`, `week`, `month`, `year` shifts keep the local clock time
 *     (`now - 1 day` at 10:00 the day after a spring-forward change is 10:00
 *     the day before, which is 23 elapsed hours away); months clamp to the
 *     end of the month (Jan 31 + 1 month = Feb 28/29);
 *   - `hour` and `minute` shifts are elapsed time.
 *
 * Anniversaries and February 29: a date on Feb 29 recurs on Feb 29 in leap
 * years and on Feb 28 in other years. So the window's set of "MM-DD" keys
 * contains "02-29" whenever it contains Feb 28 of a non-leap year.
 */
import { DateTime, type Zone } from "luxon";
import type { EvalContext, Shift } from "../ir/predicate.ts";
import { applyShift, DAY_MS, local, zoneOf } from "./zones.ts";

/** The anchors of relative time values. */
export type TimeAnchor = "now" | "today" | "startOfToday";

/** The resolved value of a time expression: epoch ms (now, startOfToday) or "YYYY-MM-DD" (today). */
export type ResolvedTime = number | string;

/** Raised when a context cannot be used (an unknown zone, an instant that is not a number). */
export class TimeContextError extends Error {
  override readonly name = "TimeContextError";
}

/** The evaluation instant as a luxon DateTime in the context's zone; throws on a bad zone or instant. */
export function localNow(ctx: EvalContext): DateTime {
  if (typeof ctx.now !== "number" || !Number.isFinite(ctx.now)) throw new TimeContextError(`the evaluation instant is not a finite number of milliseconds: ${String(ctx.now)}`);
  const dt = DateTime.fromMillis(ctx.now, { zone: ctx.zone });
  if (!dt.isValid) throw new TimeContextError(`unknown time zone \`${ctx.zone}\``);
  return dt;
}

function shifted(dt: DateTime, shift: Shift): DateTime {
  if (shift.amount === 0) return dt;
  return dt.plus({ [`${shift.unit}s`]: shift.amount });
}

/**
 * The value of `anchor` shifted by `shift` at `ctx`:
 *   now          → epoch ms of the instant, shifted;
 *   today        → the local date "YYYY-MM-DD", shifted (an hour or minute
 *                  shift moves local midnight, then the date is taken);
 *   startOfToday → epoch ms of local midnight today, shifted (where midnight
 *                  does not exist, luxon's start of the day is used).
 *
 * The runtime resolves these for every event it evaluates (each event has its
 * own instant), so the common cases avoid building luxon objects: `now`
 * shifted by whole minutes, hours, days or weeks is arithmetic on the zone's
 * hour-cached offsets (compiler/time/zones.ts, luxon's own steps), and the
 * `today` anchors are computed with luxon once per zone, local day and UTC
 * offset — all that luxon's start of the day depends on — and remembered.
 */
export function resolveTime(anchor: TimeAnchor, shift: Shift, ctx: EvalContext): ResolvedTime {
  const now = ctx.now;
  const z = typeof now === "number" && Math.abs(now) <= MAX_INSTANT ? zoneOf(ctx.zone) : undefined;
  if (z === undefined || typeof z === "string") return resolveWithLuxon(anchor, shift, localNow(ctx));
  if (anchor === "now") {
    const shiftedNow = applyShift(now, shift, ctx.zone);
    return Math.abs(shiftedNow) <= MAX_INSTANT ? shiftedNow : resolveWithLuxon(anchor, shift, localNow(ctx));
  }
  const o = z.offset(now);
  const key = `${Math.floor((now + o * 60_000) / DAY_MS)}|${o}|${anchor}|${shift.unit}|${shift.amount}`;
  let byDay = dayValues.get(z);
  if (!byDay) {
    byDay = new Map();
    dayValues.set(z, byDay);
  }
  let v = byDay.get(key);
  if (v === undefined) {
    v = resolveWithLuxon(anchor, shift, local(now, ctx.zone));
    if (byDay.size >= DAY_VALUES_SIZE) byDay.clear();
    byDay.set(key, v);
  }
  return v;
}

/** The largest instant luxon represents (±8.64e15 ms, as Date); anything else takes the checked path. */
const MAX_INSTANT = 8.64e15;

/** `today` and `startOfToday` values by zone, then local day, offset, anchor and shift. */
const dayValues = new Map<Zone, Map<string, ResolvedTime>>();
const DAY_VALUES_SIZE = 10_000;

/** The same values computed with luxon alone on its own zone objects: the reference the tests compare with. */
export function resolveTimeWithLuxon(anchor: TimeAnchor, shift: Shift, ctx: EvalContext): ResolvedTime {
  return resolveWithLuxon(anchor, shift, localNow(ctx));
}

function resolveWithLuxon(anchor: TimeAnchor, shift: Shift, now: DateTime): ResolvedTime {
  switch (anchor) {
    case "now":
      return shifted(now, shift).toMillis();
    case "today":
      return isoDate(shifted(now.startOf("day"), shift));
    case "startOfToday":
      return shifted(now.startOf("day"), shift).toMillis();
  }
}

function isoDate(dt: DateTime): string {
  // toISODate() gives "+012345-..." for years beyond 9999; keep the four-digit form for ordinary years.
  return dt.toISODate() ?? "";
}

/** Whether `year` is a leap year in the proleptic Gregorian calendar. */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** The longest window walked day by day; any longer window covers every day of the year anyway. */
const FULL_YEAR_DAYS = 367;

/**
 * The "MM-DD" keys of the days in [today+fromDays, today+toDays] (both
 * inclusive, local dates in the context's zone), plus "02-29" when the window
 * holds Feb 28 of a non-leap year. Empty when fromDays > toDays.
 */
export function anniversaryKeys(fromDays: number, toDays: number, ctx: EvalContext): ReadonlySet<string> {
  const cacheKey = `${fromDays}|${toDays}|${ctx.now}|${ctx.zone}`;
  const cached = keyCache.get(cacheKey);
  if (cached) return cached;
  const keys = computeAnniversaryKeys(fromDays, toDays, ctx);
  if (keyCache.size >= KEY_CACHE_SIZE) keyCache.clear();
  keyCache.set(cacheKey, keys);
  return keys;
}

/** Windows already computed, by (from, to, now, zone): evaluating many customers at one instant reuses them. */
const keyCache = new Map<string, ReadonlySet<string>>();
const KEY_CACHE_SIZE = 256;

function computeAnniversaryKeys(fromDays: number, toDays: number, ctx: EvalContext): Set<string> {
  const keys = new Set<string>();
  if (!Number.isFinite(fromDays) || !Number.isFinite(toDays) || fromDays > toDays) return keys;
  const today = localNow(ctx).startOf("day");
  const from = Math.ceil(fromDays);
  const to = Math.floor(toDays);
  const span = Math.min(to - from, FULL_YEAR_DAYS);
  for (let i = 0; i <= span; i++) {
    const d = today.plus({ days: from + i });
    const key = d.toFormat("MM-dd");
    keys.add(key);
    if (key === "02-28" && !isLeapYear(d.year)) keys.add("02-29");
  }
  return keys;
}

/** The local "MM-DD" of an epoch-ms instant in the context's zone (the anniversary key of a date-time). */
export function monthDayOfInstant(ms: number, ctx: EvalContext): string | null {
  const dt = DateTime.fromMillis(ms, { zone: ctx.zone });
  return dt.isValid ? dt.toFormat("MM-dd") : null;
}

/** The "MM-DD" of a "YYYY-MM-DD" date (the anniversary key of a date). */
export function monthDayOfDate(date: string): string {
  return date.slice(5, 10);
}

/**
 * Parses a date-time as written in customer data or on the command line:
 * ISO 8601 with an offset or `Z`, or without one (read in `zone`), or an
 * epoch-ms number. Returns epoch ms, or undefined when it is not a date-time.
 */
export function parseInstant(value: string | number, zone: string): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  const dt = DateTime.fromISO(value.trim(), { zone, setZone: false });
  return dt.isValid ? dt.toMillis() : undefined;
}

/** Whether a string is a real calendar date written "YYYY-MM-DD". */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  return DateTime.fromISO(value, { zone: "UTC" }).isValid;
}

/** An instant shown in a zone, for explanations: "2026-12-02 10:00:00 (Asia/Shanghai)". */
export function showInstant(ms: number, zone: string): string {
  const dt = DateTime.fromMillis(ms, { zone });
  if (!dt.isValid) return String(ms);
  return `${dt.toFormat(dt.millisecond ? "yyyy-MM-dd HH:mm:ss.SSS" : "yyyy-MM-dd HH:mm:ss")} ${dt.offsetNameShort ?? zone}`;
}
