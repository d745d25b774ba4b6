/**
 * The dry-run's simulation driver: the production runtime (CampaignRuntime
 * over a MemoryStore that streams its journey instead of keeping it) on a
 * simulated clock, fed the data's events and profile updates between `from`
 * and `to` in time order, with every given campaign loaded together, so
 * contention between them (shared contact policies, channel capacity,
 * priority) is real.
 *
 * The clock: batch occurrences before `from` are passed with no one to offer
 * entry (as `campaign test` does before its first step); then for each input
 * everything due strictly before it runs (`runDue(at - 1)`), then the input
 * is handed in; at the end everything due before `to` runs. Nothing runs
 * after `to`: waves still waiting then are reported as pending.
 *
 * Memory stays flat as the customer base grows: customers are streamed from
 * SQLite (a batch campaign's scan is pre-filtered by its audience's SQL at the
 * occurrence's instant), inputs are iterated, journey lines are aggregated
 * (and written to `--actions`) as they come, and the store keeps per-customer
 * state only for customers who entered a campaign, plus the profile updates
 * of the run. Two things the dry-run store does not keep (DryRunStore): the
 * outbox (actions are consumed as they are decided) and the set of input ids
 * seen (ids are primary keys of their tables, so no input comes twice).
 *
 * Inputs the runtime could not act on are not handed in (spec/dry-run.md,
 * "What runs"): events of types no campaign listens to, or for customers no
 * listening campaign could act for (not among an event campaign's candidates,
 * not entered in a batch campaign); profile updates of customers in no live
 * journey are laid over the customer in the store directly, which is all the
 * runtime would do with them.
 *
 * Pure logic over its inputs: it reads no wall clock (progress reporting is
 * the caller's, through `onProgress`).
 */
import type { CustomerRecord, RuntimeValue } from "../../compiler/ir/predicate.ts";
import { compileSql, compileSqlCondition, SqlCompileError } from "../../compiler/codegen/sql.ts";
import type { Plan } from "../../compiler/plan/types.ts";
import { compilePlan, type CompiledPlan } from "../../runtime/engine/compiledPlan.ts";
import { CampaignRuntime, MemoryStore } from "../../runtime/index.ts";
import type { CustomerSource, JourneyEntry, OutboxAction, Timer } from "../../runtime/index.ts";
import { DataSourceError, EVENTS_TABLE, PROFILE_UPDATES_TABLE, tableColumns } from "../../runtime/sources/schema.ts";
import type { Prefilter, SqliteCustomerSource } from "../../runtime/sources/sqliteCustomers.ts";
import type { SqliteEventSource } from "../../runtime/sources/sqliteEvents.ts";
import { CampaignAgg, round2 } from "./aggregate.ts";
import { threadCounts, threadInputs, threadReadingAvailable } from "./inputThread.ts";
import { eventCounts, inputQueries, rawInputs, updateCount, type EventSelection, type IdQuery } from "./inputs.ts";
import { dryRunPrefilter, timelessAudience } from "./prefilter.ts";
import type { CampaignReport, DayTouches, DryRunReport } from "./schema.ts";
import type { ZoneClock } from "./time.ts";

export interface SimCampaign {
  readonly plan: Plan;
  /** The file it is declared in, as shown to the user. */
  readonly file: string;
}

export interface SimulationOptions {
  readonly campaigns: readonly SimCampaign[];
  readonly customers: SqliteCustomerSource;
  /** The attributes the run's profile updates change (`updatedAttributes`). */
  readonly updated: ReadonlySet<string>;
  readonly events: SqliteEventSource;
  readonly clock: ZoneClock;
  /** Inclusive, epoch ms. */
  readonly from: number;
  /** Exclusive, epoch ms. */
  readonly to: number;
  /** Every journey line, as decided (for `--actions`). */
  readonly onLine?: (j: JourneyEntry) => void;
  /** Called every `progressEvery` inputs read, and at the end, with the simulated instant reached (epoch ms). */
  readonly onProgress?: (at: number) => void;
  readonly progressEvery?: number;
  /**
   * Read the inputs in a second thread (./inputThread.ts). Default: when the
   * event database is a file. The report is the same either way.
   */
  readonly readInThread?: boolean;
  /** Read every event and profile update of the period, not only `eventSelection`'s (a check that the selection drops nothing that matters). */
  readonly readEveryRow?: boolean;
}

export interface SimulationResult {
  readonly campaigns: readonly CampaignReport[];
  readonly inputs: DryRunReport["inputs"];
  readonly totals: DryRunReport["totals"];
  readonly days: readonly string[];
}

