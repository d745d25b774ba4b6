/**
 * Hostile text in every string and name slot of predicates (attribute names,
 * field names, tag names, string constants, enum values, `in` members,
 * labels) and of customer data (ids, values, tags): no backend runs it as
 * code (a global canary stays untouched, Object.prototype is unchanged), the
 * SQL text carries values only as `?` and names only double-quoted from the
 * catalog, the customers table survives, and the results still agree with
 * the interpreter.
 */
import Database from "better-sqlite3";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { compilePredicate } from "../codegen/js.ts";
import { compileSql, SqlCompileError } from "../codegen/sql.ts";
import { LayoutError, customerTablesDDL, quoteIdent } from "../data/layout.ts";
import { createCustomerTables, insertCustomers, selectAudience } from "../data/load.ts";
import { toCustomerRecord } from "../data/customerRecord.ts";
import { evaluate, trace } from "../interp/interpret.ts";
import type { CustomerRecord, EvalContext, EventFields, Pred, Rep, ValueExpr } from "../ir/predicate.ts";
import type { AttributeTypePlan, FieldPlan } from "../plan/types.ts";
import { agree } from "./arbitraries/agree.ts";
import { liteCatalog } from "./arbitraries/predicates.ts";

const CANARY = "__canary";

import { HOSTILE } from "./arbitraries/hostile.ts";

export { HOSTILE };

/** Names that can be SQL columns: no NUL, and not `id` in any ASCII case (the id column). */
const NAMEABLE = HOSTILE.filter((h) => !h.includes("\u0000") && h.toLowerCase() !== "id");

const TYPES: readonly { type: AttributeTypePlan; rep: Rep }[] = [
  { type: { t: "string" }, rep: "string" },
  { type: { t: "money", currency: "CNY" }, rep: "number" },
  { type: { t: "date" }, rep: "date" },
  { type: { t: "bool" }, rep: "bool" },
  { type: { t: "datetime" }, rep: "datetime" },
  { type: { t: "int" }, rep: "number" },
];

/** Every nameable hostile string as an attribute, once as a string and once (suffixed) with another type. */
const ATTRIBUTES: FieldPlan[] = NAMEABLE.flatMap((name, i) => {
  const other = TYPES[1 + (i % (TYPES.length - 1))] as { type: AttributeTypePlan };
  return [
    { name, type: { t: "string" } },
    { name: `${name}·${other.type.t}`, type: other.type },
  ];
});
const ENUM_ATTR: FieldPlan = { name: "kind", type: { t: "enum", values: HOSTILE.filter((h) => !h.includes("\u0000")) } };
const catalog = liteCatalog([...ATTRIBUTES, ENUM_ATTR, { name: "tags", type: { t: "tags" } }], HOSTILE);
const repOf = (name: string): Rep => {
  const a = [...ATTRIBUTES, ENUM_ATTR].find((x) => x.name === name);
  return TYPES.find((t) => t.type.t === a?.type.t)?.rep ?? "string";
};

const ctx: EvalContext = { now: Date.UTC(2026, 11, 2, 2, 0), zone: "Asia/Shanghai" };

function hostileValue(rep: Rep, i: number): unknown {
  switch (rep) {
    case "string":
      return HOSTILE[i % HOSTILE.length];
    case "number":
      return i % 3 === 0 ? null : i;
    case "date":
      return i % 2 ? "2000-12-02" : HOSTILE[i % HOSTILE.length];
    case "bool":
      return i % 2 === 0;
    case "datetime":
      return i % 2 ? ctx.now - i * 86_400_000 : HOSTILE[i % HOSTILE.length];
  }
}

/** Customers whose ids, values and tags are all hostile. */
const customers: CustomerRecord[] = HOSTILE.map((h, i) => {
  const attrs: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const a of [...ATTRIBUTES, ENUM_ATTR]) attrs[a.name] = hostileValue(repOf(a.name), i + a.name.length);
  attrs["kind"] = HOSTILE[(i * 7) % HOSTILE.length];
  return { id: h, attrs: attrs as CustomerRecord["attrs"], tags: new Set([h, HOSTILE[(i + 1) % HOSTILE.length] as string]) };
});

