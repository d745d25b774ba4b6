/**
 * The predicate IR: audience, trigger, goal, exit and wave conditions as
 * plain data (never code), stored in plans and executed by three backends
 * that must agree: the reference interpreter (compiler/interp), generated
 * JavaScript (compiler/codegen/js) and SQL (compiler/codegen/sql).
 *
 * Value representations ("reps"), the same in every backend:
 *   number   int, number, score, money (a JS number; SQLite INTEGER or REAL)
 *   string   string, enum, timezone   (JS string; SQLite TEXT)
 *   bool     bool                     (JS boolean; SQLite INTEGER 0/1)
 *   date     date                     ("YYYY-MM-DD"; SQLite TEXT)
 *   datetime datetime                 (milliseconds since the epoch, UTC; SQLite INTEGER)
 *
 * Missing values (null or absent): any comparison, membership or
 * anniversary test on a missing value is false; arithmetic on a missing value
 * is missing; division by zero is missing; `not` simply negates (so
 * `not (aum > 5)` is true for a customer without `aum`). Relative time is
 * evaluated against the evaluation context's `now` in the catalog's zone.
 */

export type Rep = "number" | "string" | "bool" | "date" | "datetime";
export type CmpOp = "=" | "!=" | "<" | "<=" | ">" | ">=";
export type ArithOp = "+" | "-" | "*" | "/";
export type TimeUnit = "minute" | "hour" | "day" | "week" | "month" | "year";

/** A signed calendar shift: `{ amount: -90, unit: "day" }`. */
export interface Shift {
  readonly amount: number;
  readonly unit: TimeUnit;
}

export type ValueExpr =
  /** A customer attribute. */
  | { readonly k: "attr"; readonly name: string; readonly rep: Rep }
  /** A field of the event being evaluated (trigger, goal or exit event; `change` for change goals). */
  | { readonly k: "field"; readonly name: string; readonly rep: Rep }
  | { readonly k: "const"; readonly value: number | string | boolean; readonly rep: Rep }
  | { readonly k: "arith"; readonly op: ArithOp; readonly left: ValueExpr; readonly right: ValueExpr }
  | { readonly k: "neg"; readonly arg: ValueExpr }
  /**
   * A point in time relative to the evaluation instant, in the catalog's zone:
   * `now` shifted (a datetime), `today` shifted (a date), or the start of
   * today shifted (a datetime at local midnight).
   */
  | { readonly k: "time"; readonly anchor: "now" | "today" | "startOfToday"; readonly shift: Shift };

export type Pred =
  | { readonly k: "true" }
  | { readonly k: "false" }
  | { readonly k: "and"; readonly args: readonly Pred[] }
  | { readonly k: "or"; readonly args: readonly Pred[] }
  | { readonly k: "not"; readonly arg: Pred }
  | { readonly k: "cmp"; readonly op: CmpOp; readonly left: ValueExpr; readonly right: ValueExpr }
  /** Membership in a constant set. */
  | { readonly k: "in"; readonly value: ValueExpr; readonly set: readonly (string | number)[] }
  /** The customer carries this tag. */
  | { readonly k: "tag"; readonly tag: string }
  /** The value is present (not null, not absent). */
  | { readonly k: "set"; readonly value: ValueExpr }
  /** The yearly recurrence of a date falls within [today+fromDays, today+toDays]. */
  | { readonly k: "anniversary"; readonly value: ValueExpr; readonly fromDays: number; readonly toDays: number }
  /** A named part kept for explanations (a segment or a source clause); evaluates to `pred`. */
  | { readonly k: "label"; readonly label: string; readonly pred: Pred };

/** What a predicate is evaluated against. */
export interface EvalContext {
  /** The evaluation instant, ms since the epoch. */
  readonly now: number;
  /** The catalog's IANA zone, for `today` and calendar shifts. */
  readonly zone: string;
}

/** A value as held in a customer record or event: null means missing. */
export type RuntimeValue = number | string | boolean | null;

/** A customer as the predicate backends see it. */
export interface CustomerRecord {
  readonly id: string;
  readonly attrs: Readonly<Record<string, RuntimeValue | undefined>>;
  readonly tags: ReadonlySet<string>;
}

/** An event's payload as the backends see it. */
export type EventFields = Readonly<Record<string, RuntimeValue | undefined>>;

/** Calls `f` on every predicate node, depth first. */
export function walkPred(p: Pred, f: (p: Pred) => void): void {
  f(p);
  switch (p.k) {
    case "and":
    case "or":
      for (const a of p.args) walkPred(a, f);
      break;
    case "not":
      walkPred(p.arg, f);
      break;
    case "label":
      walkPred(p.pred, f);
      break;
    default:
      break;
  }
}

/** Every value expression directly inside a predicate node. */
export function valuesOf(p: Pred): ValueExpr[] {
  switch (p.k) {
    case "cmp":
      return [p.left, p.right];
    case "in":
    case "set":
    case "anniversary":
      return [p.value];
    default:
      return [];
  }
}

/** Calls `f` on every value expression node, depth first. */
export function walkValue(v: ValueExpr, f: (v: ValueExpr) => void): void {
  f(v);
  if (v.k === "arith") {
    walkValue(v.left, f);
    walkValue(v.right, f);
  } else if (v.k === "neg") walkValue(v.arg, f);
}

/** Names of customer attributes a predicate reads. */
export function attributesRead(p: Pred): Set<string> {
  const out = new Set<string>();
  walkPred(p, (n) => {
    for (const v of valuesOf(n)) walkValue(v, (x) => x.k === "attr" && out.add(x.name));
  });
  return out;
}

/** Names of event fields a predicate reads. */
export function fieldsRead(p: Pred): Set<string> {
  const out = new Set<string>();
  walkPred(p, (n) => {
    for (const v of valuesOf(n)) walkValue(v, (x) => x.k === "field" && out.add(x.name));
  });
  return out;
}

/** `and` that flattens and drops `true`. */
export function andOf(args: readonly Pred[]): Pred {
  const flat: Pred[] = [];
  for (const a of args) {
    if (a.k === "true") continue;
    if (a.k === "and") flat.push(...a.args);
    else flat.push(a);
  }
  if (flat.length === 0) return { k: "true" };
  if (flat.length === 1) return flat[0] as Pred;
  return { k: "and", args: flat };
}
