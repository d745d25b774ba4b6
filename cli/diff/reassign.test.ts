/**
 * Reassignment warnings and counts of `campaign diff`: expected moves from
 * the hash's uniform draw, checked against the runtime's assignment on many
 * ids; exact counts on a generated customer table, checked against a direct
 * computation with runtime/policies/assignment.ts; data errors that name the
 * table and column.
 */
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { createCustomerTables, insertCustomers } from "../../compiler/data/load.ts";
import type { CustomerRecord } from "../../compiler/ir/predicate.ts";
import type { Plan } from "../../compiler/plan/types.ts";
import { inHoldout, variantOf } from "../../runtime/policies/assignment.ts";
import { compareOnData, DiffDataError } from "./data.ts";
import { countReassignments, expectedHoldoutMoves, expectedVariantMoves, reassignmentWarnings } from "./reassign.ts";
import { FIXTURE_CAMPAIGN as C, edit, planOf } from "./testFixture.ts";

const base = planOf(C);
const holdoutTo = (text: string): Plan => planOf(edit(C, 'holdout 5% salt "h1"', text));
const variantsTo = (text: string): Plan => planOf(edit(C, 'variants { a 50%, b 50% } salt "v1"', text));

/** A small seeded generator (mulberry32), so the customer table is the same on every run. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Generated {
  readonly id: string;
  readonly aum: number;
  readonly age: number;
  readonly payroll: boolean;
  readonly staff: boolean;
}

function generate(n: number, seed: number): Generated[] {
  const r = random(seed);
  return Array.from({ length: n }, (_, i) => ({
    id: `c${String(i).padStart(5, "0")}`,
    aum: Math.round(r() * 20_000),
    age: 10 + Math.floor(r() * 80),
    payroll: r() < 0.6,
    staff: r() < 0.05,
  }));
}

function record(g: Generated): CustomerRecord {
  const tags = new Set<string>();
  if (g.payroll) tags.add("payroll");
  if (g.staff) tags.add("staff");
  return { id: g.id, attrs: { aum: g.aum, age: g.age }, tags };
}

/** The fixture's audience, written out by hand: aum ≥ min, age 18–70, payroll, not staff. */
function inAudience(g: Generated, minAum: number): boolean {
  return g.aum >= minAum && g.age >= 18 && g.age <= 70 && g.payroll && !g.staff;
}

const opened: Database.Database[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

function bank(customers: readonly Generated[]): Database.Database {
  const db = new Database(":memory:");
  opened.push(db);
  createCustomerTables(db, base.catalog);
  insertCustomers(db, base.catalog, customers.map(record));
  return db;
}

const CUSTOMERS = generate(3_000, 7);
const AT = Date.UTC(2026, 6, 1);

describe("expected moves without data", () => {
  it("raising the holdout with the same salt moves exactly the difference, one way", () => {
    expect(expectedHoldoutMoves({ share: 0.05, salt: "s" }, { share: 0.1, salt: "s" })).toEqual([{ from: "treated", to: "holdout", share: expect.closeTo(0.05, 12) }]);
    expect(expectedHoldoutMoves({ share: 0.2, salt: "s" }, { share: 0.05, salt: "s" })).toEqual([{ from: "holdout", to: "treated", share: expect.closeTo(0.15, 12) }]);
  });

  it("a new holdout salt draws again, independently", () => {
    const moves = expectedHoldoutMoves({ share: 0.1, salt: "s" }, { share: 0.1, salt: "t" });
    expect(moves.map((m) => [m.from, m.to])).toEqual([
      ["treated", "holdout"],
      ["holdout", "treated"],
    ]);
    for (const m of moves) expect(m.share).toBeCloseTo(0.09, 12);
  });

  it("new variant weights move customers where the arm intervals disagree", () => {
    const moves = expectedVariantMoves(
      { salt: "v", arms: [{ name: "a", weight: 0.5 }, { name: "b", weight: 0.5 }] },
      { salt: "v", arms: [{ name: "a", weight: 0.7 }, { name: "b", weight: 0.3 }] },
    );
    expect(moves).toEqual([{ from: "b", to: "a", share: expect.closeTo(0.2, 12) }]);
    const three = expectedVariantMoves(
      { salt: "v", arms: [{ name: "a", weight: 0.5 }, { name: "b", weight: 0.5 }] },
      { salt: "v", arms: [{ name: "a", weight: 0.4 }, { name: "b", weight: 0.4 }, { name: "c", weight: 0.2 }] },
    );
    expect(three).toEqual([
      { from: "b", to: "c", share: expect.closeTo(0.2, 12) },
      { from: "a", to: "b", share: expect.closeTo(0.1, 12) },
    ]);
  });

  it("the expected shares match the runtime's assignment of 20,000 ids", () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => `cust-${i}`);
    const pairs: [Plan, Plan][] = [
      [base, holdoutTo('holdout 10% salt "h1"')],
      [base, holdoutTo('holdout 5% salt "h2"')],
      [base, variantsTo('variants { a 70%, b 30% } salt "v1"')],
      [base, variantsTo('variants { a 50%, b 50% } salt "v2"')],
    ];
    for (const [a, b] of pairs) {
      const [warning] = reassignmentWarnings(a, b);
      expect(warning).toBeDefined();
      const counted = countReassignments(ids, a, b);
      const moves = warning?.assignment === "holdout" ? counted.holdout : counted.variants;
      for (const m of warning?.expected ?? []) {
        const n = moves.find((x) => x.from === m.from && x.to === m.to)?.count ?? 0;
        expect(Math.abs(n / ids.length - m.share)).toBeLessThan(0.01);
      }
      expect(moves.every((x) => (warning?.expected ?? []).some((m) => m.from === x.from && m.to === x.to))).toBe(true);
    }
  });
});

