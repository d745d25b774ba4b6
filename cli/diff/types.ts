/**
 * The shapes of a `campaign diff` report: what `--json` prints (spec/diff.md
 * documents every field) and what the text renderer reads. Plain data, no
 * functions, so a report is JSON as it stands.
 */

/** A JSON value (plan parts are carried as they are in the plan). */
export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

/** The sections of a plan diff, in the order they are reported. */
export const SECTIONS = [
  "campaign",
  "window",
  "priority",
  "audience",
  "exclusions",
  "trigger",
  "entry",
  "goal",
  "exits",
  "waves",
  "benefits",
  "caps",
  "budget",
  "holdout",
  "variants",
  "policies",
  "catalog",
] as const;

export type SectionName = (typeof SECTIONS)[number];

/**
 * One difference. `item` names what changed ("wave 2 channel", "total"); it
 * is empty for a clause of the audience or exclusions, which the words say
 * on their own. `old`/`new` are plain-language renderings (absent on the
 * side where the item does not exist); `oldValue`/`newValue` are the plan's
 * own JSON for the same part.
 */
export interface Change {
  readonly kind: "added" | "removed" | "changed";
  readonly item: string;
  readonly old?: string;
  readonly new?: string;
  readonly oldValue?: Json;
  readonly newValue?: Json;
}

export interface SectionDiff {
  readonly section: SectionName;
  readonly changes: readonly Change[];
}

/** Customers moving from one group (`treated`, `holdout`) or variant to another. */
export interface Move {
  readonly from: string;
  readonly to: string;
  /** The expected fraction of customers (exact for the stable hash's uniform draw), without data. */
  readonly share: number;
}

export type ReassignmentKind = "holdout-share" | "holdout-salt" | "variant-weights" | "variant-salt";

/** A change that moves already-assigned customers to another group or variant. */
export interface ReassignmentWarning {
  /** Which changes caused it (one warning per kind of assignment: holdout, variants). */
  readonly kinds: readonly ReassignmentKind[];
  readonly assignment: "holdout" | "variant";
  readonly message: string;
  /** Expected moves, as fractions of the customers assigned, largest first. */
  readonly expected: readonly Move[];
  /** The expected fraction of customers that change group (or variant), the sum of `expected`. */
  readonly expectedShare: number;
}

/** Counted moves between groups or variants. */
export interface CountedMove {
  readonly from: string;
  readonly to: string;
  readonly count: number;
}

/** Reach and reassignment counted on a database (`--data`). */
export interface DataComparison {
  /** The instant the audiences were selected at, epoch ms, and as shown. */
  readonly at: number;
  readonly atText: string;
  readonly reach: {
    readonly old: number;
    readonly new: number;
    /** new − old. */
    readonly difference: number;
    readonly both: number;
    readonly onlyOld: number;
    readonly onlyNew: number;
  };
  /** Present when a holdout or variant assignment changes. */
  readonly reassignment?: {
    /**
     * Whose assignment is compared: `entries` (customers of this campaign in
     * the database's `entries` table: already entered) or `audiences`
     * (customers in both the old and the new audience at `at`).
     */
    readonly population: "entries" | "audiences";
    readonly customers: number;
    /** Customers whose holdout group changes, by direction. */
    readonly holdout: readonly CountedMove[];
    readonly holdoutChanged: number;
    /** Customers whose variant changes, by direction (empty unless both plans have variants). */
    readonly variants: readonly CountedMove[];
    readonly variantChanged: number;
  };
}

/** One campaign present on both sides. */
export interface CampaignDiff {
  readonly id: string;
  readonly label?: string;
  /** False when the plans are equal apart from source file names and hashes. */
  readonly changed: boolean;
  readonly sections: readonly SectionDiff[];
  readonly warnings: readonly ReassignmentWarning[];
  /** With `--data`. */
  readonly data?: DataComparison;
  /**
   * Reserved for the dry-run deltas (touches, cost, budget burn), which
   * `campaign diff` will fill once `campaign dry-run` exists; always null now.
   */
  readonly dryRun: null;
}

export interface CampaignRef {
  readonly id: string;
  readonly label?: string;
  readonly file: string;
}

/** The whole report `campaign diff --json` prints. */
export interface DiffReport {
  readonly diffVersion: 1;
  readonly old: { readonly files: readonly string[] };
  readonly new: { readonly files: readonly string[] };
  readonly added: readonly CampaignRef[];
  readonly removed: readonly CampaignRef[];
  readonly campaigns: readonly CampaignDiff[];
  readonly data?: { readonly path: string };
  readonly summary: {
    readonly added: number;
    readonly removed: number;
    readonly changed: number;
    readonly unchanged: number;
    readonly warnings: number;
  };
}
