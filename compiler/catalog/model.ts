/**
 * The checked catalog: what a campaign's names resolve against. Built from a
 * CatalogDecl by ./build.ts; shared by all campaigns that use the catalog.
 */
import type { CatalogDecl, Expr, SegmentDecl } from "../../language/ast.ts";
import type { Span } from "../../language/span.ts";
import type { Pred, ValueExpr } from "../ir/predicate.ts";
import type { ScalarType } from "../types.ts";

export interface AttributeInfo {
  readonly name: string;
  readonly type: ScalarType;
  readonly label?: string;
  readonly span: Span;
}

export interface TagInfo {
  readonly name: string;
  readonly label?: string;
  readonly span: Span;
}

export interface EventInfo {
  readonly name: string;
  readonly label?: string;
  readonly fields: ReadonlyMap<string, AttributeInfo>;
  /** What one conversion on this event is worth to the bank (for ROI), over its fields. */
  readonly value?: ValueExpr;
  readonly valueExpr?: Expr;
  readonly span: Span;
}

/** A local time-of-day range, `from` inclusive, `to` exclusive; may wrap midnight. */
export interface QuietRange {
  readonly from: string;
  readonly to: string;
}

export interface ChannelInfo {
  readonly name: string;
  readonly label?: string;
  readonly cost: number;
  readonly quiet: readonly QuietRange[];
  readonly capacityPerDay?: number;
  readonly capacityPerBranch?: number;
  /** The attribute that must be set for the customer to be reachable here. */
  readonly address?: string;
  /** The tag that means the customer opted out of this channel. */
  readonly optoutTag?: string;
  readonly span: Span;
}

export interface BenefitInfo {
  readonly name: string;
  readonly label?: string;
  readonly cost: number;
  /** Cost is per unit of quantity (points) rather than per payout. */
  readonly perUnit: boolean;
  readonly span: Span;
}

/** A cap or budget period, normalised. */
export type PeriodModel =
  | { readonly kind: "calendar"; readonly unit: "day" | "week" | "month"; readonly zone: string }
  | { readonly kind: "rolling"; readonly amount: number; readonly unit: "minute" | "hour" | "day" | "week" };

export interface RateLimitModel {
  readonly count: number;
  readonly period: PeriodModel;
  readonly span: Span;
}

/** Which channels a limit counts: all together, each one separately, or the listed ones together. */
export type ChannelScopeModel =
  | { readonly mode: "across" }
  | { readonly mode: "each" }
  | { readonly mode: "list"; readonly channels: readonly string[] };

export interface PolicyInfo {
  readonly name: string;
  readonly limits: readonly (RateLimitModel & { readonly scope: ChannelScopeModel })[];
  /** Customers no campaign under this policy may contact. */
  readonly exclude?: Pred;
  readonly span: Span;
}

export interface SegmentInfo {
  readonly name: string;
  readonly label?: string;
  readonly decl: SegmentDecl;
  /** Where it was declared: the catalog, a segments library or a campaign. */
  readonly origin: string;
}

export interface CatalogModel {
  readonly name: string;
  readonly label?: string;
  readonly file: string;
  readonly zone: string;
  readonly currency: string;
  readonly attributes: ReadonlyMap<string, AttributeInfo>;
  /** The attribute holding each customer's own time zone, if any. */
  readonly customerZoneAttribute?: string;
  /** The attribute of type `tags`, if declared (tags are always available through `has`). */
  readonly tagsAttribute?: string;
  readonly tags: ReadonlyMap<string, TagInfo>;
  readonly events: ReadonlyMap<string, EventInfo>;
  readonly channels: ReadonlyMap<string, ChannelInfo>;
  readonly benefits: ReadonlyMap<string, BenefitInfo>;
  readonly policies: ReadonlyMap<string, PolicyInfo>;
  readonly segments: ReadonlyMap<string, SegmentInfo>;
  /** SHA-256 of the catalog's source text. */
  readonly hash: string;
  readonly decl: CatalogDecl;
}
