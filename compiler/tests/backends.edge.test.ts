/**
 * Edge cases the random generator reaches too rarely, run exhaustively
 * through all three backends, and the documented semantics pinned on the
 * oracle itself (spec/null-semantics.md): missing values, NaN and Infinity,
 * division by zero, -0, integer columns, string order by code point, time
 * anchors across daylight-saving changes, anniversaries and Feb 29.
 */
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { evaluate } from "../interp/interpret.ts";
import type { CmpOp, CustomerRecord, EvalContext, Pred, ValueExpr } from "../ir/predicate.ts";
import { anniversaryKeys, resolveTime } from "../time/resolve.ts";
import { agree } from "./arbitraries/agree.ts";
import { liteCatalog } from "./arbitraries/predicates.ts";

const catalog = liteCatalog();
const ctx: EvalContext = { now: Date.UTC(2026, 11, 2, 2, 0), zone: "Asia/Shanghai" };
const attr = (name: string, rep: ValueExpr extends infer V ? (V extends { rep: infer R } ? R : never) : never = "number"): ValueExpr => ({ k: "attr", name, rep });
const num = (value: number): ValueExpr => ({ k: "const", value, rep: "number" });
const ar = (op: "+" | "-" | "*" | "/", left: ValueExpr, right: ValueExpr): ValueExpr => ({ k: "arith", op, left, right });
const cmp = (op: CmpOp, left: ValueExpr, right: ValueExpr): Pred => ({ k: "cmp", op, left, right });
const customer = (id: string, attrs: Record<string, unknown>, tags: string[] = []): CustomerRecord => ({ id, attrs: attrs as CustomerRecord["attrs"], tags: new Set(tags) });

describe("edge cases agree across backends", () => {
  const aum = attr("aum");
  const bal = attr("balance");
  const age = attr("age");
  const ten = attr("tenure");
  const values: ValueExpr[] = [
    aum,
    age,
    ar("/", age, ten),
    ar("/", aum, bal),
    ar("/", aum, num(0)),
    ar("/", aum, num(-0)),
    ar("*", aum, bal),
    ar("-", ar("*", aum, bal), ar("*", aum, bal)),
    ar("*", ar("*", aum, bal), num(0)),
    ar("/", ar("*", aum, bal), ar("*", aum, bal)),
    ar("+", age, ten),
    ar("*", age, ten),
    { k: "neg", arg: ar("-", age, ten) },
    { k: "neg", arg: { k: "neg", arg: aum } },
    ar("-", num(0), aum),
  ];
  const constants = [0, -0, 1, 3, 3.5, -1, 1e15, 2 ** 53, Number.POSITIVE_INFINITY];
  const preds: Pred[] = [];
  for (const v of values) {
    preds.push({ k: "set", value: v }, { k: "not", arg: { k: "set", value: v } });
    for (const op of ["=", "!=", "<", "<=", ">", ">="] as const) {
      for (const c of constants) {
        const p = cmp(op, v, c === Number.POSITIVE_INFINITY ? ar("*", num(1e308), num(10)) : num(c));
        preds.push(p, { k: "not", arg: p });
      }
    }
  }
  const customers = [
    customer("missing", {}),
    customer("nulls", { aum: null, balance: null, age: null, tenure: null }),
    customer("zeros", { aum: 0, balance: 0, age: 0, tenure: 0 }),
    customer("negzero", { aum: -0, balance: -0, age: -0, tenure: 1 }),
    customer("huge", { aum: 1e300, balance: 1e300, age: 7, tenure: 2 }),
    customer("max", { aum: 1.7976931348623157e308, balance: -1e300, age: -7, tenure: 2 }),
    customer("ints", { aum: 7, balance: 2, age: 7, tenure: 2 }),
    customer("bigints", { aum: 2 ** 53 - 1, balance: 2, age: 2 ** 53 - 1, tenure: 2 }),
    customer("exactsum", { aum: 1e15, balance: 1e15, age: 9007199254740990, tenure: 3 }),
    customer("tiny", { aum: 1e-9, balance: -1e-9, age: 1, tenure: -1 }),
    customer("junk", { aum: "12", balance: Number.NaN, age: Number.POSITIVE_INFINITY, tenure: true }),
    customer("products", { aum: 123456789, balance: 987654321, age: 123456789, tenure: 987654321 }),
  ];

  it(`${preds.length} predicates × ${customers.length} customers over arithmetic, NaN, Infinity, -0 and integer columns`, () => {
    let selected = 0;
    for (const p of preds) selected += agree(p, ctx, customers, customers.map(() => ({})), catalog).filter(Boolean).length;
    expect(selected).toBeGreaterThan(0);
  });

  it("strings compare by code point in every backend (UTF-16 order differs)", () => {
    const name = attr("name", "string");
    const ps: Pred[] = ["\uFF01", "😀", "\uE000", "a", "", "a\u0000b", "a\u0000"].flatMap((s) => (["<", "<=", ">", "=", "!="] as const).map((op) => cmp(op, name, { k: "const", value: s, rep: "string" })));
    const cs = ["\uFF01", "😀", "\uE000", "a", "", "a\u0000b", "a\u0000c", "\uD800", "\uDC00x"].map((s, i) => customer(`s${i}`, { name: s }));
    for (const p of ps) agree(p, ctx, cs, cs.map(() => ({})), catalog);
    expect(evaluate(cmp("<", name, { k: "const", value: "😀", rep: "string" }), customer("x", { name: "\uFF01" }), {}, ctx)).toBe(true);
  });
});

