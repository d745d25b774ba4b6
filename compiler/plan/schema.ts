/**
 * The zod schema of a plan: what `loadPlan` validates every plan against and
 * what spec/plan.schema.json is exported from (./jsonSchema.ts).
 *
 * The schema and the hand-written types in ./types.ts and ../ir/predicate.ts
 * must not drift. Two compile-time checks enforce it:
 *   - every exported schema is declared `z.ZodType<T>`, so what it accepts
 *     is assignable to the hand-written type `T`;
 *   - the `Same<...>` assertions at the end of the file require the schema's
 *     inferred type (made deeply readonly) to be *identical* to `T`: a field
 *     added, removed, renamed, made optional or given another type on either
 *     side fails `tsc`.
 *
 * Every object is strict: unknown keys are an error, so a plan written by a
 * newer compiler (with fields this runtime does not know) is refused rather
 * than half-understood (see spec/plan.md, "Versioning").
 */
import { z } from "zod";
import type { Pred, Shift, ValueExpr } from "../ir/predicate.ts";
import {
  PLAN_VERSION,
  type AttributeTypePlan,
  type BenefitPlan,
  type BudgetPlan,
  type CatalogPlan,
  type ChannelScopePlan,
  type EntryPlan,
  type ExitPlan,
  type GoalPlan,
  type PeriodPlan,
  type Plan,
  type RateLimitPlan,
  type TouchPlan,
  type TriggerPlan,
  type WavePlan,
  type ZonePlan,
} from "./types.ts";

/** Plan versions this build can read. Only the current one for now. */
export const SUPPORTED_PLAN_VERSIONS: readonly number[] = [PLAN_VERSION];

// ---------------------------------------------------------------- primitives

/** Local clock time "HH:MM" (24:00 allowed, as the end of quiet hours). */
const clockTime = z.string().regex(/^(?:[01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$/, "expected a clock time HH:MM");
/** Lower-case hex SHA-256. */
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, "expected a SHA-256 hex digest (64 lower-case hex digits)");
/** Epoch milliseconds, UTC. */
const epochMs = z.number().int();
const count = z.number().int().nonnegative();
/** A share written as a percentage in the source, stored as a fraction. */
const fraction = z.number().min(0).max(1);
const nonEmpty = z.string().min(1);

// ---------------------------------------------------------------- predicate IR

const rep = z.enum(["number", "string", "bool", "date", "datetime"]);
const timeUnit = z.enum(["minute", "hour", "day", "week", "month", "year"]);

const shiftObject = z.strictObject({ amount: z.number().int(), unit: timeUnit });
export const shiftSchema: z.ZodType<Shift> = shiftObject;

// The recursive schemas are declared first (typed, lazy) so their members can
// refer to them; the unions below are what they evaluate to.
export const valueExprSchema: z.ZodType<ValueExpr> = z.lazy(() => valueExprUnion).meta({ id: "ValueExpr" });
export const predSchema: z.ZodType<Pred> = z.lazy(() => predUnion).meta({ id: "Pred" });

const valueExprUnion = z.discriminatedUnion("k", [
  z.strictObject({ k: z.literal("attr"), name: nonEmpty, rep }),
  z.strictObject({ k: z.literal("field"), name: nonEmpty, rep }),
  z.strictObject({ k: z.literal("const"), value: z.union([z.number(), z.string(), z.boolean()]), rep }),
  z.strictObject({ k: z.literal("arith"), op: z.enum(["+", "-", "*", "/"]), left: valueExprSchema, right: valueExprSchema }),
  z.strictObject({ k: z.literal("neg"), arg: valueExprSchema }),
  z.strictObject({ k: z.literal("time"), anchor: z.enum(["now", "today", "startOfToday"]), shift: shiftObject }),
]);

const predUnion = z.discriminatedUnion("k", [
  z.strictObject({ k: z.literal("true") }),
  z.strictObject({ k: z.literal("false") }),
  z.strictObject({ k: z.literal("and"), args: z.array(predSchema) }),
  z.strictObject({ k: z.literal("or"), args: z.array(predSchema) }),
  z.strictObject({ k: z.literal("not"), arg: predSchema }),
  z.strictObject({ k: z.literal("cmp"), op: z.enum(["=", "!=", "<", "<=", ">", ">="]), left: valueExprSchema, right: valueExprSchema }),
  z.strictObject({ k: z.literal("in"), value: valueExprSchema, set: z.array(z.union([z.string(), z.number()])) }),
  z.strictObject({ k: z.literal("tag"), tag: nonEmpty }),
  z.strictObject({ k: z.literal("set"), value: valueExprSchema }),
  z.strictObject({ k: z.literal("anniversary"), value: valueExprSchema, fromDays: z.number().int(), toDays: z.number().int() }),
  z.strictObject({ k: z.literal("label"), label: z.string(), pred: predSchema }),
]);

// ---------------------------------------------------------------- catalog

const attributeTypeObject = z.discriminatedUnion("t", [
  z.strictObject({ t: z.literal("money"), currency: z.string().regex(/^[A-Z]{3}$/, "expected an ISO 4217 currency code") }),
  z.strictObject({ t: z.enum(["int", "number", "score", "string", "bool", "date", "datetime", "timezone", "tags"]) }),
  z.strictObject({ t: z.literal("enum"), values: z.array(nonEmpty) }),
]);
export const attributeTypeSchema: z.ZodType<AttributeTypePlan> = attributeTypeObject;

const fieldObject = z.strictObject({ name: nonEmpty, type: attributeTypeObject, label: z.string().optional() });

const periodObject = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("calendar"), unit: z.enum(["day", "week", "month"]), zone: nonEmpty }),
  z.strictObject({ kind: z.literal("rolling"), amount: z.number().int().positive(), unit: z.enum(["minute", "hour", "day", "week"]) }),
]);
export const periodSchema: z.ZodType<PeriodPlan> = periodObject;

