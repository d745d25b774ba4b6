/**
 * The analyses' speed-ups change nothing they report: the full diagnostic
 * lists (code, severity, span, message, help, related spans, fixes) on the
 * examples and on a few hundred generated campaigns are compared with a
 * baseline recorded from the straightforward implementation before it was
 * optimised (analyses.perf.baseline.json). The generated programs use
 * zones with and without daylight saving (windows across a DST change),
 * clock-time waves, caps, contact policies, batch and event triggers, so the
 * cached calendar arithmetic and the pair bucketing are both exercised.
 * Set RECORD_PERF_BASELINE=1 to rewrite the baseline (only from code whose
 * diagnostics are known to be right).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../language/diagnostics/diagnostic.ts";
import type { Span } from "../../language/span.ts";
import { checkProgram, type SourceInput } from "../program.ts";
import { addShift, fireTimes, firstWholePeriod, nextClock, periodKey, type BatchTrigger } from "../analyses/support/time.ts";
import type { TimeUnit } from "../ir/predicate.ts";
import { programs } from "./analyses.perf.programs.ts";

const BASELINE = join(import.meta.dirname, "analyses.perf.baseline.json");

function showSpan(s: Span): string {
  return `${s.file}:${s.line}:${s.column}-${s.endLine}:${s.endColumn}`;
}

function render(d: Diagnostic): string {
  const parts = [`${showSpan(d.span)} ${d.code} ${d.severity}: ${d.message}`];
  if (d.help) parts.push(`help: ${d.help}`);
  for (const r of d.related) parts.push(`related ${showSpan(r.span)}: ${r.message}`);
  for (const f of d.fixes) parts.push(`fix ${f.title}: ${f.edits.map((e) => `${showSpan(e.span)}=${JSON.stringify(e.newText)}`).join(", ")}`);
  return parts.join(" | ");
}

function analysisDiagnostics(inputs: SourceInput[]): { errors: number; analyses: string[] } {
  const ds = checkProgram(inputs).diagnostics;
  return { errors: ds.filter((d) => d.severity === "error" && !d.code.startsWith("A")).length, analyses: ds.filter((d) => /^A\d{3}$/.test(d.code)).map(render) };
}

describe("analyses report the same after the speed-ups", () => {
  const recording = Boolean(process.env.RECORD_PERF_BASELINE);
  const baseline: Record<string, { errors: number; analyses: string[] }> = existsSync(BASELINE) && !recording ? (JSON.parse(readFileSync(BASELINE, "utf8")) as Record<string, { errors: number; analyses: string[] }>) : {};
  const recorded: Record<string, { errors: number; analyses: string[] }> = {};
  for (const [name, inputs] of Object.entries(programs)) {
    it(name, () => {
      const actual = analysisDiagnostics(inputs());
      recorded[name] = actual;
      if (recording) {
        writeFileSync(BASELINE, JSON.stringify({ ...(existsSync(BASELINE) ? (JSON.parse(readFileSync(BASELINE, "utf8")) as object) : {}), ...recorded }, null, 1) + "\n");
        return;
      }
      const expected = baseline[name];
      expect(expected, `no baseline for ${name}`).toBeDefined();
      expect(actual.errors).toBe(expected?.errors);
      expect(actual.analyses).toEqual(expected?.analyses);
    }, 120_000);
  }
});

/** The calendar helpers as they were written with luxon's DateTime (the reference). */
const reference = {
  addShift(ms: number, amount: number, unit: TimeUnit, zone: string): number {
    if (amount === 0) return ms;
    if (unit === "minute") return ms + amount * 60_000;
    if (unit === "hour") return ms + amount * 3_600_000;
    return DateTime.fromMillis(ms, { zone }).plus({ [`${unit}s`]: amount }).toMillis();
  },
  nextClock(ms: number, hhmm: string, zone: string): number {
    const [h, m] = hhmm.split(":").map(Number);
    let at = DateTime.fromMillis(ms, { zone }).startOf("day").set({ hour: h ?? 0, minute: m ?? 0 });
    if (at.toMillis() < ms) at = at.plus({ days: 1 });
    return at.toMillis();
  },
  periodKey(ms: number, unit: "day" | "week" | "month", zone: string): number {
    return DateTime.fromMillis(ms, { zone }).startOf(unit).toMillis();
  },
  firstWholePeriod(unit: "day" | "week", zone: string, from: number): { start: number; end: number } {
    let d = DateTime.fromMillis(from, { zone }).startOf(unit);
    if (d.toMillis() < from) d = d.plus({ [`${unit}s`]: 1 });
    return { start: d.toMillis(), end: d.plus({ [`${unit}s`]: 1 }).toMillis() };
  },
  fireTimes(times: readonly string[], weekdays: readonly number[], from: number, to: number, zone: string): number[] {
    const out: number[] = [];
    let d = DateTime.fromMillis(from, { zone }).startOf("day");
    for (let i = 0; i < 1200 && d.toMillis() < to; i++, d = d.plus({ days: 1 })) {
      if (!weekdays.includes(d.weekday)) continue;
      for (const hhmm of times) {
        const [h, m] = hhmm.split(":").map(Number);
        const at = d.set({ hour: h ?? 0, minute: m ?? 0 }).toMillis();
        if (at >= from && at < to) out.push(at);
      }
    }
    return out.sort((a, b) => a - b);
  },
};

