/**
 * Calendar arithmetic for the schedule analyses: when a batch schedule fires
 * inside a window, when each wave of one entry is due, and how many touches
 * land in one calendar or rolling period. Times are epoch ms; clock times
 * are read in the given zone, with luxon's semantics (like the checker).
 *
 * The analyses call these in inner loops, so the common operations (start of
 * a day, week or month, setting a clock time, adding days, weeks, months or
 * years) are done here on luxon's own representation, a timestamp with its
 * UTC offset, by the same steps luxon's `DateTime` takes (`fixOffset`,
 * `adjustTime`, `set`), reading offsets from luxon's zone. Offsets are cached
 * per hour, and an hour is cached only when its start and its end have the
 * same offset, so the cache answers exactly what the zone would.
 * Anything else (an invalid zone, a fractional shift) goes to luxon itself.
 */
import { DateTime, Info } from "luxon";
import type { Shift } from "../../ir/predicate.ts";
import type { PeriodPlan, Plan, TriggerPlan } from "../../plan/types.ts";

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** luxon's view of an instant in a zone: the timestamp and its UTC offset (minutes). */
interface Stamp {
  readonly ts: number;
  readonly o: number;
}

/** Local calendar fields of a stamp (luxon's `tsToObj`), with the ISO weekday. */
interface Fields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  weekday: number;
}

interface Clock {
  readonly offset: (ts: number) => number;
}

const clocks = new Map<string, Clock | null>();

/** The clock of a zone, or undefined when luxon does not know the zone (then luxon itself is used). */
function clockOf(zone: string): Clock | undefined {
  const hit = clocks.get(zone);
  if (hit !== undefined) return hit ?? undefined;
  const z = Info.normalizeZone(zone);
  let clock: Clock | null = null;
  if (z.isValid) {
    if (z.isUniversal) {
      const o = z.offset(0);
      clock = { offset: () => o };
    } else {
      // Offsets at whole hours, and per hour: its offset when its start and end agree, else NaN.
      const atHour = new Map<number, number>();
      const byHour = new Map<number, number>();
      const hourOffset = (h: number): number => {
        let o = atHour.get(h);
        if (o === undefined) {
          o = z.offset(h * HOUR);
          atHour.set(h, o);
        }
        return o;
      };
      clock = {
        offset: (ts) => {
          const h = Math.floor(ts / HOUR);
          let o = byHour.get(h);
          if (o === undefined) {
            if (byHour.size > 200_000) {
              byHour.clear();
              atHour.clear();
            }
            const a = hourOffset(h);
            o = a === hourOffset(h + 1) ? a : Number.NaN;
            byHour.set(h, o);
          }
          return Number.isNaN(o) ? z.offset(ts) : o;
        },
      };
    }
  }
  clocks.set(zone, clock);
  return clock ?? undefined;
}

function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

/** luxon's `daysInMonth` (months may overflow). */
function daysInMonth(year: number, month: number): number {
  const modMonth = ((((month - 1) % 12) + 12) % 12) + 1;
  const modYear = year + (month - modMonth) / 12;
  if (modMonth === 2) return isLeapYear(modYear) ? 29 : 28;
  return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][modMonth - 1] as number;
}

/** luxon's `objToLocalTS`. */
function localTS(f: Omit<Fields, "weekday">): number {
  let d = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second, f.millisecond);
  if (f.year < 100 && f.year >= 0) {
    const x = new Date(d);
    x.setUTCFullYear(f.year, f.month - 1, f.day);
    d = +x;
  }
  return d;
}

function fieldsOf(s: Stamp): Fields {
  const d = new Date(s.ts + s.o * 60 * 1000);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    millisecond: d.getUTCMilliseconds(),
    weekday: d.getUTCDay() || 7,
  };
}

/** luxon's `fixOffset`: the instant of a local time, guessing offset `o` first. */
function fixOffset(clock: Clock, local: number, o: number): Stamp {
  let utcGuess = local - o * 60 * 1000;
  const o2 = clock.offset(utcGuess);
  if (o === o2) return { ts: utcGuess, o };
  utcGuess -= (o2 - o) * 60 * 1000;
  const o3 = clock.offset(utcGuess);
  if (o2 === o3) return { ts: utcGuess, o: o2 };
  return { ts: local - Math.min(o2, o3) * 60 * 1000, o: Math.max(o2, o3) };
}

function stampAt(clock: Clock, ts: number): Stamp {
  return { ts, o: clock.offset(ts) };
}

/** `DateTime.set` with gregorian fields. */
function setFields(clock: Clock, s: Stamp, patch: Partial<Omit<Fields, "weekday">>): Stamp {
  const c = fieldsOf(s);
  const mixed = { ...c, ...patch };
  if (patch.day === undefined) mixed.day = Math.min(daysInMonth(mixed.year, mixed.month), mixed.day);
  return fixOffset(clock, localTS(mixed), s.o);
}

const MIDNIGHT = { hour: 0, minute: 0, second: 0, millisecond: 0 } as const;

