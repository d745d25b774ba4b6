/**
 * Plan parts in plain language for `campaign diff`, close to how they are
 * written in a .campaign file: `aum ≥ 10,000 and has payroll`, `after 3 days
 * at 09:30`, `at most 3 per day across all channels`. Single predicate nodes
 * and values come from compiler/interp/describe.ts; this file strings them
 * together and adds the other plan parts.
 */
import { describePred, describeValue, showNumber } from "../../compiler/interp/describe.ts";
import type { Pred, Shift, ValueExpr } from "../../compiler/ir/predicate.ts";
import type {
  AttributeTypePlan,
  BenefitPlan,
  BenefitTierPlan,
  BenefitTypePlan,
  BudgetPlan,
  ChannelPlan,
  EntryPlan,
  EventTypePlan,
  ExitPlan,
  FieldPlan,
  GoalPlan,
  PeriodPlan,
  PolicyPlan,
  RateLimitPlan,
  TouchPlan,
  TriggerPlan,
  WavePlan,
} from "../../compiler/plan/types.ts";
import { showInstant } from "../../compiler/time/resolve.ts";

/** Options for predicate words: `expand` shows what segments and labelled parts stand for. */
export interface PredWordsOptions {
  readonly zone?: string;
  readonly expand?: boolean;
}

function atomic(p: Pred): boolean {
  return p.k !== "and" && p.k !== "or" && p.k !== "not";
}

/** A whole predicate in words: `segment dormant and aum ≥ 1,000 and (has payroll or age < 30)`. */
export function predWords(p: Pred, opts: PredWordsOptions = {}): string {
  switch (p.k) {
    case "and":
      return p.args.map((a) => (a.k === "or" ? `(${predWords(a, opts)})` : predWords(a, opts))).join(" and ");
    case "or":
      return p.args.map((a) => (a.k === "and" ? `(${predWords(a, opts)})` : predWords(a, opts))).join(" or ");
    case "not": {
      const a = p.arg;
      if (a.k === "tag") return `not has ${a.tag}`;
      if (a.k === "set") return `${describeValue(a.value, opts.zone)} is not set`;
      if (a.k === "in") return `${describeValue(a.value, opts.zone)} not ${describePred(a, opts.zone).slice(describeValue(a.value, opts.zone).length + 1)}`;
      if (a.k === "label" && a.label === "exclude") return `not (${predWords(a.pred, opts)})`;
      return atomic(a) ? `not ${predWords(a, opts)}` : `not (${predWords(a, opts)})`;
    }
    case "label":
      if (p.label === "exclude") return predWords(p.pred, opts);
      return opts.expand ? `${p.label} (= ${predWords(p.pred, opts)})` : p.label;
    default:
      return describePred(p, opts.zone);
  }
}

/** A share as a percentage: 0.05 → `5%`, 0.125 → `12.5%`. */
export function percent(share: number): string {
  return `${showNumber(Math.round(share * 1e8) / 1e6)}%`;
}

function plural(n: number, unit: string): string {
  return `${showNumber(n)} ${unit}${Math.abs(n) === 1 ? "" : "s"}`;
}

/** A calendar shift: `3 days`, `2 hours`. */
export function shiftWords(s: Shift): string {
  return plural(s.amount, s.unit);
}

/** A value in words (money and numbers as `10,000`). */
export function valueWords(v: ValueExpr, zone?: string): string {
  return describeValue(v, zone);
}

export function periodWords(p: PeriodPlan, catalogZone?: string): string {
  if (p.kind === "rolling") return `per rolling ${plural(p.amount, p.unit)}`;
  return `per ${p.unit === "day" ? "day" : p.unit === "week" ? "week" : "month"}${p.zone !== catalogZone ? ` in ${p.zone}` : ""}`;
}

export function rateLimitWords(r: RateLimitPlan, catalogZone?: string): string {
  const scope = r.scope.mode === "across" ? "across all channels" : r.scope.mode === "each" ? "on each channel" : `on ${r.scope.channels.join(", ")}`;
  return `at most ${showNumber(r.count)} ${periodWords(r.period, catalogZone)} ${scope}`;
}

