/**
 * An in-memory Store for tests and dry-runs. Transactions keep an undo log,
 * so a decision that throws half-way leaves no trace, as with SQLite.
 */
import type { RuntimeValue } from "../../compiler/ir/predicate.ts";
import type { JourneyEntry, OutboxAction, OutboxRow } from "../types.ts";
import type { ContactRecord, EntryState, Store, Timer } from "./types.ts";

type Undo = () => void;

function less(a: [number, string], b: [number, string]): boolean {
  return a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
}

export class MemoryStore implements Store {
  private seen = new Map<string, number>();
  private hwm = Number.NEGATIVE_INFINITY;
  private entries = new Map<string, EntryState>();
  private entriesByCustomer = new Map<string, Set<string>>();
  private timers = new Map<string, Timer>();
  /** Min-heap of [dueAt, id] hints; stale hints are dropped when met. */
  private heap: [number, string][] = [];
  private timersByEntry = new Map<string, Set<string>>();
  private contacts = new Map<string, ContactRecord[]>();
  private capacity = new Map<string, number>();
  private budget = new Map<string, number>();
  private payouts = new Set<string>();
  private payoutCounts = new Map<string, number>();
  private optouts = new Set<string>();
  private overrides = new Map<string, Readonly<Record<string, RuntimeValue>>>();
  private cursors = new Map<string, number>();
  private owners = new Map<string, { campaign: string; customerId: string; wave: number }>();
  private outbox: OutboxRow[] = [];
  private journeyLog: JourneyEntry[] = [];
  private dead: { at: number; reason: string; input: unknown }[] = [];
  private undo: Undo[] | undefined;
  /** When false, the journey log is not kept (large dry-runs stream it elsewhere). */
  keepJourney = true;
  /** Called with every journey line, kept or not. */
  onJourney: ((e: JourneyEntry) => void) | undefined;

  private log(u: Undo): void {
    this.undo?.push(u);
  }

  private setIn<K, V>(m: Map<K, V>, k: K, v: V): void {
    const had = m.has(k);
    const prev = m.get(k);
    m.set(k, v);
    this.log(() => (had ? m.set(k, prev as V) : m.delete(k)));
  }

  private deleteIn<K, V>(m: Map<K, V>, k: K): void {
    if (!m.has(k)) return;
    const prev = m.get(k) as V;
    m.delete(k);
    this.log(() => m.set(k, prev));
  }

  transaction<T>(fn: () => T): T {
    if (this.undo) return fn();
    this.undo = [];
    try {
      const r = fn();
      this.undo = undefined;
      return r;
    } catch (e) {
      const u = this.undo ?? [];
      this.undo = undefined;
      for (let i = u.length - 1; i >= 0; i--) u[i]?.();
      throw e;
    }
  }

  hasSeenInput(id: string): boolean {
    return this.seen.has(id);
  }
  markInputSeen(id: string, at: number): void {
    this.setIn(this.seen, id, at);
  }
  highWaterMark(): number {
    return this.hwm;
  }
  setHighWaterMark(at: number): void {
    const prev = this.hwm;
    this.hwm = at;
    this.log(() => (this.hwm = prev));
  }

  getEntry(campaign: string, customerId: string): EntryState | undefined {
    return this.entries.get(`${campaign}\u0000${customerId}`);
  }
  putEntry(e: EntryState): void {
    const key = `${e.campaign}\u0000${e.customerId}`;
    this.setIn(this.entries, key, e);
    let set = this.entriesByCustomer.get(e.customerId);
    if (!set) {
      set = new Set();
      this.entriesByCustomer.set(e.customerId, set);
    }
    if (!set.has(key)) {
      set.add(key);
      const s = set;
      this.log(() => s.delete(key));
    }
  }
  activeEntries(customerId: string): EntryState[] {
    const keys = [...(this.entriesByCustomer.get(customerId) ?? [])].sort();
    return keys.map((k) => this.entries.get(k)).filter((e): e is EntryState => e !== undefined && e.status === "active");
  }

