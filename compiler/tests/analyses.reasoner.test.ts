/** Unit tests of the satisfiability reasoner (compiler/logic): contradictions, tautologies, null-semantics traps. */
import { describe, expect, it } from "vitest";
import type { Pred, ValueExpr } from "../ir/predicate.ts";
import { contradiction, decide, showLit, showWitness, tautology, type Env } from "../logic/index.ts";

const aum: ValueExpr = { k: "attr", name: "aum", rep: "number" };
const age: ValueExpr = { k: "attr", name: "age", rep: "number" };
const tier: ValueExpr = { k: "attr", name: "tier", rep: "string" };
const last: ValueExpr = { k: "attr", name: "lastLogin", rep: "datetime" };
const num = (value: number): ValueExpr => ({ k: "const", value, rep: "number" });
const cmp = (left: ValueExpr, op: "=" | "!=" | "<" | "<=" | ">" | ">=", right: ValueExpr): Pred => ({ k: "cmp", op, left, right });
const and = (...args: Pred[]): Pred => ({ k: "and", args });
const or = (...args: Pred[]): Pred => ({ k: "or", args });
const not = (arg: Pred): Pred => ({ k: "not", arg });
const isSet = (value: ValueExpr): Pred => ({ k: "set", value });
const tag = (t: string): Pred => ({ k: "tag", tag: t });
const ago = (days: number): ValueExpr => ({ k: "time", anchor: "now", shift: { amount: -days, unit: "day" } });
const env: Env = {
  domain: (s) => (s === "attr:tier" ? ["mass", "wealth", "premium", "private"] : undefined),
  integral: (s) => s === "attr:age",
};

describe("contradictions", () => {
  it("finds conflicting bounds and names them", () => {
    const c = contradiction(and(cmp(aum, ">=", num(200_000)), tag("payroll"), cmp(aum, "<", num(50_000))));
    expect(c?.[0]?.map(showLit)).toEqual(["aum >= 200k", "aum < 50k"]);
  });
  it("respects open and closed ends", () => {
    expect(contradiction(and(cmp(aum, ">=", num(5)), cmp(aum, "<=", num(5))))).toBeUndefined();
    expect(contradiction(and(cmp(aum, ">", num(5)), cmp(aum, "<=", num(5))))).toBeDefined();
    expect(contradiction(and(cmp(aum, "=", num(5)), cmp(aum, "!=", num(5))))).toBeDefined();
  });
  it("uses whole numbers for integral attributes only", () => {
    expect(contradiction(and(cmp(age, ">", num(30)), cmp(age, "<", num(31))), env)).toBeDefined();
    expect(contradiction(and(cmp(aum, ">", num(30)), cmp(aum, "<", num(31))), env)).toBeUndefined();
  });
  it("intersects enum sets with the enum's domain", () => {
    expect(contradiction(and({ k: "in", value: tier, set: ["mass"] }, { k: "in", value: tier, set: ["wealth", "premium"] }), env)).toBeDefined();
    expect(contradiction(and(not({ k: "in", value: tier, set: ["mass", "wealth"] }), not({ k: "in", value: tier, set: ["premium", "private"] }), isSet(tier)), env)).toBeDefined();
    // Without `is set`, a customer without a tier satisfies both negations.
    expect(contradiction(and(not({ k: "in", value: tier, set: ["mass", "wealth"] }), not({ k: "in", value: tier, set: ["premium", "private"] })), env)).toBeUndefined();
  });
  it("sees tags against their absence and every branch of an or", () => {
    expect(contradiction(and(tag("payroll"), not(tag("payroll"))))).toBeDefined();
    const r = contradiction(and(or(cmp(aum, "<", num(1)), cmp(aum, ">", num(100))), cmp(aum, ">=", num(10)), cmp(aum, "<=", num(20))));
    expect(r?.length).toBe(2);
  });
  it("compares relative times on one scale", () => {
    expect(contradiction(and(cmp(last, ">=", ago(90)), cmp(last, "<", ago(180))))).toBeDefined();
    expect(contradiction(and(cmp(last, ">=", ago(180)), cmp(last, "<", ago(90))))).toBeUndefined();
  });
  it("stays quiet on what it does not understand", () => {
    const ratio = cmp({ k: "arith", op: "*", left: aum, right: num(2) }, ">", age);
    expect(decide(and(ratio, cmp(aum, "<", num(0)))).kind).toBe("unknown");
    expect(contradiction(and(ratio, not(ratio)))).toBeDefined();
  });
});

describe("null semantics traps", () => {
  it("not (x > 5) holds for a customer without x", () => {
    expect(contradiction(and(not(cmp(aum, ">", num(5))), not(isSet(aum))))).toBeUndefined();
    expect(contradiction(and(cmp(aum, "<=", num(5)), not(isSet(aum))))).toBeDefined();
  });
  it("not (x > 5) with x > 7 is a contradiction", () => {
    expect(contradiction(and(not(cmp(aum, ">", num(5))), cmp(aum, ">", num(7))))).toBeDefined();
  });
  it("x != 5 is false when x is missing", () => {
    expect(contradiction(and(cmp(aum, "!=", num(5)), not(isSet(aum))))).toBeDefined();
  });
});

describe("tautologies", () => {
  it("p or not p", () => {
    expect(tautology(or(cmp(aum, ">", num(5)), not(cmp(aum, ">", num(5)))))).toBe(true);
  });
  it("x > 5 or x <= 5 misses customers without x", () => {
    expect(tautology(or(cmp(aum, ">", num(5)), cmp(aum, "<=", num(5))))).toBe(false);
    expect(tautology(or(cmp(aum, ">", num(5)), cmp(aum, "<=", num(5)), not(isSet(aum))))).toBe(true);
  });
  it("an enum's values cover it, with the missing case", () => {
    expect(tautology(or({ k: "in", value: tier, set: ["mass", "wealth"] }, { k: "in", value: tier, set: ["premium", "private"] }, not(isSet(tier))), env)).toBe(true);
    expect(tautology(or({ k: "in", value: tier, set: ["mass", "wealth"] }, { k: "in", value: tier, set: ["premium"] }, not(isSet(tier))), env)).toBe(false);
  });
  it("has or has not", () => {
    expect(tautology(or(tag("a"), not(tag("a"))))).toBe(true);
    expect(tautology(or(tag("a"), not(tag("b"))))).toBe(false);
  });
});

describe("witnesses", () => {
  it("shows the overlap of two audiences", () => {
    const r = decide(and(tag("payroll"), cmp(aum, ">=", num(50_000)), cmp(aum, "<=", num(500_000)), cmp(aum, ">=", num(10_000)), cmp(aum, "<=", num(200_000))));
    expect(r.kind).toBe("sat");
    if (r.kind === "sat") expect(showWitness(r.witness)).toBe("has payroll and aum between 50k and 200k");
  });
  it("is unsure when an opaque atom shares an attribute", () => {
    const ratio = cmp({ k: "arith", op: "*", left: aum, right: num(2) }, ">", age);
    expect(decide(and(ratio, cmp(aum, ">", num(1)))).kind).toBe("unknown");
  });
});
