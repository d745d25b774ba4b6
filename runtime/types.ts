/**
 * The runtime's inputs and outputs: what the bank's dispatch service hands
 * in (events, profile updates, touch feedback, opt-outs) and takes out
 * (dispatch actions and benefit payouts from the outbox), plus the journey
 * log every decision writes for audits and dry-runs.
 *
 * All times are epoch milliseconds (UTC). Ids are strings chosen by the
 * caller (inputs) or derived deterministically (outputs).
 */
import type { CustomerRecord, RuntimeValue } from "../compiler/ir/predicate.ts";

/** Something a customer did or that happened to them: `app.login`, `purchase`. */
export interface RuntimeEvent {
  /** Caller's id; an id seen twice is processed once. */
  readonly id: string;
  readonly type: string;
  readonly customerId: string;
  readonly at: number;
  readonly fields: Readonly<Record<string, RuntimeValue>>;
}

/** New values of some attributes of one customer (e.g. AUM after a deposit). */
export interface ProfileUpdate {
  readonly id: string;
  readonly customerId: string;
  readonly at: number;
  readonly attrs: Readonly<Record<string, RuntimeValue>>;
}

/** What the channel reported about a touch that was sent. */
export interface TouchFeedback {
  readonly id: string;
  /** The outbox id of the touch. */
  readonly touchId: string;
  readonly kind: "opened" | "clicked";
  readonly at: number;
}

/** A customer opts out of one channel, or of all contact (`channel: "*"`, do-not-contact). */
export interface OptOut {
  readonly id: string;
  readonly customerId: string;
  readonly channel: string;
  readonly at: number;
}

/** Send this template on this channel to this customer now. */
export interface TouchAction {
  readonly kind: "touch";
  /** Deterministic: campaign, customer, entry, wave. */
  readonly id: string;
  readonly campaign: string;
  readonly customerId: string;
  readonly wave: number;
  readonly channel: string;
  readonly template: string;
  readonly variant?: string;
  readonly at: number;
  readonly cost: number;
}

/** Pay this benefit to this customer. */
export interface PayoutAction {
  readonly kind: "payout";
  /** Deterministic: campaign, customer and the converting event. */
  readonly id: string;
  readonly campaign: string;
  readonly customerId: string;
  readonly benefit: string;
  readonly quantity: number;
  readonly cost: number;
  readonly at: number;
  readonly eventId: string;
}

export type OutboxAction = TouchAction | PayoutAction;

/** An outbox row: an action and its sequence number (the order it was decided in). */
export interface OutboxRow {
  readonly seq: number;
  readonly action: OutboxAction;
  readonly ackedAt?: number;
}

/** Why a touch or entry did not happen. */
export type SuppressionReason =
  | "cap"
  | "policy-cap"
  | "quiet-hours"
  | "opt-out"
  | "do-not-contact"
  | "no-address"
  | "capacity"
  | "budget"
  | "window"
  | "condition"
  | "unless"
  | "holdout";

/** One line of the journey log: every decision, with the rule that made it. */
export interface JourneyEntry {
  readonly kind: "entry" | "touch" | "deferral" | "suppression" | "fallback" | "conversion" | "payout" | "exit" | "skip";
  readonly at: number;
  readonly campaign: string;
  readonly customerId: string;
  readonly wave?: number;
  readonly channel?: string;
  readonly template?: string;
  readonly group?: "treated" | "holdout";
  readonly variant?: string;
  readonly reason?: SuppressionReason | string;
  /** The rule that decided, in words: `policy marketing: 3 per day across all channels`. */
  readonly rule?: string;
  readonly until?: number;
  readonly amount?: number;
}

/** The result of handing in one input. */
export type InputResult =
  | { readonly status: "processed" }
  | { readonly status: "duplicate" }
  | { readonly status: "dead-letter"; readonly reason: string };

/** Looks customers up (by id) and scans them (for batch selection). */
export interface CustomerSource {
  get(id: string): CustomerRecord | undefined;
  /**
   * All customers, in a stable order. A source may pre-filter with `hint` (a compiled SQL audience); the runtime re-checks every one.
   * For a batch occurrence the hint names the campaign and the occurrence's instant `at` (an audience that reads the clock is evaluated then).
   */
  scan(hint?: { readonly campaign: string; readonly at?: number }): Iterable<CustomerRecord>;
  /**
   * Optional: the distinct non-null values of one attribute over all customers, sorted. The batch scheduler uses it,
   * when present, to find the time zones in use (`customer time`) instead of scanning every customer.
   */
  distinctValues?(attribute: string): readonly CustomerRecord["attrs"][string][];
}

/** The only source of time. Logic never reads the wall clock. */
export interface Clock {
  now(): number;
}
