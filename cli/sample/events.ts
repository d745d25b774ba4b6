/**
 * A customer's events and profile updates over the sample period, drawn from
 * the customer's latent facts (./customers.ts) with the customer's own event
 * stream. Known event types of the example catalog have realistic schedules
 * and payloads; any other event type of the catalog gets a low background
 * rate with payload values drawn by field type. Every payload field the
 * catalog declares is filled with a value of its type.
 */
import { DateTime } from "luxon";
import type { RuntimeValue } from "../../compiler/ir/predicate.ts";
import type { AttributeTypePlan, CatalogPlan, EventTypePlan } from "../../compiler/plan/types.ts";
import { valueProblem } from "../../runtime/engine/validate.ts";
import { civil, daysInMonth, isoDate } from "./dates.ts";
import { aumLevelIndex, tierIndex, STREAM_EVENTS, type Latent } from "./customers.ts";
import { hash32, Rng } from "./random.ts";

export interface SampleEvent {
  readonly type: string;
  readonly at: number;
  readonly fields: Record<string, RuntimeValue>;
}

export interface SampleUpdate {
  readonly at: number;
  readonly attrs: Record<string, RuntimeValue>;
}

export interface EventContext {
  readonly seed: number;
  readonly startDay: number;
  readonly days: number;
  readonly catalog: Pick<CatalogPlan, "events" | "zone">;
  /** Attribute names a profile update may carry (those the catalog declares with the expected type). */
  readonly updatable: { readonly aum: boolean; readonly aumLevel: boolean; readonly tier: boolean; readonly depositBalance: boolean };
}

const round2 = (x: number): number => Math.round(x * 100) / 100;
const round100 = (x: number): number => Math.max(100, Math.round(x / 100) * 100);
const SEC = 1000;
const HOUR = 3600 * SEC;

/** Local midnights (epoch ms) of each day of the period in a zone, computed once per zone. */
export class DayTable {
  private readonly byZone = new Map<string, number[]>();
  readonly dayOfMonth: number[];
  readonly monthLength: number[];
  readonly weekend: boolean[];

  constructor(readonly startDay: number, readonly days: number) {
    this.dayOfMonth = [];
    this.monthLength = [];
    this.weekend = [];
    for (let d = 0; d <= days; d++) {
      const n = startDay + d;
      this.dayOfMonth.push(civil(n).d);
      this.monthLength.push(daysInMonth(n));
      const weekday = (((n + 3) % 7) + 7) % 7; // 0 = Monday (1970-01-01 was a Thursday)
      this.weekend.push(weekday >= 5);
    }
  }

  /** Local midnight of day `d` (0-based) in `zone`. */
  midnight(zone: string, d: number): number {
    let t = this.byZone.get(zone);
    if (!t) {
      t = [];
      for (let i = 0; i <= this.days; i++) {
        const { y, m, d: dd } = civil(this.startDay + i);
        t.push(DateTime.fromObject({ year: y, month: m, day: dd }, { zone }).toMillis());
      }
      this.byZone.set(zone, t);
    }
    return t[d] ?? Number.NaN;
  }
}

/** A time of day for an app login: evening peak, lunch, morning, a little at night. */
function loginSecond(r: Rng): number {
  const band = r.weighted([0, 1, 2, 3], [0.2, 0.25, 0.45, 0.1]);
  const [lo, hi] = band === 0 ? [7, 10] : band === 1 ? [11, 14] : band === 2 ? [18, 23] : [0, 7];
  return r.int(lo * 3600, hi * 3600 - 1);
}

type FieldDraft = Record<string, RuntimeValue>;

/** Known payload generators, by event name (fields the catalog does not declare are dropped). */
interface Ledger {
  aum: number;
  deposit: number;
}

/** Fills a catalog event's declared fields from a draft, drawing by type any the draft lacks or gets wrong. */
function payload(def: EventTypePlan, draft: FieldDraft, r: Rng): Record<string, RuntimeValue> {
  const out: Record<string, RuntimeValue> = {};
  for (const f of def.fields) {
    const v = draft[f.name];
    out[f.name] = v !== undefined && v !== null && valueProblem(v, f.type) === undefined ? v : fieldByType(f.name, f.type, r);
  }
  return out;
}

