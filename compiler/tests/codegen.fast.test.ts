/**
 * The generated-code JavaScript backend and the tag bit layout of the SQL
 * backend: generated source never holds a constant of the plan (every string,
 * number and name is a value in K), prototype names and a polluted prototype
 * read nothing inherited, the closure fallback agrees with the generated
 * code, and audience SQL agrees with the interpreter whether the tag bit
 * columns are filled, NULL (written by a writer that fills only
 * customer_tags) or refreshed from customer_tags.
 */
import Database from "better-sqlite3";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compilePredicate, compilePredicateClosures, compilePredicateGenerated, generatePredicate } from "../codegen/js.ts";
import { compileSql } from "../codegen/sql.ts";
import { customerTablesDDL, tagBitColumnNames, tagBits, TAG_BITS_PER_COLUMN } from "../data/layout.ts";
import { createCustomerTables, insertCustomers, refreshTagBits, selectAudience } from "../data/load.ts";
import { evaluate } from "../interp/interpret.ts";
import type { CustomerRecord, EvalContext, EventFields, Pred, Rep, ValueExpr } from "../ir/predicate.ts";
import { show } from "./arbitraries/agree.ts";
import { HOSTILE as SHARED_HOSTILE } from "./arbitraries/hostile.ts";
import { AUDIENCE_SCOPE, EVENT_SCOPE, TAG_POOL, ctxArb, customerArb, liteCatalog, predArb, toRecords } from "./arbitraries/predicates.ts";

const ctx: EvalContext = { now: Date.UTC(2026, 11, 2, 2, 0), zone: "Asia/Shanghai" };

/** The shared hostile corpus, and more constants that look like generated code. */
const HOSTILE: readonly string[] = [
  ...SHARED_HOSTILE,
  "k0",
  "K[0]",
  "v0",
  "return true",
  "\n}; return function () { return true; }; //",
  "12345.678",
  "1e309",
];

/** Corpus entries that are the generator's own tokens (hostile as data, but expected in any source). */
const GENERATOR_TOKENS = new Set(["k0", "K[0]", "v0", "return true"]);

const REPS: readonly Rep[] = ["string", "number", "date", "bool", "datetime"];

/** Predicates whose every slot holds hostile text: names, constants, set members, tags, labels. */
function hostilePreds(h: string, i: number): Pred[] {
  const rep = REPS[i % REPS.length] as Rep;
  const attr: ValueExpr = { k: "attr", name: h, rep };
  const sattr: ValueExpr = { k: "attr", name: h, rep: "string" };
  const field: ValueExpr = { k: "field", name: h, rep: "number" };
  const str: ValueExpr = { k: "const", value: h, rep: "string" };
  return [
    { k: "cmp", op: "=", left: sattr, right: str },
    { k: "cmp", op: "<", left: str, right: sattr },
    { k: "not", arg: { k: "cmp", op: "!=", left: sattr, right: str } },
    { k: "in", value: sattr, set: [h, ...HOSTILE.slice(0, 12)] },
    { k: "in", value: sattr, set: [h] },
    { k: "set", value: attr },
    { k: "tag", tag: h },
    { k: "label", label: h, pred: { k: "or", args: [{ k: "tag", tag: h }, { k: "cmp", op: ">", left: { k: "arith", op: "/", left: field, right: { k: "attr", name: h, rep: "number" } }, right: { k: "const", value: 12345.678, rep: "number" } }] } },
    { k: "anniversary", value: { k: "attr", name: h, rep: "date" }, fromDays: 0, toDays: 3 },
    { k: "and", args: [{ k: "set", value: { k: "field", name: h, rep: "string" } }, { k: "cmp", op: ">=", left: { k: "attr", name: h, rep: "datetime" }, right: { k: "time", anchor: "now", shift: { amount: -90, unit: "day" } } }] },
  ];
}

