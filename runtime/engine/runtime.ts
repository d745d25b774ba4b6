/**
 * The campaign runtime a dispatch service embeds. It is given plans, a
 * store, a clock and a customer source; it is handed events, profile
 * updates, touch feedback and opt-outs; `runDue(until)` runs everything due
 * (batch schedules, waves, absence timers, goal deadlines) in time order;
 * actions wait in the outbox until acknowledged.
 *
 * Architecture invariants: every input is one store transaction (state
 * changes, outbox rows and journey lines together); the only time is the
 * input's time or `until` (never the wall clock); ties are broken by
 * priority and then by ids, never by arrival order, so the same inputs give
 * the same outbox byte for byte.
 */
import type { CustomerRecord, EventFields, RuntimeValue } from "../../compiler/ir/predicate.ts";
import { loadPlan } from "../../compiler/plan/load.ts";
import type { Plan, TouchPlan, WavePlan } from "../../compiler/plan/types.ts";
import { sha256Hex } from "../../compiler/util/hash.ts";
import { inHoldout, variantOf } from "../policies/assignment.ts";
import { budgetExhausted, checkBudget } from "../policies/budget.ts";
import { capRules, checkCaps, lookBack, type CapRule } from "../policies/caps.ts";
import type { EntryState, Store, Timer } from "../store/types.ts";
import { applyShift, inQuietHours, nextLocalTime, periodKey, quietEnd } from "../time/local.ts";
import type { Clock, CustomerSource, InputResult, JourneyEntry, OptOut, OutboxRow, ProfileUpdate, RuntimeEvent, SuppressionReason, TouchFeedback } from "../types.ts";
import { BatchScheduler } from "./batch.ts";
import { compilePlan, type CompiledPlan } from "./compiledPlan.ts";
import { validateEvent } from "./validate.ts";

export interface RuntimeOptions {
  readonly plans: readonly Plan[];
  readonly store: Store;
  readonly clock: Clock;
  readonly customers: CustomerSource;
  /** Events older than the newest seen by more than this go to the dead-letter table. Default: 1 hour. */
  readonly outOfOrderToleranceMs?: number;
}

export class CampaignRuntime {
  private readonly store: Store;
  private readonly clock: Clock;
  private readonly customers: CustomerSource;
  private readonly tolerance: number;
  private plans = new Map<string, CompiledPlan>();
  /** Plans by the event types they listen to (trigger, absence, goal, exit). */
  private byEvent = new Map<string, CompiledPlan[]>();
  private batch: BatchScheduler;
  /** Per-decision cache of customer records. */
  private recordCache = new Map<string, CustomerRecord | undefined>();
  /**
   * Per-decision cache of one customer's entries, by campaign (null: none). Every decision concerns
   * one customer at a time; with a store that lists a customer's entries in one read, all of them
   * are loaded at once (a purchase that is the goal of 20 campaigns reads them once, not 20 times).
   * Every entry the engine writes goes through `putEntry` below, which keeps the cache current.
   */
  private entryCustomer: string | undefined;
  private entryCache = new Map<string, EntryState | null>();
  private entryCacheComplete = false;
  /** All plans, and cap rules by campaign, rebuilt when plans change. */
  private planList: CompiledPlan[] = [];
  private capRulesByCampaign = new Map<string, CapRule[]>();

  constructor(opts: RuntimeOptions) {
    this.store = opts.store;
    this.clock = opts.clock;
    this.customers = opts.customers;
    this.tolerance = opts.outOfOrderToleranceMs ?? 3_600_000;
    this.batch = new BatchScheduler(this.store, this.customers);
    for (const p of opts.plans) this.addPlan(p);
  }

  // ------------------------------------------------------------ plans

  /** Adds a campaign's plan. A plan with an id already loaded is refused: use replacePlan. */
  addPlan(plan: Plan): void {
    const valid = validatedPlan(plan);
    if (this.plans.has(valid.campaign.id)) throw new Error(`campaign \`${valid.campaign.id}\` is already loaded; use replacePlan`);
    this.install(compilePlan(valid));
  }

  /**
   * Replaces a campaign with a new version. Customers already in it keep
   * their entry, group and remaining waves; from now on the new plan's rules
   * (conditions, caps, budget, templates of waves not yet sent) apply to them.
   */
  replacePlan(plan: Plan): void {
    const valid = validatedPlan(plan);
    this.retirePlan(valid.campaign.id);
    this.install(compilePlan(valid));
  }

  /** Retires a campaign: no new entries; waves still due are dropped when they come due. */
  retirePlan(id: string): void {
    this.plans.delete(id);
    this.reindex();
  }

  planIds(): string[] {
    return [...this.plans.keys()].sort();
  }

  private install(cp: CompiledPlan): void {
    this.plans.set(cp.plan.campaign.id, cp);
    this.reindex();
  }