function fieldByType(name: string, type: AttributeTypePlan, r: Rng): RuntimeValue {
  switch (type.t) {
    case "money":
      return round2(r.logNormal(2_000, 1));
    case "int":
      return r.int(1, 10);
    case "number":
      return Math.round(r.normal() * 1000) / 1000;
    case "score":
      return Math.round(r.next() * 10_000) / 10_000;
    case "string":
      return `${name}-${r.int(1, 50)}`;
    case "enum":
      return r.pick(type.values);
    case "bool":
      return r.chance(0.5);
    case "date":
      return isoDate(20_000 + r.int(0, 3000));
    case "datetime":
      return 1_700_000_000_000 + r.int(0, 3e8) * 1000;
    case "timezone":
      return "Asia/Shanghai";
    case "tags":
      return null;
  }
}

const PUSH_CAMPAIGNS = ["bank_news", "wealth_weekly", "payday_reminder", "card_bill"];
const COMPLAINT_CATEGORIES = ["服务态度", "收费", "手机银行", "营销打扰", "理财产品", "排队等候"];

/**
 * All events and profile updates of one customer over the period, day by day
 * (within a day, not in time order: the generator sorts all rows at the end).
 * `emit` and `update` receive them as they are drawn.
 */
export function customerEvents(l: Latent, ctx: EventContext, days: DayTable, emit: (e: SampleEvent) => void, update: (u: SampleUpdate) => void): void {
  const r = new Rng(hash32(ctx.seed, l.index, STREAM_EVENTS));
  const defs = new Map(ctx.catalog.events.map((e) => [e.name, e]));
  const zone = ctx.catalog.zone;
  const ledger: Ledger = { aum: l.aum, deposit: l.depositBalance };
  const wealthHolder = l.tags.has("wealth_holder");
  const pushOptOut = l.tags.has("push_optout");
  const complainer = l.tags.has("complaint_90d");
  const ev = (type: string, at: number, draft: FieldDraft): void => {
    const def = defs.get(type);
    if (def) emit({ type, at, fields: payload(def, draft, r) });
  };
  const profile = (at: number, delta: number, depositDelta: number): void => {
    const before = ledger.aum;
    ledger.aum = round2(Math.max(0, ledger.aum + delta));
    ledger.deposit = round2(Math.min(ledger.aum, Math.max(0, ledger.deposit + depositDelta)));
    const attrs: Record<string, RuntimeValue> = {};
    if (ctx.updatable.aum) attrs["aum"] = ledger.aum;
    if (ctx.updatable.depositBalance) attrs["depositBalance"] = ledger.deposit;
    if (ctx.updatable.aumLevel && aumLevelIndex(before) !== aumLevelIndex(ledger.aum)) attrs["aumLevel"] = `L${aumLevelIndex(ledger.aum) + 1}`;
    if (ctx.updatable.tier && tierIndex(before) !== tierIndex(ledger.aum)) attrs["tier"] = ["mass", "wealth", "premium", "private"][tierIndex(ledger.aum)] ?? "mass";
    if (Object.keys(attrs).length > 0) update({ at, attrs });
  };
  const purchaseRate = (l.dormant ? 0.05 : 1) * (l.affluent ? 0.04 : wealthHolder ? 0.03 : 0.006);
  const transferRate = l.dormant ? 0.001 : 0.004;
  const referralRate = l.appUser && !l.dormant ? 0.003 : 0;
  const pushRate = l.appUser && !pushOptOut && !l.dormant ? 0.015 : 0;
  const complaintRate = complainer ? 0.004 : 0.0004;
  const unknown = ctx.catalog.events.filter((e) => !KNOWN_EVENTS.has(e.name));
  const pendingReferrals: number[] = [];

  for (let d = 0; d < ctx.days; d++) {
    const bankDay = days.midnight(zone, d);
    const localDay = l.zone === zone ? bankDay : days.midnight(l.zone, d);
    const dom = days.dayOfMonth[d] ?? 1;
    const monthLen = days.monthLength[d] ?? 30;

    // Monthly market revaluation of wealth products, at 02:00 on the 1st.
    if (dom === 1 && wealthHolder && ledger.aum > 0) {
      const delta = round2((ledger.aum - ledger.deposit) * (0.003 + 0.015 * r.normal()));
      if (delta !== 0) profile(bankDay + 2 * HOUR + r.int(0, 3599) * SEC, delta, 0);
    }
    if (l.payroll && dom === Math.min(l.payday, monthLen)) {
      const at = bankDay + r.int(9 * 3600, 11 * 3600) * SEC;
      const amount = round2(l.monthlyIncome * r.range(0.85, 1.2));
      ev("payroll.credited", at, { amount, employer: l.employer });
      profile(at + SEC, amount, amount);
    }
    if (l.pension && dom === l.pensionDay) {
      const at = bankDay + r.int(8 * 3600, 9 * 3600) * SEC;
      ev("pension.credited", at, { amount: l.pensionAmount });
      profile(at + SEC, l.pensionAmount, l.pensionAmount);
    }
    const logins = l.appUser ? r.poisson(l.loginsPerDay * (days.weekend[d] ? 1.2 : 1)) : 0;
    for (let i = 0; i < logins; i++) ev("app.login", localDay + loginSecond(r) * SEC, { device: r.chance(0.05) ? "web" : l.device });
    if (pushRate > 0 && r.chance(pushRate)) {
      const campaignId = r.pick(PUSH_CAMPAIGNS);
      ev("app_push.opened", localDay + r.int(9 * 3600, 21 * 3600) * SEC, { campaignId, template: `${campaignId}_${r.int(1, 3)}` });
    }
    if (r.chance(purchaseRate)) {
      const product = r.weighted(["deposit", "wealth", "fund", "insurance"], l.affluent ? [0.3, 0.38, 0.22, 0.1] : [0.45, 0.22, 0.2, 0.13]);
      const base = Math.max(ledger.aum, 1_000);
      const amount = product === "deposit" ? round100(base * r.range(0.1, 0.6)) : product === "wealth" ? Math.max(10_000, round100(base * r.range(0.05, 0.4))) : product === "fund" ? round100(base * r.range(0.02, 0.2)) : round100(r.logNormal(5_000, 0.8));
      ev("purchase", localDay + r.int(9 * 3600, 22 * 3600) * SEC, { product, amount });
    }
    if (ledger.aum >= 100 && r.chance(transferRate)) {
      const large = r.chance(0.3);
      const amount = round2(ledger.aum * (large ? r.range(0.5, 0.95) : r.range(0.02, 0.3)));
      const at = localDay + r.int(8 * 3600, 22 * 3600) * SEC;
      ev("transfer.out", at, { amount, to_other_bank: r.chance(large ? 0.7 : 0.35) });
      profile(at + SEC, -amount, -amount);
    }
    if (ledger.deposit >= 1_000 && r.chance(1 / 120)) {
      const amount = Math.max(1_000, Math.round((ledger.deposit * r.range(0.2, 0.8)) / 1_000) * 1_000);
      const product = amount >= 200_000 ? r.weighted(["time_deposit", "large_cd", "structured_deposit"], [0.45, 0.4, 0.15]) : r.weighted(["time_deposit", "structured_deposit"], [0.85, 0.15]);
      ev("deposit.matured", bankDay + r.int(1 * 3600, 6 * 3600) * SEC, { amount, product });
    }
    if (referralRate > 0 && r.chance(referralRate)) {
      ev("referral.sent", localDay + r.int(10 * 3600, 22 * 3600) * SEC, { via: r.weighted(["wechat_share", "sms_link", "poster_qr"], [0.6, 0.15, 0.25]) });
      if (r.chance(0.3)) pendingReferrals.push(d + r.int(1, 14));
    }
    for (let i = pendingReferrals.length - 1; i >= 0; i--) {
      if (pendingReferrals[i] !== d) continue;
      pendingReferrals.splice(i, 1);
      ev("referral.confirmed", bankDay + r.int(9 * 3600, 17 * 3600) * SEC, { referee: `N${hash32(l.index, d, i).toString(36).toUpperCase()}` });
    }
    if (r.chance(complaintRate)) ev("complaint.filed", bankDay + r.int(9 * 3600, 18 * 3600) * SEC, { category: r.pick(COMPLAINT_CATEGORIES) });
    for (const def of unknown) if (r.chance(0.01)) emit({ type: def.name, at: localDay + r.int(0, 86_399) * SEC, fields: payload(def, {}, r) });
  }
}

/** Event types with a schedule of their own above; any other catalog event gets the background rate. */
export const KNOWN_EVENTS: ReadonlySet<string> = new Set([
  "app.login", "app_push.opened", "payroll.credited", "pension.credited", "purchase", "transfer.out",
  "deposit.matured", "referral.sent", "referral.confirmed", "complaint.filed",
]);
