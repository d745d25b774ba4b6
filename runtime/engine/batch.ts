/**
 * Batch triggers: the occurrences of each campaign's schedule inside its
 * window, in time order, each run once (a cursor per campaign and zone is
 * kept in the store, so a restart does not run an occurrence twice). With
 * `customer time`, each customer's own zone has its own occurrence.
 */
import type { CustomerRecord } from "../../compiler/ir/predicate.ts";
import type { Store } from "../store/types.ts";
import { atLocalTime, local } from "../time/local.ts";
import type { CustomerSource } from "../types.ts";
import type { CompiledPlan } from "./compiledPlan.ts";

export interface Occurrence {
  readonly cp: CompiledPlan;
  readonly at: number;
  /** The zone whose clock the occurrence is read in. */
  readonly zone: string;
  /** For `customer time`: only customers in this zone (the catalog zone also takes customers with no or an invalid zone). */
  readonly perCustomerZone: boolean;
}

/**
 * One schedule to keep: a batch campaign in one zone, with its cursor's store
 * key, and the next occurrence after the cursor as last computed (it depends
 * only on the plan, the zone and the cursor). runDue asks for the next
 * occurrence before every input, so this is built once per set of plans and
 * holds the key string (hashed once, not rebuilt per call).
 */
interface Slot {
  readonly cp: CompiledPlan;
  readonly zone: string;
  readonly perCustomer: boolean;
  readonly key: string;
  cursor: number | undefined;
  at: number | undefined;
}

export class BatchScheduler {
  private plans: CompiledPlan[] = [];
  private zones: string[] | undefined;
  private slots: Slot[] | undefined;

  constructor(
    private readonly store: Store,
    private readonly customers: CustomerSource,
  ) {}

  setPlans(plans: CompiledPlan[]): void {
    this.plans = plans;
    this.slots = undefined;
  }

  private customerZones(cp: CompiledPlan): string[] {
    if (!this.zones) {
      const attr = cp.plan.catalog.customerZoneAttribute;
      const set = new Set<string>([cp.plan.catalog.zone]);
      if (attr && this.customers.distinctValues) {
        for (const z of this.customers.distinctValues(attr)) if (typeof z === "string" && cp.isZone(z)) set.add(z);
      } else if (attr) {
        for (const c of this.customers.scan()) {
          const z = c.attrs[attr];
          if (typeof z === "string" && cp.isZone(z)) set.add(z);
        }
      }
      this.zones = [...set].sort();
    }
    return this.zones;
  }

  private zonesFor(cp: CompiledPlan): { zone: string; perCustomer: boolean }[] {
    const t = cp.plan.trigger;
    if (t.kind !== "batch") return [];
    if (t.zone.mode === "named") return [{ zone: t.zone.zone, perCustomer: false }];
    if (t.zone.mode === "customer" && cp.plan.catalog.customerZoneAttribute) return this.customerZones(cp).map((zone) => ({ zone, perCustomer: true }));
    return [{ zone: cp.plan.catalog.zone, perCustomer: false }];
  }

  private cursorKey(cp: CompiledPlan, zone: string): string {
    return `batch:${cp.plan.campaign.id}:${zone}`;
  }

  /** The first occurrence strictly after `after` in the window, or undefined. */
  private firstAfter(cp: CompiledPlan, zone: string, after: number): number | undefined {
    const p = cp.plan;
    const t = p.trigger;
    if (t.kind !== "batch") return undefined;
    const { start, end } = p.campaign.window;
    if (t.once !== undefined) return t.once > after && t.once >= start && t.once < end ? t.once : undefined;
    const r = t.recurrence;
    if (!r) return undefined;
    const times = [...t.times].sort();
    const from = Math.max(after, start - 1);
    for (let i = 0; i < 400; i++) {
      const d = local(from, zone).startOf("day").plus({ days: i });
      const matches =
        r.every === "day" ||
        (r.every === "weekday" && d.weekday <= 5) ||
        (r.every === "week" && r.weekdays.includes(d.weekday)) ||
        (r.every === "month" && d.day === r.dayOfMonth);
      if (!matches) continue;
      for (const hhmm of times) {
        const at = atLocalTime(d.toMillis(), hhmm, zone);
        if (at >= end) return undefined;
        if (at > after && at >= start) return at;
      }
      if (d.toMillis() > end) return undefined;
    }
    return undefined;
  }

  private slotList(): Slot[] {
    if (!this.slots) {
      this.slots = [];
      for (const cp of this.plans) {
        for (const { zone, perCustomer } of this.zonesFor(cp)) this.slots.push({ cp, zone, perCustomer, key: this.cursorKey(cp, zone), cursor: undefined, at: undefined });
      }
    }
    return this.slots;
  }

  /** The earliest occurrence due at or before `until` across all batch campaigns (priority breaks ties). */
  nextOccurrence(until: number): Occurrence | undefined {
    let best: Slot | undefined;
    let bestAt = 0;
    for (const s of this.slotList()) {
      // The store's cursor is read every time (a rolled-back transaction may have moved it back).
      const cursor = this.store.batchCursor(s.key) ?? Number.NEGATIVE_INFINITY;
      if (s.cursor !== cursor) {
        s.cursor = cursor;
        s.at = this.firstAfter(s.cp, s.zone, cursor);
      }
      const at = s.at;
      if (at === undefined || at > until) continue;
      if (!best || at < bestAt) {
        best = s;
        bestAt = at;
      }
    }
    return best ? { cp: best.cp, at: bestAt, zone: best.zone, perCustomerZone: best.perCustomer } : undefined;
  }

  /** Runs one occurrence: every customer of the source is offered entry; the cursor moves past it. */
  run(occ: Occurrence, enter: (cp: CompiledPlan, record: CustomerRecord, at: number) => void): void {
    const attr = occ.cp.plan.catalog.customerZoneAttribute;
    const home = occ.cp.plan.catalog.zone;
    for (const c of this.customers.scan({ campaign: occ.cp.plan.campaign.id, at: occ.at })) {
      if (occ.perCustomerZone && attr) {
        const z = c.attrs[attr];
        const zone = typeof z === "string" && occ.cp.isZone(z) ? z : home;
        if (zone !== occ.zone) continue;
      }
      enter(occ.cp, c, occ.at);
    }
    this.store.setBatchCursor(this.cursorKey(occ.cp, occ.zone), occ.at);
  }
}
