/**
 * Fast local times in one zone for the dry-run's per-line work: the zone's
 * offset is looked up with luxon once per quarter hour of simulated time
 * (offsets change on quarter-hour boundaries in every zone in use) and cached,
 * so formatting millions of journey lines costs no luxon call each.
 */
import { DateTime } from "luxon";

const QUARTER = 900_000;

export class ZoneClock {
  private readonly offsets = new Map<number, number>();
  constructor(readonly zone: string) {}

  /** The zone's offset from UTC at `ms`, in minutes. */
  offsetMinutes(ms: number): number {
    const bucket = Math.floor(ms / QUARTER);
    let off = this.offsets.get(bucket);
    if (off === undefined) {
      off = DateTime.fromMillis(bucket * QUARTER, { zone: this.zone }).offset;
      this.offsets.set(bucket, off);
    }
    return off;
  }

  /** `2026-12-02T21:30:00+08:00` (seconds kept, milliseconds when not zero). */
  iso(ms: number): string {
    const off = this.offsetMinutes(ms);
    const s = new Date(ms + off * 60_000).toISOString();
    const body = s.endsWith(".000Z") ? s.slice(0, 19) : s.slice(0, 23);
    const sign = off < 0 ? "-" : "+";
    const a = Math.abs(off);
    return `${body}${sign}${String(Math.floor(a / 60)).padStart(2, "0")}:${String(a % 60).padStart(2, "0")}`;
  }

  /** The local calendar day, `2026-12-02`. */
  day(ms: number): string {
    return new Date(ms + this.offsetMinutes(ms) * 60_000).toISOString().slice(0, 10);
  }

  /** Every local day from the one holding `from` up to the one holding `to - 1`. */
  days(from: number, to: number): string[] {
    const out: string[] = [];
    if (to <= from) return out;
    let d = DateTime.fromMillis(from, { zone: this.zone }).startOf("day");
    while (d.toMillis() < to) {
      out.push(d.toISODate() ?? "");
      d = d.plus({ days: 1 });
    }
    return out;
  }

  /** The instant a local day ends (the next day's midnight). */
  dayEnd(day: string): number {
    return DateTime.fromISO(day, { zone: this.zone }).plus({ days: 1 }).toMillis();
  }
}

/**
 * Reads `--from` / `--to`: a date (`2026-12-01`) or a local date-time
 * (`2026-12-01T09:00`) in the zone, or one with an offset. A date alone given
 * as the end means the end of that day (`--to 2026-12-07` includes the 7th).
 */
export function parseInstant(text: string, zone: string, end: boolean): number | undefined {
  const t = text.trim();
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(t);
  if (!dateOnly && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?$/.test(t)) return undefined;
  const d = DateTime.fromISO(t, { zone, setZone: false });
  if (!d.isValid) return undefined;
  return dateOnly && end ? d.plus({ days: 1 }).toMillis() : d.toMillis();
}