/** A MemoryStore for dry-runs: journey lines and actions are streamed to the aggregator, not kept. */
export class DryRunStore extends MemoryStore {
  onAction: ((a: OutboxAction) => void) | undefined;
  onDeadLetter: ((reason: string, input: unknown) => void) | undefined;

  constructor() {
    super();
    this.keepJourney = false;
  }
  override hasSeenInput(_id: string): boolean {
    return false;
  }
  override markInputSeen(_id: string, _at: number): void {
    /* ids are primary keys of their tables: nothing comes twice, nothing to remember */
  }
  override appendOutbox(action: OutboxAction): void {
    this.onAction?.(action);
  }
  override addDeadLetter(_at: number, reason: string, input: unknown): void {
    this.onDeadLetter?.(reason, input);
  }
  onAbsenceTimer: ((campaign: string, customerId: string) => void) | undefined;
  override addTimer(t: Timer): void {
    if (t.kind === "absence") this.onAbsenceTimer?.(t.campaign, t.customerId);
    super.addTimer(t);
  }
}

/** Records of one occurrence's selection kept for the next occurrence with the same SQL, at most this many. */
const SELECTION_CACHE = 50_000;

/**
 * The customers as the runtime sees them in a dry-run: lookups from SQLite;
 * a batch occurrence's scan streams only the customers its pre-filter
 * (./prefilter.ts: the audience's SQL at the occurrence's instant, relaxed
 * where profile updates change an attribute) selects, and returns no one
 * before the simulation starts (occurrences before `from` are passed, not
 * run). With `customer time` a day has one occurrence per zone, whose SQL is
 * often the same (the same local date in the catalog's zone): a selection of
 * up to 50,000 customers is kept and replayed for the next occurrence of the
 * same campaign with the same SQL and parameters, instead of scanning the
 * table again. The zones in use come from one `SELECT DISTINCT`.
 */
export class DryRunCustomers implements CustomerSource {
  entryOpen = false;
  private readonly last = new Map<string, { readonly key: string; readonly records: readonly CustomerRecord[] }>();

  constructor(
    private readonly inner: SqliteCustomerSource,
    private readonly catalog: Plan["catalog"],
    private readonly prefilter: (campaign: string, at?: number) => Prefilter | undefined,
  ) {}

  get(id: string): CustomerRecord | undefined {
    return this.inner.get(id);
  }

  distinctValues(attribute: string): readonly RuntimeValue[] {
    return this.inner.distinctValues(attribute);
  }

  *scan(hint?: { readonly campaign: string; readonly at?: number }): Iterable<CustomerRecord> {
    if (!hint) {
      yield* this.inner.scan();
      return;
    }
    if (!this.entryOpen) return;
    const pf = this.prefilter(hint.campaign, hint.at);
    let key: string | undefined;
    if (pf) {
      try {
        const c = compileSqlCondition(pf.pred, this.catalog, pf.ctx);
        key = `${c.sql}\u0000${JSON.stringify(c.params)}`;
      } catch (e) {
        if (!(e instanceof SqlCompileError)) throw e;
      }
    }
    if (!pf || key === undefined) {
      yield* this.inner.scan();
      return;
    }
    const cached = this.last.get(hint.campaign);
    if (cached && cached.key === key) {
      yield* cached.records;
      return;
    }
    this.last.delete(hint.campaign);
    const records: CustomerRecord[] = [];
    let keep = true;
    for (const r of this.inner.scanWhere(pf.pred, pf.ctx)) {
      if (keep) {
        records.push(r);
        if (records.length > SELECTION_CACHE) {
          keep = false;
          records.length = 0;
        }
      }
      yield r;
    }
    if (keep) this.last.set(hint.campaign, { key, records });
  }
}

/** The attributes profile updates in [from, to) change (their JSON keys). */
export function updatedAttributes(events: SqliteEventSource, from: number, to: number): Set<string> {
  if (!tableColumns(events.db, PROFILE_UPDATES_TABLE)) return new Set();
  const rows = events.db
    .prepare(`SELECT DISTINCT j."key" FROM "${PROFILE_UPDATES_TABLE}" AS u, json_each(u."attrs") AS j WHERE u."at" >= ? AND u."at" < ? AND json_valid(u."attrs")`)
    .pluck()
    .all(from, to);
  return new Set(rows.map(String));
}

