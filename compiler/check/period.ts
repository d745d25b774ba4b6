/**
 * Cap and budget periods: each must be explicitly calendar (`day`, `week`
 * — ISO week —, `month`, in the catalog zone or a stated one) or rolling
 * (`rolling 24 hours`). A bare duration (`per 7 days`) is ambiguous: T009,
 * with both readings offered as fixes.
 */
import { IANAZone } from "luxon";
import type * as A from "../../language/ast.ts";
import type { Diagnostic, SuggestedFix } from "../../language/diagnostics/diagnostic.ts";
import { makeDiagnostic } from "../../language/diagnostics/make.ts";
import type { PeriodModel } from "../catalog/model.ts";

const CALENDAR_EQUIVALENT: Record<string, "day" | "week" | "month"> = { "1 day": "day", "24 hour": "day", "7 day": "week", "1 week": "week", "1 month": "month" };

export function checkPeriod(p: A.Period | undefined, catalogZone: string, out: Diagnostic[]): PeriodModel | undefined {
  if (!p) return undefined;
  if (p.form === "calendar") {
    let zone = catalogZone;
    if (p.zone) {
      if (IANAZone.isValidZone(p.zone.value)) zone = p.zone.value;
      else out.push(makeDiagnostic("T010", `unknown time zone \`${p.zone.value}\``, p.zone.span));
    }
    return { kind: "calendar", unit: p.unit ?? "day", zone };
  }
  const d = p.duration;
  if (!d) return undefined;
  if (!Number.isInteger(d.amount) || d.amount <= 0) {
    out.push(makeDiagnostic("T016", `a period is a positive whole number of units, not \`${d.raw}\``, d.span));
    return undefined;
  }
  if (p.form === "ambiguous") {
    const fixes: SuggestedFix[] = [{ title: `rolling: \`rolling ${d.raw}\``, edits: [{ span: p.span, newText: `rolling ${d.raw}` }] }];
    const cal = CALENDAR_EQUIVALENT[`${d.amount} ${d.unit}`];
    if (cal) fixes.push({ title: `calendar: \`${cal}\``, edits: [{ span: p.span, newText: cal }] });
    out.push(
      makeDiagnostic("T009", `period \`${d.raw}\` is ambiguous: say \`rolling ${d.raw}\` for a sliding window${cal ? ` or \`${cal}\` for the calendar ${cal}` : ", or a calendar `day`, `week` or `month`"}`, p.span, { fixes }),
    );
    return undefined;
  }
  if (d.unit === "month" || d.unit === "year") {
    out.push(makeDiagnostic("T009", `a rolling period is measured in minutes, hours, days or weeks, not \`${d.unit}s\`; for calendar months write \`month\``, p.span));
    return undefined;
  }
  return { kind: "rolling", amount: d.amount, unit: d.unit };
}