  entriesOf(customerId: string): EntryState[] {
    const keys = [...(this.entriesByCustomer.get(customerId) ?? [])].sort();
    return keys.map((k) => this.entries.get(k)).filter((e): e is EntryState => e !== undefined);
  }

  liveEntries(customerId: string): EntryState[] {
    const keys = [...(this.entriesByCustomer.get(customerId) ?? [])].sort();
    return keys.map((k) => this.entries.get(k)).filter((e): e is EntryState => e !== undefined && (e.status === "active" || e.status === "converted"));
  }

  addTimer(t: Timer): void {
    this.setIn(this.timers, t.id, t);
    this.heapPush([t.dueAt, t.id]);
    this.indexTimer(t);
  }
  deleteTimer(id: string): void {
    const t = this.timers.get(id);
    if (!t) return;
    this.deleteIn(this.timers, id);
    // If the deletion is undone, the timer must be findable again.
    this.log(() => this.heapPush([t.dueAt, t.id]));
  }
  deleteTimersOf(campaign: string, customerId: string, kinds?: readonly Timer["kind"][]): void {
    for (const t of this.timersOf(campaign, customerId)) if (!kinds || kinds.includes(t.kind)) this.deleteTimer(t.id);
  }
  dueTimers(until: number, limit: number): Timer[] {
    const out: Timer[] = [];
    const seen = new Set<string>();
    const keep: [number, string][] = [];
    while (this.heap.length > 0 && out.length < limit) {
      const top = this.heap[0] as [number, string];
      if (top[0] > until) break;
      this.heapPop();
      const t = this.timers.get(top[1]);
      if (!t || t.dueAt !== top[0] || seen.has(t.id)) continue;
      seen.add(t.id);
      out.push(t);
      keep.push(top);
    }
    for (const k of keep) this.heapPush(k);
    return out.sort((a, b) => a.dueAt - b.dueAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
  timersOf(campaign: string, customerId: string): Timer[] {
    const ids = this.timersByEntry.get(`${campaign}\u0000${customerId}`);
    if (!ids) return [];
    const out: Timer[] = [];
    for (const id of ids) {
      const t = this.timers.get(id);
      if (t && t.campaign === campaign && t.customerId === customerId) out.push(t);
    }
    return out.sort((a, b) => a.dueAt - b.dueAt || (a.id < b.id ? -1 : 1));
  }

  private indexTimer(t: Timer): void {
    const key = `${t.campaign}\u0000${t.customerId}`;
    let set = this.timersByEntry.get(key);
    if (!set) {
      set = new Set();
      this.timersByEntry.set(key, set);
    }
    set.add(t.id);
  }

  private heapPush(x: [number, string]): void {
    const h = this.heap;
    h.push(x);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(h[i] as [number, string], h[p] as [number, string])) break;
      [h[i], h[p]] = [h[p] as [number, string], h[i] as [number, string]];
      i = p;
    }
  }