/** `DateTime.startOf(unit)` (ISO weeks). */
function startOf(clock: Clock, s: Stamp, unit: "day" | "week" | "month"): Stamp {
  if (unit === "day") return setFields(clock, s, MIDNIGHT);
  if (unit === "month") return setFields(clock, s, { day: 1, ...MIDNIGHT });
  // set({ weekday: 1, ... }): the Monday of the same ISO week, at midnight.
  const c = fieldsOf(s);
  const monday = new Date(Date.UTC(c.year, c.month - 1, c.day - (c.weekday - 1)));
  if (c.year < 100 && c.year >= 0) monday.setUTCFullYear(c.year, c.month - 1, c.day - (c.weekday - 1));
  return fixOffset(clock, localTS({ year: monday.getUTCFullYear(), month: monday.getUTCMonth() + 1, day: monday.getUTCDate(), ...MIDNIGHT }), s.o);
}

/** `DateTime.plus` with whole years, months and days (luxon's `adjustTime`). */
function plusCalendar(clock: Clock, s: Stamp, years: number, months: number, days: number): Stamp {
  const c = fieldsOf(s);
  const year = c.year + years;
  const month = c.month + months;
  const day = Math.min(c.day, daysInMonth(year, month)) + days;
  return fixOffset(clock, localTS({ ...c, year, month, day }), s.o);
}

/** A calendar shift as whole (years, months, days), or undefined when luxon must do it. */
function calendarParts(unit: string, amount: number): [number, number, number] | undefined {
  if (!Number.isInteger(amount)) return undefined;
  switch (unit) {
    case "day":
      return [0, 0, amount];
    case "week":
      return [0, 0, amount * 7];
    case "month":
      return [0, amount, 0];
    case "year":
      return [amount, 0, 0];
    default:
      return undefined;
  }
}

export function addShift(ms: number, s: Shift, zone: string): number {
  if (s.amount === 0) return ms;
  if (s.unit === "minute") return ms + s.amount * 60_000;
  if (s.unit === "hour") return ms + s.amount * HOUR;
  const clock = clockOf(zone);
  const parts = calendarParts(s.unit, s.amount);
  if (clock && parts) return plusCalendar(clock, stampAt(clock, ms), ...parts).ts;
  return DateTime.fromMillis(ms, { zone }).plus({ [`${s.unit}s`]: s.amount }).toMillis();
}

/** Minutes after midnight of "HH:MM". */
export function clockMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(":").map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

