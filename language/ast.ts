/**
 * The abstract syntax tree of .campaign files.
 *
 * Architecture invariant: the AST is syntax only. It records what was
 * written (names as text, literals with their units), never what names mean
 * or what type an expression has; that is the compiler's job. Every node has
 * a span; spans are ignored when comparing trees (see `stripSpans`).
 *
 * A file with syntax errors still yields a tree: parts that could not be
 * parsed are `undefined` (optional fields), so consumers must tolerate gaps.
 */
import type { Span } from "./span.ts";

export interface Node {
  readonly span: Span;
}

/** A name as written: `aum`, `app.login`, `score.wealthPropensity`. */
export interface Ident extends Node {
  readonly kind: "ident";
  readonly name: string;
}

export interface StringLit extends Node {
  readonly kind: "string";
  /** The string's value, escapes resolved. */
  readonly value: string;
}

// ---------------------------------------------------------------- literals

/** Scale suffixes of numbers: `50k`, `2m`, `1bn`, `5万`, `1亿`. */
export type NumberScale = "k" | "m" | "bn" | "万" | "亿";
export type DurationUnit = "minute" | "hour" | "day" | "week" | "month" | "year";
export type Weekday = "monday" | "tuesday" | "wednesday" | "thursday" | "friday" | "saturday" | "sunday";

/** `42`, `0.05`, `50k`, `1.5万`, optionally with a currency code: `100 USD`. */
export interface NumberLit extends Node {
  readonly kind: "number";
  /** The value with the scale applied (`50k` → 50000). */
  readonly value: number;
  readonly raw: string;
  readonly scale?: NumberScale;
  /** An explicit ISO currency code written after the number. */
  readonly currency?: Ident;
}

/** `10%`, stored as a fraction (0.1). */
export interface PercentLit extends Node {
  readonly kind: "percent";
  readonly value: number;
  readonly raw: string;
}

/** `90 days`, `36h`, `2 weeks`. */
export interface DurationLit extends Node {
  readonly kind: "duration";
  readonly amount: number;
  readonly unit: DurationUnit;
  readonly raw: string;
}

/** `2026-12-01`. */
export interface DateLit extends Node {
  readonly kind: "date";
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly raw: string;
}

/** `2026-03-14T09:00`, `2026-03-14T09:00+08:00`, `2026-03-14T09:00[Asia/Shanghai]`. */
export interface DateTimeLit extends Node {
  readonly kind: "datetime";
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  /** `Z` or `+08:00` when written. */
  readonly offset?: string;
  /** IANA zone name when written in brackets. */
  readonly zone?: string;
  readonly raw: string;
}

/** `09:00`, `21:30:00`. */
export interface TimeLit extends Node {
  readonly kind: "time";
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly raw: string;
}

export interface BoolLit extends Node {
  readonly kind: "bool";
  readonly value: boolean;
}

/** `today`, `tomorrow`, `yesterday`, `now`. */
export interface RelativeDayLit extends Node {
  readonly kind: "relativeDay";
  readonly day: "today" | "tomorrow" | "yesterday" | "now";
}

export type Literal =
  | NumberLit
  | PercentLit
  | DurationLit
  | DateLit
  | DateTimeLit
  | TimeLit
  | StringLit
  | BoolLit
  | RelativeDayLit;

// ------------------------------------------------------------- expressions

export type CompareOp = "=" | "!=" | "<" | "<=" | ">" | ">=";
export type ArithOp = "+" | "-" | "*" | "/";

