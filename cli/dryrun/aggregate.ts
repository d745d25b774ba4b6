/**
 * Aggregates the runtime's journey lines (and its payout actions) on the fly
 * into the per-campaign figures of the report. Nothing is kept per journey
 * line; per entered customer a small record (group, the next wave to be
 * resolved, whether it waits after a deferral, why its remaining waves were
 * cancelled) so that at the end every wave of every treated entry is
 * accounted for: touched, skipped, suppressed, cancelled or pending.
 */
import type { RuntimeValue } from "../../compiler/ir/predicate.ts";
import type { Plan } from "../../compiler/plan/types.ts";
import { pacingAllowance } from "../../runtime/policies/budget.ts";
import type { JourneyEntry, PayoutAction } from "../../runtime/index.ts";
import type { CampaignReport, DayTouches, OutcomeReport } from "./schema.ts";
import type { ZoneClock } from "./time.ts";

type Counter = Map<string, number>;

function inc(m: Counter, k: string, n = 1): void {
  m.set(k, (m.get(k) ?? 0) + n);
}

function sortedRecord(m: ReadonlyMap<string, number>, round = false): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of [...m.keys()].sort()) out[k] = round ? round2(m.get(k) ?? 0) : (m.get(k) ?? 0);
  return out;
}

function pct0(x: number): string {
  return `${Math.round(x * 100)}%`;
}

export function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

const CANCEL_NONE = 0;
const CANCEL_CONVERSION = 1;
const CANCEL_EXIT = 2;
const CANCEL_WINDOW = 3;

interface EntryAgg {
  treated: boolean;
  /** The 1-based wave awaiting resolution (waves resolve in order). */
  next: number;
  deferred: boolean;
  cancel: number;
  converted: boolean;
}

interface WaveAgg {
  touched: number;
  skipped: number;
  suppressed: number;
  cancelled: number;
  pending: number;
  deferredThenResolved: number;
  pendingDeferred: number;
}

