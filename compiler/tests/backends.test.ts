/**
 * Differential tests of the three predicate backends (after Cedar): the
 * reference interpreter is the oracle; the compiled JavaScript and the SQL
 * run on SQLite (better-sqlite3, in memory, loaded through the layout's DDL)
 * must agree with it on every (predicate, customer) pair.
 *
 * FC_RUNS sets the number of predicates per property (default 500, each
 * against 24 customers: 12,000 pairs for the audience property alone).
 */
import fc from "fast-check";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { walkPred, type EventFields, type Pred } from "../ir/predicate.ts";
import { agree, counts } from "./arbitraries/agree.ts";
import type { CatalogPlan } from "../plan/types.ts";
import { checkProgram } from "../program.ts";
import { AUDIENCE_SCOPE, arithCompareArb, EVENT_SCOPE, STRING_POOL, ctxArb, customerArb, liteCatalog, predArb, toRecords, type PredScope } from "./arbitraries/predicates.ts";

const RUNS = Number(process.env["FC_RUNS"] ?? 500);
const CUSTOMERS_PER_PRED = 24;
const ROOT = join(import.meta.dirname, "..", "..");

function scenarioArb(scope: PredScope) {
  return ctxArb.chain((ctx) =>
    fc.record({
      ctx: fc.constant(ctx),
      pred: predArb(scope),
      customers: fc.array(customerArb(ctx, scope), { minLength: CUSTOMERS_PER_PRED, maxLength: CUSTOMERS_PER_PRED }),
    }),
  );
}

describe("predicate backends agree (differential, fast-check)", () => {
  const catalog = liteCatalog();

  it(`audience predicates: interpreter = compiled JS = SQLite (${RUNS} predicates × ${CUSTOMERS_PER_PRED} customers)`, () => {
    fc.assert(
      fc.property(scenarioArb(AUDIENCE_SCOPE), ({ ctx, pred, customers }) => {
        const records = toRecords(customers);
        agree(pred, ctx, records, records.map(() => ({})), catalog);
        counts.audiencePairs += records.length;
      }),
      { numRuns: RUNS },
    );
    expect(counts.audiencePairs).toBeGreaterThanOrEqual(RUNS * CUSTOMERS_PER_PRED);
    // The generator must produce predicates that select some customers and not others.
    expect(counts.inAudience).toBeGreaterThan(counts.audiencePairs / 50);
    expect(counts.inAudience).toBeLessThan(counts.audiencePairs * 0.9);
  });

  it(`event conditions: interpreter = compiled JS, and SQL refuses event fields (${Math.ceil(RUNS / 2)} predicates)`, () => {
    fc.assert(
      fc.property(scenarioArb(EVENT_SCOPE), ({ ctx, pred, customers }) => {
        const records = toRecords(customers);
        agree(pred, ctx, records, customers.map((c) => c.fields as EventFields), catalog);
        counts.eventPairs += records.length;
      }),
      { numRuns: Math.ceil(RUNS / 2) },
    );
    expect(counts.sqlRefusals).toBeGreaterThan(0);
  });

  it(`arithmetic between attributes (integer division, overflow, precision): all three agree (${Math.ceil(RUNS / 2)} predicates)`, () => {
    const arb = ctxArb.chain((ctx) =>
      fc.record({ ctx: fc.constant(ctx), pred: arithCompareArb(AUDIENCE_SCOPE), customers: fc.array(customerArb(ctx, AUDIENCE_SCOPE), { minLength: CUSTOMERS_PER_PRED, maxLength: CUSTOMERS_PER_PRED }) }),
    );
    fc.assert(
      fc.property(arb, ({ ctx, pred, customers }) => {
        const records = toRecords(customers);
        agree(pred, ctx, records, records.map(() => ({})), catalog);
        counts.arithPairs += records.length;
      }),
      { numRuns: Math.ceil(RUNS / 2) },
    );
  });
});

afterAll(() => {
  console.log(`backends: ${counts.audiencePairs} audience pairs, ${counts.eventPairs} event pairs, ${counts.arithPairs} arithmetic pairs, ${counts.e2ePairs} example pairs; ${counts.sqlQueries} SQL queries (${counts.inAudience} customers selected), ${counts.sqlRefusals} SQL refusals`);
});

// --------------------------------------------------------------- examples

function campaignFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".campaign")) out.push(p);
    }
  };
  try {
    walk(dir);
  } catch {
    return [];
  }
  return out.sort();
}

function cleanAudiences(files: readonly string[]): { id: string; audience: Pred; catalog: CatalogPlan }[] {
  const program = checkProgram(files.map((f) => ({ path: f, text: readFileSync(f, "utf8") })));
  return program.campaigns.filter((c) => !c.hasErrors).map((c) => ({ id: c.plan.campaign.id, audience: c.plan.audience, catalog: c.plan.catalog }));
}

describe("example campaigns' audiences agree across backends", () => {
  const sets = [
    { name: "examples/", files: campaignFiles(join(ROOT, "examples")) },
    { name: "language/tests/golden/valid/", files: campaignFiles(join(ROOT, "language", "tests", "golden", "valid")) },
  ];
  const campaigns = sets.flatMap((s) => cleanAudiences(s.files).map((c) => ({ ...c, from: s.name })));

  it("finds clean campaigns to run", () => {
    expect(campaigns.length).toBeGreaterThan(0);
  });

  for (const c of campaigns) {
    it(`${c.from}${c.id}: 300 generated customers at 3 instants`, () => {
      const tags = new Set(c.catalog.tags.map((t) => t.name));
      walkPred(c.audience, (p) => p.k === "tag" && tags.add(p.tag));
      const enumValues = c.catalog.attributes.flatMap((a) => (a.type.t === "enum" ? [...a.type.values] : []));
      const scope: PredScope = { attributes: c.catalog.attributes, fields: [], tags: [...tags], strings: [...enumValues, ...STRING_POOL.slice(0, 8)], datetimeAnniversaries: false };
      const instants = fc.sample(ctxArb.map((ctx) => ({ ...ctx, zone: c.catalog.zone })), { numRuns: 3, seed: 42 });
      for (const ctx of instants) {
        const raw = fc.sample(customerArb(ctx, scope), { numRuns: 100, seed: 7 });
        const records = toRecords(raw, (i) => `${c.id}-${i}`);
        agree(c.audience, ctx, records, records.map(() => ({})), c.catalog);
        counts.e2ePairs += records.length;
      }
    });
  }
});