  private reindex(): void {
    this.byEvent.clear();
    this.planList = [...this.plans.values()];
    this.capRulesByCampaign.clear();
    const add = (type: string, cp: CompiledPlan) => {
      const list = this.byEvent.get(type) ?? [];
      if (!list.includes(cp)) list.push(cp);
      this.byEvent.set(type, list);
    };
    for (const cp of this.sortedPlans()) {
      const p = cp.plan;
      if (p.trigger.kind === "event") {
        add(p.trigger.event, cp);
        if (p.trigger.absence) add(p.trigger.absence.event, cp);
      }
      if (p.goal?.kind === "event") add(p.goal.event, cp);
      for (const x of p.exits) if (x.event) add(x.event, cp);
    }
    this.batch.setPlans(this.sortedPlans().filter((cp) => cp.plan.trigger.kind === "batch"));
  }

  /** Plans by priority (highest first), then id: the order every tie is broken in. */
  private sortedPlans(): CompiledPlan[] {
    return [...this.plans.values()].sort((a, b) => b.plan.campaign.priority - a.plan.campaign.priority || (a.plan.campaign.id < b.plan.campaign.id ? -1 : 1));
  }

  // ------------------------------------------------------------ inputs

  handleEvent(e: RuntimeEvent): InputResult {
    if (this.store.hasSeenInput(e.id)) return { status: "duplicate" };
    const hwm = this.store.highWaterMark();
    const problem = this.rejectReason(e.at, e.customerId, hwm) ?? validateEvent(e, this.planList);
    if (problem) return this.deadLetter(e.at, problem, e);
    return this.decide(e.id, e.at, hwm, () => {
      const record = this.record(e.customerId);
      if (!record) return;
      for (const cp of this.byEvent.get(e.type) ?? []) this.onEventForPlan(cp, record, e);
    });
  }

  handleProfileUpdate(u: ProfileUpdate): InputResult {
    if (this.store.hasSeenInput(u.id)) return { status: "duplicate" };
    const hwm = this.store.highWaterMark();
    const problem = this.rejectReason(u.at, u.customerId, hwm);
    if (problem) return this.deadLetter(u.at, problem, u);
    return this.decide(u.id, u.at, hwm, () => {
      const prev = this.store.profileOverrides(u.customerId) ?? {};
      this.store.setProfileOverrides(u.customerId, { ...prev, ...u.attrs });
      this.recordCache.delete(u.customerId);
      const record = this.record(u.customerId);
      if (!record) return;
      for (const entry of this.store.liveEntries(u.customerId)) {
        const cp = this.plans.get(entry.campaign);
        if (!cp) continue;
        if (entry.status === "active" && this.exitOnCondition(cp, entry, record, u.at)) continue;
        const goal = cp.plan.goal;
        if (goal?.kind === "change" && goal.attribute in u.attrs && entry.baseline !== undefined && entry.baseline !== null) {
          const now = record.attrs[goal.attribute];
          if (typeof now !== "number") continue;
          const delta = now - entry.baseline;
          const need = cp.value(goal.amount, record, {}, u.at);
          if (typeof need !== "number") continue;
          const reached = goal.direction === "up" ? delta >= need : -delta >= need;
          if (reached && this.withinGoalWindow(entry, u.at)) this.convert(cp, entry, record, u.at, u.id, { change: Math.abs(delta) });
        }
      }
    });
  }

  handleFeedback(f: TouchFeedback): InputResult {
    if (this.store.hasSeenInput(f.id)) return { status: "duplicate" };
    const owner = this.store.touchOwner(f.touchId);
    if (!owner) return this.deadLetter(f.at, `unknown touch \`${f.touchId}\``, f);
    return this.decide(f.id, f.at, undefined, () => {
      const entry = this.getEntry(owner.campaign, owner.customerId);
      if (!entry) return;
      const list = f.kind === "opened" ? entry.opened : entry.clicked;
      if (list.includes(owner.wave)) return;
      this.putEntry(f.kind === "opened" ? { ...entry, opened: [...entry.opened, owner.wave] } : { ...entry, clicked: [...entry.clicked, owner.wave] });
    });
  }

  /** Opt-outs take effect at once, including for touches already scheduled (checked when they come due). */
  handleOptOut(o: OptOut): InputResult {
    if (this.store.hasSeenInput(o.id)) return { status: "duplicate" };
    return this.decide(o.id, o.at, undefined, () => this.store.addOptOut(o.customerId, o.channel, o.at));
  }

