/**
 * Local-time arithmetic in IANA zones (luxon): calendar shifts, period keys
 * and bounds, clock times and quiet hours. Correct across daylight-saving
 * changes: a local time that does not exist (spring forward) moves to the
 * first instant after the gap; one that exists twice (fall back) takes the
 * earlier instant.
 */
import { DateTime, IANAZone, Zone, type ZoneOffsetFormat, type ZoneOffsetOptions } from "luxon";
import type { Shift } from "../../compiler/ir/predicate.ts";

const HOUR_MS = 3_600_000;

/**
 * An IANA zone whose offsets are remembered per UTC hour. luxon asks the
 * zone for offsets several times per operation and each answer costs an
 * Intl.DateTimeFormat round trip; an hour whose start and end have the same
 * offset has it throughout (offsets change at most once an hour), and an
 * hour with a change is always asked of the real zone, so answers are exact.
 */
class HourCachedZone extends Zone {
  private readonly hours = new Map<number, number>();
  constructor(private readonly inner: IANAZone) {
    super();
  }
  override get type(): string {
    return "iana";
  }
  override get name(): string {
    return this.inner.name;
  }
  override get isUniversal(): boolean {
    return false;
  }
  override get isValid(): boolean {
    return this.inner.isValid;
  }
  override offsetName(ts: number, opts: ZoneOffsetOptions): string | null {
    return this.inner.offsetName(ts, opts);
  }
  override formatOffset(ts: number, format: ZoneOffsetFormat): string {
    return this.inner.formatOffset(ts, format);
  }
  override offset(ts: number): number {
    const h = Math.floor(ts / HOUR_MS);
    let o = this.hours.get(h);
    if (o === undefined) {
      const a = this.inner.offset(h * HOUR_MS);
      const b = this.inner.offset((h + 1) * HOUR_MS - 1);
      o = a === b ? a : Number.NaN;
      if (this.hours.size > 100_000) this.hours.clear();
      this.hours.set(h, o);
    }
    return Number.isNaN(o) ? this.inner.offset(ts) : o;
  }
  override equals(other: Zone): boolean {
    return other.type === "iana" && other.name === this.name;
  }
}

const zones = new Map<string, Zone | string>();

function zoneOf(name: string): Zone | string {
  let z = zones.get(name);
  if (z === undefined) {
    const inner = IANAZone.create(name);
    z = inner.isValid ? new HourCachedZone(inner) : name;
    zones.set(name, z);
  }
  return z;
}

export function local(ms: number, zone: string): DateTime {
  return DateTime.fromMillis(ms, { zone: zoneOf(zone) });
}

const DAY_MS = 86_400_000;
const FIXED_MS: Partial<Record<Shift["unit"], number>> = { minute: 60_000, hour: HOUR_MS };

/**
 * luxon's own fixOffset (datetime.js): the instant whose local time is
 * `localTS`, starting from the guess `o` (minutes). Replicated so that day
 * shifts need no DateTime objects; with the hour-cached offsets it gives
 * exactly luxon's answer (the equivalence test checks it around DST changes).
 */
function fixOffset(localTS: number, o: number, z: Zone): number {
  let utcGuess = localTS - o * 60_000;
  const o2 = z.offset(utcGuess);
  if (o === o2) return utcGuess;
  utcGuess -= (o2 - o) * 60_000;
  const o3 = z.offset(utcGuess);
  if (o2 === o3) return utcGuess;
  return localTS - Math.min(o2, o3) * 60_000;
}

/** `ms` moved by a calendar shift in `zone` (days keep the local clock time). */
export function applyShift(ms: number, shift: Shift, zone: string): number {
  if (shift.amount === 0) return ms;
  const z = zoneOf(zone);
  if (typeof z !== "string" && Number.isInteger(shift.amount) && Number.isFinite(ms)) {
    // What luxon's plus does for these units: whole days/weeks move the local date and keep the
    // local clock (fixOffset from the offset before the shift); minutes and hours add milliseconds.
    const fixed = FIXED_MS[shift.unit];
    if (fixed !== undefined) return ms + shift.amount * fixed;
    if (shift.unit === "day" || shift.unit === "week") {
      const o = z.offset(ms);
      return fixOffset(ms + o * 60_000 + shift.amount * (shift.unit === "week" ? 7 : 1) * DAY_MS, o, z);
    }
  }
  return local(ms, zone).plus({ [`${shift.unit}s`]: shift.amount }).toMillis();
}

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

/** The local day (days since 1970-01-01 in local time) of `ms` in a valid zone. */
function localDay(ms: number, z: Zone): number {
  return Math.floor((ms + z.offset(ms) * 60_000) / DAY_MS);
}

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