export interface RefExpr extends Node {
  readonly kind: "ref";
  readonly name: Ident;
}
export interface GroupExpr extends Node {
  readonly kind: "group";
  readonly expr?: Expr;
}
export interface LogicalExpr extends Node {
  readonly kind: "logical";
  readonly op: "and" | "or";
  readonly left: Expr;
  readonly right?: Expr;
}
export interface NotExpr extends Node {
  readonly kind: "not";
  readonly operand?: Expr;
}
export interface CompareExpr extends Node {
  readonly kind: "compare";
  readonly op: CompareOp;
  readonly left: Expr;
  readonly right?: Expr;
}
export interface ArithExpr extends Node {
  readonly kind: "arith";
  readonly op: ArithOp;
  readonly left: Expr;
  readonly right?: Expr;
}
export interface NegateExpr extends Node {
  readonly kind: "negate";
  readonly operand?: Expr;
}
/** `50% of aum`. */
export interface PercentOfExpr extends Node {
  readonly kind: "percentOf";
  readonly percent: PercentLit;
  readonly operand?: Expr;
}
/** `aum between 10k and 200k`, `age not between 18 and 25`. */
export interface BetweenExpr extends Node {
  readonly kind: "between";
  readonly subject: Expr;
  readonly negated: boolean;
  readonly low?: Expr;
  readonly high?: Expr;
}
/** `risk in (R2, R3)`, `risk not in (R5)`. */
export interface InExpr extends Node {
  readonly kind: "in";
  readonly subject: Expr;
  readonly negated: boolean;
  readonly values: readonly Expr[];
}
/** `has payroll`, `has any (a, b)`, `has all (a, b)`, `has none (a, b)`. */
export interface HasExpr extends Node {
  readonly kind: "has";
  readonly mode: "one" | "any" | "all" | "none";
  readonly tags: readonly Ident[];
}
/**
 * Relative time:
 *  - `lastLogin within 90 days`, `within last 90 days`, `maturity within next 7 days`
 *  - `lastLogin more than 90 days ago`, `less than 30 days ago`
 *  - `birthday anniversary is today`, `maturity is tomorrow`
 */
export interface RelativeTimeExpr extends Node {
  readonly kind: "relativeTime";
  readonly subject: Expr;
  readonly form: "within" | "moreThanAgo" | "lessThanAgo" | "isDay";
  /** For `within`: looking back (default) or ahead. */
  readonly direction?: "last" | "next";
  readonly duration?: DurationLit;
  readonly day?: "today" | "tomorrow" | "yesterday";
}
/** `birthday anniversary`: the most recent or next yearly recurrence of a date. */
export interface AnniversaryExpr extends Node {
  readonly kind: "anniversary";
  readonly subject: Expr;
}
/** `x is set`, `x is not set`: whether an attribute has a value. */
export interface IsSetExpr extends Node {
  readonly kind: "isSet";
  readonly subject: Expr;
  readonly negated: boolean;
}
/** `segment high_value`: a named, reusable predicate. */
export interface SegmentRefExpr extends Node {
  readonly kind: "segmentRef";
  readonly name?: Ident;
}
export interface LiteralExpr extends Node {
  readonly kind: "literal";
  readonly value: Literal;
}

export type Expr =
  | RefExpr
  | GroupExpr
  | LogicalExpr
  | NotExpr
  | CompareExpr
  | ArithExpr
  | NegateExpr
  | PercentOfExpr
  | BetweenExpr
  | InExpr
  | HasExpr
  | RelativeTimeExpr
  | AnniversaryExpr
  | IsSetExpr
  | SegmentRefExpr
  | LiteralExpr;

// ----------------------------------------------------------------- periods

/**
 * A cap or budget period:
 *  - calendar: `day`, `week` (ISO week), `month`, optionally `calendar day`
 *    and `in "Zone"`;
 *  - rolling: `rolling 24 hours`, `rolling 7 days`;
 *  - ambiguous: `7 days` (the compiler rejects it and suggests either form).
 */
export interface Period extends Node {
  readonly kind: "period";
  readonly form: "calendar" | "rolling" | "ambiguous";
  readonly unit?: "day" | "week" | "month";
  readonly explicitCalendar?: boolean;
  readonly zone?: StringLit;
  readonly duration?: DurationLit;
}

/** `3 per day`. */
export interface RateLimit extends Node {
  readonly kind: "rateLimit";
  readonly count?: NumberLit;
  readonly period?: Period;
}

/** Which channels a limit counts: all together, each separately, or a list. */
export interface ChannelScope extends Node {
  readonly kind: "channelScope";
  readonly mode: "across" | "each" | "list";
  readonly channels: readonly Ident[];
}

// ----------------------------------------------------------------- catalog

export type TypeRef =
  | { readonly kind: "type"; readonly span: Span; readonly name: "money"; readonly currency?: Ident }
  | { readonly kind: "type"; readonly span: Span; readonly name: "int" | "number" | "string" | "bool" | "date" | "datetime" | "timezone" | "tags" | "score" }
  | { readonly kind: "type"; readonly span: Span; readonly name: "enum"; readonly values: readonly Ident[] };

/** `aum money "管理资产规模"` inside `customer { ... }`, or `amount: money` in an event. */
export interface FieldDecl extends Node {
  readonly kind: "field";
  readonly name: Ident;
  readonly type?: TypeRef;
  readonly label?: StringLit;
}