  /** Runs everything due at or before `until`, in time order. Returns how many steps ran. */
  runDue(until: number): number {
    let steps = 0;
    for (;;) {
      const nextBatch = this.batch.nextOccurrence(until);
      const firstTimer = this.store.dueTimers(until, 1)[0]?.dueAt ?? Number.POSITIVE_INFINITY;
      if (nextBatch && nextBatch.at <= firstTimer) {
        this.store.transaction(() => {
          this.clearDecisionCaches();
          this.batch.run(nextBatch, (cp, record, at) => this.tryEnter(cp, this.withOverrides(record), at, undefined));
        });
        steps++;
        continue;
      }
      if (firstTimer === Number.POSITIVE_INFINITY) break;
      // Everything due at the same instant, highest priority first, then by id.
      const same = this.store.dueTimers(firstTimer, Number.MAX_SAFE_INTEGER);
      same.sort((a, b) => this.priorityOf(b) - this.priorityOf(a) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      for (const t of same) {
        this.store.transaction(() => {
          this.clearDecisionCaches();
          this.store.deleteTimer(t.id);
          this.fire(t);
        });
        steps++;
      }
    }
    return steps;
  }

  /** Unacknowledged outbox rows, oldest first. */
  pendingActions(limit = 1000): OutboxRow[] {
    return this.store.pendingOutbox(limit);
  }

  /** Acknowledges an outbox row; doing it twice is harmless. */
  acknowledge(seq: number): void {
    this.store.transaction(() => this.store.ackOutbox(seq, this.clock.now()));
  }

  close(): void {
    this.store.close();
  }

  // ------------------------------------------------------------ decisions

  /** `hwm`: the store's high-water mark, read once per input (nothing else changes it before the input's decision). */
  private rejectReason(at: number, customerId: string, hwm: number): string | undefined {
    if (!Number.isFinite(at)) return "time is not a number";
    if (at < hwm - this.tolerance) return `out of order: ${new Date(at).toISOString()} is more than ${this.tolerance / 60000} minutes before the newest input`;
    if (!this.customers.get(customerId)) return `unknown customer \`${customerId}\``;
    return undefined;
  }

  private deadLetter(at: number, reason: string, input: { readonly id: string }): InputResult {
    // The id is marked seen with the dead letter: a replayed or re-sent bad input is reported as a duplicate, not dead-lettered twice.
    const stamp = Number.isFinite(at) ? at : this.clock.now();
    this.store.transaction(() => {
      this.store.addDeadLetter(stamp, reason, input);
      this.store.markInputSeen(input.id, stamp);
    });
    return { status: "dead-letter", reason };
  }

  private decide(id: string, at: number, hwm: number | undefined, fn: () => void): InputResult {
    this.store.transaction(() => {
      this.clearDecisionCaches();
      this.store.markInputSeen(id, at);
      if (at > (hwm ?? this.store.highWaterMark())) this.store.setHighWaterMark(at);
      fn();
    });
    return { status: "processed" };
  }

  private clearDecisionCaches(): void {
    this.recordCache.clear();
    this.entryCustomer = undefined;
    this.entryCache.clear();
    this.entryCacheComplete = false;
    this.optOutCustomer = undefined;
    this.optOutSet = undefined;
  }

  /** A customer's entry in a campaign, read once per decision (see `entryCache`). */
  private getEntry(campaign: string, customerId: string): EntryState | undefined {
    if (customerId !== this.entryCustomer) {
      this.entryCustomer = customerId;
      this.entryCache.clear();
      this.entryCacheComplete = false;
      if (this.store.entriesOf) {
        for (const e of this.store.entriesOf(customerId)) this.entryCache.set(e.campaign, e);
        this.entryCacheComplete = true;
      }
    }
    const hit = this.entryCache.get(campaign);
    if (hit !== undefined) return hit ?? undefined;
    if (this.entryCacheComplete) return undefined;
    const e = this.store.getEntry(campaign, customerId);
    this.entryCache.set(campaign, e ?? null);
    return e;
  }

  /** Opt-outs of the decision's customer, read once per decision when the store can list them. */
  private optOutCustomer: string | undefined;
  private optOutSet: ReadonlySet<string> | undefined;

  private isOptedOut(customerId: string, channel: string): boolean {
    if (!this.store.optOutsOf) return this.store.isOptedOut(customerId, channel);
    if (customerId !== this.optOutCustomer || !this.optOutSet) {
      this.optOutCustomer = customerId;
      this.optOutSet = new Set(this.store.optOutsOf(customerId));
    }
    return this.optOutSet.has(channel) || this.optOutSet.has("*");
  }

  private putEntry(e: EntryState): void {
    this.store.putEntry(e);
    if (e.customerId === this.entryCustomer) this.entryCache.set(e.campaign, e);
  }

  private priorityOf(t: Timer): number {
    return this.plans.get(t.campaign)?.plan.campaign.priority ?? 0;
  }

  /** The customer as the source has it, with profile updates laid over. Cached per decision. */
  private record(id: string): CustomerRecord | undefined {
    if (this.recordCache.has(id)) return this.recordCache.get(id);
    const base = this.customers.get(id);
    const over = base ? this.store.profileOverrides(id) : undefined;
    const rec = base && over ? { ...base, attrs: { ...base.attrs, ...over } } : base;
    this.recordCache.set(id, rec);
    return rec;
  }

  /** A scanned record with the customer's profile updates laid over it, as `record` does for lookups. */
  private withOverrides(base: CustomerRecord): CustomerRecord {
    const over = this.store.profileOverrides(base.id);
    return over ? { ...base, attrs: { ...base.attrs, ...over } } : base;
  }

  private journey(e: JourneyEntry): void {
    this.store.appendJourney(e);
  }

  private onEventForPlan(cp: CompiledPlan, record: CustomerRecord, e: RuntimeEvent): void {
    const p = cp.plan;
    const entry = this.getEntry(p.campaign.id, record.id);
    // Goal on this event: every goal event inside the attribution window is a conversion.
    if ((entry?.status === "active" || entry?.status === "converted") && p.goal?.kind === "event" && p.goal.event === e.type && this.withinGoalWindow(entry, e.at)) {
      if (cp.goalCondition(record, e.fields, e.at)) {
        this.convert(cp, entry, record, e.at, e.id, e.fields);
        return;
      }
    }
    // Exit on this event.
    if (entry?.status === "active") {
      for (const [i, x] of p.exits.entries()) {
        if (x.event === e.type && cp.exitCondition(i, record, e.fields, e.at)) {
          this.exit(cp, entry, e.at, `exit on ${e.type}`);
          return;
        }
      }
    }
    // An event that breaks a pending absence pattern.
    if (p.trigger.kind === "event" && p.trigger.absence?.event === e.type) {
      const pending = this.store.timersOf(p.campaign.id, record.id).filter((t) => t.kind === "absence" && t.event && t.event.at <= e.at);
      if (pending.length > 0 && cp.absenceCondition(record, e.fields, e.at)) {
        for (const t of pending) this.store.deleteTimer(t.id);
        this.journey({ kind: "skip", at: e.at, campaign: p.campaign.id, customerId: record.id, reason: "absence broken", rule: `${e.type} arrived within ${p.trigger.absence.within.amount} ${p.trigger.absence.within.unit}s` });
      }
    }
    // The trigger itself.
    if (p.trigger.kind === "event" && p.trigger.event === e.type) {
      if (!cp.triggerCondition(record, e.fields, e.at)) return;
      const absence = p.trigger.absence;
      if (absence) {
        if (!this.mayEnter(cp, record.id, e.at) || !cp.audience(record, e.at)) return;
        if (this.store.timersOf(p.campaign.id, record.id).some((t) => t.kind === "absence")) return;
        const due = applyShift(e.at, absence.within, p.catalog.zone);
        this.store.addTimer({ id: timerId("absence", p.campaign.id, record.id, e.id, 0), dueAt: due, kind: "absence", campaign: p.campaign.id, customerId: record.id, entrySeq: 0, event: { id: e.id, at: e.at, fields: e.fields }, attempt: 0 });
        return;
      }
      this.tryEnter(cp, record, e.at, { id: e.id, fields: e.fields });
    }
  }

  private mayEnter(cp: CompiledPlan, customerId: string, at: number): boolean {
    const p = cp.plan;
    if (at < p.campaign.window.start || at >= p.campaign.window.end) return false;
    const entry = this.getEntry(p.campaign.id, customerId);
    if (!entry) return true;
    if (entry.status === "active") return false;
    if (p.entry.mode === "once") return false;
    return at >= applyShift(entry.enteredAt, p.entry.coolDown, p.catalog.zone);
  }

  /** Enters a customer if the window, entry rule, audience and budget allow. */
  private tryEnter(cp: CompiledPlan, record: CustomerRecord, at: number, trigger: { id: string; fields: EventFields } | undefined): void {
    const p = cp.plan;
    const id = p.campaign.id;
    // The window first, then the audience, then the entry rule (which reads the store): all three must hold.
    if (at < p.campaign.window.start || at >= p.campaign.window.end) return;
    if (!cp.audience(record, at)) return;
    if (!this.mayEnter(cp, record.id, at)) return;
    // Do-not-contact customers (a policy `exclude`, or an opt-out of all contact) do not enter at all.
    const excludedBy = p.policies.find((policy) => cp.policyExcludes(policy, record, at));
    if (excludedBy !== undefined || this.isOptedOut(record.id, "*")) {
      this.journey({ kind: "suppression", at, campaign: id, customerId: record.id, reason: "do-not-contact", rule: excludedBy !== undefined ? `policy ${excludedBy}: exclude; not entered` : "customer asked not to be contacted; not entered" });
      return;
    }
    if ((p.budget?.whenSpent === "entry" || p.budget?.whenSpent === "all") && budgetExhausted(p, this.store, at)) {
      this.journey({ kind: "suppression", at, campaign: id, customerId: record.id, reason: "budget", rule: "budget spent: entry stopped" });
      return;
    }
    const prev = this.getEntry(id, record.id);
    const group = inHoldout(p.holdout.salt, record.id, p.holdout.share) ? "holdout" : "treated";
    const variant = p.variants ? variantOf(p.variants.salt, record.id, p.variants.arms) : undefined;
    const goal = p.goal;
    const baselineValue = goal?.kind === "change" ? record.attrs[goal.attribute] : undefined;
    const entry: EntryState = {
      campaign: id,
      customerId: record.id,
      seq: (prev?.seq ?? 0) + 1,
      enteredAt: at,
      group,
      ...(variant ? { variant } : {}),
      status: "active",
      ...(trigger ? { triggerEventId: trigger.id } : {}),
      triggerFields: (trigger?.fields ?? {}) as Record<string, RuntimeValue>,
      ...(goal?.kind === "change" ? { baseline: typeof baselineValue === "number" ? baselineValue : null } : {}),
      touches: {},
      opened: [],
      clicked: [],
      ...(goal && goal.anchor === "entry" ? { goalDeadline: applyShift(at, goal.within, p.catalog.zone) } : {}),
    };
    this.putEntry(entry);
    this.journey({ kind: "entry", at, campaign: id, customerId: record.id, group, ...(variant ? { variant } : {}), rule: trigger ? `trigger on ${p.trigger.kind === "event" ? p.trigger.event : "schedule"}` : "batch schedule" });
    if (entry.goalDeadline !== undefined) this.scheduleGoalDeadline(entry, entry.goalDeadline);
    if (group === "holdout") {
      this.journey({ kind: "suppression", at, campaign: id, customerId: record.id, reason: "holdout", rule: `holdout ${Math.round(p.holdout.share * 1000) / 10}%` });
      if (!goal) this.putEntry({ ...entry, status: "done" });
      return;
    }
    this.scheduleWave(cp, entry, 1, at, record);
  }

  private scheduleGoalDeadline(entry: EntryState, at: number): void {
    this.store.addTimer({ id: timerId("goal", entry.campaign, entry.customerId, String(entry.seq), 0), dueAt: at, kind: "goal-deadline", campaign: entry.campaign, customerId: entry.customerId, entrySeq: entry.seq, attempt: 0 });
  }

  private zoneOf(cp: CompiledPlan, record: CustomerRecord | undefined): string {
    const attr = cp.plan.catalog.customerZoneAttribute;
    const z = attr && record ? record.attrs[attr] : undefined;
    return typeof z === "string" && cp.isZone(z) ? z : cp.plan.catalog.zone;
  }

  /** Schedules wave `n` relative to `base` (entry time or the previous wave's time), or finishes the entry. */
  private scheduleWave(cp: CompiledPlan, entry: EntryState, n: number, base: number, record: CustomerRecord | undefined): void {
    const wave = cp.plan.waves[n - 1];
    if (!wave) {
      if (!cp.plan.goal || (entry.goalDeadline !== undefined && base >= entry.goalDeadline)) this.putEntry({ ...entry, status: "done" });
      return;
    }
    const zone = this.zoneOf(cp, record);
    let due = applyShift(base, wave.delay, zone);
    if (wave.at) due = nextLocalTime(due, wave.at, zone);
    const timer: Timer = { id: timerId("wave", entry.campaign, entry.customerId, `${entry.seq}.${n}`, 0), dueAt: due, kind: "wave", campaign: entry.campaign, customerId: entry.customerId, entrySeq: entry.seq, wave: n, attempt: 0 };
    if (due <= base && n === 1) {
      // A first wave due `now` is sent in the same decision as the entry: the customer gets it at once.
      this.fire(timer);
      return;
    }
    this.store.addTimer(timer);
  }

  private fire(t: Timer): void {
    const cp = this.plans.get(t.campaign);
    if (!cp) return; // retired campaign
    if (t.kind === "absence") {
      const record = this.record(t.customerId);
      if (record && t.event) this.tryEnter(cp, record, t.dueAt, { id: t.event.id, fields: t.event.fields });
      return;
    }
    const entry = this.getEntry(t.campaign, t.customerId);
    if (!entry || entry.seq !== t.entrySeq) return;
    if (t.kind === "goal-deadline") {
      // The attribution window closed: a converted journey is over; an active one ends with its last wave.
      if (entry.status === "converted" || (entry.status === "active" && !this.store.timersOf(t.campaign, t.customerId).some((x) => x.kind === "wave"))) {
        this.putEntry({ ...entry, status: "done" });
      }
      return;
    }
    if (entry.status !== "active") return;
    if (t.wave !== undefined) this.fireWave(cp, entry, t);
  }

  private suppress(cp: CompiledPlan, entry: EntryState, at: number, wave: number, reason: SuppressionReason, rule: string, channel?: string): void {
    this.journey({ kind: "suppression", at, campaign: cp.plan.campaign.id, customerId: entry.customerId, wave, ...(channel ? { channel } : {}), reason, rule });
  }

  private fireWave(cp: CompiledPlan, entry: EntryState, t: Timer): void {
    const p = cp.plan;
    const n = t.wave ?? 1;
    const wave = p.waves[n - 1];
    const at = t.dueAt;
    if (!wave) return;
    const record = this.record(entry.customerId);
    if (!record) {
      this.suppress(cp, entry, at, n, "condition", "customer no longer in the customer source");
      return;
    }
    if (at >= p.campaign.window.end) {
      this.suppress(cp, entry, at, n, "window", `window ended ${new Date(p.campaign.window.end).toISOString()}`);
      this.finishAfterWaves(cp, entry);
      return;
    }
    if (this.exitOnCondition(cp, entry, record, at)) return;
    const next = () => this.scheduleWave(cp, this.getEntry(entry.campaign, entry.customerId) ?? entry, n + 1, at, record);
    const skip = (reason: SuppressionReason, rule: string) => {
      this.journey({ kind: "skip", at, campaign: p.campaign.id, customerId: entry.customerId, wave: n, reason, rule });
      next();
    };
    const opened = wave.unlessOpened.find((w) => entry.opened.includes(w));
    if (opened !== undefined) return skip("unless", `unless opened (wave ${opened})`);
    const clicked = wave.unlessClicked.find((w) => entry.clicked.includes(w));
    if (clicked !== undefined) return skip("unless", `unless clicked (wave ${clicked})`);
    if (!cp.waveCondition(n, record, entry.triggerFields, at)) return skip("condition", `only-condition of wave ${n}`);
    for (const policy of p.policies) {
      if (cp.policyExcludes(policy, record, at)) {
        this.suppress(cp, entry, at, n, "do-not-contact", `policy ${policy}: exclude`);
        return next();
      }
    }
    if (this.isOptedOut(record.id, "*")) {
      this.suppress(cp, entry, at, n, "do-not-contact", "customer asked not to be contacted");
      return next();
    }
    const zone = this.zoneOf(cp, record);
    let rules = this.capRulesByCampaign.get(p.campaign.id);
    if (!rules) {
      rules = capRules(p, this.planMap());
      this.capRulesByCampaign.set(p.campaign.id, rules);
    }
    const contacts = this.store.contactsSince(record.id, lookBack(rules, at));
    let lastReason: { reason: SuppressionReason; rule: string } | undefined;
    for (const [i, touch] of wave.touches.entries()) {
      const channel = p.catalog.channels.find((c) => c.name === touch.channel);
      if (!channel) continue;
      const fallback = (reason: SuppressionReason, rule: string) => {
        lastReason = { reason, rule };
        const nextTouch = wave.touches[i + 1];
        if (nextTouch) this.journey({ kind: "fallback", at, campaign: p.campaign.id, customerId: record.id, wave: n, channel: touch.channel, reason, rule: `${rule}; next: ${nextTouch.channel}` });
      };
      if (this.isOptedOut(record.id, channel.name) || (channel.optoutTag && record.tags.has(channel.optoutTag))) {
        fallback("opt-out", `opted out of ${channel.name}`);
        continue;
      }
      if (channel.address) {
        const addr = record.attrs[channel.address];
        if (addr === null || addr === undefined || addr === "" || addr === false) {
          fallback("no-address", `no ${channel.address} for ${channel.name}`);
          continue;
        }
      }
      if (inQuietHours(at, channel.quiet, zone)) {
        const end = quietEnd(at, channel.quiet, zone);
        if (end === undefined) {
          fallback("quiet-hours", `${channel.name} is quiet all day`);
          continue;
        }
        this.defer(cp, entry, t, end, "quiet-hours", `quiet hours of ${channel.name} ${channel.quiet.map((q) => `${q.from}-${q.to}`).join(", ")} (${zone})`, channel.name);
        return;
      }
      const day = periodKey(at, "day", p.catalog.zone);
      if (channel.capacityPerDay !== undefined && this.store.capacityUsed(channel.name, day, "") >= channel.capacityPerDay) {
        fallback("capacity", `${channel.name} capacity ${channel.capacityPerDay} per day used up`);
        continue;
      }
      const branchAttr = p.catalog.branchAttribute;
      const branch = branchAttr ? String(record.attrs[branchAttr] ?? "") : "";
      if (channel.capacityPerBranch !== undefined && this.store.capacityUsed(channel.name, day, `branch:${branch}`) >= channel.capacityPerBranch) {
        fallback("capacity", `${channel.name} capacity ${channel.capacityPerBranch} per day for branch ${branch} used up`);
        continue;
      }
      const verdict = checkCaps(rules, contacts, channel.name, at);
      if (!verdict.allowed) {
        const reason: SuppressionReason = verdict.policy ? "policy-cap" : "cap";
        if (p.cappedAction === "defer") {
          this.defer(cp, entry, t, verdict.allowedAt, reason, verdict.rule, channel.name);
          return;
        }
        if (p.cappedAction === "next channel") {
          fallback(reason, verdict.rule);
          continue;
        }
        this.suppress(cp, entry, at, n, reason, `${verdict.rule}; dropped`, channel.name);
        return next();
      }
      this.send(cp, entry, n, touch, channel.cost, at, branch, day);
      return next();
    }
    this.suppress(cp, entry, at, n, lastReason?.reason ?? "no-address", lastReason?.rule ?? "no channel could reach the customer");
    next();
  }

  private planMap(): Map<string, Plan> {
    return new Map([...this.plans].map(([k, v]) => [k, v.plan]));
  }

  private defer(cp: CompiledPlan, entry: EntryState, t: Timer, until: number, reason: SuppressionReason, rule: string, channel: string): void {
    const p = cp.plan;
    const n = t.wave ?? 1;
    this.journey({ kind: "deferral", at: t.dueAt, campaign: p.campaign.id, customerId: entry.customerId, wave: n, channel, reason, rule, until });
    this.store.addTimer({ ...t, id: timerId("wave", entry.campaign, entry.customerId, `${entry.seq}.${n}`, t.attempt + 1), dueAt: until, attempt: t.attempt + 1 });
  }

  private send(cp: CompiledPlan, entry: EntryState, n: number, touch: TouchPlan, cost: number, at: number, branch: string, day: string): void {
    const p = cp.plan;
    const template = (entry.variant && touch.variantTemplates?.[entry.variant]) || touch.template;
    const id = `t_${sha256Hex(`${p.campaign.id}\u0000${entry.customerId}\u0000${entry.seq}\u0000${n}`).slice(0, 24)}`;
    this.store.appendOutbox({ kind: "touch", id, campaign: p.campaign.id, customerId: entry.customerId, wave: n, channel: touch.channel, template, ...(entry.variant ? { variant: entry.variant } : {}), at, cost });
    this.store.addContact({ customerId: entry.customerId, at, channel: touch.channel, campaign: p.campaign.id });
    this.store.addCapacity(touch.channel, day, "");
    this.store.addCapacity(touch.channel, day, `branch:${branch}`);
    this.store.setTouchOwner(id, { campaign: p.campaign.id, customerId: entry.customerId, wave: n });
    const firstTouch = entry.firstTouchAt === undefined;
    let updated: EntryState = { ...entry, touches: { ...entry.touches, [String(n)]: id }, ...(firstTouch ? { firstTouchAt: at } : {}) };
    if (firstTouch && p.goal?.anchor === "first touch") {
      updated = { ...updated, goalDeadline: applyShift(at, p.goal.within, p.catalog.zone) };
      this.scheduleGoalDeadline(updated, updated.goalDeadline as number);
    }
    this.putEntry(updated);
    this.journey({ kind: "touch", at, campaign: p.campaign.id, customerId: entry.customerId, wave: n, channel: touch.channel, template, ...(entry.variant ? { variant: entry.variant } : {}), rule: `wave ${n}`, amount: cost });
  }

  /** No wave after this one will be sent: the journey is done unless its attribution window is still open. */
  private finishAfterWaves(cp: CompiledPlan, entry: EntryState): void {
    const cur = this.getEntry(entry.campaign, entry.customerId) ?? entry;
    if (cur.status !== "active") return;
    this.store.deleteTimersOf(cur.campaign, cur.customerId, ["wave"]);
    if (!cp.plan.goal || cur.goalDeadline === undefined) this.putEntry({ ...cur, status: "done" });
  }

  private withinGoalWindow(entry: EntryState, at: number): boolean {
    if (at < entry.enteredAt) return false;
    if (entry.goalDeadline !== undefined) return at <= entry.goalDeadline;
    // Anchored on the first touch, which has not happened yet: the window has not started.
    return false;
  }

  private exitOnCondition(cp: CompiledPlan, entry: EntryState, record: CustomerRecord, at: number): boolean {
    for (const [i, x] of cp.plan.exits.entries()) {
      if (!x.event && cp.exitCondition(i, record, {}, at)) {
        this.exit(cp, entry, at, "exit condition");
        return true;
      }
    }
    return false;
  }

  private exit(cp: CompiledPlan, entry: EntryState, at: number, rule: string): void {
    this.putEntry({ ...entry, status: "exited" });
    this.store.deleteTimersOf(entry.campaign, entry.customerId, ["wave", "goal-deadline"]);
    this.journey({ kind: "exit", at, campaign: cp.plan.campaign.id, customerId: entry.customerId, rule });
  }

  /**
   * A conversion. The first one cancels the remaining waves at once; every
   * conversion inside the attribution window counts, and for treated
   * customers pays every benefit line whose condition holds, up to the
   * benefit's per-customer limit (counted in conversions paid).
   */
  private convert(cp: CompiledPlan, entry: EntryState, record: CustomerRecord, at: number, eventId: string, fields: EventFields): void {
    const p = cp.plan;
    if (entry.status === "active") {
      this.putEntry({ ...entry, status: "converted", convertedAt: at });
      this.store.deleteTimersOf(entry.campaign, entry.customerId, ["wave"]);
    }
    this.journey({ kind: "conversion", at, campaign: p.campaign.id, customerId: record.id, group: entry.group, rule: p.goal?.kind === "event" ? `goal ${p.goal.event}` : `goal ${p.goal?.attribute ?? ""} change` });
    if (entry.group !== "treated" || !p.benefit) return;
    // A contact policy's `exclude` withholds benefits as well as touches (checked before every payout).
    for (const policy of p.policies) {
      if (cp.policyExcludes(policy, record, at)) {
        this.journey({ kind: "suppression", at, campaign: p.campaign.id, customerId: record.id, reason: "do-not-contact", rule: `policy ${policy}: exclude; no benefit` });
        return;
      }
    }
    const b = p.benefit;
    const conversionId = `p_${sha256Hex(`${p.campaign.id}\u0000${record.id}\u0000${eventId}`).slice(0, 24)}`;
    if (this.store.hasPayout(conversionId)) return;
    const paid = this.store.payoutCount(p.campaign.id, record.id);
    if ((b.limit.mode === "once" && paid >= 1) || (b.limit.mode === "atMost" && paid >= b.limit.count)) {
      this.journey({ kind: "skip", at, campaign: p.campaign.id, customerId: record.id, reason: "benefit limit", rule: b.limit.mode === "once" ? "once per customer" : `at most ${b.limit.mode === "atMost" ? b.limit.count : 0} per customer` });
      return;
    }
    let paidLines = 0;
    for (const [i, tier] of b.tiers.entries()) {
      if (!cp.tierCondition(i, record, fields, at)) continue;
      const benefit = p.catalog.benefits.find((x) => x.name === tier.benefit);
      if (!benefit) continue;
      const q = cp.value(tier.quantity, record, fields, at);
      const quantity = typeof q === "number" && Number.isFinite(q) ? Math.max(0, q) : 0;
      const cost = round2(benefit.perUnit ? benefit.cost * quantity : benefit.cost);
      const verdict = checkBudget(p, this.store, at, cost);
      if (!verdict.ok) {
        this.journey({ kind: "suppression", at, campaign: p.campaign.id, customerId: record.id, reason: "budget", rule: verdict.rule, amount: cost });
        continue;
      }
      for (const r of verdict.reservations) this.store.reserveBudget(p.campaign.id, r.key, r.amount);
      const id = `${conversionId}.${i + 1}`;
      this.store.appendOutbox({ kind: "payout", id, campaign: p.campaign.id, customerId: record.id, benefit: benefit.name, quantity, cost, at, eventId });
      this.journey({ kind: "payout", at, campaign: p.campaign.id, customerId: record.id, rule: `benefit line ${i + 1}: ${benefit.name}`, amount: cost });
      paidLines++;
    }
    if (paidLines > 0) this.store.recordPayout(conversionId, p.campaign.id, record.id, at);
  }
}

/** A plan that fails validation (its schema, its version) is refused at load with the reasons. */
export class PlanRejectedError extends Error {
  override readonly name = "PlanRejectedError";
}

function validatedPlan(plan: unknown): Plan {
  const r = loadPlan(plan);
  if (r.ok) return r.plan;
  throw new PlanRejectedError(`plan refused: ${r.diagnostics.map((d) => `${d.code} ${d.message}`).join("; ")}`);
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/**
 * A timer's id: deterministic and unique without hashing. Kind and campaign id contain no `:`; the
 * customer id is length-prefixed, so it may contain anything; the key (entry and wave, or the
 * triggering input's id) runs up to the last `:`, after which comes the attempt number. Ids of
 * timers due at the same instant sort by kind, campaign, then customer.
 */
function timerId(kind: string, campaign: string, customer: string, key: string, attempt: number): string {
  return `${kind}:${campaign}:${customer.length}:${customer}:${key}:${attempt}`;
}

export type { WavePlan };
