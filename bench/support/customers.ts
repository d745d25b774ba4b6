/**
 * Synthetic customers for the audience benchmark, in the benchmark catalog's
 * shape (bench/fixtures/audience.campaign): long-tail AUM (most customers
 * below 50k), a few percent of missing values, tags with realistic shares.
 */
import type { CustomerRecord, RuntimeValue } from "../../compiler/ir/predicate.ts";
import { mulberry32 } from "./random.ts";

const RISKS = ["R1", "R2", "R3", "R4", "R5"];
const TIERS = ["mass", "wealth", "premium", "private"];
const DAY = 86_400_000;

export function* generateCustomers(count: number, seed: number, now: number): Generator<CustomerRecord> {
  const rnd = mulberry32(seed);
  for (let i = 0; i < count; i++) {
    // Long tail: log-uniform AUM from 100 to 10m, so most customers hold little.
    const aum = rnd() < 0.03 ? null : Math.round(10 ** (2 + rnd() * 5) * 100) / 100;
    const tags = new Set<string>();
    if (rnd() < 0.3) tags.add("payroll");
    if (rnd() < 0.2) tags.add("wealth_holder");
    if (rnd() < 0.02) tags.add("complaint_90d");
    if (rnd() < 0.01) tags.add("staff");
    if (rnd() < 0.35) tags.add("credit_card");
    const attrs: Record<string, RuntimeValue> = {
      aum,
      age: rnd() < 0.02 ? null : 18 + Math.floor(rnd() * 70),
      risk: RISKS[Math.floor(rnd() * RISKS.length)] ?? "R1",
      tier: aum === null ? "mass" : aum >= 5e6 ? "private" : aum >= 5e5 ? "premium" : aum >= 5e4 ? "wealth" : "mass",
      lastLogin: rnd() < 0.05 ? null : now - Math.floor(rnd() * 365 * DAY),
      birthday: `19${50 + Math.floor(rnd() * 50)}-${String(1 + Math.floor(rnd() * 12)).padStart(2, "0")}-${String(1 + Math.floor(rnd() * 28)).padStart(2, "0")}`,
      branch: `B${String(Math.floor(rnd() * 60)).padStart(3, "0")}`,
      score: Math.round(rnd() * 1000) / 1000,
    };
    void TIERS;
    yield { id: `C${String(i).padStart(8, "0")}`, attrs, tags };
  }
}
