/**
 * The compiler's types: what an attribute, payload field or expression holds.
 * Types come from the catalog (attributes, payload fields) and from literals.
 */

/** Types a stored value can have (catalog attribute and payload field types). */
export type ScalarType =
  | { readonly t: "money"; readonly currency: string }
  | { readonly t: "int" }
  | { readonly t: "number" }
  | { readonly t: "score" }
  | { readonly t: "string" }
  | { readonly t: "bool" }
  | { readonly t: "date" }
  | { readonly t: "datetime" }
  | { readonly t: "timezone" }
  | { readonly t: "enum"; readonly values: readonly string[] }
  | { readonly t: "tags" };

/** Types only expressions have: literals that are not values of a column. */
export type ExprType =
  | ScalarType
  | { readonly t: "duration" }
  | { readonly t: "percent" }
  | { readonly t: "time" }
  /** A plain number literal not yet committed to int, number or money (`50k`). */
  | { readonly t: "numeric literal" }
  /** A bare name that may be an enum value, resolved against the other side of a comparison. */
  | { readonly t: "symbol"; readonly name: string }
  | { readonly t: "boolean" }
  | { readonly t: "error" };

export function isNumeric(t: ExprType): boolean {
  return t.t === "int" || t.t === "number" || t.t === "score" || t.t === "money" || t.t === "numeric literal";
}

export function isTemporal(t: ExprType): boolean {
  return t.t === "date" || t.t === "datetime";
}

/** A type as users read it in messages: `money (CNY)`, `enum(mass, wealth)`. */
export function showType(t: ExprType): string {
  switch (t.t) {
    case "money":
      return `money (${t.currency})`;
    case "enum":
      return t.values.length > 6 ? `enum(${t.values.slice(0, 5).join(", ")}, ...)` : `enum(${t.values.join(", ")})`;
    case "symbol":
      return `name \`${t.name}\``;
    case "boolean":
      return "condition";
    case "numeric literal":
      return "number";
    default:
      return t.t;
  }
}