/** How many inputs lie in [from, to) (the editor's preview bounds its period by it). */
export function countInputs(events: SqliteEventSource, from: number, to: number): number {
  const n = (table: string): number => {
    if (!tableColumns(events.db, table)) return 0;
    const v = events.db.prepare(`SELECT count(*) FROM "${table}" WHERE "at" >= ? AND "at" < ?`).pluck().get(from, to);
    return typeof v === "number" ? v : 0;
  };
  return n(EVENTS_TABLE) + n(PROFILE_UPDATES_TABLE);
}

/** The instant a batch campaign's audience is counted at: the later of the simulation's start and the window's. */
export function audienceInstant(plan: Plan, from: number): number {
  return Math.max(from, plan.campaign.window.start);
}

/** The size of a batch audience at `at`: `SELECT count(*)` over its SQL, or a JS scan when it cannot run as SQL. */
export function batchAudienceSize(customers: SqliteCustomerSource, cp: CompiledPlan, at: number): { size: number; method: "sql" | "scan" } {
  const plan = cp.plan;
  try {
    const { sql, params } = compileSql(plan.audience, plan.catalog, { now: at, zone: plan.catalog.zone });
    const v = customers.db.prepare(`SELECT count(*) FROM (${sql})`).pluck().get(...params);
    return { size: typeof v === "number" ? v : 0, method: "sql" };
  } catch (e) {
    if (!(e instanceof SqlCompileError)) throw e;
  }
  let size = 0;
  for (const c of customers.scan()) if (cp.audience(c, at)) size++;
  return { size, method: "scan" };
}

/** An event campaign's candidates: the ids its timeless audience selects (see `timelessAudience`), and that query. */
export interface Candidates {
  readonly ids: ReadonlySet<string>;
  readonly query: IdQuery;
}

/**
 * Candidate records a dry-run keeps in memory in all (SqliteCustomerSource.pinWhere), about 700 bytes
 * each: nearly every event handed in is a candidate's, and a lookup from SQLite costs 10-20 µs.
 */
const PIN_BUDGET = 300_000;

/**
 * The candidates of an event campaign, or undefined when its timeless audience cannot run as SQL. On a
 * snapshot source their records are also pinned in memory, as many as `pinBudget.left` allows.
 */
export function candidatesOf(customers: SqliteCustomerSource, plan: Plan, updated: ReadonlySet<string>, at: number, pinBudget = { left: 0 }): Candidates | undefined {
  const pred = timelessAudience(plan.audience, updated);
  const ctx = { now: at, zone: plan.catalog.zone };
  try {
    const query = compileSql(pred, plan.catalog, ctx);
    if (customers.db.inTransaction && pinBudget.left > 0) {
      const pin = customers.pinWhere(pred, ctx, pinBudget.left);
      if (pin) {
        pinBudget.left -= pin.pinned;
        return { ids: pin.ids, query };
      }
    }
    const ids = new Set<string>();
    for (const id of customers.db.prepare(query.sql).pluck().iterate(...query.params)) ids.add(String(id));
    return { ids, query };
  } catch (e) {
    if (e instanceof SqlCompileError) return undefined;
    throw e;
  }
}

/**
 * The event rows worth reading (cli/dryrun/inputs.ts): engagement events and
 * the types a batch campaign or a campaign without SQL candidates listens to,
 * every row; the types only event campaigns with candidates listen to, the
 * rows of their candidates. Anything else cannot reach the runtime.
 */
export function eventSelection(listeners: ReadonlyMap<string, readonly CompiledPlan[]>, candidates: ReadonlyMap<string, Candidates | undefined>, channels: ReadonlySet<string>, plans: readonly CompiledPlan[]): EventSelection {
  const every = new Set<string>();
  for (const ch of [...channels].sort()) for (const kind of ["opened", "clicked"]) every.add(`${ch}.${kind}`);
  const selectedOf = new Map<string, IdQuery[]>();
  for (const type of [...listeners.keys()].sort()) {
    if (every.has(type)) continue;
    const queries: IdQuery[] = [];
    for (const cp of listeners.get(type) ?? []) {
      const c = cp.plan.trigger.kind === "event" ? candidates.get(cp.plan.campaign.id) : undefined;
      if (!c) {
        every.add(type);
        break;
      }
      queries.push(c.query);
    }
    if (!every.has(type)) selectedOf.set(type, queries);
  }
  // Profile updates matter only to customers a campaign can evaluate: with a batch campaign, anyone; else the candidates.
  const all = plans.some((cp) => cp.plan.trigger.kind !== "event" || !candidates.get(cp.plan.campaign.id));
  const updatesOf = all ? undefined : plans.map((cp) => (candidates.get(cp.plan.campaign.id) as Candidates).query);
  return { everyRowOf: [...every], selectedOf, ...(updatesOf ? { updatesOf } : {}) };
}