const channelScopeObject = z.discriminatedUnion("mode", [
  z.strictObject({ mode: z.literal("across") }),
  z.strictObject({ mode: z.literal("each") }),
  z.strictObject({ mode: z.literal("list"), channels: z.array(nonEmpty) }),
]);
export const channelScopeSchema: z.ZodType<ChannelScopePlan> = channelScopeObject;

const rateLimitObject = z.strictObject({ count, period: periodObject, scope: channelScopeObject });
export const rateLimitSchema: z.ZodType<RateLimitPlan> = rateLimitObject;

const catalogObject = z.strictObject({
  name: nonEmpty,
  hash: sha256,
  zone: nonEmpty,
  currency: z.string().regex(/^[A-Z]{3}$/, "expected an ISO 4217 currency code"),
  customerZoneAttribute: nonEmpty.optional(),
  branchAttribute: nonEmpty.optional(),
  attributes: z.array(fieldObject),
  tags: z.array(z.strictObject({ name: nonEmpty, label: z.string().optional() })),
  events: z.array(z.strictObject({ name: nonEmpty, label: z.string().optional(), fields: z.array(fieldObject), value: valueExprSchema.optional() })),
  channels: z.array(
    z.strictObject({
      name: nonEmpty,
      label: z.string().optional(),
      cost: z.number().nonnegative(),
      quiet: z.array(z.strictObject({ from: clockTime, to: clockTime })),
      capacityPerDay: count.optional(),
      capacityPerBranch: count.optional(),
      address: nonEmpty.optional(),
      optoutTag: nonEmpty.optional(),
    }),
  ),
  benefits: z.array(z.strictObject({ name: nonEmpty, label: z.string().optional(), cost: z.number().nonnegative(), perUnit: z.boolean() })),
  policies: z.array(z.strictObject({ name: nonEmpty, limits: z.array(rateLimitObject), exclude: predSchema.optional() })),
});
export const catalogSchema: z.ZodType<CatalogPlan> = catalogObject;

// ---------------------------------------------------------------- campaign

const zoneObject = z.discriminatedUnion("mode", [
  z.strictObject({ mode: z.literal("bank") }),
  z.strictObject({ mode: z.literal("customer") }),
  z.strictObject({ mode: z.literal("named"), zone: nonEmpty }),
]);
export const zoneSchema: z.ZodType<ZonePlan> = zoneObject;

const triggerObject = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("event"),
    event: nonEmpty,
    condition: predSchema,
    absence: z.strictObject({ event: nonEmpty, condition: predSchema, within: shiftObject }).optional(),
  }),
  z.strictObject({
    kind: z.literal("batch"),
    once: epochMs.optional(),
    recurrence: z
      .strictObject({
        every: z.enum(["day", "weekday", "week", "month"]),
        weekdays: z.array(z.number().int().min(1).max(7)),
        dayOfMonth: z.number().int().min(1).max(31).optional(),
      })
      .optional(),
    times: z.array(clockTime),
    zone: zoneObject,
  }),
]);
export const triggerSchema: z.ZodType<TriggerPlan> = triggerObject;

const entryObject = z.discriminatedUnion("mode", [z.strictObject({ mode: z.literal("once") }), z.strictObject({ mode: z.literal("again"), coolDown: shiftObject })]);
export const entrySchema: z.ZodType<EntryPlan> = entryObject;

const anchor = z.enum(["entry", "first touch"]);
const goalObject = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("event"), event: nonEmpty, condition: predSchema, within: shiftObject, anchor }),
  z.strictObject({ kind: z.literal("change"), attribute: nonEmpty, direction: z.enum(["up", "down"]), amount: valueExprSchema, within: shiftObject, anchor }),
]);
export const goalSchema: z.ZodType<GoalPlan> = goalObject;

const exitObject = z.strictObject({ event: nonEmpty.optional(), condition: predSchema });
export const exitSchema: z.ZodType<ExitPlan> = exitObject;

const touchObject = z.strictObject({ channel: nonEmpty, template: z.string(), variantTemplates: z.record(z.string(), z.string()).optional() });
export const touchSchema: z.ZodType<TouchPlan> = touchObject;

