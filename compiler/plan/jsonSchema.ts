/**
 * The plan's JSON Schema, exported from the zod schema (./schema.ts) so the
 * two cannot differ. spec/plan.schema.json is this export, committed for
 * consumers that do not use TypeScript; a test fails when the committed file
 * differs from a fresh export. To refresh it after changing the schema:
 *
 *   UPDATE_GOLDEN=1 npx vitest run compiler/tests/plan.test.ts
 */
import { z } from "zod";
import { canonicalJson } from "../util/hash.ts";
import { planSchema } from "./schema.ts";
import { PLAN_VERSION } from "./types.ts";

/** The id spec/plan.schema.json declares for itself. */
export const PLAN_SCHEMA_ID = `https://campaign-lang.dev/spec/plan.v${PLAN_VERSION}.schema.json`;

/** The JSON Schema (draft 2020-12) of a plan, as a plain object. */
export function planJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(planSchema, { target: "draft-2020-12", io: "output", cycles: "ref", reused: "inline", unrepresentable: "throw" }) as Record<string, unknown>;
  return { ...schema, $id: PLAN_SCHEMA_ID };
}

/** spec/plan.schema.json's exact text: canonical JSON, two-space indent, trailing newline. */
export function planJsonSchemaText(): string {
  return `${canonicalJson(planJsonSchema(), 2)}\n`;
}