function timesWords(times: readonly string[]): string {
  return times.join(", ");
}

const WEEKDAYS = ["", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

export function triggerWords(t: TriggerPlan, zone: string): string {
  if (t.kind === "event") {
    let s = `on ${t.event}`;
    if (t.condition.k !== "true") s += ` where ${predWords(t.condition, { zone })}`;
    if (t.absence) {
      s += ` and no ${t.absence.event}`;
      if (t.absence.condition.k !== "true") s += ` where ${predWords(t.absence.condition, { zone })}`;
      s += ` within ${shiftWords(t.absence.within)}`;
    }
    return s;
  }
  if (t.once !== undefined) return `once at ${showInstant(t.once, zone)}`;
  const z = t.zone.mode === "bank" ? "bank time" : t.zone.mode === "customer" ? "customer time" : `in ${t.zone.zone}`;
  const r = t.recurrence;
  let every = "on no schedule";
  if (r) {
    if (r.every === "day") every = "every day";
    else if (r.every === "weekday") every = "every weekday";
    else if (r.every === "week") every = `every week on ${r.weekdays.map((d) => WEEKDAYS[d] ?? String(d)).join(", ")}`;
    else every = `every month on day ${r.dayOfMonth ?? "?"}`;
  }
  return `${every} at ${timesWords(t.times)} ${z}`;
}

export function entryWords(e: EntryPlan): string {
  return e.mode === "once" ? "once per customer" : `again after ${shiftWords(e.coolDown)}`;
}

export function goalWords(g: GoalPlan, zone: string): string {
  const window = `within ${shiftWords(g.within)} of ${g.anchor}`;
  if (g.kind === "event") return `${g.event}${g.condition.k !== "true" ? ` where ${predWords(g.condition, { zone })}` : ""} ${window}`;
  return `${g.attribute} ${g.direction} by at least ${valueWords(g.amount, zone)} ${window}`;
}

export function exitWords(x: ExitPlan, zone: string): string {
  if (x.event !== undefined) return `on ${x.event}${x.condition.k !== "true" ? ` where ${predWords(x.condition, { zone })}` : ""}`;
  return `when ${predWords(x.condition, { zone })}`;
}

export function delayWords(w: Pick<WavePlan, "delay">): string {
  return w.delay.amount === 0 ? "now" : `after ${shiftWords(w.delay)}`;
}

/** The conditions of a wave: `unless converted, unless wave 1 opened, only aum ≥ 10,000`; `none` when it has none. */
export function waveConditionWords(w: WavePlan, zone: string): string {
  const parts: string[] = [];
  if (w.unlessConverted) parts.push("unless converted");
  if (w.unlessOpened.length) parts.push(`unless wave ${w.unlessOpened.join(", ")} opened`);
  if (w.unlessClicked.length) parts.push(`unless wave ${w.unlessClicked.join(", ")} clicked`);
  if (w.only.k !== "true") parts.push(`only ${predWords(w.only, { zone })}`);
  return parts.length ? parts.join(", ") : "none";
}

/** A touch's template(s): `"wealth_sms"` or `{ a "sms_a", b "sms_b" }`. */
export function templateWords(t: TouchPlan): string {
  if (t.variantTemplates) return `{ ${Object.entries(t.variantTemplates).map(([v, tpl]) => `${v} ${JSON.stringify(tpl)}`).join(", ")} }`;
  return JSON.stringify(t.template);
}

export function touchWords(t: TouchPlan): string {
  return `${t.channel} ${templateWords(t)}`;
}

/** The fallbacks of a wave: `else app_push "x", else sms "y"`; `none`. */
export function fallbackWords(w: WavePlan): string {
  const rest = w.touches.slice(1);
  return rest.length ? rest.map((t) => `else ${touchWords(t)}`).join(", ") : "none";
}

/** A whole wave as one line: `sms "x" after 3 days at 09:30 unless converted, else app_push "y"`. */
export function waveWords(w: WavePlan, zone: string): string {
  const first = w.touches[0];
  let s = `${first ? touchWords(first) : "no touch"} ${delayWords(w)}`;
  if (w.at !== undefined) s += ` at ${w.at}`;
  const cond = waveConditionWords(w, zone);
  if (cond !== "none") s += ` ${cond}`;
  if (w.touches.length > 1) s += `, ${fallbackWords(w)}`;
  return s;
}

export function tierWords(t: BenefitTierPlan, zone: string): string {
  return `${t.benefit} ${valueWords(t.quantity, zone)}${t.condition.k !== "true" ? ` when ${predWords(t.condition, { zone })}` : ""}`;
}

export function benefitLimitWords(l: BenefitPlan["limit"]): string {
  if (l.mode === "once") return "once per customer";
  if (l.mode === "everyTime") return "every time";
  return `at most ${plural(l.count, "time")} per customer`;
}

export function pacingWords(p: BudgetPlan["pacing"]): string {
  if (p.mode === "none") return "not paced";
  if (p.mode === "even") return "paced evenly";
  return `paced by curve (${p.curve.map(percent).join(", ")})`;
}

export function whenSpentWords(w: BudgetPlan["whenSpent"]): string {
  return w === "benefits" ? "stop benefits" : w === "entry" ? "stop entry" : "stop entry and benefits";
}

export function perPeriodWords(p: BudgetPlan["perPeriod"][number], catalogZone?: string): string {
  return `${showNumber(p.amount)} ${periodWords(p.period, catalogZone)}`;
}

export function budgetWords(b: BudgetPlan, catalogZone?: string): string {
  const parts: string[] = [];
  if (b.total !== undefined) parts.push(`${showNumber(b.total)} total`);
  for (const p of b.perPeriod) parts.push(perPeriodWords(p, catalogZone));
  parts.push(pacingWords(b.pacing));
  return `${parts.join(", ")}; when spent: ${whenSpentWords(b.whenSpent)}`;
}

export function armsWords(arms: readonly { readonly name: string; readonly weight: number }[]): string {
  return arms.map((a) => `${a.name} ${percent(a.weight)}`).join(", ");
}

// ------------------------------------------------------------ catalog parts

export function attributeTypeWords(t: AttributeTypePlan): string {
  if (t.t === "money") return `money (${t.currency})`;
  if (t.t === "enum") return `enum(${t.values.join(", ")})`;
  return t.t;
}

function labelled(label: string | undefined): string {
  return label !== undefined ? ` ${JSON.stringify(label)}` : "";
}

export function fieldWords(f: FieldPlan): string {
  return `${attributeTypeWords(f.type)}${labelled(f.label)}`;
}

export function eventTypeWords(e: EventTypePlan, zone?: string): string {
  const fields = `{ ${e.fields.map((f) => `${f.name}: ${attributeTypeWords(f.type)}`).join(", ")} }`;
  return `${fields}${e.value ? ` value ${valueWords(e.value, zone)}` : ""}${labelled(e.label)}`;
}

export function channelWords(c: ChannelPlan): string {
  const parts = [`cost ${showNumber(c.cost)}`];
  if (c.quiet.length) parts.push(`quiet ${c.quiet.map((q) => `${q.from}-${q.to}`).join(", ")}`);
  if (c.capacityPerDay !== undefined) parts.push(`capacity ${showNumber(c.capacityPerDay)} per day`);
  if (c.capacityPerBranch !== undefined) parts.push(`capacity ${showNumber(c.capacityPerBranch)} per day per branch`);
  if (c.address !== undefined) parts.push(`address ${c.address}`);
  if (c.optoutTag !== undefined) parts.push(`optout ${c.optoutTag}`);
  return `${parts.join(", ")}${labelled(c.label)}`;
}

export function benefitTypeWords(b: BenefitTypePlan): string {
  return `cost ${showNumber(b.cost)}${b.perUnit ? " each" : ""}${labelled(b.label)}`;
}

export function policyWords(p: PolicyPlan, zone?: string): string {
  const parts = p.limits.map((l) => rateLimitWords(l, zone));
  if (p.exclude) parts.push(`exclude ${predWords(p.exclude, { zone })}`);
  return parts.join("; ");
}
