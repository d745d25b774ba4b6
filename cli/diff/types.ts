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
   * With `--data`, when the dry-run ran: this campaign's dry-run numbers old
   * → new (./dryrun.ts). Null without `--data` or when the dry-run was not
   * run (the report's `dryRun` says why).
   */
  readonly dryRun: CampaignDryRun | null;
}

/** A number on both sides. */
export interface Delta {
  readonly old: number;
  readonly new: number;
  /** new − old (money to the cent). */
  readonly difference: number;
  /** (new − old) / old, a fraction; null when old is 0. */
  readonly relative: number | null;
}

/** A campaign's budget as the dry-run left it (one side). */
export interface BudgetSide {
  /** The budget's total; null when it has only per-period amounts. */
  readonly total: number | null;
  readonly pacing: "none" | "even" | "curve";
  /** Benefit spend over the period. */
  readonly spent: number;
  /** spent / total; null without a total. */
  readonly burn: number | null;
  /** The last day of the period: cumulative spend by its end, the pacing line then, and their ratio. */
  readonly endOfPeriod: {
    readonly day: string | null;
    readonly cumulative: number;
    /** What pacing allows by the end of that day; null without pacing or a total. */
    readonly pacingLine: number | null;
    /** cumulative / pacingLine; null without a line (or a line of 0). */
    readonly ofPacing: number | null;
  };
}

/** One matched campaign's dry-run numbers, old → new. */
export interface CampaignDryRun {
  /** Whether any number differs (or the budget was added, removed, or its total or pacing changed). */
  readonly changed: boolean;
  /** The dry-run's audience size; `definition` per side (batch SQL count, or event-trigger matches). */
  readonly audience: Delta & { readonly definition: { readonly old: AudienceDefinition; readonly new: AudienceDefinition } };
  readonly entries: { readonly total: Delta; readonly treated: Delta; readonly holdout: Delta };
  readonly touches: { readonly total: Delta; readonly byChannel: Readonly<Record<string, Delta>> };
  readonly cost: {
    readonly total: Delta;
    readonly touches: Delta;
    readonly byChannel: Readonly<Record<string, Delta>>;
    readonly benefits: Delta;
    readonly byBenefit: Readonly<Record<string, Delta>>;
  };
  /** Null when neither side has a budget. */
  readonly budget: {
    readonly old: BudgetSide | null;
    readonly new: BudgetSide | null;
    /** Benefit spend (a side without a budget: its benefit cost). */
    readonly spent: Delta;
    /** spent / total, when both sides have a total. */
    readonly burn: Delta | null;
    /** End-of-period cumulative spend / pacing line, when both sides have a line. */
    readonly endOfPeriodOfPacing: Delta | null;
  } | null;
}

export type AudienceDefinition = "batch-sql-count" | "event-trigger-matches";

/** The report-level dry-run part, when both sides were dry-run. */
export interface DryRunSummary {
  readonly ran: true;
  /** The one period both sides ran over (ISO in the catalog's zone, epoch ms, local days). */
  readonly period: { readonly from: string; readonly to: string; readonly fromMs: number; readonly toMs: number; readonly days: number };
  /** Campaigns run on each side (all of them, run together: matched, added and removed). */
  readonly campaigns: { readonly old: number; readonly new: number };
  /** Over every campaign of each side. */
  readonly totals: {
    readonly entries: Delta;
    readonly touches: Delta;
    readonly touchesByChannel: Readonly<Record<string, Delta>>;
    readonly cost: Delta;
    readonly touchCost: Delta;
    readonly costByChannel: Readonly<Record<string, Delta>>;
    readonly benefitCost: Delta;
  };
  /** Each side's dry-run warnings (data catalog, windows outside the period, …). */
  readonly warnings: { readonly old: readonly string[]; readonly new: readonly string[] };
}

/** The report-level dry-run part when it was not run, and why. */
export interface DryRunNotRun {
  readonly ran: false;
  readonly reason: string;
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
  /** With `--data`: the dry-run of both sides, or why it was not run. */
  readonly dryRun?: DryRunSummary | DryRunNotRun;
  readonly summary: {
    readonly added: number;
    readonly removed: number;
    readonly changed: number;
    readonly unchanged: number;
    readonly warnings: number;
  };
}