describe("the oracle's documented semantics", () => {
  const ev = (p: Pred, attrs: Record<string, unknown>, tags: string[] = []): boolean => evaluate(p, customer("c", attrs, tags), {}, ctx);
  const aumGt5 = cmp(">", attr("aum"), num(5));

  it("a missing value makes a comparison false, and `not` simply negates", () => {
    expect(ev(aumGt5, {})).toBe(false);
    expect(ev(aumGt5, { aum: null })).toBe(false);
    expect(ev({ k: "not", arg: aumGt5 }, {})).toBe(true);
    expect(ev(cmp("!=", attr("aum"), num(5)), {})).toBe(false);
  });

  it("division by zero and NaN are missing; Infinity is kept", () => {
    expect(ev({ k: "set", value: ar("/", attr("aum"), num(0)) }, { aum: 1 })).toBe(false);
    expect(ev({ k: "set", value: ar("-", ar("*", attr("aum"), num(10)), ar("*", attr("aum"), num(10))) }, { aum: 1e308 })).toBe(false);
    expect(ev(cmp(">", ar("*", attr("aum"), num(10)), num(1e308)), { aum: 1e308 })).toBe(true);
    expect(ev(cmp("=", ar("/", attr("age"), attr("tenure")), num(3.5)), { age: 7, tenure: 2 })).toBe(true);
  });

  it("ill-typed values are missing, and different representations never compare", () => {
    expect(ev(aumGt5, { aum: "12" })).toBe(false);
    expect(ev({ k: "set", value: attr("aum") }, { aum: Number.NaN })).toBe(false);
    expect(ev(cmp("=", attr("lastLogin", "datetime"), attr("aum")), { lastLogin: 5, aum: 5 })).toBe(false);
    expect(ev({ k: "in", value: attr("aum"), set: ["12"] }, { aum: 12 })).toBe(false);
    expect(ev({ k: "in", value: attr("aum"), set: [12, -0] }, { aum: 0 })).toBe(true);
    expect(ev(cmp("=", attr("constructor", "string"), { k: "const", value: "x", rep: "string" }), {})).toBe(false);
    expect(ev({ k: "set", value: attr("toString", "string") }, {})).toBe(false);
  });

  it("relative time is read in the catalog zone", () => {
    // 2026-12-02T02:00Z is 10:00 in Shanghai: today is Dec 2 there.
    expect(resolveTime("today", { amount: 0, unit: "day" }, ctx)).toBe("2026-12-02");
    expect(resolveTime("startOfToday", { amount: 0, unit: "day" }, ctx)).toBe(Date.UTC(2026, 11, 1, 16, 0));
    expect(resolveTime("today", { amount: 0, unit: "day" }, { ...ctx, zone: "America/New_York" })).toBe("2026-12-01");
    expect(resolveTime("today", { amount: -1, unit: "month" }, { now: Date.UTC(2026, 2, 31, 12), zone: "UTC" })).toBe("2026-02-28");
  });

  it("calendar shifts keep the local clock across daylight-saving changes; hours are elapsed time", () => {
    // 10:00 in New York on Mar 8, 2026, hours after clocks sprang forward.
    const at: EvalContext = { now: DateTime.fromISO("2026-03-08T10:00", { zone: "America/New_York" }).toMillis(), zone: "America/New_York" };
    const dayBefore = resolveTime("now", { amount: -1, unit: "day" }, at) as number;
    expect(DateTime.fromMillis(dayBefore, { zone: "America/New_York" }).toFormat("yyyy-MM-dd HH:mm")).toBe("2026-03-07 10:00");
    expect(at.now - dayBefore).toBe(23 * 3_600_000);
    expect(at.now - (resolveTime("now", { amount: -24, unit: "hour" }, at) as number)).toBe(24 * 3_600_000);
    // Berlin falls back on Oct 25, 2026: that day is 25 hours long.
    const berlin: EvalContext = { now: DateTime.fromISO("2026-10-25T12:00", { zone: "Europe/Berlin" }).toMillis(), zone: "Europe/Berlin" };
    const start = resolveTime("startOfToday", { amount: 0, unit: "day" }, berlin) as number;
    const next = resolveTime("startOfToday", { amount: 1, unit: "day" }, berlin) as number;
    expect(next - start).toBe(25 * 3_600_000);
  });

  it("anniversaries: the window is inclusive, and Feb 29 recurs on Feb 28 in other years", () => {
    const bday = (d: string, from: number, to: number, now: EvalContext): boolean => evaluate({ k: "anniversary", value: attr("birthday", "date"), fromDays: from, toDays: to }, customer("c", { birthday: d }), {}, now);
    const feb28 = { now: Date.UTC(2026, 1, 28, 4), zone: "Asia/Shanghai" };
    const feb28leap = { now: Date.UTC(2028, 1, 28, 4), zone: "Asia/Shanghai" };
    const feb29leap = { now: Date.UTC(2028, 1, 29, 4), zone: "Asia/Shanghai" };
    expect(bday("1984-02-29", 0, 0, feb28)).toBe(true);
    expect(bday("1984-02-29", 0, 0, feb28leap)).toBe(false);
    expect(bday("1984-02-29", 0, 0, feb29leap)).toBe(true);
    expect(bday("1990-02-28", 0, 0, feb28)).toBe(true);
    expect(bday("1990-03-01", 1, 1, feb28)).toBe(true);
    expect(bday("1990-03-07", 0, 7, feb28)).toBe(true);
    expect(bday("1990-03-08", 0, 7, feb28)).toBe(false);
    expect(bday("1990-02-27", -1, 0, feb28)).toBe(true);
    expect(anniversaryKeys(3, 1, feb28).size).toBe(0);
    expect(anniversaryKeys(-400, 400, feb28).size).toBe(366);
    expect(bday("1990-02-28", 0, 0, { now: Date.UTC(2026, 1, 27, 20), zone: "UTC" })).toBe(false);
    // The same instant is already Feb 28 in Shanghai.
    expect(bday("1990-02-28", 0, 0, { now: Date.UTC(2026, 1, 27, 20), zone: "Asia/Shanghai" })).toBe(true);
  });
});
