/**
 * Feeds a scenario's input stream into a runtime, step by step, and keeps a
 * log of what the invariant checker needs to know about processing order
 * (where in the outbox each opt-out and each phone change took effect).
 */
import type { RuntimeValue } from "../../../compiler/ir/predicate.ts";
import type { Plan } from "../../../compiler/plan/types.ts";
import { CampaignRuntime } from "../../engine/runtime.ts";
import type { Store } from "../../store/types.ts";
import type { InputResult, OutboxRow } from "../../types.ts";
import { drainUntil, type Scenario, ScenarioCustomers, type Step } from "./scenario.ts";

export interface DriveLog {
  /** Opt-outs processed, with the outbox's highest seq at that moment: later touches must respect them. */
  readonly optOuts: { customerId: string; channel: string; afterSeq: number }[];
  /** Phone changes processed, with the outbox's highest seq at that moment. */
  readonly phones: { customerId: string; hasPhone: boolean; afterSeq: number }[];
  readonly results: (InputResult | number)[];
}

export function newLog(): DriveLog {
  return { optOuts: [], phones: [], results: [] };
}

export function maxSeq(store: Store): number {
  const all = store.allOutbox();
  return all.length > 0 ? (all[all.length - 1] as OutboxRow).seq : 0;
}

export function makeRuntime(plans: readonly Plan[], store: Store, s: Scenario, clock: { now: number }): CampaignRuntime {
  return new CampaignRuntime({ plans, store, clock: { now: () => clock.now }, customers: new ScenarioCustomers(s.customers) });
}

/** Applies step `i`; returns the input's result (or the number of runDue steps for a tick). */
export function applyStep(rt: CampaignRuntime, store: Store, s: Scenario, i: number, step: Step, log: DriveLog | undefined): InputResult | number {
  const cid = (n: number) => s.customers[n]?.id ?? "nobody";
  const id = `s${i}`;
  switch (step.kind) {
    case "tick":
      return rt.runDue(step.at);
    case "login":
      return rt.handleEvent({ id, type: "app.login", customerId: cid(step.customer), at: step.at, fields: { device: step.device } });
    case "purchase":
      return rt.handleEvent({ id, type: "purchase", customerId: cid(step.customer), at: step.at, fields: { amount: step.amount } });
    case "bad":
      return rt.handleEvent({ id, type: "no.such.event", customerId: cid(step.customer), at: step.at, fields: {} });
    case "profile": {
      const attrs: Record<string, RuntimeValue> = {};
      if (step.aum !== undefined) attrs["aum"] = step.aum;
      if (step.phone !== undefined) attrs["phone"] = step.phone ? `139${cid(step.customer)}` : null;
      const r = rt.handleProfileUpdate({ id, customerId: cid(step.customer), at: step.at, attrs });
      if (r.status === "processed" && step.phone !== undefined) log?.phones.push({ customerId: cid(step.customer), hasPhone: step.phone, afterSeq: maxSeq(store) });
      return r;
    }
    case "optout": {
      const r = rt.handleOptOut({ id, customerId: cid(step.customer), channel: step.channel, at: step.at });
      if (r.status === "processed") log?.optOuts.push({ customerId: cid(step.customer), channel: step.channel, afterSeq: maxSeq(store) });
      return r;
    }
    case "feedback": {
      const touches = store.allOutbox().filter((r) => r.action.kind === "touch");
      const touchId = touches.length > 0 ? (touches[step.touch % touches.length] as OutboxRow).action.id : "t_none";
      return rt.handleFeedback({ id, touchId, kind: step.feedback, at: step.at });
    }
  }
}

/** The whole stream, then everything due until nothing more can happen. */
export function driveAll(rt: CampaignRuntime, store: Store, s: Scenario, clock: { now: number }, log?: DriveLog): void {
  s.steps.forEach((step, i) => {
    clock.now = Math.max(clock.now, step.at);
    const r = applyStep(rt, store, s, i, step, log);
    log?.results.push(r);
  });
  rt.runDue(drainUntil(s));
}