  private heapPop(): void {
    const h = this.heap;
    const last = h.pop();
    if (h.length === 0 || !last) return;
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && less(h[l] as [number, string], h[m] as [number, string])) m = l;
      if (r < h.length && less(h[r] as [number, string], h[m] as [number, string])) m = r;
      if (m === i) break;
      [h[i], h[m]] = [h[m] as [number, string], h[i] as [number, string]];
      i = m;
    }
  }

  addContact(c: ContactRecord): void {
    let list = this.contacts.get(c.customerId);
    if (!list) {
      list = [];
      this.contacts.set(c.customerId, list);
    }
    list.push(c);
    const l = list;
    this.log(() => l.pop());
  }
  contactsSince(customerId: string, since: number): ContactRecord[] {
    return (this.contacts.get(customerId) ?? []).filter((c) => c.at >= since).sort((a, b) => a.at - b.at);
  }

  capacityUsed(channel: string, dayKey: string, branch: string): number {
    return this.capacity.get(`${channel}\u0000${dayKey}\u0000${branch}`) ?? 0;
  }
  addCapacity(channel: string, dayKey: string, branch: string): void {
    const k = `${channel}\u0000${dayKey}\u0000${branch}`;
    this.setIn(this.capacity, k, (this.capacity.get(k) ?? 0) + 1);
  }

  budgetUsed(campaign: string, periodKey: string): number {
    return this.budget.get(`${campaign}\u0000${periodKey}`) ?? 0;
  }
  reserveBudget(campaign: string, periodKey: string, amount: number): void {
    const k = `${campaign}\u0000${periodKey}`;
    this.setIn(this.budget, k, (this.budget.get(k) ?? 0) + amount);
  }

  hasPayout(id: string): boolean {
    return this.payouts.has(id);
  }
  payoutCount(campaign: string, customerId: string): number {
    return this.payoutCounts.get(`${campaign}\u0000${customerId}`) ?? 0;
  }
  recordPayout(id: string, campaign: string, customerId: string, _at: number): void {
    if (!this.payouts.has(id)) {
      this.payouts.add(id);
      this.log(() => this.payouts.delete(id));
    }
    const k = `${campaign}\u0000${customerId}`;
    this.setIn(this.payoutCounts, k, (this.payoutCounts.get(k) ?? 0) + 1);
  }

  isOptedOut(customerId: string, channel: string): boolean {
    return this.optouts.has(`${customerId}\u0000${channel}`) || this.optouts.has(`${customerId}\u0000*`);
  }
  addOptOut(customerId: string, channel: string, _at: number): void {
    const k = `${customerId}\u0000${channel}`;
    if (this.optouts.has(k)) return;
    this.optouts.add(k);
    this.log(() => this.optouts.delete(k));
  }

  profileOverrides(customerId: string): Readonly<Record<string, RuntimeValue>> | undefined {
    return this.overrides.get(customerId);
  }
  setProfileOverrides(customerId: string, attrs: Readonly<Record<string, RuntimeValue>>): void {
    this.setIn(this.overrides, customerId, attrs);
  }

  batchCursor(key: string): number | undefined {
    return this.cursors.get(key);
  }
  setBatchCursor(key: string, at: number): void {
    this.setIn(this.cursors, key, at);
  }

  touchOwner(touchId: string): { campaign: string; customerId: string; wave: number } | undefined {
    return this.owners.get(touchId);
  }
  setTouchOwner(touchId: string, owner: { campaign: string; customerId: string; wave: number }): void {
    this.setIn(this.owners, touchId, owner);
  }

  appendOutbox(action: OutboxAction): void {
    this.outbox.push({ seq: this.outbox.length + 1, action });
    this.log(() => this.outbox.pop());
  }
  pendingOutbox(limit: number): OutboxRow[] {
    const out: OutboxRow[] = [];
    for (const r of this.outbox) {
      if (r.ackedAt === undefined) out.push(r);
      if (out.length >= limit) break;
    }
    return out;
  }
  ackOutbox(seq: number, at: number): void {
    const i = seq - 1;
    const row = this.outbox[i];
    if (!row || row.ackedAt !== undefined) return;
    this.outbox[i] = { ...row, ackedAt: at };
    this.log(() => (this.outbox[i] = row));
  }
  allOutbox(): OutboxRow[] {
    return [...this.outbox];
  }

  appendJourney(e: JourneyEntry): void {
    this.onJourney?.(e);
    if (!this.keepJourney) return;
    this.journeyLog.push(e);
    this.log(() => this.journeyLog.pop());
  }
  journey(): JourneyEntry[] {
    return [...this.journeyLog];
  }

  addDeadLetter(at: number, reason: string, input: unknown): void {
    this.dead.push({ at, reason, input });
    this.log(() => this.dead.pop());
  }
  deadLetters(): { at: number; reason: string; input: unknown }[] {
    return [...this.dead];
  }

  close(): void {
    /* nothing to release */
  }
}
