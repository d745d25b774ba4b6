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

/** `ms` moved by a calendar shift in `zone` (days keep the local clock time). */
export function applyShift(ms: number, shift: Shift, zone: string): number {
  if (shift.amount === 0) return ms;
  return local(ms, zone).plus({ [`${shift.unit}s`]: shift.amount }).toMillis();
}

export type CalendarUnit = "day" | "week" | "month";

/** A key naming the calendar period containing `ms`: `2026-12-01`, `2026-W49`, `2026-12`. */
export function periodKey(ms: number, unit: CalendarUnit, zone: string): string {
  const d = local(ms, zone);
  if (unit === "day") return d.toFormat("yyyy-MM-dd");
  if (unit === "week") return `${d.weekYear}-W${String(d.weekNumber).padStart(2, "0")}`;
  return d.toFormat("yyyy-MM");
}

/** Start (inclusive) and end (exclusive) of the calendar period containing `ms` (ISO weeks start on Monday). */
export function periodBounds(ms: number, unit: CalendarUnit, zone: string): { start: number; end: number } {
  const start = local(ms, zone).startOf(unit);
  return { start: start.toMillis(), end: start.plus({ [`${unit}s`]: 1 }).toMillis() };
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(":").map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** The instant of local clock time `hhmm` on the local day of `day` (+ `plusDays`). */
export function atLocalTime(day: number, hhmm: string, zone: string, plusDays = 0): number {
  const mins = minutesOf(hhmm);
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
  const d = local(ms, zone);
  const mins = d.hour * 60 + d.minute;
  return ranges.some((r) => inRange(mins, r));
}

/**
 * The first instant at or after `ms` outside all quiet ranges. A range
 * covering the whole day (`00:00-24:00`) has no end: returns undefined.
 */
export function quietEnd(ms: number, ranges: readonly QuietRange[], zone: string): number | undefined {
  let t = ms;
  for (let guard = 0; guard < 8; guard++) {
    const d = local(t, zone);
    const mins = d.hour * 60 + d.minute;
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
