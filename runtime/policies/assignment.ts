/**
 * Holdout and variant assignment by a stable hash of salt and customer id:
 * the same customer always lands in the same group, on every machine, and
 * changing the salt reshuffles everyone (which `campaign diff` warns about).
 */
import { unitInterval } from "../../compiler/util/hash.ts";

export function inHoldout(salt: string, customerId: string, share: number): boolean {
  if (share <= 0) return false;
  return unitInterval(`${salt}\u0000${customerId}`) < share;
}

export function variantOf(salt: string, customerId: string, arms: readonly { name: string; weight: number }[]): string | undefined {
  if (arms.length === 0) return undefined;
  const x = unitInterval(`${salt}\u0000${customerId}`);
  let acc = 0;
  for (const a of arms) {
    acc += a.weight;
    if (x < acc) return a.name;
  }
  return arms[arms.length - 1]?.name;
}