function predsFor(h: string, i: number): Pred[] {
  const name = NAMEABLE[i % NAMEABLE.length] as string;
  const typed = `${name}·${(ATTRIBUTES.find((a) => a.name.startsWith(`${name}·`))?.type.t ?? "string")}`;
  const attr: ValueExpr = { k: "attr", name, rep: "string" };
  const typedAttr: ValueExpr = { k: "attr", name: typed, rep: repOf(typed) };
  const str: ValueExpr = { k: "const", value: h, rep: "string" };
  return [
    { k: "cmp", op: "=", left: attr, right: str },
    { k: "not", arg: { k: "cmp", op: "!=", left: attr, right: str } },
    { k: "cmp", op: "<", left: str, right: attr },
    { k: "in", value: attr, set: [h, ...HOSTILE.slice(0, 3)] },
    { k: "in", value: { k: "attr", name: "kind", rep: "string" }, set: [h] },
    { k: "cmp", op: "=", left: { k: "attr", name: "kind", rep: "string" }, right: str },
    { k: "tag", tag: h },
    { k: "or", args: [{ k: "tag", tag: h }, { k: "set", value: typedAttr }] },
    { k: "label", label: h, pred: { k: "not", arg: { k: "tag", tag: h } } },
    { k: "anniversary", value: { k: "attr", name: `${name}·date`, rep: "date" }, fromDays: 0, toDays: 0 },
    { k: "cmp", op: ">=", left: typedAttr, right: typedAttr },
  ];
}

/** SQL text with its double-quoted identifiers removed: what is left must hold no hostile text. */
function withoutIdentifiers(sql: string): string {
  return sql.replace(/"(?:[^"]|"")*"/g, '""');
}

