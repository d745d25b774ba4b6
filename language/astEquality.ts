/**
 * Comparing syntax trees with their source positions aside: `stripSpans`
 * returns a deep copy without any `span` key, so two trees parsed from
 * differently laid out texts can be compared with `toEqual`.
 * Browser-safe: no Node built-ins.
 */

/** `T` with every `span` key removed, recursively. */
export type WithoutSpans<T> = T extends readonly (infer U)[]
  ? WithoutSpans<U>[]
  : T extends object
    ? { [K in keyof T as K extends "span" ? never : K]: WithoutSpans<T[K]> }
    : T;

/** A deep copy of `node` without `span` keys (keys whose value is `undefined` are dropped too). */
export function stripSpans<T>(node: T): WithoutSpans<T> {
  return strip(node) as WithoutSpans<T>;
}

function strip(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(strip);
  if (x !== null && typeof x === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) {
      if (k === "span" || v === undefined) continue;
      out[k] = strip(v);
    }
    return out;
  }
  return x;
}
