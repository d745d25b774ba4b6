/**
 * A007: a batch schedule whose first touch falls in the quiet hours of every
 * channel of the first wave (its touch and all fallbacks), so no touch can go
 * out at the scheduled time; says when the first touch would go instead.
 */
import { makeDiagnostic } from "../../language/diagnostics/make.ts";
import type { Diagnostic } from "../../language/diagnostics/diagnostic.ts";
import type { Span } from "../../language/span.ts";
import type { QuietRange } from "../catalog/model.ts";
import type { Analysis } from "./index.ts";
import { clausesOf } from "./support/conditions.ts";
import { clockMinutes, showClock } from "./support/time.ts";

function inRange(m: number, r: QuietRange): boolean {
  const from = clockMinutes(r.from);
  const to = clockMinutes(r.to);
  return from < to ? m >= from && m < to : m >= from || m < to;
}

/** When quiet hours starting at `m` end (minutes, possibly past midnight), or undefined if `m` is not quiet. */
export function quietUntil(m: number, ranges: readonly QuietRange[]): number | undefined {
  let t = m;
  let moved = false;
  for (let i = 0; i < 8; i++) {
    const r = ranges.find((q) => inRange(((t % 1440) + 1440) % 1440, q));
    if (!r) break;
    const to = clockMinutes(r.to);
    const cur = ((t % 1440) + 1440) % 1440;
    t += to > cur ? to - cur : to + 1440 - cur;
    moved = true;
  }
  return moved ? t : undefined;
}

export const quietHoursBatch: Analysis = {
  name: "quiet-hours-batch",
  run(campaigns) {
    const out: Diagnostic[] = [];
    for (const c of campaigns) {
      if (c.hasErrors) continue;
      const t = c.plan.trigger;
      const w = c.plan.waves[0];
      if (t.kind !== "batch" || !w || w.touches.length === 0) continue;
      const trig = clausesOf(c.decl, "trigger")[0]?.trigger;
      const waveDecl = clausesOf(c.decl, "waves")[0]?.waves[0];
      const sends: { clock: number; span: Span; what: string; fixable: boolean }[] = [];
      if (w.at) {
        const m = waveDecl?.modifiers.find((x) => (x.kind === "after" || x.kind === "atTime") && x.at);
        const at = m && (m.kind === "after" || m.kind === "atTime") ? m.at : undefined;
        if (at) sends.push({ clock: clockMinutes(w.at), span: at.span, what: `wave 1 is sent at ${w.at}`, fixable: true });
      } else if (trig?.kind === "batch" && t.times.length > 0) {
        const unit = w.delay.unit;
        const extra = unit === "minute" ? w.delay.amount : unit === "hour" ? w.delay.amount * 60 : 0;
        for (const [i, hhmm] of t.times.entries()) {
          const lit = trig.times[i];
          if (!lit) continue;
          const clock = clockMinutes(hhmm) + extra;
          sends.push({ clock, span: lit.span, what: extra === 0 ? `the schedule runs at ${hhmm}` : `wave 1 is due at ${showClock(clock)}`, fixable: extra === 0 });
        }
      }
      for (const s of sends) {
        const channels = w.touches.map((x) => c.catalog.channels.get(x.channel));
        if (channels.some((ch) => !ch)) continue;
        const until = channels.map((ch) => quietUntil(s.clock, ch?.quiet ?? []));
        if (until.some((u) => u === undefined)) continue;
        const first = until[0] as number;
        const quiet = channels.map((ch) => `\`${ch?.name}\` ${ch?.quiet.map((q) => `${q.from}-${q.to}`).join(", ")}`).join("; ");
        const moveTo = showClock(first);
        const dayNote = first >= 1440 ? " the next day" : "";
        out.push(
          makeDiagnostic("A007", `${s.what}, inside the quiet hours of every channel of wave 1 (${quiet}); the touch would wait until ${moveTo}${dayNote}`, s.span, {
            fixes: s.fixable ? [{ title: `send at ${moveTo} instead`, edits: [{ span: s.span, newText: moveTo }] }] : [],
            help: "customers get the touch later than scheduled; move the schedule out of the quiet hours",
          }),
        );
      }
    }
    return out;
  },
};