describe("hostile text never runs and never reaches SQL text", () => {
  let protoKeys: string[];
  beforeEach(() => {
    delete (globalThis as Record<string, unknown>)[CANARY];
    protoKeys = Object.getOwnPropertyNames(Object.prototype).sort();
  });
  afterEach(() => {
    expect((globalThis as Record<string, unknown>)[CANARY]).toBeUndefined();
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(protoKeys);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });

  it("attribute names, tag names, constants, enum values and labels: all backends agree, SQL binds every value", () => {
    const preds = HOSTILE.flatMap((h, i) => predsFor(h, i)).filter((p) => !(p.k === "anniversary" && !ATTRIBUTES.some((a) => a.name === (p.value.k === "attr" ? p.value.name : ""))));
    let selected = 0;
    for (const p of preds) {
      selected += agree(p, ctx, customers, customers.map(() => ({})), catalog).filter(Boolean).length;
      const { sql, params } = compileSql(p, catalog, ctx);
      const bare = withoutIdentifiers(sql);
      for (const h of HOSTILE) if (h.length > 1) expect(bare.includes(h), `${JSON.stringify(h)} in ${sql}`).toBe(false);
      expect(bare).not.toMatch(/'|--|;|\/\*|`/);
      expect(sql.includes("\u0000")).toBe(false);
      // Every `?` has its parameter.
      expect((bare.match(/\?/g) ?? []).length).toBe(params.length);
    }
    expect(selected).toBeGreaterThan(0);
    expect(preds.length).toBeGreaterThan(HOSTILE.length * 8);
  });

  it("the customers table survives loading and querying hostile data, with every row and tag intact", () => {
    const db = new Database(":memory:");
    try {
      createCustomerTables(db, catalog);
      insertCustomers(db, catalog, customers);
      for (const h of HOSTILE) selectAudience(db, { k: "tag", tag: h }, catalog, ctx);
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[];
      expect(tables.map((t) => t.name)).toEqual(["customer_tags", "customers"]);
      expect((db.prepare('SELECT count(*) AS n FROM "customers"').get() as { n: number }).n).toBe(customers.length);
      const ids = selectAudience(db, { k: "true" }, catalog, ctx);
      expect(ids).toEqual(customers.map((c) => c.id).sort());
      // Tags round-trip byte for byte.
      for (const h of HOSTILE) {
        const want = customers.filter((c) => c.tags.has(h)).map((c) => c.id).sort();
        expect(selectAudience(db, { k: "tag", tag: h }, catalog, ctx)).toEqual(want);
      }
    } finally {
      db.close();
    }
  });

  it("names SQL cannot hold are refused, not spliced: NUL, `id`, ASCII-case twins, unknown or retyped attributes, event fields", () => {
    expect(() => quoteIdent("a\u0000b")).toThrow(LayoutError);
    expect(() => customerTablesDDL({ attributes: [{ name: "ID", type: { t: "string" } }] })).toThrow(LayoutError);
    expect(() => customerTablesDDL({ attributes: [{ name: "aum", type: { t: "money", currency: "CNY" } }, { name: "AUM", type: { t: "int" } }] })).toThrow(LayoutError);
    expect(quoteIdent('a"b')).toBe('"a""b"');
    for (const h of HOSTILE) {
      expect(() => compileSql({ k: "cmp", op: "=", left: { k: "attr", name: `${h}\u0001`, rep: "string" }, right: { k: "const", value: "x", rep: "string" } }, catalog, ctx)).toThrow(SqlCompileError);
      expect(() => compileSql({ k: "set", value: { k: "field", name: h, rep: "string" } }, catalog, ctx)).toThrow(SqlCompileError);
    }
    // A name that exists but is read with another representation than the catalog's.
    expect(() => compileSql({ k: "set", value: { k: "attr", name: `${NAMEABLE[1]}·money`, rep: "string" } }, catalog, ctx)).toThrow(SqlCompileError);
  });

  it("event field names and values: the interpreter and compiled JS agree and read nothing inherited", () => {
    for (const h of HOSTILE) {
      const p: Pred = { k: "or", args: [{ k: "cmp", op: "=", left: { k: "field", name: h, rep: "string" }, right: { k: "const", value: h, rep: "string" } }, { k: "set", value: { k: "field", name: h, rep: "number" } }] };
      const own = JSON.parse(`{${JSON.stringify(h)}: ${JSON.stringify(h)}}`) as EventFields;
      const fields: EventFields[] = [Object.create(null) as EventFields, own, {}];
      const js = compilePredicate(p)(ctx);
      for (const f of fields) {
        const c = customers[0] as CustomerRecord;
        expect(js(c, f)).toBe(evaluate(p, c, f, ctx));
        expect(trace(p, c, f, ctx).result).toBe(evaluate(p, c, f, ctx));
      }
      // `{}` has no own field of any hostile name: nothing inherited is read; an own field is.
      expect(evaluate(p, customers[0] as CustomerRecord, {}, ctx)).toBe(false);
      expect(evaluate(p, customers[0] as CustomerRecord, own, ctx)).toBe(true);
    }
  });

  it("customer JSON with hostile keys and values converts without touching prototypes", () => {
    for (const h of HOSTILE) {
      const json = JSON.parse(`{"id": ${JSON.stringify(h)}, ${JSON.stringify(NAMEABLE[0])}: ${JSON.stringify(h)}, "__proto__": {"polluted": 1}, "tags": [${JSON.stringify(h)}]}`) as unknown;
      const { record, problems } = toCustomerRecord(catalog, json);
      expect(record.id).toBe(h);
      expect(record.tags.has(h)).toBe(true);
      expect(Object.getPrototypeOf(record.attrs)).toBeNull();
      // `__proto__` is a string attribute of this catalog: an object there is a type problem, not a prototype.
      expect(problems.some((p) => p.attribute === "__proto__" && p.message.startsWith("expected a string"))).toBe(true);
      expect(Object.prototype.hasOwnProperty.call(record.attrs, "__proto__")).toBe(false);
    }
  });

  it("random hostile strings in constants, tags and data agree across backends", () => {
    const hostileArb = fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ unit: "binary", maxLength: 8 }).map((s) => s.replace(/[\uD800-\uDFFF]/g, "")));
    fc.assert(
      fc.property(fc.array(hostileArb, { minLength: 4, maxLength: 10 }), fc.nat({ max: NAMEABLE.length - 1 }), (strings, n) => {
        const name = NAMEABLE[n] as string;
        const cs: CustomerRecord[] = strings.map((s, i) => ({ id: `${s}#${i}`, attrs: { [name]: strings[(i + 1) % strings.length] ?? null }, tags: new Set([s]) }));
        for (const s of strings) {
          const p: Pred = { k: "or", args: [{ k: "tag", tag: s }, { k: "cmp", op: ">", left: { k: "attr", name, rep: "string" }, right: { k: "const", value: s, rep: "string" } }] };
          agree(p, ctx, cs, cs.map(() => ({})), catalog);
          expect(withoutIdentifiers(compileSql(p, catalog, ctx).sql)).not.toContain("'");
        }
      }),
      { numRuns: 60 },
    );
  });
});