function deadLetterKind(reason: string): string {
  return reason.replace(/`[^`]*`/g, "`…`").replace(/\d{4}-\d{2}-\d{2}T[\d:.]+Z/g, "…");
}

interface SentTouch {
  readonly campaign: string;
  readonly template: string;
  readonly id: string;
  readonly at: number;
}

/** Runs the simulation and returns the aggregated figures. */
export function simulate(o: SimulationOptions): SimulationResult {
  const dbPath = o.events.db.memory ? undefined : o.events.db.name;
  const readerPath = (o.readInThread ?? true) && dbPath !== undefined && dbPath !== "" && threadReadingAvailable() ? dbPath : undefined;
  // Counting every event of the period by type is a pass over the whole table: started first, on the other core.
  const counts = readerPath !== undefined ? threadCounts(readerPath, o.from, o.to) : undefined;
  try {
    return run(o, readerPath, counts);
  } finally {
    counts?.stop();
  }
}

/** The simulation, reading its inputs in a thread on `readerPath` when given, else in this one. */
function run(o: SimulationOptions, readerPath: string | undefined, counts: ReturnType<typeof threadCounts> | undefined): SimulationResult {
  const plans = o.campaigns.map((c) => c.plan);
  const compiled = new Map(plans.map((p) => [p.campaign.id, compilePlan(p)]));
  const catalog = plans[0]?.catalog;
  if (!catalog) throw new Error("simulate: no campaigns");
  const customers = new DryRunCustomers(o.customers, catalog, dryRunPrefilter(plans, o.updated));
  const store = new DryRunStore();

  /** The customer as the runtime sees her now: the source's record with the run's profile updates over it. */
  const current = (id: string): CustomerRecord | undefined => {
    const base = o.customers.get(id);
    const over = base ? store.profileOverrides(id) : undefined;
    return base && over ? { ...base, attrs: { ...base.attrs, ...over } } : base;
  };

  const aggs = new Map<string, CampaignAgg>();
  for (const c of o.campaigns) {
    const p = c.plan;
    const cp = compiled.get(p.campaign.id) as CompiledPlan;
    const goal = p.goal;
    const valueExpr = goal?.kind === "event" ? p.catalog.events.find((e) => e.name === goal.event)?.value : undefined;
    const valueOf = valueExpr
      ? (customerId: string, fields: Readonly<Record<string, RuntimeValue>>, at: number): number | undefined => {
          const rec = current(customerId);
          if (!rec) return undefined;
          const v = cp.value(valueExpr, rec, fields, at);
          return typeof v === "number" && Number.isFinite(v) ? v : undefined;
        }
      : undefined;
    const agg = new CampaignAgg(p, c.file, o.clock, valueOf);
    if (p.trigger.kind === "batch") {
      const at = audienceInstant(p, o.from);
      const r = batchAudienceSize(o.customers, cp, at);
      agg.audience = { definition: "batch-sql-count", size: r.size, at: o.clock.iso(at), method: r.method };
    }
    aggs.set(p.campaign.id, agg);
  }

  // The input being handed in, so a conversion line can be valued by its goal event's payload.
  let input: { type: string; fields: Readonly<Record<string, RuntimeValue>> } | undefined;
  store.onJourney = (j) => {
    aggs.get(j.campaign)?.line(j, input);
    o.onLine?.(j);
  };
  // An absence pattern's timer starts only for a customer who met the trigger condition and the audience.
  store.onAbsenceTimer = (campaign, customerId) => aggs.get(campaign)?.matched.add(customerId);
  const sent = new Map<string, SentTouch[]>();
  store.onAction = (a) => {
    if (a.kind === "payout") {
      aggs.get(a.campaign)?.payoutAction(a);
      return;
    }
    const key = `${a.customerId}\u0000${a.channel}`;
    const list = sent.get(key);
    const t = { campaign: a.campaign, template: a.template, id: a.id, at: a.at };
    if (list) list.push(t);
    else sent.set(key, [t]);
  };
  const dead = new Map<string, { count: number; example: string }>();
  store.onDeadLetter = (reason) => {
    const k = deadLetterKind(reason);
    const d = dead.get(k);
    if (d) d.count++;
    else dead.set(k, { count: 1, example: reason });
  };

  let now = o.from;
  const runtime = new CampaignRuntime({ plans, store, clock: { now: () => now }, customers });
  runtime.runDue(o.from - 1);
  customers.entryOpen = true;

  const channels = new Set(catalog.channels.map((c) => c.name));
  const triggerPlans = new Map<string, CompiledPlan[]>();
  /** Plans by every event type they listen to: trigger, absence, goal, exit. */
  const listeners = new Map<string, CompiledPlan[]>();
  const listen = (type: string, cp: CompiledPlan): void => {
    const list = listeners.get(type) ?? [];
    if (!list.includes(cp)) list.push(cp);
    listeners.set(type, list);
  };
  for (const cp of compiled.values()) {
    const p = cp.plan;
    if (p.trigger.kind === "event") {
      const list = triggerPlans.get(p.trigger.event) ?? [];
      list.push(cp);
      triggerPlans.set(p.trigger.event, list);
      listen(p.trigger.event, cp);
      if (p.trigger.absence) listen(p.trigger.absence.event, cp);
    }
    if (p.goal?.kind === "event") listen(p.goal.event, cp);
    for (const x of p.exits) if (x.event) listen(x.event, cp);
  }
  // Who could ever enter an event campaign during the run: its audience without the conditions that read the
  // clock or an attribute the run's profile updates change, selected by SQL once (undefined: cannot run as SQL).
  const candidates = new Map<string, Candidates | undefined>();
  const pinBudget = { left: PIN_BUDGET };
  for (const cps of triggerPlans.values()) {
    for (const cp of cps) candidates.set(cp.plan.campaign.id, candidatesOf(o.customers, cp.plan, o.updated, o.from, pinBudget));
  }
  /** Whether the runtime could do anything with this event: the only ones handed in (see the module comment). */
  // An event campaign's customers with an entry or a pending absence timer are among its candidates; a batch
  // campaign's customers with an entry are in its aggregator.
  const actionable = (e: { type: string; customerId: string }): boolean => {
    for (const cp of listeners.get(e.type) ?? []) {
      const id = cp.plan.campaign.id;
      if (cp.plan.trigger.kind === "event") {
        const set = candidates.get(id)?.ids;
        if (!set || set.has(e.customerId)) return true;
      } else if (aggs.get(id)?.hasEntry(e.customerId)) return true;
    }
    return false;
  };
  let handedEvents = 0;
  let handedUpdates = 0;

  let applied = 0;
  let unmatched = 0;
  let handed = 0;
  const every = Math.max(1, o.progressEvery ?? 10_000);

  const selection = o.readEveryRow === true ? undefined : eventSelection(listeners, candidates, channels, [...compiled.values()]);
  const stream = readerPath !== undefined ? threadInputs(readerPath, inputQueries(o.events.db, o.from, o.to, selection)) : rawInputs(o.events.db, o.from, o.to, selection);
  for (const item of stream) {
    const at = item.kind === "event" ? item.event.at : item.update.at;
    runtime.runDue(at - 1);
    now = at;
    if (item.kind === "profile") {
      input = undefined;
      const u = item.update;
      if (store.liveEntries(u.customerId).length > 0) {
        handedUpdates++;
        runtime.handleProfileUpdate(u);
      } else {
        // No journey to move (goal, exit condition): all the runtime would do is lay the values over the customer.
        const prev = store.profileOverrides(u.customerId);
        store.setProfileOverrides(u.customerId, prev ? { ...prev, ...u.attrs } : u.attrs);
      }
    } else {
      const e = item.event;
      // Engagement events are touch feedback, as in `campaign test`: the latest touch on the channel to the
      // customer at or before the event, of the campaign its `campaignId` names and with its `template`, if given.
      const engagement = /^(.+)\.(opened|clicked)$/.exec(e.type);
      if (engagement && channels.has(engagement[1] ?? "")) {
        const list = sent.get(`${e.customerId}\u0000${engagement[1]}`) ?? [];
        const cid = list.length > 0 ? e.fields["campaignId"] : undefined;
        const tpl = list.length > 0 ? e.fields["template"] : undefined;
        let best: SentTouch | undefined;
        for (const t of list) {
          if (t.at > e.at || (typeof cid === "string" && t.campaign !== cid) || (typeof tpl === "string" && t.template !== tpl)) continue;
          if (!best || t.at >= best.at) best = t;
        }
        if (best) {
          applied++;
          input = undefined;
          runtime.handleFeedback({ id: `${e.id}#feedback`, touchId: best.id, kind: engagement[2] === "clicked" ? "clicked" : "opened", at: e.at });
        } else unmatched++;
      }
      if (actionable(e)) {
        handedEvents++;
        input = { type: e.type, fields: e.fields };
        runtime.handleEvent({ id: e.id, type: e.type, customerId: e.customerId, at: e.at, fields: e.fields });
      }
    }
    input = undefined;
    handed++;
    if (o.onProgress && handed % every === 0) o.onProgress(at);
  }
  now = o.to - 1;
  runtime.runDue(o.to - 1);
  o.onProgress?.(o.to);

  // Every event of the period, counted by SQLite: most are never read (see `eventSelection`).
  const counted = counts ? counts.get() : { events: eventCounts(o.events.db, o.from, o.to), updates: updateCount(o.events.db, o.from, o.to) };
  const eventsByType = counted.events;
  const updates = counted.updates;
  const events = [...eventsByType.values()].reduce((s, n) => s + n, 0);
  const days = o.clock.days(o.from, o.to);
  const reports: CampaignReport[] = [];
  for (const c of [...o.campaigns].sort((a, b) => (a.plan.campaign.id < b.plan.campaign.id ? -1 : a.plan.campaign.id > b.plan.campaign.id ? 1 : 0))) {
    const agg = aggs.get(c.plan.campaign.id) as CampaignAgg;
    const w = c.plan.campaign.window;
    reports.push(agg.report(days, { from: o.clock.iso(w.start), to: o.clock.iso(w.end) }));
  }
  runtime.close();

  const sortedCounts = (m: ReadonlyMap<string, number>): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const k of [...m.keys()].sort()) out[k] = m.get(k) ?? 0;
    return out;
  };
  const add = (m: Map<string, number>, rec: Readonly<Record<string, number>>): void => {
    for (const [k, v] of Object.entries(rec)) m.set(k, (m.get(k) ?? 0) + v);
  };
  const touchesByChannel = new Map<string, number>();
  const costByChannel = new Map<string, number>();
  const suppressionsByReason = new Map<string, number>();
  const dayMaps = new Map<string, Map<string, number>>(days.map((d) => [d, new Map()]));
  for (const r of reports) {
    add(touchesByChannel, r.touches.byChannel);
    add(costByChannel, r.cost.byChannel);
    add(suppressionsByReason, r.suppressions.byReason);
    for (const d of r.touches.byDay) add(dayMaps.get(d.day) as Map<string, number>, d.byChannel);
  }
  const touchesByDay: DayTouches[] = days.map((day) => {
    const m = dayMaps.get(day) as Map<string, number>;
    return { day, total: [...m.values()].reduce((s, x) => s + x, 0), byChannel: sortedCounts(m) };
  });
  const sum = (f: (r: CampaignReport) => number): number => reports.reduce((s, r) => s + f(r), 0);
  const roundedCost: Record<string, number> = {};
  for (const [k, v] of Object.entries(sortedCounts(costByChannel))) roundedCost[k] = round2(v);
  const totals: DryRunReport["totals"] = {
    entries: sum((r) => r.entries.total),
    treated: sum((r) => r.entries.treated),
    holdout: sum((r) => r.entries.holdout),
    touches: sum((r) => r.touches.total),
    touchesByChannel: sortedCounts(touchesByChannel),
    touchesByDay,
    suppressions: sum((r) => r.suppressions.total),
    suppressionsByReason: sortedCounts(suppressionsByReason),
    deferrals: sum((r) => r.deferrals.total),
    conversions: sum((r) => r.conversions.treated.conversions + r.conversions.holdout.conversions),
    payouts: sum((r) => r.payouts.count),
    benefitCost: round2(sum((r) => r.cost.benefits)),
    touchCost: round2(sum((r) => r.cost.touches)),
    costByChannel: roundedCost,
    cost: round2(sum((r) => r.cost.total)),
    pending: sum((r) => r.accounting.pending),
  };
  const inputs: DryRunReport["inputs"] = {
    events,
    eventsByType: sortedCounts(eventsByType),
    profileUpdates: updates,
    handedIn: { events: handedEvents, profileUpdates: handedUpdates },
    feedback: { applied, unmatched },
    deadLetters: [...dead].sort((a, b) => b[1].count - a[1].count || (a[0] < b[0] ? -1 : 1)).map(([reason, d]) => ({ reason, count: d.count, example: d.example })),
  };
  return { campaigns: reports, inputs, totals, days };
}

export { DataSourceError };