const waveObject = z.strictObject({
  index: z.number().int().positive(),
  delay: shiftObject,
  at: clockTime.optional(),
  unlessConverted: z.boolean(),
  unlessOpened: z.array(z.number().int().positive()),
  unlessClicked: z.array(z.number().int().positive()),
  only: predSchema,
  touches: z.array(touchObject).min(1),
});
export const waveSchema: z.ZodType<WavePlan> = waveObject;

const benefitObject = z.strictObject({
  tiers: z.array(z.strictObject({ benefit: nonEmpty, quantity: valueExprSchema, condition: predSchema })),
  limit: z.discriminatedUnion("mode", [z.strictObject({ mode: z.literal("once") }), z.strictObject({ mode: z.literal("atMost"), count }), z.strictObject({ mode: z.literal("everyTime") })]),
});
export const benefitSchema: z.ZodType<BenefitPlan> = benefitObject;

const budgetObject = z.strictObject({
  total: z.number().positive().optional(),
  perPeriod: z.array(z.strictObject({ amount: z.number().positive(), period: periodObject })),
  pacing: z.discriminatedUnion("mode", [z.strictObject({ mode: z.literal("none") }), z.strictObject({ mode: z.literal("even") }), z.strictObject({ mode: z.literal("curve"), curve: z.array(fraction) })]),
  whenSpent: z.enum(["benefits", "entry", "all"]),
});
export const budgetSchema: z.ZodType<BudgetPlan> = budgetObject;

const planObject = z.strictObject({
  planVersion: z.literal(PLAN_VERSION),
  campaign: z.strictObject({
    id: nonEmpty,
    label: z.string().optional(),
    priority: z.number(),
    window: z.strictObject({ start: epochMs, end: epochMs, text: z.string() }),
    sourceFile: z.string(),
    sourceHash: sha256,
  }),
  catalog: catalogObject,
  audience: predSchema,
  trigger: triggerObject,
  entry: entryObject,
  goal: goalObject.optional(),
  exits: z.array(exitObject),
  waves: z.array(waveObject),
  benefit: benefitObject.optional(),
  caps: z.array(rateLimitObject),
  cappedAction: z.enum(["drop", "defer", "next channel"]),
  budget: budgetObject.optional(),
  holdout: z.strictObject({ share: fraction, salt: z.string() }),
  variants: z.strictObject({ salt: z.string(), arms: z.array(z.strictObject({ name: nonEmpty, weight: fraction })).min(1) }).optional(),
  policies: z.array(nonEmpty),
});

/** The whole plan. Accepts exactly the documents of type `Plan` (modulo the value checks above). */
export const planSchema: z.ZodType<Plan> = planObject.meta({ id: "Plan", title: "Campaign plan", description: `An executable campaign plan, version ${PLAN_VERSION}. See spec/plan.md.` });

// ---------------------------------------------------------------- drift checks

/** Deeply readonly, as the hand-written types are. */
type DeepReadonly<T> = T extends readonly (infer U)[] ? readonly DeepReadonly<U>[] : T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> } : T;
/** True only when A and B are the identical type (optionality, readonly and unions included). */
type Same<A, B> = (<G>() => G extends A ? 1 : 2) extends <G>() => G extends B ? 1 : 2 ? true : false;
type Inferred<S extends z.ZodType> = DeepReadonly<z.output<S>>;
type Assert<T extends true> = T;

// Each assertion fails to compile when the schema and the hand-written type differ.
export type SchemaMatchesTypes = [
  Assert<Same<Inferred<typeof shiftObject>, Shift>>,
  Assert<Same<Inferred<typeof valueExprUnion>, ValueExpr>>,
  Assert<Same<Inferred<typeof predUnion>, Pred>>,
  Assert<Same<Inferred<typeof attributeTypeObject>, AttributeTypePlan>>,
  Assert<Same<Inferred<typeof periodObject>, PeriodPlan>>,
  Assert<Same<Inferred<typeof channelScopeObject>, ChannelScopePlan>>,
  Assert<Same<Inferred<typeof rateLimitObject>, RateLimitPlan>>,
  Assert<Same<Inferred<typeof catalogObject>, CatalogPlan>>,
  Assert<Same<Inferred<typeof zoneObject>, ZonePlan>>,
  Assert<Same<Inferred<typeof triggerObject>, TriggerPlan>>,
  Assert<Same<Inferred<typeof entryObject>, EntryPlan>>,
  Assert<Same<Inferred<typeof goalObject>, GoalPlan>>,
  Assert<Same<Inferred<typeof exitObject>, ExitPlan>>,
  Assert<Same<Inferred<typeof touchObject>, TouchPlan>>,
  Assert<Same<Inferred<typeof waveObject>, WavePlan>>,
  Assert<Same<Inferred<typeof benefitObject>, BenefitPlan>>,
  Assert<Same<Inferred<typeof budgetObject>, BudgetPlan>>,
  Assert<Same<Inferred<typeof planObject>, Plan>>,
];