export interface TimezoneMember extends Node {
  readonly kind: "timezone";
  readonly zone?: StringLit;
}
export interface CurrencyMember extends Node {
  readonly kind: "currency";
  readonly code?: Ident;
}
export interface CustomerMember extends Node {
  readonly kind: "customer";
  readonly fields: readonly FieldDecl[];
}
export interface TagMember extends Node {
  readonly kind: "tag";
  readonly name?: Ident;
  readonly label?: StringLit;
}
export interface EventMember extends Node {
  readonly kind: "event";
  readonly name?: Ident;
  readonly label?: StringLit;
  readonly fields: readonly FieldDecl[];
  /** `value 1% of amount`: what a conversion on this event is worth to the bank. */
  readonly value?: Expr;
}
/** `22:00-08:00`. */
export interface TimeRange extends Node {
  readonly kind: "timeRange";
  readonly from?: TimeLit;
  readonly to?: TimeLit;
}
export type ChannelProp =
  | { readonly kind: "cost"; readonly span: Span; readonly amount?: NumberLit }
  | { readonly kind: "quiet"; readonly span: Span; readonly ranges: readonly TimeRange[] }
  | { readonly kind: "capacity"; readonly span: Span; readonly count?: NumberLit; readonly perBranch: boolean }
  | { readonly kind: "address"; readonly span: Span; readonly attribute?: Ident }
  | { readonly kind: "optout"; readonly span: Span; readonly tag?: Ident };
export interface ChannelMember extends Node {
  readonly kind: "channel";
  readonly name?: Ident;
  readonly label?: StringLit;
  readonly props: readonly ChannelProp[];
}
export interface BenefitMember extends Node {
  readonly kind: "benefit";
  readonly name?: Ident;
  readonly label?: StringLit;
  readonly cost?: NumberLit;
  /** `cost 0.01 each`: the cost is per unit (points) rather than per payout. */
  readonly perUnit: boolean;
}
/** `at most 3 per day, 5 per week across all channels`. */
export interface PolicyLimitRule extends Node {
  readonly kind: "policyLimit";
  readonly limits: readonly RateLimit[];
  readonly scope?: ChannelScope;
}
/** `exclude has dnc`: customers no campaign under this policy may contact. */
export interface PolicyExcludeRule extends Node {
  readonly kind: "policyExclude";
  readonly condition?: Expr;
}
export interface PolicyMember extends Node {
  readonly kind: "policy";
  readonly name?: Ident;
  readonly rules: readonly (PolicyLimitRule | PolicyExcludeRule)[];
}
/** `segment high_value "高价值" = aum >= 500k`. */
export interface SegmentDecl extends Node {
  readonly kind: "segment";
  readonly name?: Ident;
  readonly label?: StringLit;
  readonly condition?: Expr;
}

export type CatalogMember =
  | TimezoneMember
  | CurrencyMember
  | CustomerMember
  | TagMember
  | EventMember
  | ChannelMember
  | BenefitMember
  | PolicyMember
  | SegmentDecl;

export interface CatalogDecl extends Node {
  readonly kind: "catalog";
  readonly name?: Ident;
  readonly label?: StringLit;
  readonly members: readonly CatalogMember[];
}

/** `segments common { segment ... }`: a shared library of segments. */
export interface SegmentsDecl extends Node {
  readonly kind: "segments";
  readonly name?: Ident;
  readonly uses: readonly UsesClause[];
  readonly segments: readonly SegmentDecl[];
}

// ---------------------------------------------------------------- campaign

