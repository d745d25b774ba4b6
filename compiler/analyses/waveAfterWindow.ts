/**
 * A004: a wave that can never fire because, even for a customer who enters
 * at the earliest possible moment (the window's start, or the schedule's
 * first run), its cumulative delay lands after the window ends.
 */
import { makeDiagnostic } from "../../language/diagnostics/make.ts";
import type { Diagnostic } from "../../language/diagnostics/diagnostic.ts";
import type { Analysis } from "./index.ts";
import { clausesOf } from "./support/conditions.ts";
import { HOUR, batchZone, fireTimes, showInstant, waveTimes } from "./support/time.ts";

export const waveAfterWindow: Analysis = {
  name: "wave-after-window",
  run(campaigns) {
    const out: Diagnostic[] = [];
    for (const c of campaigns) {
      if (c.hasErrors) continue;
      const { plan } = c;
      const win = plan.campaign.window;
      if (win.end <= win.start || plan.waves.length === 0) continue;
      const zone = c.catalog.zone;
      const trig = plan.trigger;
      let entry = win.start;
      if (trig.kind === "batch") {
        const first = fireTimes(trig, win.start, win.end, batchZone(trig, zone), 1)[0];
        if (first === undefined) continue; // A008 reports it
        entry = first;
      }
      // Customer time zones move clock times by up to a day: keep a margin then.
      const margin = trig.kind === "batch" && trig.zone.mode === "customer" ? 26 * HOUR : plan.waves.some((w) => w.at) ? 14 * HOUR : 0;
      const times = waveTimes(plan, entry, zone);
      const decls = clausesOf(c.decl, "waves")[0]?.waves ?? [];
      const winClause = clausesOf(c.decl, "window")[0];
      for (const [i, t] of times.entries()) {
        if (t - margin < win.end) continue;
        const d = decls[i];
        out.push(
          makeDiagnostic("A004", `wave ${i + 1} can never be sent: even a customer who enters at the earliest moment (${showInstant(entry, zone)}) is due it at ${showInstant(t, zone)}, after the window ends`, d?.span ?? c.decl.span, {
            related: winClause ? [{ span: winClause.span, message: `the window ends on ${showInstant(win.end - 1, zone).slice(0, 10)}` }] : [],
            help: "shorten the delays before this wave or extend the window",
          }),
        );
        break; // later waves are later still
      }
    }
    return out;
  },
};
