/**
 * Customer data and event payloads as JSON (what `campaign explain` and test
 * fixtures read) converted to the records the predicate backends evaluate.
 *
 * A customer is a JSON object: `id` (a string; optional), each attribute under
 * its catalog name, and tags under the name of the catalog's `tags` attribute
 * (or `tags`) as an array of strings. Values by attribute type:
 *   money, int, number, score  a JSON number (int: a whole number)
 *   string, enum, timezone     a string (enum: one of its values; timezone: an IANA zone)
 *   bool                       true or false
 *   date                       "YYYY-MM-DD"
 *   datetime                   an ISO 8601 string ("2026-11-20T10:00", read in the
 *                              catalog zone unless it has an offset or `Z`), or epoch ms
 *   null                       missing
 * Anything else is reported as a problem naming the attribute, and the value is
 * left out (missing), so one bad value does not hide the rest of the record.
 */
import { IANAZone } from "luxon";
import type { CustomerRecord, EventFields, RuntimeValue } from "../ir/predicate.ts";
import type { AttributeTypePlan, CatalogPlan, FieldPlan } from "../plan/types.ts";
import { isCalendarDate, parseInstant } from "../time/resolve.ts";

/** One thing wrong with the input, naming the attribute (or field) it concerns. */
export interface RecordProblem {
  readonly attribute: string;
  readonly message: string;
}

export interface ConvertedRecord {
  readonly record: CustomerRecord;
  readonly problems: RecordProblem[];
}

export interface ConvertedFields {
  readonly fields: EventFields;
  readonly problems: RecordProblem[];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function describeJson(v: unknown): string {
  if (Array.isArray(v)) return "an array";
  if (v === null) return "null";
  if (typeof v === "object") return "an object";
  if (typeof v === "string") return `the string ${JSON.stringify(v)}`;
  return `${typeof v} ${String(v)}`;
}

/** Converts one JSON value to an attribute's runtime value, or returns the reason it does not fit. */
export function convertValue(type: AttributeTypePlan, raw: unknown, zone: string): { value: RuntimeValue } | { problem: string } {
  if (raw === null) return { value: null };
  switch (type.t) {
    case "money":
    case "number":
    case "score":
    case "int":
      if (typeof raw !== "number" || !Number.isFinite(raw)) return { problem: `expected a number (${type.t}), got ${describeJson(raw)}` };
      if (type.t === "int" && !Number.isInteger(raw)) return { problem: `expected a whole number (int), got ${raw}` };
      return { value: raw };
    case "string":
      return typeof raw === "string" ? { value: raw } : { problem: `expected a string, got ${describeJson(raw)}` };
    case "enum":
      if (typeof raw !== "string") return { problem: `expected one of ${type.values.join(", ")}, got ${describeJson(raw)}` };
      return type.values.includes(raw) ? { value: raw } : { problem: `\`${raw}\` is not one of ${type.values.join(", ")}` };
    case "timezone":
      if (typeof raw !== "string") return { problem: `expected a time zone name, got ${describeJson(raw)}` };
      return IANAZone.isValidZone(raw) ? { value: raw } : { problem: `\`${raw}\` is not a known time zone` };
    case "bool":
      return typeof raw === "boolean" ? { value: raw } : { problem: `expected true or false, got ${describeJson(raw)}` };
    case "date":
      if (typeof raw !== "string" || !isCalendarDate(raw)) return { problem: `expected a date "YYYY-MM-DD", got ${describeJson(raw)}` };
      return { value: raw };
    case "datetime": {
      if (typeof raw !== "string" && typeof raw !== "number") return { problem: `expected a date-time (ISO 8601 or epoch ms), got ${describeJson(raw)}` };
      const ms = parseInstant(raw, zone);
      return ms === undefined ? { problem: `expected a date-time (ISO 8601 or epoch ms), got ${describeJson(raw)}` } : { value: ms };
    }
    case "tags":
      return { problem: "tags are a list, not a value" };
  }
}

/** Converts a customer JSON object for a catalog; see the module comment for the format. */
export function toCustomerRecord(catalog: Pick<CatalogPlan, "attributes" | "tags" | "zone">, json: unknown): ConvertedRecord {
  const problems: RecordProblem[] = [];
  const attrs = Object.create(null) as Record<string, RuntimeValue>;
  const tags = new Set<string>();
  const byName = new Map<string, FieldPlan>(catalog.attributes.map((a) => [a.name, a]));
  const tagAttributes = new Set(catalog.attributes.filter((a) => a.type.t === "tags").map((a) => a.name));
  if (tagAttributes.size === 0) tagAttributes.add("tags");
  const knownTags = new Set(catalog.tags.map((t) => t.name));
  let id = "customer";
  if (!isObject(json)) {
    problems.push({ attribute: "(customer)", message: `a customer is a JSON object of attributes, got ${describeJson(json)}` });
    return { record: { id, attrs, tags }, problems };
  }
  for (const key of Object.keys(json)) {
    const raw = json[key];
    if (tagAttributes.has(key)) {
      if (!Array.isArray(raw) || raw.some((t) => typeof t !== "string")) {
        problems.push({ attribute: key, message: `expected a list of tag names, got ${describeJson(raw)}` });
        continue;
      }
      for (const t of raw as string[]) {
        tags.add(t);
        if (!knownTags.has(t)) problems.push({ attribute: key, message: `\`${t}\` is not a tag of the catalog` });
      }
      continue;
    }
    const attr = byName.get(key);
    if (!attr) {
      if (key === "id") {
        if (typeof raw === "string") id = raw;
        else problems.push({ attribute: "id", message: `the customer id is a string, got ${describeJson(raw)}` });
        continue;
      }
      problems.push({ attribute: key, message: `\`${key}\` is not an attribute of the catalog` });
      continue;
    }
    const c = convertValue(attr.type, raw, catalog.zone);
    if ("problem" in c) problems.push({ attribute: key, message: c.problem });
    else attrs[key] = c.value;
  }
  return { record: { id, attrs, tags }, problems };
}

/** Converts an event payload JSON object for an event type's fields (same value formats as attributes). */
export function toEventFields(fields: readonly FieldPlan[], json: unknown, zone: string): ConvertedFields {
  const problems: RecordProblem[] = [];
  const out = Object.create(null) as Record<string, RuntimeValue>;
  if (!isObject(json)) {
    problems.push({ attribute: "(event)", message: `an event is a JSON object of fields, got ${describeJson(json)}` });
    return { fields: out, problems };
  }
  const byName = new Map<string, FieldPlan>(fields.map((f) => [f.name, f]));
  for (const key of Object.keys(json)) {
    const f = byName.get(key);
    if (!f) {
      problems.push({ attribute: key, message: `\`${key}\` is not a field of the event` });
      continue;
    }
    const c = convertValue(f.type, json[key], zone);
    if ("problem" in c) problems.push({ attribute: key, message: c.problem });
    else out[key] = c.value;
  }
  return { fields: out, problems };
}