describe("warnings", () => {
  it("say which change and its effect", () => {
    expect(reassignmentWarnings(base, holdoutTo('holdout 10% salt "h1"')).map((w) => w.message)).toEqual(["raising the holdout from 5% to 10% moves about 5% of customers from treated to holdout"]);
    expect(reassignmentWarnings(base, holdoutTo('holdout 5% salt "h2"')).map((w) => w.message)).toEqual([
      'changing the holdout salt from "h1" to "h2" reshuffles everyone: about 9.5% of customers change group (4.75% from treated to holdout, 4.75% from holdout to treated)',
    ]);
    const v = reassignmentWarnings(base, variantsTo('variants { a 70%, b 30% } salt "v2"'));
    expect(v.map((w) => [w.assignment, w.kinds])).toEqual([["variant", ["variant-weights", "variant-salt"]]]);
    expect(v[0]?.message).toMatch(/^changing the variant salt from "v1" to "v2" \(and the weights from a 50%, b 50% to a 70%, b 30%\) reshuffles everyone: about 50% of customers change variant/);
  });

  it("stay quiet when nobody moves", () => {
    expect(reassignmentWarnings(base, planOf(edit(C, "priority 40", "priority 50")))).toEqual([]);
    const none = planOf(edit(C, 'holdout 5% salt "h1"', 'holdout 0% salt "h1"'));
    const noneOtherSalt = planOf(edit(C, 'holdout 5% salt "h1"', 'holdout 0% salt "h9"'));
    expect(reassignmentWarnings(none, noneOtherSalt)).toEqual([]);
  });
});