class OutcomeAgg {
  total = 0;
  readonly byReason: Counter = new Map();
  readonly rules: Counter = new Map();
  add(stage: "wave" | "entry" | "payout", reason: string, rule: string): void {
    this.total++;
    inc(this.byReason, reason);
    inc(this.rules, `${stage}\u0000${reason}\u0000${rule}`);
  }
  report(): OutcomeReport {
    const rules = [...this.rules]
      .map(([k, count]) => {
        const [stage, reason, rule] = k.split("\u0000") as ["wave" | "entry" | "payout", string, string];
        return { stage, reason, rule, count };
      })
      .sort((a, b) => b.count - a.count || cmp(a.stage, b.stage) || cmp(a.reason, b.reason) || cmp(a.rule, b.rule));
    return { total: this.total, byReason: sortedRecord(this.byReason), rules };
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** What a conversion is worth by the catalog's `value` of the goal event, or undefined. */
export type ValueOf = (customerId: string, fields: Readonly<Record<string, RuntimeValue>>, at: number) => number | undefined;

export class CampaignAgg {
  private readonly entries = new Map<string, EntryAgg>();
  private readonly waveCount: number;
  private readonly waves: WaveAgg[];
  entriesTotal = 0;
  treated = 0;
  holdout = 0;
  readonly byVariant: Counter = new Map();
  touches = 0;
  readonly touchesByChannel: Counter = new Map();
  readonly touchCostByChannel: Counter = new Map();
  /** day → channel → touches */
  readonly touchesByDay = new Map<string, Counter>();
  readonly fallbacks: Counter = new Map();
  readonly suppressions = new OutcomeAgg();
  readonly deferrals = new OutcomeAgg();
  readonly skips = new OutcomeAgg();
  exits = 0;
  readonly conv = { treated: { converted: 0, conversions: 0, value: 0 }, holdout: { converted: 0, conversions: 0, value: 0 } };
  payouts = 0;
  payoutCost = 0;
  readonly benefits = new Map<string, { count: number; quantity: number; cost: number }>();
  budgetSuppressed = { count: 0, amount: 0 };
  readonly spendByDay: Counter = new Map();
  /**
   * Audience size for event campaigns: distinct customers the runtime found in the audience on a trigger: those
   * who entered, were refused entry after the audience held (budget, do-not-contact), or started an absence timer.
   */
  readonly matched = new Set<string>();
  audience: CampaignReport["audience"] | undefined;
  private finished = false;

  constructor(
    readonly plan: Plan,
    readonly file: string,
    private readonly clock: ZoneClock,
    readonly valueOf: ValueOf | undefined,
  ) {
    this.waveCount = plan.waves.length;
    this.waves = plan.waves.map(() => ({ touched: 0, skipped: 0, suppressed: 0, cancelled: 0, pending: 0, deferredThenResolved: 0, pendingDeferred: 0 }));
  }

  /** Whether the customer entered the campaign during the run. */
  hasEntry(customerId: string): boolean {
    return this.entries.has(customerId);
  }

  /** Resolves the entry's wave `n` (touched, skipped or suppressed). */
  private resolve(e: EntryAgg | undefined, n: number, how: "touched" | "skipped" | "suppressed"): void {
    const w = this.waves[n - 1];
    if (!w) return;
    w[how]++;
    if (e) {
      if (e.deferred) w.deferredThenResolved++;
      e.deferred = false;
      e.next = n + 1;
    }
  }

  /** The waves of an entry that were never resolved: cancelled (with a reason) or, at the end, pending. */
  private settle(e: EntryAgg, atEnd: boolean): void {
    if (!e.treated) return;
    for (let n = e.next; n <= this.waveCount; n++) {
      const w = this.waves[n - 1] as WaveAgg;
      if (e.cancel !== CANCEL_NONE || !atEnd) w.cancelled++;
      else {
        w.pending++;
        if (n === e.next && e.deferred) w.pendingDeferred++;
      }
    }
    e.next = this.waveCount + 1;
  }

  line(j: JourneyEntry, input: { readonly fields: Readonly<Record<string, RuntimeValue>>; readonly type: string } | undefined): void {
    const e = this.entries.get(j.customerId);
    switch (j.kind) {
      case "entry": {
        this.matched.add(j.customerId);
        if (e) this.settle(e, false);
        const treated = j.group !== "holdout";
        this.entries.set(j.customerId, { treated, next: 1, deferred: false, cancel: CANCEL_NONE, converted: false });
        this.entriesTotal++;
        if (treated) this.treated++;
        else this.holdout++;
        if (j.variant) inc(this.byVariant, j.variant);
        return;
      }
      case "touch": {
        this.touches++;
        const ch = j.channel ?? "";
        inc(this.touchesByChannel, ch);
        inc(this.touchCostByChannel, ch, j.amount ?? 0);
        const day = this.clock.day(j.at);
        let m = this.touchesByDay.get(day);
        if (!m) {
          m = new Map();
          this.touchesByDay.set(day, m);
        }
        inc(m, ch);
        this.resolve(e, j.wave ?? 0, "touched");
        return;
      }
      case "suppression": {
        const reason = String(j.reason ?? "");
        if (reason === "holdout") return; // the holdout group is reported by its entries, not as a suppression
        if (j.wave !== undefined) {
          this.suppressions.add("wave", reason, j.rule ?? "");
          this.resolve(e, j.wave, "suppressed");
          if (reason === "window" && e && e.cancel === CANCEL_NONE) e.cancel = CANCEL_WINDOW;
          return;
        }
        // Without a wave: a budget that stopped entry, or a payout withheld (budget, or a policy's exclude).
        // (The runtime's payout-stage rules: `budget …` with the amount, `policy P: exclude; no benefit`.)
        const payout = j.amount !== undefined || (reason === "do-not-contact" && (j.rule ?? "").endsWith("no benefit"));
        // Entry refused after the audience held (budget spent, do-not-contact): the customer matched.
        if (!payout) this.matched.add(j.customerId);
        this.suppressions.add(payout ? "payout" : "entry", reason, j.rule ?? "");
        if (payout && reason === "budget") {
          this.budgetSuppressed.count++;
          this.budgetSuppressed.amount += j.amount ?? 0;
        }
        return;
      }
      case "deferral":
        this.deferrals.add("wave", String(j.reason ?? ""), j.rule ?? "");
        if (e) e.deferred = true;
        return;
      case "fallback": {
        const from = j.channel ?? "";
        const touches = this.plan.waves[(j.wave ?? 0) - 1]?.touches ?? [];
        const i = touches.findIndex((t) => t.channel === from);
        const to = touches[i + 1]?.channel ?? "";
        inc(this.fallbacks, `${from}\u0000${to}\u0000${String(j.reason ?? "")}`);
        return;
      }
      case "skip":
        this.skips.add(j.wave !== undefined ? "wave" : j.reason === "benefit limit" ? "payout" : "entry", String(j.reason ?? ""), j.rule ?? "");
        if (j.wave !== undefined) this.resolve(e, j.wave, "skipped");
        return;
      case "exit":
        this.exits++;
        if (e && e.cancel === CANCEL_NONE && e.next <= this.waveCount) e.cancel = CANCEL_EXIT;
        return;
      case "conversion": {
        const g = j.group === "holdout" ? this.conv.holdout : this.conv.treated;
        g.conversions++;
        if (e && !e.converted) {
          e.converted = true;
          g.converted++;
          if (e.cancel === CANCEL_NONE && e.next <= this.waveCount) e.cancel = CANCEL_CONVERSION;
        }
        if (this.valueOf && input && this.plan.goal?.kind === "event" && input.type === this.plan.goal.event) {
          const v = this.valueOf(j.customerId, input.fields, j.at);
          if (v !== undefined) g.value += v;
        }
        return;
      }
      case "payout":
        this.payouts++;
        this.payoutCost += j.amount ?? 0;
        inc(this.spendByDay, this.clock.day(j.at), j.amount ?? 0);
        return;
    }
  }

  payoutAction(a: PayoutAction): void {
    const b = this.benefits.get(a.benefit) ?? { count: 0, quantity: 0, cost: 0 };
    b.count++;
    b.quantity += a.quantity;
    b.cost += a.cost;
    this.benefits.set(a.benefit, b);
  }

  /** Settles every entry at the end of the simulation (waves not resolved are pending or cancelled). */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    for (const e of this.entries.values()) this.settle(e, true);
  }

  /** Entries still waiting for a wave at the end. */
  pending(): number {
    return this.waves.reduce((s, w) => s + w.pending, 0);
  }

  report(days: readonly string[], windowText: { from: string; to: string }): CampaignReport {
    this.finish();
    const p = this.plan;
    const waves = p.waves.map((w, i) => {
      const a = this.waves[i] as WaveAgg;
      return {
        wave: w.index,
        channels: w.touches.map((t) => t.channel),
        due: this.treated,
        touched: a.touched,
        skipped: a.skipped,
        suppressed: a.suppressed,
        cancelled: a.cancelled,
        pending: a.pending,
        deferredThenResolved: a.deferredThenResolved,
        pendingDeferred: a.pendingDeferred,
      };
    });
    const sum = (k: "touched" | "skipped" | "suppressed" | "cancelled" | "pending"): number => waves.reduce((s, w) => s + w[k], 0);
    const accounting = {
      treatedEntries: this.treated,
      waves: this.waveCount,
      touched: sum("touched"),
      skipped: sum("skipped"),
      suppressed: sum("suppressed"),
      cancelled: sum("cancelled"),
      pending: sum("pending"),
      balanced: false,
    };
    accounting.balanced = accounting.touched + accounting.skipped + accounting.suppressed + accounting.cancelled + accounting.pending === this.treated * this.waveCount;

    const byDay: DayTouches[] = days.map((day) => {
      const m = this.touchesByDay.get(day) ?? new Map<string, number>();
      return { day, total: [...m.values()].reduce((s, x) => s + x, 0), byChannel: sortedRecord(m) };
    });

    const hasValue = this.valueOf !== undefined;
    const group = (g: { converted: number; conversions: number; value: number }, n: number) => ({
      entries: n,
      converted: g.converted,
      conversions: g.conversions,
      rate: n > 0 ? g.converted / n : null,
      value: hasValue ? round2(g.value) : null,
    });
    const treated = group(this.conv.treated, this.treated);
    const holdout = group(this.conv.holdout, this.holdout);
    let uplift: CampaignReport["conversions"]["uplift"] = null;
    let upliftNote: string | null = null;
    if (treated.rate === null || holdout.rate === null) upliftNote = `not enough data: ${treated.rate === null ? "no treated entries" : "no holdout entries"}`;
    else {
      const d = treated.rate - holdout.rate;
      const se = Math.sqrt((treated.rate * (1 - treated.rate)) / this.treated + (holdout.rate * (1 - holdout.rate)) / this.holdout);
      // With no variation (every rate 0 or 1) the normal approximation gives a zero-width interval: no information.
      if (se > 0) uplift = { difference: d, low: d - 1.96 * se, high: d + 1.96 * se, confidence: 0.95 };
      else upliftNote = `not enough data: the conversion rates are ${pct0(treated.rate)} and ${pct0(holdout.rate)}, no variation to estimate from`;
    }

    const touchCost = [...this.touchCostByChannel.values()].reduce((s, x) => s + x, 0);
    const cost = { touches: round2(touchCost), byChannel: sortedRecord(this.touchCostByChannel, true), benefits: round2(this.payoutCost), total: round2(touchCost + this.payoutCost) };

    let budget: CampaignReport["budget"] = null;
    const b = p.budget;
    if (b) {
      let cumulative = 0;
      const total = b.total ?? null;
      budget = {
        total,
        pacing: b.pacing.mode,
        curve: b.pacing.mode === "curve" ? [...b.pacing.curve] : null,
        perPeriod: b.perPeriod.map((x) => ({ amount: x.amount, period: x.period.kind === "calendar" ? `per ${x.period.unit}` : `per rolling ${x.period.amount} ${x.period.unit}` })),
        spent: round2(this.payoutCost),
        burn: total ? this.payoutCost / total : null,
        byDay: days.map((day) => {
          const spent = this.spendByDay.get(day) ?? 0;
          cumulative += spent;
          const end = Math.min(this.clock.dayEnd(day), p.campaign.window.end);
          const line = total === null || b.pacing.mode === "none" ? null : round2(Math.min(total, pacingAllowance(p, end)));
          return { day, spent: round2(spent), cumulative: round2(cumulative), pacingLine: line };
        }),
      };
    }

    let roi: CampaignReport["roi"];
    const costTotal = cost.total;
    if (!hasValue) roi = { value: null, treatedValue: null, expectedFromHoldout: null, incrementalValue: null, cost: costTotal, note: p.goal?.kind === "event" ? `the catalog gives event \`${p.goal.event}\` no value` : "the goal is not an event with a value" };
    else if (this.holdout === 0) roi = { value: null, treatedValue: treated.value, expectedFromHoldout: null, incrementalValue: null, cost: costTotal, note: "not enough data: no holdout entries" };
    else {
      const expected = round2((this.conv.holdout.value * this.treated) / this.holdout);
      const incremental = round2(this.conv.treated.value - (this.conv.holdout.value * this.treated) / this.holdout);
      roi = { value: costTotal > 0 ? incremental / costTotal : null, treatedValue: treated.value, expectedFromHoldout: expected, incrementalValue: incremental, cost: costTotal, note: costTotal > 0 ? null : "no cost" };
    }

    return {
      id: p.campaign.id,
      label: p.campaign.label ?? null,
      file: this.file,
      priority: p.campaign.priority,
      trigger: p.trigger.kind,
      window: windowText,
      audience: this.audience ?? { definition: "event-trigger-matches", size: this.matched.size, at: null, method: "events" },
      entries: { total: this.entriesTotal, treated: this.treated, holdout: this.holdout, customers: this.entries.size, byVariant: sortedRecord(this.byVariant) },
      waves,
      accounting,
      touches: { total: this.touches, byChannel: sortedRecord(this.touchesByChannel), byDay },
      fallbacks: [...this.fallbacks]
        .map(([k, c]) => {
          const [from, to, reason] = k.split("\u0000") as [string, string, string];
          return { from, to, reason, count: c };
        })
        .sort((a, b2) => b2.count - a.count || cmp(a.from, b2.from) || cmp(a.to, b2.to) || cmp(a.reason, b2.reason)),
      suppressions: this.suppressions.report(),
      deferrals: this.deferrals.report(),
      skips: this.skips.report(),
      exits: this.exits,
      conversions: { treated, holdout, uplift, upliftNote },
      payouts: {
        count: this.payouts,
        cost: round2(this.payoutCost),
        byBenefit: [...this.benefits]
          .sort((a, b2) => cmp(a[0], b2[0]))
          .map(([benefit, x]) => ({ benefit, count: x.count, quantity: round2(x.quantity), cost: round2(x.cost) })),
        budgetSuppressed: { count: this.budgetSuppressed.count, amount: round2(this.budgetSuppressed.amount) },
      },
      cost,
      budget,
      roi,
    };
  }
}
