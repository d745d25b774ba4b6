/**
 * A008: a batch schedule that never runs inside the window: `once at` a time
 * outside it, `every month on day 31` in a window without a 31st, a weekly
 * schedule on a weekday the window does not contain.
 */
import { makeDiagnostic } from "../../language/diagnostics/make.ts";
import type { Diagnostic } from "../../language/diagnostics/diagnostic.ts";
import type { Analysis } from "./index.ts";
import { clausesOf } from "./support/conditions.ts";
import { DAY, batchZone, fireTimes, showInstant } from "./support/time.ts";

const WEEKDAY = ["", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

export const scheduleNeverFires: Analysis = {
  name: "schedule-never-fires",
  run(campaigns) {
    const out: Diagnostic[] = [];
    for (const c of campaigns) {
      if (c.hasErrors) continue;
      const t = c.plan.trigger;
      const win = c.plan.campaign.window;
      if (t.kind !== "batch" || win.end <= win.start) continue;
      const zone = batchZone(t, c.catalog.zone);
      // Each customer's own zone can shift a run by up to a day either way.
      const slack = t.zone.mode === "customer" ? DAY + DAY / 12 : 0;
      if (fireTimes(t, win.start - slack, win.end + slack, zone, 1).length > 0) continue;
      const clause = clausesOf(c.decl, "trigger")[0];
      const span = clause?.trigger?.span ?? clause?.span ?? c.decl.span;
      const first = showInstant(win.start, c.catalog.zone).slice(0, 10);
      const last = showInstant(win.end - 1, c.catalog.zone).slice(0, 10);
      let why: string;
      if (t.once !== undefined) why = `it runs once, at ${showInstant(t.once, zone)}, outside the window ${first} .. ${last}`;
      else if (t.recurrence?.every === "month") why = `the window ${first} .. ${last} has no day ${t.recurrence.dayOfMonth ?? "?"}`;
      else if (t.recurrence?.every === "week") why = `the window ${first} .. ${last} contains no ${t.recurrence.weekdays.map((d) => WEEKDAY[d]).join(" or ")}`;
      else if (t.recurrence?.every === "weekday") why = `the window ${first} .. ${last} contains no weekday (Monday to Friday)`;
      else why = `none of its run times falls inside the window ${first} .. ${last}`;
      out.push(makeDiagnostic("A008", `this schedule never runs inside the window: ${why}`, span, {
          help: t.recurrence?.every === "month" && (t.recurrence.dayOfMonth ?? 0) > 28 ? "no customer can enter; months shorter than the day never run, so pick a day up to 28 or widen the window" : "no customer can enter; change the schedule or the window",
        }));
    }
    return out;
  },
};