describe("counts on a customer table", () => {
  it("reach and holdout moves equal a direct computation", () => {
    const db = bank(CUSTOMERS);
    const after = holdoutTo('holdout 10% salt "h1"');
    const d = compareOnData(db, base, after, AT, true);
    const audience = CUSTOMERS.filter((g) => inAudience(g, 1_000)).map((g) => g.id);
    expect(audience.length).toBeGreaterThan(500);
    expect(d.reach).toEqual({ old: audience.length, new: audience.length, difference: 0, both: audience.length, onlyOld: 0, onlyNew: 0 });
    const moved = audience.filter((id) => inHoldout("h1", id, 0.1) && !inHoldout("h1", id, 0.05)).length;
    expect(moved).toBeGreaterThan(0);
    expect(d.reassignment).toEqual({ population: "audiences", customers: audience.length, holdout: [{ from: "treated", to: "holdout", count: moved }], holdoutChanged: moved, variants: [], variantChanged: 0 });
  });

  it("a narrower audience and a new variant salt: reach difference and variant moves among customers in both", () => {
    const db = bank(CUSTOMERS);
    const after = planOf(edit(edit(C, "aum >= 1k", "aum >= 5k"), 'variants { a 50%, b 50% } salt "v1"', 'variants { a 50%, b 50% } salt "v2"'));
    const d = compareOnData(db, base, after, AT, true);
    const oldIds = CUSTOMERS.filter((g) => inAudience(g, 1_000)).map((g) => g.id);
    const newIds = CUSTOMERS.filter((g) => inAudience(g, 5_000)).map((g) => g.id);
    expect(d.reach.old).toBe(oldIds.length);
    expect(d.reach.new).toBe(newIds.length);
    expect(d.reach.difference).toBe(newIds.length - oldIds.length);
    expect(d.reach.onlyOld).toBe(oldIds.length - newIds.length);
    const arms = [{ name: "a", weight: 0.5 }, { name: "b", weight: 0.5 }];
    const aToB = newIds.filter((id) => variantOf("v1", id, arms) === "a" && variantOf("v2", id, arms) === "b").length;
    const bToA = newIds.filter((id) => variantOf("v1", id, arms) === "b" && variantOf("v2", id, arms) === "a").length;
    expect(d.reassignment?.customers).toBe(newIds.length);
    expect(d.reassignment?.variantChanged).toBe(aToB + bToA);
    expect(new Set(d.reassignment?.variants)).toEqual(new Set([{ from: "a", to: "b", count: aToB }, { from: "b", to: "a", count: bToA }]));
    expect(d.reassignment?.holdoutChanged).toBe(0);
  });

  it("uses the customers already entered when the database has an entries table", () => {
    const db = bank(CUSTOMERS);
    db.exec(`CREATE TABLE entries (campaign TEXT NOT NULL, customer_id TEXT NOT NULL, status TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (campaign, customer_id))`);
    const entered = CUSTOMERS.slice(0, 400).map((g) => g.id);
    const insert = db.prepare("INSERT INTO entries VALUES (?, ?, 'active', '{}')");
    for (const id of entered) insert.run("wake", id);
    for (const g of CUSTOMERS.slice(400, 500)) insert.run("another_campaign", g.id);
    const after = holdoutTo('holdout 5% salt "h2"');
    const d = compareOnData(db, base, after, AT, true);
    const toHoldout = entered.filter((id) => !inHoldout("h1", id, 0.05) && inHoldout("h2", id, 0.05)).length;
    const toTreated = entered.filter((id) => inHoldout("h1", id, 0.05) && !inHoldout("h2", id, 0.05)).length;
    expect(d.reassignment?.population).toBe("entries");
    expect(d.reassignment?.customers).toBe(400);
    expect(d.reassignment?.holdoutChanged).toBe(toHoldout + toTreated);
    expect(d.reassignment?.holdout.find((m) => m.to === "holdout")?.count ?? 0).toBe(toHoldout);
    expect(d.reassignment?.holdout.find((m) => m.to === "treated")?.count ?? 0).toBe(toTreated);
  });

  it("without a reassignment warning, counts reach only", () => {
    const d = compareOnData(bank(CUSTOMERS), base, planOf(edit(C, "priority 40", "priority 50")), AT, false);
    expect(d.reassignment).toBeUndefined();
    expect(d.reach.difference).toBe(0);
  });
});

describe("data errors name the table and column", () => {
  it("no customers table", () => {
    const db = new Database(":memory:");
    opened.push(db);
    expect(() => compareOnData(db, base, base, AT, false)).toThrow(new DiffDataError("the database has no table `customers` (one row per customer: `id` and a column per catalog attribute; see spec/data-layout.md)"));
  });

  it("a column of the wrong type", () => {
    const db = new Database(":memory:");
    opened.push(db);
    db.exec(`CREATE TABLE customers (id TEXT PRIMARY KEY, aum TEXT, age INTEGER); CREATE TABLE customer_tags (customer_id TEXT, tag TEXT)`);
    expect(() => compareOnData(db, base, base, AT, false)).toThrow(/column `customers\.aum` is declared `TEXT`, but attribute `aum` \(money\) .* needs REAL/);
  });

  it("a missing column and a missing tags table", () => {
    const db = new Database(":memory:");
    opened.push(db);
    db.exec(`CREATE TABLE customers (id TEXT PRIMARY KEY, aum REAL)`);
    expect(() => compareOnData(db, base, base, AT, false)).toThrow(/table `customers` has no column `age`/);
    db.exec(`ALTER TABLE customers ADD COLUMN age INTEGER`);
    expect(() => compareOnData(db, base, base, AT, false)).toThrow(/no table `customer_tags`/);
  });

  it("an entries table without the runtime's columns", () => {
    const db = bank(CUSTOMERS.slice(0, 10));
    db.exec(`CREATE TABLE entries (campaign_id TEXT, customer TEXT)`);
    expect(() => compareOnData(db, base, holdoutTo('holdout 10% salt "h1"'), AT, true)).toThrow(/table `entries` has no column `campaign`/);
  });
});
