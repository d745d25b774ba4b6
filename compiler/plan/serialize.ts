/**
 * Plans as bytes. A plan file is canonical JSON: object keys sorted by code
 * unit, two-space indentation, absent optional fields left out (never
 * `null`), a trailing newline. The compiler itself is deterministic (catalog
 * parts sorted by name, source order kept elsewhere), so the same sources
 * always give byte-identical plan files, and a diff of two plan files shows
 * exactly what changed for the runtime.
 */
import { canonicalJson, sha256Hex } from "../util/hash.ts";
import type { Plan } from "./types.ts";

/** The canonical text of a plan file. */
export function serializePlan(plan: Plan): string {
  return `${canonicalJson(plan, 2)}\n`;
}

/**
 * The plan without the two hashes of source bytes (`campaign.sourceHash` and
 * `catalog.hash`): what a plan means, independent of how its sources were
 * formatted or commented.
 */
export function planContent(plan: Plan): Omit<Plan, "campaign" | "catalog"> & { campaign: Omit<Plan["campaign"], "sourceHash">; catalog: Omit<Plan["catalog"], "hash"> } {
  const { sourceHash: _s, ...campaign } = plan.campaign;
  const { hash: _h, ...catalog } = plan.catalog;
  return { ...plan, campaign, catalog };
}

/**
 * SHA-256 of the canonical JSON of `planContent(plan)`: equal for two plans
 * exactly when they behave the same, even if their sources differ in
 * whitespace, comments or layout (see spec/plan.md, "Hashes").
 */
export function planContentHash(plan: Plan): string {
  return sha256Hex(canonicalJson(planContent(plan)));
}
