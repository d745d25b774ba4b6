/** Small helpers over the predicate IR for the dry-run's pre-filter. */
import { attributesRead, type Pred } from "../../compiler/ir/predicate.ts";

export { attributesRead, type Pred };

/** Whether an atom reads none of `attributes`. */
export function readsNothingOf(atom: Pred, attributes: ReadonlySet<string>): boolean {
  for (const a of attributesRead(atom)) if (attributes.has(a)) return false;
  return true;
}
