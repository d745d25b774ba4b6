/**
 * Calendar arithmetic for the schedule analyses: when a batch schedule fires
 * inside a window, when each wave of one entry is due, and how many touches
 * land in one calendar or rolling period. Times are epoch ms; clock times
 * are read in the given zone (luxon, like the checker).
 */
import { DateTime } from "luxon";
import type { Shift } from "../../ir/predicate.ts";
import type { PeriodPlan, Plan, TriggerPlan } from "../../plan/types.ts";

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export function addShift(ms: number, s: Shift, zone: string): number {
  if (s.amount === 0) return ms;
  if (s.unit === "minute") return ms + s.amount * 60_000;
  if (s.unit === "hour") return ms + s.amount * HOUR;
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
  const d = DateTime.fromMillis(ms, { zone });
  let at = d.startOf("day").set({ hour: Math.floor(mins / 60), minute: mins % 60 });
  if (at.toMillis() < ms) at = at.plus({ days: 1 });
  return at.toMillis();
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
export function recurrenceMatches(r: NonNullable<BatchTrigger["recurrence"]>, d: DateTime): boolean {
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