export interface UsesClause extends Node {
  readonly kind: "uses";
  readonly what: "catalog" | "segments";
  readonly name?: Ident;
}
export interface WindowClause extends Node {
  readonly kind: "window";
  readonly start?: DateLit | DateTimeLit;
  readonly end?: DateLit | DateTimeLit;
}
export interface PriorityClause extends Node {
  readonly kind: "priority";
  readonly value?: NumberLit;
}
export interface AudienceClause extends Node {
  readonly kind: "audience";
  readonly condition?: Expr;
}
export interface ExcludeClause extends Node {
  readonly kind: "exclude";
  readonly condition?: Expr;
}
/** Where a schedule's clock time is read: the bank's zone, each customer's, or a named zone. */
export interface ZoneSpec extends Node {
  readonly kind: "zoneSpec";
  readonly mode: "customer" | "bank" | "named";
  readonly zone?: StringLit;
}
export interface Recurrence extends Node {
  readonly kind: "recurrence";
  readonly every: "day" | "weekday" | "week" | "month";
  readonly weekdays: readonly Weekday[];
  /** For `every month on day N`. */
  readonly dayOfMonth?: NumberLit;
}
/** `once at 2026-12-01T09:00` or `every day at 09:00 customer time`. */
export interface BatchTrigger extends Node {
  readonly kind: "batch";
  readonly once?: DateLit | DateTimeLit;
  readonly recurrence?: Recurrence;
  readonly times: readonly TimeLit[];
  readonly zone?: ZoneSpec;
}
/** `and no app.login within 3 days`. */
export interface AbsencePattern extends Node {
  readonly kind: "absence";
  readonly event?: Ident;
  readonly condition?: Expr;
  readonly within?: DurationLit;
}
/** `on payroll.credited where amount >= 5k and no app.login within 3 days`. */
export interface EventTrigger extends Node {
  readonly kind: "event";
  readonly event?: Ident;
  readonly condition?: Expr;
  readonly absence?: AbsencePattern;
}
/** `once per customer` or `again after 30 days`. */
export interface EntryRule extends Node {
  readonly kind: "entry";
  readonly mode: "once" | "again";
  readonly coolDown?: DurationLit;
}
export interface TriggerClause extends Node {
  readonly kind: "trigger";
  readonly trigger?: BatchTrigger | EventTrigger;
  readonly entry?: EntryRule;
}
/** When the attribution window starts counting. */
export type GoalAnchor = "entry" | "first touch";
export interface EventGoal extends Node {
  readonly kind: "eventGoal";
  readonly event?: Ident;
  readonly condition?: Expr;
}
/** `aum up by at least 10k`, `aum down by 5k`, `tier becomes ...` is not supported. */
export interface ChangeGoal extends Node {
  readonly kind: "changeGoal";
  readonly attribute?: Ident;
  readonly direction: "up" | "down";
  readonly atLeast: boolean;
  readonly amount?: Expr;
}
export interface GoalClause extends Node {
  readonly kind: "goal";
  readonly goal?: EventGoal | ChangeGoal;
  readonly within?: DurationLit;
  readonly anchor?: GoalAnchor;
}
/** `exit on complaint.filed`, `exit when has complaint_90d`. */
export interface ExitClause extends Node {
  readonly kind: "exit";
  readonly event?: Ident;
  readonly condition?: Expr;
}
/** A template: one name, or one per variant (`{ a "x", b "y" }`). */
export interface TemplateRef extends Node {
  readonly kind: "template";
  readonly name?: StringLit;
  readonly perVariant: readonly { readonly variant: Ident; readonly name?: StringLit; readonly span: Span }[];
}
/** `sms "wealth_sms_1"`. */
export interface Touch extends Node {
  readonly kind: "touch";
  readonly channel?: Ident;
  readonly template?: TemplateRef;
}
export type WaveModifier =
  | { readonly kind: "now"; readonly span: Span }
  | { readonly kind: "after"; readonly span: Span; readonly delay?: DurationLit; readonly at?: TimeLit }
  | { readonly kind: "atTime"; readonly span: Span; readonly at?: TimeLit }
  | { readonly kind: "unless"; readonly span: Span; readonly what: "converted" | "opened" | "clicked"; readonly wave?: NumberLit }
  | { readonly kind: "only"; readonly span: Span; readonly condition?: Expr };
