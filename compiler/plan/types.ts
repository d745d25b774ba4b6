/**
 * The executable plan: everything the runtime needs to run one campaign,
 * normalised, as JSON-ready data. The zod schema in ./schema.ts validates it
 * (and is checked against these types at compile time); spec/plan.schema.json
 * is exported from that schema.
 *
 * Architecture invariant: the runtime depends on these types and the schema
 * only, never on the AST. Times are epoch milliseconds (UTC); clock times
 * are "HH:MM" strings read in a stated zone; durations are calendar shifts.
 */
import type { Pred, Shift, ValueExpr } from "../ir/predicate.ts";

export const PLAN_VERSION = 1 as const;

export type AttributeTypePlan =
  | { readonly t: "money"; readonly currency: string }
  | { readonly t: "int" | "number" | "score" | "string" | "bool" | "date" | "datetime" | "timezone" | "tags" }
  | { readonly t: "enum"; readonly values: readonly string[] };

export interface FieldPlan {
  readonly name: string;
  readonly type: AttributeTypePlan;
  readonly label?: string;
}

export type PeriodPlan =
  | { readonly kind: "calendar"; readonly unit: "day" | "week" | "month"; readonly zone: string }
  | { readonly kind: "rolling"; readonly amount: number; readonly unit: "minute" | "hour" | "day" | "week" };

export type ChannelScopePlan = { readonly mode: "across" } | { readonly mode: "each" } | { readonly mode: "list"; readonly channels: readonly string[] };

export interface RateLimitPlan {
  readonly count: number;
  readonly period: PeriodPlan;
  readonly scope: ChannelScopePlan;
}

export interface ChannelPlan {
  readonly name: string;
  readonly label?: string;
  readonly cost: number;
  readonly quiet: readonly { readonly from: string; readonly to: string }[];
  readonly capacityPerDay?: number;
  readonly capacityPerBranch?: number;
  readonly address?: string;
  readonly optoutTag?: string;
}

export interface BenefitTypePlan {
  readonly name: string;
  readonly label?: string;
  readonly cost: number;
  readonly perUnit: boolean;
}

export interface PolicyPlan {
  readonly name: string;
  readonly limits: readonly RateLimitPlan[];
  readonly exclude?: Pred;
}

export interface EventTypePlan {
  readonly name: string;
  readonly label?: string;
  readonly fields: readonly FieldPlan[];
  readonly value?: ValueExpr;
}

/** The parts of the catalog a runtime needs, embedded so a plan stands alone. */
export interface CatalogPlan {
  readonly name: string;
  readonly hash: string;
  readonly zone: string;
  readonly currency: string;
  readonly customerZoneAttribute?: string;
  readonly branchAttribute?: string;
  readonly attributes: readonly FieldPlan[];
  readonly tags: readonly { readonly name: string; readonly label?: string }[];
  readonly events: readonly EventTypePlan[];
  readonly channels: readonly ChannelPlan[];
  readonly benefits: readonly BenefitTypePlan[];
  readonly policies: readonly PolicyPlan[];
}

export type ZonePlan = { readonly mode: "bank" } | { readonly mode: "customer" } | { readonly mode: "named"; readonly zone: string };

export type TriggerPlan =
  | {
      readonly kind: "event";
      readonly event: string;
      readonly condition: Pred;
      readonly absence?: { readonly event: string; readonly condition: Pred; readonly within: Shift };
    }
  | {
      readonly kind: "batch";
      /** A one-off run at this instant (its `times` are then empty). */
      readonly once?: number;
      readonly recurrence?: { readonly every: "day" | "weekday" | "week" | "month"; readonly weekdays: readonly number[]; readonly dayOfMonth?: number };
      /** Local clock times of the runs, "HH:MM", in `zone`. */
      readonly times: readonly string[];
      readonly zone: ZonePlan;
    };

export type EntryPlan = { readonly mode: "once" } | { readonly mode: "again"; readonly coolDown: Shift };

export type GoalPlan =
  | { readonly kind: "event"; readonly event: string; readonly condition: Pred; readonly within: Shift; readonly anchor: "entry" | "first touch" }
  | {
      readonly kind: "change";
      readonly attribute: string;
      readonly direction: "up" | "down";
      /** The least change that counts (always a positive amount). */
      readonly amount: ValueExpr;
      readonly within: Shift;
      readonly anchor: "entry" | "first touch";
    };

export interface ExitPlan {
  /** Exit when this event arrives (and `condition` holds on it); absent: exit when `condition` holds on the customer. */
  readonly event?: string;
  readonly condition: Pred;
}

export interface TouchPlan {
  readonly channel: string;
  /** Template for everyone, or the default when variants are per-variant. */
  readonly template: string;
  /** Per-variant templates, by variant name. */
  readonly variantTemplates?: Readonly<Record<string, string>>;
}

export interface WavePlan {
  /** 1-based position. */
  readonly index: number;
  /** Delay after the previous wave (after entry for the first). */
  readonly delay: Shift;
  /** Then wait until this local clock time ("HH:MM"), if given. */
  readonly at?: string;
  readonly unlessConverted: boolean;
  /** Skip if the touch of these waves (1-based) was opened / clicked. */
  readonly unlessOpened: readonly number[];
  readonly unlessClicked: readonly number[];
  readonly only: Pred;
  /** The touch, then its fallbacks in priority order. */
  readonly touches: readonly TouchPlan[];
}

export interface BenefitTierPlan {
  readonly benefit: string;
  readonly quantity: ValueExpr;
  readonly condition: Pred;
}

export interface BenefitPlan {
  readonly tiers: readonly BenefitTierPlan[];
  readonly limit: { readonly mode: "once" } | { readonly mode: "atMost"; readonly count: number } | { readonly mode: "everyTime" };
}

export interface BudgetPlan {
  readonly total?: number;
  readonly perPeriod: readonly { readonly amount: number; readonly period: PeriodPlan }[];
  readonly pacing: { readonly mode: "none" } | { readonly mode: "even" } | { readonly mode: "curve"; readonly curve: readonly number[] };
  readonly whenSpent: "benefits" | "entry" | "all";
}

export interface Plan {
  readonly planVersion: typeof PLAN_VERSION;
  readonly campaign: {
    readonly id: string;
    readonly label?: string;
    readonly priority: number;
    readonly window: { readonly start: number; readonly end: number; readonly text: string };
    readonly sourceFile: string;
    readonly sourceHash: string;
  };
  readonly catalog: CatalogPlan;
  /** Audience with exclusions folded in (`label` nodes keep their names for explanations). */
  readonly audience: Pred;
  readonly trigger: TriggerPlan;
  readonly entry: EntryPlan;
  readonly goal?: GoalPlan;
  readonly exits: readonly ExitPlan[];
  readonly waves: readonly WavePlan[];
  readonly benefit?: BenefitPlan;
  readonly caps: readonly RateLimitPlan[];
  readonly cappedAction: "drop" | "defer" | "next channel";
  readonly budget?: BudgetPlan;
  readonly holdout: { readonly share: number; readonly salt: string };
  readonly variants?: { readonly salt: string; readonly arms: readonly { readonly name: string; readonly weight: number }[] };
  /** Names of the catalog's contact policies this campaign is subject to. */
  readonly policies: readonly string[];
}
