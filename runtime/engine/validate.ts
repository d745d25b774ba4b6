/**
 * Checks an event against its catalog type before anything is decided. A
 * mismatch sends the event to the dead-letter table with the reason.
 */
import type { AttributeTypePlan, Plan } from "../../compiler/plan/types.ts";
import type { RuntimeEvent } from "../types.ts";
import type { CompiledPlan } from "./compiledPlan.ts";

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Why a value does not fit a type, or undefined when it does (null always fits: it means missing). */
export function valueProblem(value: unknown, type: AttributeTypePlan): string | undefined {
  if (value === null) return undefined;
  switch (type.t) {
    case "money":
    case "number":
    case "score":
      return typeof value === "number" && Number.isFinite(value) ? undefined : `expected a number, got ${show(value)}`;
    case "int":
      return typeof value === "number" && Number.isSafeInteger(value) ? undefined : `expected a whole number, got ${show(value)}`;
    case "string":
    case "timezone":
      return typeof value === "string" ? undefined : `expected a string, got ${show(value)}`;
    case "enum":
      return typeof value === "string" && type.values.includes(value) ? undefined : `expected one of ${type.values.join(", ")}, got ${show(value)}`;
    case "bool":
      return typeof value === "boolean" ? undefined : `expected true or false, got ${show(value)}`;
    case "date":
      return typeof value === "string" && DATE.test(value) ? undefined : `expected a date YYYY-MM-DD, got ${show(value)}`;
    case "datetime":
      return typeof value === "number" && Number.isFinite(value) ? undefined : `expected epoch milliseconds, got ${show(value)}`;
    case "tags":
      return Array.isArray(value) && value.every((x) => typeof x === "string") ? undefined : `expected a list of tags, got ${show(value)}`;
  }
}

function show(v: unknown): string {
  const s = typeof v === "string" ? JSON.stringify(v) : typeof v === "object" ? JSON.stringify(v) ?? String(v) : String(v);
  return s.length > 60 ? s.slice(0, 57) + "..." : s;
}

export function validateEvent(e: RuntimeEvent, plans: readonly CompiledPlan[]): string | undefined {
  if (typeof e.type !== "string" || typeof e.customerId !== "string" || typeof e.id !== "string") return "event needs string `id`, `type` and `customerId`";
  if (typeof e.fields !== "object" || e.fields === null || Array.isArray(e.fields)) return "event `fields` must be an object";
  let declared: Plan["catalog"]["events"][number] | undefined;
  for (const cp of plans) {
    declared = cp.plan.catalog.events.find((x) => x.name === e.type);
    if (declared) break;
  }
  if (!declared) return `unknown event type \`${e.type}\``;
  for (const [name, value] of Object.entries(e.fields)) {
    const f = declared.fields.find((x) => x.name === name);
    if (!f) return `event \`${e.type}\` has no field \`${name}\``;
    const p = valueProblem(value, f.type);
    if (p) return `field \`${name}\` of \`${e.type}\`: ${p}`;
  }
  return undefined;
}