describe("the cached calendar arithmetic agrees with luxon", () => {
  // Zones with DST at odd hours or at midnight, half-hour offsets and DST steps, a skipped day, fixed offsets.
  const zones = ["Asia/Shanghai", "America/New_York", "Europe/London", "America/Sao_Paulo", "America/Havana", "Australia/Lord_Howe", "Asia/Kolkata", "America/St_Johns", "Pacific/Chatham", "Pacific/Apia", "Asia/Gaza", "UTC", "UTC+8", "Europe/Dublin"];
  const rnd = ((seed: number) => () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  })(99);
  const transitions = (zone: string): number[] => {
    const out: number[] = [];
    let prev = DateTime.fromMillis(Date.UTC(2010, 0, 1), { zone }).offset;
    for (let t = Date.UTC(2010, 0, 1); t < Date.UTC(2030, 0, 1); t += 86_400_000) {
      const o = DateTime.fromMillis(t, { zone }).offset;
      if (o !== prev) out.push(t);
      prev = o;
    }
    return out;
  };
  for (const zone of zones) {
    it(zone, () => {
      const near = transitions(zone);
      const instants: number[] = [];
      for (let i = 0; i < 150; i++) instants.push(Date.UTC(2010, 0, 1) + Math.floor(rnd() * 20 * 365) * 86_400_000 + Math.floor(rnd() * 96) * 900_000);
      // Every half hour (and a few odd minutes) of the two days around each of 12 transitions.
      for (const t of near.slice(0, 12)) for (let k = -96; k <= 48; k++) instants.push(t + k * 1_800_000 + (k % 3) * 60_000);
      const clocks = ["00:00", "00:30", "01:00", "02:00", "02:30", "03:00", "09:45", "23:59", "24:00"];
      const units: TimeUnit[] = ["day", "week", "month", "year", "hour"];
      const wrong: string[] = [];
      const same = (what: string, a: number, b: number): void => {
        if (a !== b && wrong.length < 10) wrong.push(`${what}: ${a} instead of ${b}`);
      };
      for (const t of instants) {
        for (const u of units) for (const n of [1, -1, 0]) same(`addShift ${t} ${n} ${u}`, addShift(t, { amount: n, unit: u }, zone), reference.addShift(t, n, u, zone));
        for (const c of clocks) same(`nextClock ${t} ${c}`, nextClock(t, c, zone), reference.nextClock(t, c, zone));
        for (const u of ["day", "week", "month"] as const) same(`periodKey ${t} ${u}`, periodKey({ kind: "calendar", unit: u, zone }, t) ?? Number.NaN, reference.periodKey(t, u, zone));
        for (const u of ["day", "week"] as const) {
          const mine = firstWholePeriod(u, zone, t, t + 20 * 86_400_000);
          const ref = reference.firstWholePeriod(u, zone, t);
          same(`firstWholePeriod ${t} ${u} start`, mine?.start ?? Number.NaN, ref.start);
          same(`firstWholePeriod ${t} ${u} end`, mine?.end ?? Number.NaN, ref.end);
        }
      }
      expect(wrong).toEqual([]);
      for (const t of [...instants.slice(0, 20), ...near.slice(0, 20).map((x) => x - 5 * 86_400_000)]) {
        const trig: BatchTrigger = { kind: "batch", times: ["00:00", "00:30", "02:30", "10:00"], zone: { mode: "named", zone }, recurrence: { every: "week", weekdays: [1, 3, 6, 7] } };
        expect(fireTimes(trig, t, t + 12 * 86_400_000, zone), `${zone} ${t}`).toEqual(reference.fireTimes(["00:00", "00:30", "02:30", "10:00"], [1, 3, 6, 7], t, t + 12 * 86_400_000, zone));
      }
    }, 60_000);
  }
});
