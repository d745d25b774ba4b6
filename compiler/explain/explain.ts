/**
 * Why a customer is in or out of a campaign: the audience (and, given an
 * event, the trigger condition) evaluated by the reference interpreter with a
 * trace, rendered as an indented tree with each clause's values and ✓/✗, and
 * a final IN/OUT line. Used by `campaign explain` and by the editor.
 */
import type { CustomerRecord, EvalContext, EventFields } from "../ir/predicate.ts";
import type { Plan } from "../plan/types.ts";
import { trace, type TraceNode } from "../interp/interpret.ts";
import { showInstant } from "../time/resolve.ts";
import type { RecordProblem } from "../data/customerRecord.ts";

/** The explanation of one customer against one campaign at one instant. */
export interface Explanation {
  readonly campaign: string;
  readonly customer: string;
  /** Evaluation instant, epoch ms, and the zone relative time was read in. */
  readonly at: number;
  readonly zone: string;
  readonly audience: TraceNode;
  /** The trigger condition on the given event, when an event was given. */
  readonly trigger?: { readonly event: string; readonly trace: TraceNode };
  /** In the audience (and, with an event, the trigger condition holds). */
  readonly result: "IN" | "OUT";
  /** Problems with the customer or event data (the values concerned were treated as missing). */
  readonly problems: readonly RecordProblem[];
}

/**
 * Explains `customer` (and an event's `fields`, for event-triggered campaigns)
 * against a campaign's plan at `ctx.now`. `ctx.zone` should be the catalog's zone.
 */
export function explain(plan: Plan, customer: CustomerRecord, fields: EventFields | undefined, ctx: EvalContext, problems: readonly RecordProblem[] = []): Explanation {
  const audience = trace(plan.audience, customer, undefined, ctx);
  const trigger = fields !== undefined && plan.trigger.kind === "event" ? { event: plan.trigger.event, trace: trace(plan.trigger.condition, customer, fields, ctx) } : undefined;
  const inside = audience.result && (trigger?.trace.result ?? true);
  return {
    campaign: plan.campaign.id,
    customer: customer.id,
    at: ctx.now,
    zone: ctx.zone,
    audience,
    ...(trigger ? { trigger } : {}),
    result: inside ? "IN" : "OUT",
    problems,
  };
}

const MARK = (ok: boolean): string => (ok ? "✓" : "✗");

function valuesText(n: TraceNode): string {
  // A tag clause reads only the tag: the ✓/✗ already says whether the customer has it.
  if (n.kind === "tag" || n.values.length === 0) return "";
  return `  (${n.values.map((v) => `${v.name} = ${v.shown}`).join(", ")})`;
}

function renderNode(n: TraceNode, depth: number, out: string[]): void {
  out.push(`${"  ".repeat(depth)}${MARK(n.result)} ${n.label}${valuesText(n)}`);
  for (const c of n.children) renderNode(c, depth + 1, out);
}

/** The explanation as indented text, ending with the IN/OUT line. */
export function renderExplanation(e: Explanation): string {
  const out: string[] = [];
  out.push(`campaign ${e.campaign}, customer ${e.customer}, at ${showInstant(e.at, e.zone)} (${e.zone})`);
  out.push("");
  out.push(`audience ${MARK(e.audience.result)}`);
  renderNode(e.audience, 1, out);
  if (e.trigger) {
    out.push("");
    out.push(`trigger on ${e.trigger.event} ${MARK(e.trigger.trace.result)}`);
    renderNode(e.trigger.trace, 1, out);
  }
  if (e.problems.length > 0) {
    out.push("");
    out.push("problems in the data (these values were treated as missing):");
    for (const p of e.problems) out.push(`  ${p.attribute}: ${p.message}`);
  }
  out.push("");
  const why = e.result === "IN" ? (e.trigger ? "in the audience, and the trigger condition holds" : "in the audience") : !e.audience.result ? "not in the audience" : "in the audience, but the trigger condition does not hold";
  out.push(`${e.result}: customer ${e.customer} is ${why}`);
  return `${out.join("\n")}\n`;
}