describe("generated JavaScript", () => {
  it("never holds a constant of the plan in its source: hostile names, strings, numbers and tags are values in K", () => {
    let checked = 0;
    HOSTILE.forEach((h, i) => {
      for (const p of hostilePreds(h, i)) {
        const g = generatePredicate(p);
        for (const x of HOSTILE) if (x.length > 1 && !GENERATOR_TOKENS.has(x)) expect(g.source.includes(x), `${JSON.stringify(x)} in\n${g.source}`).toBe(false);
        expect(g.source).not.toMatch(/[^\x20-\x7e\n]/);
        expect(g.source).not.toMatch(/['`\\]/);
        // Numbers in the source: indices of K, T and W, and the generator's own 0, 1 and slice(5, 10).
        const numbers = g.source.replace(/\b[kvnrxtw]\d+\b|\b[KTW]\[\d+\]/g, "").match(/\d+(?:\.\d+)?(?:e\d+)?/g) ?? [];
        expect(numbers.filter((n) => !["0", "1", "5", "10"].includes(n))).toEqual([]);
        checked++;
      }
    });
    expect(checked).toBe(HOSTILE.length * 10);
  });

  it("hostile predicates give the interpreter's answers on hostile data, generated and closures alike, touching no prototype", () => {
    const before = Object.getOwnPropertyNames(Object.prototype).sort();
    const customers: CustomerRecord[] = HOSTILE.map((h, i) => {
      const attrs = (i % 2 ? {} : Object.create(null)) as Record<string, unknown>;
      attrs[h] = i % 3 === 0 ? h : i % 3 === 1 ? i : "2000-12-03";
      attrs[HOSTILE[(i + 1) % HOSTILE.length] as string] = HOSTILE[(i + 2) % HOSTILE.length];
      return { id: `c${i}`, attrs: attrs as CustomerRecord["attrs"], tags: new Set([h]) };
    });
    const fields: EventFields[] = HOSTILE.map((h, i) => JSON.parse(`{${JSON.stringify(h)}: ${i % 2 ? i : JSON.stringify(h)}}`) as EventFields);
    HOSTILE.forEach((h, i) => {
      for (const p of hostilePreds(h, i)) {
        const gen = compilePredicateGenerated(p)(ctx);
        const clo = compilePredicateClosures(p)(ctx);
        customers.forEach((c, j) => {
          const want = evaluate(p, c, fields[j], ctx);
          expect(gen(c, fields[j]), `${show(p)} on ${show(c)}`).toBe(want);
          expect(clo(c, fields[j])).toBe(want);
          expect(gen(c)).toBe(evaluate(p, c, undefined, ctx));
        });
      }
    });
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(before);
    expect((globalThis as Record<string, unknown>)["__canary"]).toBeUndefined();
  });

  it("reads names Object.prototype has through hasOwnProperty, others with a plain keyed read", () => {
    const g = generatePredicate({ k: "and", args: [{ k: "set", value: { k: "attr", name: "constructor", rep: "string" } }, { k: "set", value: { k: "attr", name: "aum", rep: "number" } }] });
    expect(g.plainNames).toEqual(["aum"]);
    expect(g.source).toMatch(/H\.call\(a, k\d+\) \? a\[k\d+\] : null/);
    expect(compilePredicate({ k: "set", value: { k: "attr", name: "toString", rep: "string" } })(ctx)({ id: "x", attrs: {}, tags: new Set() })).toBe(false);
    expect(compilePredicate({ k: "set", value: { k: "field", name: "__proto__", rep: "string" } })(ctx)({ id: "x", attrs: {}, tags: new Set() }, {})).toBe(false);
  });

  it("switches to checked reads when Object.prototype gains a name after compilation (pollution)", () => {
    const name = "campaignPollutionProbe";
    const p: Pred = { k: "cmp", op: ">", left: { k: "attr", name, rep: "number" }, right: { k: "const", value: 1, rep: "number" } };
    const compiled = compilePredicate(p);
    const c: CustomerRecord = { id: "x", attrs: {}, tags: new Set() };
    const own: CustomerRecord = { id: "y", attrs: { [name]: 5 }, tags: new Set() };
    try {
      Object.defineProperty(Object.prototype, name, { value: 5, configurable: true, writable: true });
      const bound = compiled(ctx);
      expect(bound(c)).toBe(false);
      expect(evaluate(p, c, undefined, ctx)).toBe(false);
      expect(bound(own)).toBe(true);
    } finally {
      delete (Object.prototype as Record<string, unknown>)[name];
    }
    expect(compiled(ctx)(c)).toBe(false);
  });

  it("generated code and the closure fallback agree with the interpreter on random predicates, events included", () => {
    fc.assert(
      fc.property(
        ctxArb.chain((ctx) => fc.record({ ctx: fc.constant(ctx), pred: predArb(EVENT_SCOPE), customers: fc.array(customerArb(ctx, EVENT_SCOPE), { minLength: 12, maxLength: 12 }) })),
        ({ ctx, pred, customers }) => {
          const records = toRecords(customers);
          const gen = compilePredicateGenerated(pred)(ctx);
          const clo = compilePredicateClosures(pred)(ctx);
          records.forEach((c, i) => {
            const f = customers[i]?.fields as EventFields;
            const want = evaluate(pred, c, f, ctx);
            if (gen(c, f) !== want || clo(c, f) !== want) throw new Error(`disagree: ${show(pred)}\n${show(c)}\n${show(f)}\n${generatePredicate(pred).source}`);
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("tag bit columns", () => {
  const catalog = liteCatalog();

  it("assigns bits in the order of the catalog's tags, 52 to a column, avoiding attribute names", () => {
    const bits = tagBits(catalog);
    expect([...bits.keys()]).toEqual([...new Set(TAG_POOL)]);
    expect([...bits.values()].map((b) => b.mask)).toEqual(TAG_POOL.map((_t, i) => 2 ** i));
    expect(tagBitColumnNames(catalog)).toEqual(["tag_bits_0"]);
    const many = liteCatalog([{ name: "TAG_BITS_1", type: { t: "int" } }], Array.from({ length: 2 * TAG_BITS_PER_COLUMN + 1 }, (_x, i) => `t${i}`));
    expect(tagBitColumnNames(many)).toEqual(["tag_bits_0", "tag_bits_1_", "tag_bits_2"]);
    expect(tagBits(many).get(`t${TAG_BITS_PER_COLUMN}`)).toMatchObject({ columnIndex: 1, mask: 1, column: '"tag_bits_1_"' });
    expect(customerTablesDDL(many)[0]).toContain('"tag_bits_1_" INTEGER');
    expect(tagBitColumnNames({ attributes: [] })).toEqual([]);
  });

  it("merges the tag tests of an `and` into one bound mask test, and keeps tags outside the catalog in customer_tags", () => {
    const p: Pred = { k: "and", args: [{ k: "tag", tag: "payroll" }, { k: "not", arg: { k: "tag", tag: "staff" } }, { k: "label", label: "x", pred: { k: "not", arg: { k: "tag", tag: "wealth_holder" } } }, { k: "tag", tag: "not in catalog" }] };
    const { sql, params } = compileSql(p, catalog, ctx);
    expect(sql.match(/"tag_bits_0" & \?/g)?.length).toBe(1);
    expect(params.slice(0, 2)).toEqual([1 + 2 + 4, 1]);
    expect(sql).toContain('"id" IN (SELECT "customer_id" FROM "customer_tags" WHERE "tag" = ?)');
    expect(params).toContain("not in catalog");
  });

  it("agrees with the interpreter with bits filled, NULL for some rows, and refreshed from customer_tags", () => {
    fc.assert(
      fc.property(
        ctxArb.chain((ctx) => fc.record({ ctx: fc.constant(ctx), pred: predArb(AUDIENCE_SCOPE), customers: fc.array(customerArb(ctx, AUDIENCE_SCOPE), { minLength: 16, maxLength: 16 }) })),
        ({ ctx, pred, customers }) => {
          const records = toRecords(customers);
          const want = records.filter((c) => evaluate(pred, c, undefined, ctx)).map((c) => c.id).sort();
          const db = new Database(":memory:");
          try {
            createCustomerTables(db, catalog);
            insertCustomers(db, catalog, records);
            expect(selectAudience(db, pred, catalog, ctx)).toEqual(want);
            db.exec(`UPDATE "customers" SET "tag_bits_0" = NULL WHERE rowid % 2 = 0`);
            expect(selectAudience(db, pred, catalog, ctx)).toEqual(want);
            refreshTagBits(db, catalog);
            expect((db.prepare(`SELECT count(*) AS n FROM "customers" WHERE "tag_bits_0" IS NULL`).get() as { n: number }).n).toBe(0);
            expect(selectAudience(db, pred, catalog, ctx)).toEqual(want);
          } finally {
            db.close();
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