/** `2. sms "x" after 2 days unless converted else app_push "y"`. */
export interface WaveDecl extends Node {
  readonly kind: "wave";
  readonly number?: NumberLit;
  readonly touch?: Touch;
  readonly modifiers: readonly WaveModifier[];
  readonly fallbacks: readonly Touch[];
}
export interface WavesClause extends Node {
  readonly kind: "waves";
  readonly waves: readonly WaveDecl[];
}
/** `points 2000 when amount >= 50k`. */
export interface BenefitTier extends Node {
  readonly kind: "benefitTier";
  readonly benefit?: Ident;
  readonly quantity?: Expr;
  readonly condition?: Expr;
}
export interface BenefitClause extends Node {
  readonly kind: "benefitClause";
  readonly tiers: readonly BenefitTier[];
  /** `once per customer` (default), `at most N per customer`, or `every time`. */
  readonly limit?: { readonly span: Span; readonly mode: "once" | "atMost" | "everyTime"; readonly count?: NumberLit };
}
/** `cap 1 per day, 2 per week on sms`. */
export interface CapClause extends Node {
  readonly kind: "cap";
  readonly limits: readonly RateLimit[];
  readonly scope?: ChannelScope;
}
/** `when capped: defer`. */
export interface CappedClause extends Node {
  readonly kind: "capped";
  readonly action?: "drop" | "defer" | "next channel";
}
export interface BudgetLimit extends Node {
  readonly kind: "budgetLimit";
  readonly amount?: NumberLit;
  /** Absent for `total`. */
  readonly period?: Period;
}
export interface Pacing extends Node {
  readonly kind: "pacing";
  readonly mode: "even" | "curve";
  readonly curve: readonly PercentLit[];
}
export interface BudgetClause extends Node {
  readonly kind: "budget";
  readonly limits: readonly BudgetLimit[];
  readonly pacing?: Pacing;
  readonly whenSpent?: { readonly span: Span; readonly stop: "benefits" | "entry" | "all" };
}
export interface HoldoutClause extends Node {
  readonly kind: "holdout";
  readonly share?: PercentLit;
  readonly salt?: StringLit;
}
export interface VariantDecl extends Node {
  readonly kind: "variant";
  readonly name?: Ident;
  readonly weight?: PercentLit;
}
export interface VariantsClause extends Node {
  readonly kind: "variants";
  readonly variants: readonly VariantDecl[];
  readonly salt?: StringLit;
}
export interface PolicyClause extends Node {
  readonly kind: "policyRef";
  readonly name?: Ident;
}

// ------------------------------------------------------------------- tests

/** `tier premium`, `tags [payroll, staff]`, `aum 50k` inside a `given customer`. */
export interface TestValue extends Node {
  readonly kind: "testValue";
  readonly value?: Literal | Ident | { readonly kind: "list"; readonly span: Span; readonly items: readonly (Literal | Ident)[] };
}
export interface TestAssignment extends Node {
  readonly kind: "assign";
  readonly name: Ident;
  readonly value?: TestValue;
}
export interface GivenStep extends Node {
  readonly kind: "given";
  readonly customer?: Ident;
  readonly assignments: readonly TestAssignment[];
}
/** `at 2026-12-02T10:00`: run everything due up to this time. */
export interface AtStep extends Node {
  readonly kind: "at";
  readonly time?: DateTimeLit | DateLit;
}
/** `event app.login for c1 at 2026-12-02T10:00 { device ios }`. */
export interface EventStep extends Node {
  readonly kind: "eventStep";
  readonly event?: Ident;
  readonly customer?: Ident;
  readonly at?: DateTimeLit;
  readonly assignments: readonly TestAssignment[];
}
/** `update c1 at 2026-12-05T00:00 { aum 80k }`: a profile update. */
export interface UpdateStep extends Node {
  readonly kind: "update";
  readonly customer?: Ident;
  readonly at?: DateTimeLit;
  readonly assignments: readonly TestAssignment[];
}
/**
 * `expect sms "x" to c1 at T`, `expect no sms to c1`, `expect nothing to c1`,
 * `expect benefit points 2000 to c1`.
 */
export interface ExpectStep extends Node {
  readonly kind: "expect";
  readonly negated: boolean;
  readonly what: "touch" | "benefit" | "nothing";
  /** Channel for a touch, benefit name for a benefit; absent for any touch. */
  readonly target?: Ident;
  readonly template?: StringLit;
  readonly quantity?: NumberLit;
  readonly customer?: Ident;
  readonly at?: DateTimeLit;
}
export type TestStep = GivenStep | AtStep | EventStep | UpdateStep | ExpectStep;
export interface TestClause extends Node {
  readonly kind: "test";
  readonly title?: StringLit;
  readonly steps: readonly TestStep[];
}

export type CampaignClause =
  | UsesClause
  | WindowClause
  | PriorityClause
  | AudienceClause
  | ExcludeClause
  | TriggerClause
  | GoalClause
  | ExitClause
  | WavesClause
  | BenefitClause
  | CapClause
  | CappedClause
  | BudgetClause
  | HoldoutClause
  | VariantsClause
  | PolicyClause
  | SegmentDecl
  | TestClause;

export interface CampaignDecl extends Node {
  readonly kind: "campaign";
  readonly name?: Ident;
  readonly label?: StringLit;
  readonly clauses: readonly CampaignClause[];
}

export type TopDecl = CatalogDecl | CampaignDecl | SegmentsDecl;

/** A comment kept for the formatter. */
export interface Comment {
  readonly text: string;
  readonly span: Span;
  readonly block: boolean;
}

export interface SourceFile extends Node {
  readonly kind: "file";
  readonly decls: readonly TopDecl[];
  readonly comments: readonly Comment[];
}
