/**
 * The runtime's durable state, as domain operations. Two implementations
 * share this interface: memory.ts (tests, dry-runs) and sqlite.ts
 * (production, WAL). Everything one decision changes (entries, timers,
 * counters, ledgers, outbox rows, journey lines) happens inside one
 * `transaction` call, so a crash leaves either all of it or none.
 */
import type { RuntimeValue } from "../../compiler/ir/predicate.ts";
import type { JourneyEntry, OutboxAction, OutboxRow } from "../types.ts";

export interface EntryState {
  readonly campaign: string;
  readonly customerId: string;
  /** 1 for the first entry, 2 after a re-entry, ... */
  readonly seq: number;
  readonly enteredAt: number;
  readonly group: "treated" | "holdout";
  readonly variant?: string;
  readonly status: "active" | "converted" | "exited" | "done";
  readonly triggerEventId?: string;
  readonly triggerFields: Readonly<Record<string, RuntimeValue>>;
  /** The goal attribute's value at entry, for change goals. */
  readonly baseline?: number | null;
  readonly firstTouchAt?: number;
  readonly convertedAt?: number;
  /** Touch ids sent, by wave number. */
  readonly touches: Readonly<Record<string, string>>;
  readonly opened: readonly number[];
  readonly clicked: readonly number[];
  /** When the entry stops counting conversions (end of the attribution window), if known. */
  readonly goalDeadline?: number;
}

export interface Timer {
  /** Deterministic id: kind, campaign, customer, entry, wave, attempt. */
  readonly id: string;
  readonly dueAt: number;
  readonly kind: "wave" | "absence" | "goal-deadline";
  readonly campaign: string;
  readonly customerId: string;
  readonly entrySeq: number;
  readonly wave?: number;
  /** For absence timers: the trigger event. */
  readonly event?: { readonly id: string; readonly at: number; readonly fields: Readonly<Record<string, RuntimeValue>> };
  /** How many times this wave was deferred already. */
  readonly attempt: number;
}

export interface ContactRecord {
  readonly customerId: string;
  readonly at: number;
  readonly channel: string;
  readonly campaign: string;
}

export interface Store {
  /** Runs `fn` atomically. Nested calls join the outer transaction. */
  transaction<T>(fn: () => T): T;

  hasSeenInput(id: string): boolean;
  markInputSeen(id: string, at: number): void;
  highWaterMark(): number;
  setHighWaterMark(at: number): void;

  getEntry(campaign: string, customerId: string): EntryState | undefined;
  putEntry(e: EntryState): void;
  /** Active entries of a customer (any campaign), for goals, exits and feedback. */
  activeEntries(customerId: string): EntryState[];
  /** Entries that still count goals: active or converted (their attribution window may still be open). */
  liveEntries(customerId: string): EntryState[];
  /**
   * Optional: every entry of a customer (any campaign, any status), ordered by campaign. A runtime
   * given a store with it reads a customer's entries once per decision instead of once per campaign.
   */
  entriesOf?(customerId: string): EntryState[];

  addTimer(t: Timer): void;
  deleteTimer(id: string): void;
  deleteTimersOf(campaign: string, customerId: string, kinds?: readonly Timer["kind"][]): void;
  /** Timers due at or before `until`, ordered by due time then id; at most `limit`. */
  dueTimers(until: number, limit: number): Timer[];
  timersOf(campaign: string, customerId: string): Timer[];

  addContact(c: ContactRecord): void;
  /** Contacts of a customer at or after `since`, oldest first. */
  contactsSince(customerId: string, since: number): ContactRecord[];

  capacityUsed(channel: string, dayKey: string, branch: string): number;
  addCapacity(channel: string, dayKey: string, branch: string): void;

  /** Budget reserved plus committed for a campaign in a period ("total" for the whole campaign). */
  budgetUsed(campaign: string, periodKey: string): number;
  reserveBudget(campaign: string, periodKey: string, amount: number): void;

  hasPayout(id: string): boolean;
  payoutCount(campaign: string, customerId: string): number;
  recordPayout(id: string, campaign: string, customerId: string, at: number): void;

  /** Opt-outs: a channel name or "*" (do not contact). */
  isOptedOut(customerId: string, channel: string): boolean;
  addOptOut(customerId: string, channel: string, at: number): void;
  /** Optional: the channels (and "*") a customer opted out of, so a decision reads them once. */
  optOutsOf?(customerId: string): string[];

  /** Attribute values from profile updates, layered over the customer source. */
  profileOverrides(customerId: string): Readonly<Record<string, RuntimeValue>> | undefined;
  setProfileOverrides(customerId: string, attrs: Readonly<Record<string, RuntimeValue>>): void;

  /** Last batch occurrence processed for a campaign (and zone), so a restart does not run it twice. */
  batchCursor(key: string): number | undefined;
  setBatchCursor(key: string, at: number): void;

  /** Touch id → entry it belongs to, for feedback. */
  touchOwner(touchId: string): { campaign: string; customerId: string; wave: number } | undefined;
  setTouchOwner(touchId: string, owner: { campaign: string; customerId: string; wave: number }): void;

  appendOutbox(action: OutboxAction): void;
  /** Unacknowledged rows in decision order. */
  pendingOutbox(limit: number): OutboxRow[];
  /** Acknowledging a row twice (or an unknown row) is harmless. */
  ackOutbox(seq: number, at: number): void;
  allOutbox(): OutboxRow[];

  appendJourney(e: JourneyEntry): void;
  journey(): JourneyEntry[];

  addDeadLetter(at: number, reason: string, input: unknown): void;
  deadLetters(): { at: number; reason: string; input: unknown }[];

  close(): void;
}
