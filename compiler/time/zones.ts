/**
 * Zones and local-time arithmetic shared by the compiler (relative time in
 * predicates, compiler/time/resolve.ts) and the runtime (runtime/time/
 * local.ts): luxon's semantics, with the offsets of each zone remembered per
 * UTC hour so that hot paths (a relative time re-resolved for every event,
 * a wave delay per entry) need no Intl round trip and, for whole days and
 * weeks, no DateTime object. Browser-safe: luxon only.
 */
import { DateTime, IANAZone, Zone, type ZoneOffsetFormat, type ZoneOffsetOptions } from "luxon";
import type { Shift } from "../ir/predicate.ts";

export const HOUR_MS = 3_600_000;

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

/** The hour-cached zone of an IANA name, or the name itself when luxon does not know it. */
export function zoneOf(name: string): Zone | string {
  let z = zones.get(name);
  if (z === undefined) {
    const inner = IANAZone.create(name);
    z = inner.isValid ? new HourCachedZone(inner) : name;
    zones.set(name, z);
  }
  return z;
}

/** The instant as a luxon DateTime in the (hour-cached) zone. */
export function local(ms: number, zone: string): DateTime {
  return DateTime.fromMillis(ms, { zone: zoneOf(zone) });
}

export const DAY_MS = 86_400_000;
const FIXED_MS: Partial<Record<Shift["unit"], number>> = { minute: 60_000, hour: HOUR_MS };

/**
 * luxon's own fixOffset (datetime.js): the instant whose local time is
 * `localTS`, starting from the guess `o` (minutes). Replicated so that day
 * shifts need no DateTime objects; with the hour-cached offsets it gives
 * exactly luxon's answer (the equivalence test checks it around DST changes).
 */
export function fixOffset(localTS: number, o: number, z: Zone): number {
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

/** The local day (days since 1970-01-01 in local time) of `ms` in a valid zone. */
export function localDay(ms: number, z: Zone): number {
  return Math.floor((ms + z.offset(ms) * 60_000) / DAY_MS);
}
