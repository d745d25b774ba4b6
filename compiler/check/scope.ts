/**
 * What names mean where an expression is checked: the catalog's customer
 * attributes, the fields of the event in context (if any), segments, and
 * fields that are deliberately out of reach with the reason why.
 */
import type { Diagnostic } from "../../language/diagnostics/diagnostic.ts";
import type { AttributeInfo, CatalogModel, SegmentInfo } from "../catalog/model.ts";

export interface Scope {
  readonly catalog: CatalogModel;
  /** Segments visible here: the catalog's, used libraries', and the campaign's own. */
  readonly segments: ReadonlyMap<string, SegmentInfo>;
  /** Event fields readable here (trigger, goal or exit event), by name. */
  readonly fields?: ReadonlyMap<string, AttributeInfo>;
  /** Name of the event those fields belong to, for messages. */
  readonly eventName?: string;
  /** The event in context is unknown (already reported): unresolved names are not reported again. */
  readonly eventUnknown?: boolean;
  /**
   * Fields of other events that are visible in the source but not readable
   * here, with the reason (e.g. a goal event's fields inside a wave condition).
   */
  readonly unreachableFields?: ReadonlyMap<string, string>;
  /** What is being checked, for messages: "audience", "trigger condition", ... */
  readonly context: string;
  /** Whether customer attributes may be read (false in an event's `value`). */
  readonly customerAttributes: boolean;
  readonly diagnostics: Diagnostic[];
  /** Segments being expanded, to report cycles. */
  readonly segmentStack: string[];
}

export function withContext(scope: Scope, patch: Partial<Scope>): Scope {
  return { ...scope, ...patch };
}
