/** Test harness: compile campaign source to plans and run them on a memory store. */
import { DateTime } from "luxon";
import type { CustomerRecord, RuntimeValue } from "../../compiler/ir/predicate.ts";
import type { Plan } from "../../compiler/plan/types.ts";
import { checkProgram } from "../../compiler/program.ts";
import { CampaignRuntime } from "../engine/runtime.ts";
import { MemoryStore } from "../store/memory.ts";
import { SqliteStore } from "../store/sqlite.ts";
import type { Store } from "../store/types.ts";
import type { CustomerSource, OutboxAction } from "../types.ts";

export function compile(...sources: string[]): Plan[] {
  const program = checkProgram(sources.map((text, i) => ({ path: `s${i}.campaign`, text })));
  const errors = program.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) throw new Error(errors.map((d) => `${d.span.line}:${d.span.column} ${d.code} ${d.message}`).join("\n"));
  return program.campaigns.map((c) => c.plan);
}

export class MapCustomers implements CustomerSource {
  readonly map = new Map<string, CustomerRecord>();
  add(id: string, attrs: Record<string, RuntimeValue>, tags: string[] = []): this {
    this.map.set(id, { id, attrs, tags: new Set(tags) });
    return this;
  }
  get(id: string): CustomerRecord | undefined {
    return this.map.get(id);
  }
  *scan(): Iterable<CustomerRecord> {
    for (const k of [...this.map.keys()].sort()) yield this.map.get(k) as CustomerRecord;
  }
}

/** Epoch ms of a local time in a zone (default Shanghai). */
export function t(iso: string, zone = "Asia/Shanghai"): number {
  const d = DateTime.fromISO(iso, { zone });
  if (!d.isValid) throw new Error(`bad time ${iso}`);
  return d.toMillis();
}

/** A local ISO string (minutes) of an epoch ms, for readable assertions. */
export function local(ms: number, zone = "Asia/Shanghai"): string {
  return DateTime.fromMillis(ms, { zone }).toFormat("yyyy-MM-dd'T'HH:mm");
}

let storeKind: "memory" | "sqlite" = "memory";

/** Which store `setup` builds: the scenarios run on both. */
export function useStore(kind: "memory" | "sqlite"): void {
  storeKind = kind;
}

export function setup(plans: Plan[], customers: MapCustomers) {
  const store: Store = storeKind === "memory" ? new MemoryStore() : new SqliteStore(":memory:");
  let now = 0;
  const runtime = new CampaignRuntime({ plans, store, clock: { now: () => now }, customers });
  let seq = 0;
  return {
    runtime,
    store,
    event(type: string, customerId: string, at: number, fields: Record<string, RuntimeValue> = {}, id?: string) {
      now = at;
      runtime.runDue(at - 1);
      return runtime.handleEvent({ id: id ?? `e${++seq}`, type, customerId, at, fields });
    },
    optOut(customerId: string, channel: string, at: number) {
      now = at;
      runtime.runDue(at - 1);
      return runtime.handleOptOut({ id: `o${++seq}`, customerId, channel, at });
    },
    profile(customerId: string, at: number, attrs: Record<string, RuntimeValue>) {
      now = at;
      runtime.runDue(at - 1);
      return runtime.handleProfileUpdate({ id: `p${++seq}`, customerId, at, attrs });
    },
    feedback(touchId: string, kind: "opened" | "clicked", at: number) {
      now = at;
      runtime.runDue(at - 1);
      return runtime.handleFeedback({ id: `f${++seq}`, touchId, kind, at });
    },
    runUntil(at: number) {
      now = at;
      return runtime.runDue(at);
    },
    actions(): OutboxAction[] {
      return store.allOutbox().map((r) => r.action);
    },
    touches(zone = "Asia/Shanghai"): string[] {
      return store
        .allOutbox()
        .map((r) => r.action)
        .filter((a) => a.kind === "touch")
        .map((a) => (a.kind === "touch" ? `${a.customerId} ${a.campaign} w${a.wave} ${a.channel} ${a.template} ${local(a.at, zone)}` : ""));
    },
  };
}
