/**
 * The production Store on better-sqlite3: a versioned schema with
 * migrations, WAL journaling, prepared statements, and one SQLite
 * transaction per decision (nested calls become savepoints). Every value is
 * a bound parameter; no SQL text is ever built from data.
 */
import Database from "better-sqlite3";
import type { RuntimeValue } from "../../compiler/ir/predicate.ts";
import type { JourneyEntry, OutboxAction, OutboxRow } from "../types.ts";
import type { ContactRecord, EntryState, Store, Timer } from "./types.ts";

/** Schema migrations, in order; the store applies the ones a database has not seen. */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE inputs_seen (id TEXT PRIMARY KEY, at INTEGER NOT NULL) WITHOUT ROWID;
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
  CREATE TABLE entries (
    campaign TEXT NOT NULL, customer_id TEXT NOT NULL, status TEXT NOT NULL, data TEXT NOT NULL,
    PRIMARY KEY (campaign, customer_id)) WITHOUT ROWID;
  CREATE INDEX entries_by_customer ON entries (customer_id, status);
  CREATE TABLE timers (
    id TEXT PRIMARY KEY, due_at INTEGER NOT NULL, campaign TEXT NOT NULL, customer_id TEXT NOT NULL,
    kind TEXT NOT NULL, data TEXT NOT NULL) WITHOUT ROWID;
  CREATE INDEX timers_by_due ON timers (due_at, id);
  CREATE INDEX timers_by_entry ON timers (campaign, customer_id);
  CREATE TABLE contacts (customer_id TEXT NOT NULL, at INTEGER NOT NULL, channel TEXT NOT NULL, campaign TEXT NOT NULL);
  CREATE INDEX contacts_by_customer ON contacts (customer_id, at);
  CREATE TABLE capacity (channel TEXT NOT NULL, day TEXT NOT NULL, branch TEXT NOT NULL, used INTEGER NOT NULL,
    PRIMARY KEY (channel, day, branch)) WITHOUT ROWID;
  CREATE TABLE budget (campaign TEXT NOT NULL, period TEXT NOT NULL, reserved REAL NOT NULL,
    PRIMARY KEY (campaign, period)) WITHOUT ROWID;
  CREATE TABLE payouts (id TEXT PRIMARY KEY, campaign TEXT NOT NULL, customer_id TEXT NOT NULL, at INTEGER NOT NULL) WITHOUT ROWID;
  CREATE INDEX payouts_by_customer ON payouts (campaign, customer_id);
  CREATE TABLE optouts (customer_id TEXT NOT NULL, channel TEXT NOT NULL, at INTEGER NOT NULL,
    PRIMARY KEY (customer_id, channel)) WITHOUT ROWID;
  CREATE TABLE profiles (customer_id TEXT PRIMARY KEY, attrs TEXT NOT NULL) WITHOUT ROWID;
  CREATE TABLE touch_owners (touch_id TEXT PRIMARY KEY, campaign TEXT NOT NULL, customer_id TEXT NOT NULL, wave INTEGER NOT NULL) WITHOUT ROWID;
  CREATE TABLE outbox (seq INTEGER PRIMARY KEY, action TEXT NOT NULL, acked_at INTEGER);
  CREATE INDEX outbox_pending ON outbox (seq) WHERE acked_at IS NULL;
  CREATE TABLE journey (seq INTEGER PRIMARY KEY, entry TEXT NOT NULL);
  CREATE TABLE dead_letters (seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, reason TEXT NOT NULL, input TEXT NOT NULL);
  `,
  // 2: entries and timers as rowid tables (rows appended, small unique keys) instead of WITHOUT ROWID
  // tables keyed by text (whole rows of random keys, so each write dirtied a page of its own);
  // entries keyed by customer first, so a customer's entries are one range of the unique index.
  `
  CREATE TABLE entries_v2 (
    customer_id TEXT NOT NULL, campaign TEXT NOT NULL, status TEXT NOT NULL, data TEXT NOT NULL,
    UNIQUE (customer_id, campaign));
  INSERT INTO entries_v2 (customer_id, campaign, status, data) SELECT customer_id, campaign, status, data FROM entries ORDER BY customer_id, campaign;
  DROP TABLE entries;
  ALTER TABLE entries_v2 RENAME TO entries;
  CREATE TABLE timers_v2 (
    id TEXT NOT NULL UNIQUE, due_at INTEGER NOT NULL, campaign TEXT NOT NULL, customer_id TEXT NOT NULL,
    kind TEXT NOT NULL, data TEXT NOT NULL);
  INSERT INTO timers_v2 (id, due_at, campaign, customer_id, kind, data) SELECT id, due_at, campaign, customer_id, kind, data FROM timers ORDER BY due_at, id;
  DROP TABLE timers;
  ALTER TABLE timers_v2 RENAME TO timers;
  CREATE INDEX timers_by_due ON timers (due_at, id);
  CREATE INDEX timers_by_entry ON timers (campaign, customer_id);
  `,
];

export interface SqliteStoreOptions {
  /** `FULL` survives power loss; `NORMAL` (default) survives process crashes, which is what WAL guarantees cheaply. */
  readonly synchronous?: "FULL" | "NORMAL" | "OFF";
  /** Page cache size in KiB (default 65,536: 64 MiB). */
  readonly cacheSizeKiB?: number;
  /** WAL pages after which a commit checkpoints (default 10,000). */
  readonly walAutocheckpointPages?: number;
  /** Keep journey lines in the database (default true). */
  readonly keepJourney?: boolean;
}

type Row = Record<string, unknown>;

export class SqliteStore implements Store {
  readonly db: Database.Database;
  private readonly keepJourney: boolean;
  private readonly st: Statements;

  constructor(path: string, opts: SqliteStoreOptions = {}) {
    this.db = new Database(path);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma(`synchronous = ${opts.synchronous ?? "NORMAL"}`);
    this.db.pragma("foreign_keys = ON");
    // A page cache that holds the working set (entries and timers of active customers) instead of SQLite's 2 MiB default.
    this.db.pragma(`cache_size = ${-Math.max(2048, Math.floor(opts.cacheSizeKiB ?? 65_536))}`);
    // Checkpoint the WAL every 10,000 pages (about 40 MiB) rather than every 1,000: a batch of decisions
    // dirties more than 1,000 pages, so the default checkpointed (copy and fsync) after every commit.
    this.db.pragma(`wal_autocheckpoint = ${Math.max(1, Math.floor(opts.walAutocheckpointPages ?? 10_000))}`);
    this.keepJourney = opts.keepJourney ?? true;
    this.migrate();
    this.st = prepareStatements(this.db);
  }

  private migrate(): void {
    this.db.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
    const row = this.db.prepare("SELECT MAX(version) AS v FROM schema_version").get() as { v: number | null };
    const current = row.v ?? 0;
    if (current > MIGRATIONS.length) throw new Error(`database schema version ${current} is newer than this runtime supports (${MIGRATIONS.length})`);
    for (let v = current; v < MIGRATIONS.length; v++) {
      this.db.transaction(() => {
        this.db.exec(MIGRATIONS[v] ?? "");
        this.db.prepare("INSERT INTO schema_version (version) VALUES (?)").run(v + 1);
      })();
    }
  }

  schemaVersion(): number {
    return (this.db.prepare("SELECT MAX(version) AS v FROM schema_version").get() as { v: number }).v;
  }

  transaction<T>(fn: () => T): T {
    if (this.db.inTransaction) return fn();
    return this.db.transaction(fn)();
  }

  hasSeenInput(id: string): boolean {
    return this.st.seen.get(id) !== undefined;
  }
  markInputSeen(id: string, at: number): void {
    this.st.markSeen.run(id, at);
  }
  highWaterMark(): number {
    const r = this.st.getMeta.get("hwm") as { value: string } | undefined;
    return r ? Number(r.value) : Number.NEGATIVE_INFINITY;
  }
  setHighWaterMark(at: number): void {
    this.st.setMeta.run("hwm", String(at));
  }

  getEntry(campaign: string, customerId: string): EntryState | undefined {
    const r = this.st.getEntry.get(customerId, campaign) as { data: string } | undefined;
    return r ? (JSON.parse(r.data) as EntryState) : undefined;
  }
  putEntry(e: EntryState): void {
    this.st.putEntry.run(e.customerId, e.campaign, e.status, JSON.stringify(e));
  }
  activeEntries(customerId: string): EntryState[] {
    return (this.st.activeEntries.all(customerId) as { data: string }[]).map((r) => JSON.parse(r.data) as EntryState);
  }

  entriesOf(customerId: string): EntryState[] {
    return (this.st.entriesOf.all(customerId) as { data: string }[]).map((r) => JSON.parse(r.data) as EntryState);
  }

  liveEntries(customerId: string): EntryState[] {
    return (this.st.liveEntries.all(customerId) as { data: string }[]).map((r) => JSON.parse(r.data) as EntryState);
  }

  addTimer(t: Timer): void {
    this.st.addTimer.run(t.id, t.dueAt, t.campaign, t.customerId, t.kind, JSON.stringify(t));
  }
  deleteTimer(id: string): void {
    this.st.deleteTimer.run(id);
  }
  deleteTimersOf(campaign: string, customerId: string, kinds?: readonly Timer["kind"][]): void {
    for (const t of this.timersOf(campaign, customerId)) if (!kinds || kinds.includes(t.kind)) this.deleteTimer(t.id);
  }
  dueTimers(until: number, limit: number): Timer[] {
    const lim = Math.min(limit, Number.MAX_SAFE_INTEGER);
    return (this.st.dueTimers.all(until, lim) as { data: string }[]).map((r) => JSON.parse(r.data) as Timer);
  }
  timersOf(campaign: string, customerId: string): Timer[] {
    return (this.st.timersOf.all(campaign, customerId) as { data: string }[]).map((r) => JSON.parse(r.data) as Timer);
  }

  addContact(c: ContactRecord): void {
    this.st.addContact.run(c.customerId, c.at, c.channel, c.campaign);
  }
  contactsSince(customerId: string, since: number): ContactRecord[] {
    const s = Number.isFinite(since) ? since : -8.64e15;
    return this.st.contactsSince.all(customerId, s) as ContactRecord[];
  }

  capacityUsed(channel: string, dayKey: string, branch: string): number {
    const r = this.st.capacityUsed.get(channel, dayKey, branch) as { used: number } | undefined;
    return r?.used ?? 0;
  }
  addCapacity(channel: string, dayKey: string, branch: string): void {
    this.st.addCapacity.run(channel, dayKey, branch);
  }

  budgetUsed(campaign: string, periodKey: string): number {
    const r = this.st.budgetUsed.get(campaign, periodKey) as { reserved: number } | undefined;
    return r?.reserved ?? 0;
  }
  reserveBudget(campaign: string, periodKey: string, amount: number): void {
    this.st.reserveBudget.run(campaign, periodKey, amount);
  }

  hasPayout(id: string): boolean {
    return this.st.hasPayout.get(id) !== undefined;
  }
  payoutCount(campaign: string, customerId: string): number {
    return (this.st.payoutCount.get(campaign, customerId) as { n: number }).n;
  }
  recordPayout(id: string, campaign: string, customerId: string, at: number): void {
    this.st.recordPayout.run(id, campaign, customerId, at);
  }

  isOptedOut(customerId: string, channel: string): boolean {
    return this.st.optedOut.get(customerId, channel) !== undefined;
  }
  optOutsOf(customerId: string): string[] {
    return this.st.optOutsOf.all(customerId) as string[];
  }
  addOptOut(customerId: string, channel: string, at: number): void {
    this.st.addOptOut.run(customerId, channel, at);
  }

  profileOverrides(customerId: string): Readonly<Record<string, RuntimeValue>> | undefined {
    const r = this.st.getProfile.get(customerId) as { attrs: string } | undefined;
    return r ? (JSON.parse(r.attrs) as Record<string, RuntimeValue>) : undefined;
  }
  setProfileOverrides(customerId: string, attrs: Readonly<Record<string, RuntimeValue>>): void {
    this.st.setProfile.run(customerId, JSON.stringify(attrs));
  }

  batchCursor(key: string): number | undefined {
    const r = this.st.getMeta.get(`cursor:${key}`) as { value: string } | undefined;
    return r ? Number(r.value) : undefined;
  }
  setBatchCursor(key: string, at: number): void {
    this.st.setMeta.run(`cursor:${key}`, String(at));
  }

  touchOwner(touchId: string): { campaign: string; customerId: string; wave: number } | undefined {
    return this.st.touchOwner.get(touchId) as { campaign: string; customerId: string; wave: number } | undefined;
  }
  setTouchOwner(touchId: string, owner: { campaign: string; customerId: string; wave: number }): void {
    this.st.setTouchOwner.run(touchId, owner.campaign, owner.customerId, owner.wave);
  }

  appendOutbox(action: OutboxAction): void {
    this.st.appendOutbox.run(JSON.stringify(action));
  }
  pendingOutbox(limit: number): OutboxRow[] {
    return (this.st.pendingOutbox.all(limit) as Row[]).map((r) => ({ seq: r["seq"] as number, action: JSON.parse(r["action"] as string) as OutboxAction }));
  }
  ackOutbox(seq: number, at: number): void {
    this.st.ackOutbox.run(at, seq);
  }
  allOutbox(): OutboxRow[] {
    return (this.st.allOutbox.all() as Row[]).map((r) => ({
      seq: r["seq"] as number,
      action: JSON.parse(r["action"] as string) as OutboxAction,
      ...(r["ackedAt"] === null || r["ackedAt"] === undefined ? {} : { ackedAt: r["ackedAt"] as number }),
    }));
  }

  appendJourney(e: JourneyEntry): void {
    if (this.keepJourney) this.st.appendJourney.run(JSON.stringify(e));
  }
  journey(): JourneyEntry[] {
    return (this.st.journey.all() as { entry: string }[]).map((r) => JSON.parse(r.entry) as JourneyEntry);
  }

  addDeadLetter(at: number, reason: string, input: unknown): void {
    this.st.addDead.run(at, reason, safeJson(input));
  }
  deadLetters(): { at: number; reason: string; input: unknown }[] {
    return (this.st.dead.all() as Row[]).map((r) => ({ at: r["at"] as number, reason: r["reason"] as string, input: JSON.parse(r["input"] as string) as unknown }));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** All statements the store uses, prepared once. */
function prepareStatements(db: Database.Database) {
const p = (sql: string) => db.prepare(sql);
return {
    seen: p("SELECT 1 FROM inputs_seen WHERE id = ?"),
    markSeen: p("INSERT OR IGNORE INTO inputs_seen (id, at) VALUES (?, ?)"),
    getMeta: p("SELECT value FROM meta WHERE key = ?"),
    setMeta: p("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value"),
    getEntry: p("SELECT data FROM entries WHERE customer_id = ? AND campaign = ?"),
    putEntry: p("INSERT INTO entries (customer_id, campaign, status, data) VALUES (?, ?, ?, ?) ON CONFLICT (customer_id, campaign) DO UPDATE SET status = excluded.status, data = excluded.data"),
    activeEntries: p("SELECT data FROM entries WHERE customer_id = ? AND status = 'active' ORDER BY campaign"),
    entriesOf: p("SELECT data FROM entries WHERE customer_id = ? ORDER BY campaign"),
    liveEntries: p("SELECT data FROM entries WHERE customer_id = ? AND status IN ('active', 'converted') ORDER BY campaign"),
  addTimer: p("INSERT OR REPLACE INTO timers (id, due_at, campaign, customer_id, kind, data) VALUES (?, ?, ?, ?, ?, ?)"),
    deleteTimer: p("DELETE FROM timers WHERE id = ?"),
    dueTimers: p("SELECT data FROM timers WHERE due_at <= ? ORDER BY due_at, id LIMIT ?"),
    timersOf: p("SELECT data FROM timers WHERE campaign = ? AND customer_id = ? ORDER BY due_at, id"),
    addContact: p("INSERT INTO contacts (customer_id, at, channel, campaign) VALUES (?, ?, ?, ?)"),
    contactsSince: p("SELECT customer_id AS customerId, at, channel, campaign FROM contacts WHERE customer_id = ? AND at >= ? ORDER BY at"),
    capacityUsed: p("SELECT used FROM capacity WHERE channel = ? AND day = ? AND branch = ?"),
    addCapacity: p("INSERT INTO capacity (channel, day, branch, used) VALUES (?, ?, ?, 1) ON CONFLICT (channel, day, branch) DO UPDATE SET used = used + 1"),
    budgetUsed: p("SELECT reserved FROM budget WHERE campaign = ? AND period = ?"),
    reserveBudget: p("INSERT INTO budget (campaign, period, reserved) VALUES (?, ?, ?) ON CONFLICT (campaign, period) DO UPDATE SET reserved = reserved + excluded.reserved"),
    hasPayout: p("SELECT 1 FROM payouts WHERE id = ?"),
    payoutCount: p("SELECT COUNT(*) AS n FROM payouts WHERE campaign = ? AND customer_id = ?"),
    recordPayout: p("INSERT OR IGNORE INTO payouts (id, campaign, customer_id, at) VALUES (?, ?, ?, ?)"),
    optedOut: p("SELECT 1 FROM optouts WHERE customer_id = ? AND (channel = ? OR channel = '*')"),
    optOutsOf: p("SELECT channel FROM optouts WHERE customer_id = ? ORDER BY channel").pluck(),
    addOptOut: p("INSERT OR IGNORE INTO optouts (customer_id, channel, at) VALUES (?, ?, ?)"),
    getProfile: p("SELECT attrs FROM profiles WHERE customer_id = ?"),
    setProfile: p("INSERT INTO profiles (customer_id, attrs) VALUES (?, ?) ON CONFLICT (customer_id) DO UPDATE SET attrs = excluded.attrs"),
    touchOwner: p("SELECT campaign, customer_id AS customerId, wave FROM touch_owners WHERE touch_id = ?"),
    setTouchOwner: p("INSERT OR REPLACE INTO touch_owners (touch_id, campaign, customer_id, wave) VALUES (?, ?, ?, ?)"),
    appendOutbox: p("INSERT INTO outbox (action) VALUES (?)"),
    pendingOutbox: p("SELECT seq, action FROM outbox WHERE acked_at IS NULL ORDER BY seq LIMIT ?"),
    ackOutbox: p("UPDATE outbox SET acked_at = ? WHERE seq = ? AND acked_at IS NULL"),
    allOutbox: p("SELECT seq, action, acked_at AS ackedAt FROM outbox ORDER BY seq"),
    appendJourney: p("INSERT INTO journey (entry) VALUES (?)"),
    journey: p("SELECT entry FROM journey ORDER BY seq"),
    addDead: p("INSERT INTO dead_letters (at, reason, input) VALUES (?, ?, ?)"),
    dead: p("SELECT at, reason, input FROM dead_letters ORDER BY seq"),
  };
}

type Statements = ReturnType<typeof prepareStatements>;

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? "null";
  } catch {
    return JSON.stringify(String(v));
  }
}