export function showClock(minutes: number): string {
  const m = ((minutes % 1440) + 1440) % 1440;
  return `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
}

/** The first instant at or after `ms` whose local clock reads `hhmm`. */
export function nextClock(ms: number, hhmm: string, zone: string): number {
  const mins = clockMinutes(hhmm);
  const clock = clockOf(zone);
  if (clock) {
    const at = setFields(clock, startOf(clock, stampAt(clock, ms), "day"), { hour: Math.floor(mins / 60), minute: mins % 60 });
    return at.ts < ms ? plusCalendar(clock, at, 0, 0, 1).ts : at.ts;
  }
  const d = DateTime.fromMillis(ms, { zone });
  let at = d.startOf("day").set({ hour: Math.floor(mins / 60), minute: mins % 60 });
  if (at.toMillis() < ms) at = at.plus({ days: 1 });
  return at.toMillis();
}

/** The first whole calendar day or ISO week (in `zone`) inside [from, to). */
export function firstWholePeriod(unit: "day" | "week", zone: string, from: number, to: number): { start: number; end: number } | undefined {
  const clock = clockOf(zone);
  if (clock) {
    let d = startOf(clock, stampAt(clock, from), unit);
    const days = unit === "day" ? 1 : 7;
    if (d.ts < from) d = plusCalendar(clock, d, 0, 0, days);
    const end = plusCalendar(clock, d, 0, 0, days).ts;
    return end <= to ? { start: d.ts, end } : undefined;
  }
  let d = DateTime.fromMillis(from, { zone }).startOf(unit);
  if (d.toMillis() < from) d = d.plus({ [`${unit}s`]: 1 });
  const end = d.plus({ [`${unit}s`]: 1 }).toMillis();
  return end <= to ? { start: d.toMillis(), end } : undefined;
}

/** Local date-time text of an instant: `2026-12-01 09:00`. */
export function showInstant(ms: number, zone: string): string {
  return DateTime.fromMillis(ms, { zone }).toFormat("yyyy-MM-dd HH:mm");
}

export function showDate(ms: number, zone: string): string {
  return DateTime.fromMillis(ms, { zone }).toFormat("yyyy-MM-dd");
}

export type BatchTrigger = Extract<TriggerPlan, { kind: "batch" }>;

/** The zone a batch schedule's clock times are read in (the catalog's for `customer time`). */
export function batchZone(t: BatchTrigger, catalogZone: string): string {
  return t.zone.mode === "named" ? t.zone.zone : catalogZone;
}

/** Whether a local date matches a recurrence (ISO weekday 1 = Monday). */
export function recurrenceMatches(r: NonNullable<BatchTrigger["recurrence"]>, d: { readonly weekday: number; readonly day: number }): boolean {
  switch (r.every) {
    case "day":
      return true;
    case "weekday":
      return d.weekday <= 5;
    case "week":
      return r.weekdays.includes(d.weekday);
    case "month":
      return r.dayOfMonth === d.day;
  }
}

/**
 * Fire times of a batch schedule in [from, to), at most `limit` of them.
 * Local dates are walked in `zone`; at most ~3 years are walked.
 */
export function fireTimes(t: BatchTrigger, from: number, to: number, zone: string, limit = 10_000): number[] {
  if (t.once !== undefined) return t.once >= from && t.once < to ? [t.once] : [];
  const r = t.recurrence;
  if (!r) return [];
  const out: number[] = [];
  const clock = clockOf(zone);
  if (clock) {
    const clocks = t.times.map(clockMinutes);
    let d = startOf(clock, stampAt(clock, from), "day");
    for (let i = 0; i < 1200 && d.ts < to && out.length < limit; i++, d = plusCalendar(clock, d, 0, 0, 1)) {
      if (!recurrenceMatches(r, fieldsOf(d))) continue;
      for (const mins of clocks) {
        const at = setFields(clock, d, { hour: Math.floor(mins / 60), minute: mins % 60 }).ts;
        if (at >= from && at < to) out.push(at);
      }
    }
    return out.sort((a, b) => a - b);
  }
  let d = DateTime.fromMillis(from, { zone }).startOf("day");
  for (let i = 0; i < 1200 && d.toMillis() < to && out.length < limit; i++, d = d.plus({ days: 1 })) {
    if (!recurrenceMatches(r, d)) continue;
    for (const hhmm of t.times) {
      const mins = clockMinutes(hhmm);
      const at = d.set({ hour: Math.floor(mins / 60), minute: mins % 60 }).toMillis();
      if (at >= from && at < to) out.push(at);
    }
  }
  return out.sort((a, b) => a - b);
}

/** When each wave of one entry at `entry` is due (ms), ignoring quiet hours and caps. */
export function waveTimes(plan: Plan, entry: number, zone: string): number[] {
  const out: number[] = [];
  let t = entry;
  for (const w of plan.waves) {
    t = addShift(t, w.delay, zone);
    if (w.at) t = nextClock(t, w.at, zone);
    out.push(t);
  }
  return out;
}

/** The key of the calendar period holding `ms`, or undefined for rolling periods. */
export function periodKey(p: PeriodPlan, ms: number): number | undefined {
  if (p.kind !== "calendar") return undefined;
  const clock = clockOf(p.zone);
  if (clock) return startOf(clock, stampAt(clock, ms), p.unit).ts;
  return DateTime.fromMillis(ms, { zone: p.zone }).startOf(p.unit === "week" ? "week" : p.unit).toMillis();
}

export function rollingLength(p: Extract<PeriodPlan, { kind: "rolling" }>): number {
  const unit = { minute: 60_000, hour: HOUR, day: DAY, week: 7 * DAY }[p.unit];
  return p.amount * unit;
}

/**
 * The most of `times` (sorted) that share one period, and which ones: one
 * calendar period, or one rolling window [t, t + length).
 */
export function maxInPeriod(times: readonly number[], p: PeriodPlan): { count: number; members: number[] } {
  let best: number[] = [];
  if (p.kind === "calendar") {
    const groups = new Map<number, number[]>();
    for (const [i, t] of times.entries()) {
      const k = periodKey(p, t) as number;
      const g = groups.get(k) ?? [];
      g.push(i);
      groups.set(k, g);
    }
    for (const g of groups.values()) if (g.length > best.length) best = g;
  } else {
    const len = rollingLength(p);
    for (let i = 0; i < times.length; i++) {
      const g: number[] = [];
      for (let j = i; j < times.length && (times[j] as number) < (times[i] as number) + len; j++) g.push(j);
      if (g.length > best.length) best = g;
    }
  }
  return { count: best.length, members: best };
}

export function showPeriod(p: PeriodPlan): string {
  if (p.kind === "calendar") return p.unit;
  return `rolling ${p.amount} ${p.unit}${p.amount === 1 ? "" : "s"}`;
}

/** Entry instants worth trying for one entry of a campaign: hourly for events, fire times for batches. */
export function entryCandidates(plan: Plan, from: number, to: number, zone: string, maxCount = 24 * 36): number[] {
  const start = Math.max(from, plan.campaign.window.start);
  const end = Math.min(to, plan.campaign.window.end);
  if (end <= start) return [];
  if (plan.trigger.kind === "batch") return fireTimes(plan.trigger, start, end, batchZone(plan.trigger, zone), maxCount);
  // Every hour of the first eight days (each time of day and weekday), then each midnight-ish start.
  const out: number[] = [];
  for (let t = start; t < end && t < start + 8 * DAY && out.length < maxCount; t += HOUR) out.push(t);
  for (let t = start + 8 * DAY; t < end && out.length < maxCount; t += DAY) out.push(t);
  return out;
}
