/**
 * The dry-run's parts on their own: display widths and tables, local times,
 * the relaxed pre-filter (a superset of the audience on any values of the
 * updated attributes), and the aggregator's arithmetic (uplift interval,
 * wave accounting, stages).
 */
import fc from "fast-check";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { CampaignAgg } from "../../cli/dryrun/aggregate.ts";
import { relax } from "../../cli/dryrun/prefilter.ts";
import { parseInstant, ZoneClock } from "../../cli/dryrun/time.ts";
import { displayWidth, table } from "../../cli/dryrun/width.ts";
import { compilePredicate } from "../../compiler/codegen/js.ts";
import type { CustomerRecord, RuntimeValue } from "../../compiler/ir/predicate.ts";
import type { Plan } from "../../compiler/plan/types.ts";
import { checkProgram } from "../../compiler/program.ts";
import type { JourneyEntry } from "../../runtime/index.ts";
import { repoRoot } from "../cli/run.ts";

function examplePlans(): Plan[] {
  const files: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (e.name.endsWith(".campaign")) files.push(join(d, e.name));
    }
  };
  walk(join(repoRoot, "examples"));
  const program = checkProgram(files.map((f) => ({ path: f, text: readFileSync(f, "utf8") })));
  return program.campaigns.map((c) => c.plan);
}

describe("display width", () => {
  it("counts CJK characters as two columns and marks as none", () => {
    expect(displayWidth("abc")).toBe(3);
    expect(displayWidth("代发客户")).toBe(8);
    expect(displayWidth("生日关怀 ok")).toBe(11);
    expect(displayWidth("ｆｕｌｌ")).toBe(8);
    expect(displayWidth("e\u0301")).toBe(1);
  });

  it("aligns table columns by display width", () => {
    const t = table(["name", "n"], [["代发客户登录理财推荐", "1"], ["birthday", "22"]]).split("\n");
    const widths = t.map((l) => displayWidth(l));
    expect(new Set(widths).size).toBe(1);
    expect(t[2]).toBe("代发客户登录理财推荐   1");
  });
});

describe("local times", () => {
  it("formats instants in a zone like luxon does, across daylight-saving changes and half-hour offsets", () => {
    for (const zone of ["Asia/Shanghai", "Europe/London", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"]) {
      const clock = new ZoneClock(zone);
      fc.assert(
        fc.property(fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2028, 0, 1) }), (ms) => {
          const d = DateTime.fromMillis(ms, { zone });
          expect(clock.iso(ms)).toBe(d.toISO({ suppressMilliseconds: true }));
          expect(clock.day(ms)).toBe(d.toISODate());
          expect(Date.parse(clock.iso(ms))).toBe(ms);
        }),
        { numRuns: 300 },
      );
    }
  });

  it("lists local days, 23- and 25-hour days included", () => {
    const clock = new ZoneClock("Europe/London");
    const from = DateTime.fromISO("2026-03-28", { zone: "Europe/London" }).toMillis();
    const to = DateTime.fromISO("2026-04-01", { zone: "Europe/London" }).toMillis();
    expect(clock.days(from, to)).toEqual(["2026-03-28", "2026-03-29", "2026-03-30", "2026-03-31"]);
    expect(clock.dayEnd("2026-03-29") - DateTime.fromISO("2026-03-29", { zone: "Europe/London" }).toMillis()).toBe(23 * 3_600_000);
  });

  it("reads --from and --to; a date alone as the end includes that day", () => {
    const z = "Asia/Shanghai";
    expect(parseInstant("2026-12-01", z, false)).toBe(Date.parse("2026-12-01T00:00:00+08:00"));
    expect(parseInstant("2026-12-07", z, true)).toBe(Date.parse("2026-12-08T00:00:00+08:00"));
    expect(parseInstant("2026-12-01T09:30", z, true)).toBe(Date.parse("2026-12-01T09:30:00+08:00"));
    expect(parseInstant("2026-12-01T09:30Z", z, false)).toBe(Date.parse("2026-12-01T09:30:00Z"));
    expect(parseInstant("tomorrow", z, false)).toBeUndefined();
    expect(parseInstant("2026-02-30", z, false)).toBeUndefined();
  });
});

describe("relaxed pre-filter", () => {
  const plans = examplePlans();
  const catalog = plans[0]!.catalog;
  const updated = new Set(["aum", "tier", "aumLevel", "depositBalance"]);
  const value = (t: Plan["catalog"]["attributes"][number]["type"]): fc.Arbitrary<RuntimeValue> => {
    switch (t.t) {
      case "money":
      case "number":
        return fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 3_000_000 }));
      case "score":
        return fc.oneof(fc.constant(null), fc.double({ min: 0, max: 1, noNaN: true }));
      case "int":
        return fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 90 }));
      case "enum":
        return fc.oneof(fc.constant(null), fc.constantFrom(...t.values));
      case "bool":
        return fc.oneof(fc.constant(null), fc.boolean());
      case "date":
        return fc.oneof(fc.constant(null), fc.constantFrom("1980-12-01", "1990-06-15", "2026-06-01", "2025-12-01"));
      case "datetime":
        return fc.oneof(fc.constant(null), fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2026, 11, 1) }));
      default:
        return fc.oneof(fc.constant(null), fc.constantFrom("x", "B01", "Asia/Shanghai"));
    }
  };
  const attrs = catalog.attributes.filter((a) => a.type.t !== "tags");
  const record = fc.record({
    attrs: fc.tuple(...attrs.map((a) => value(a.type))).map((vs) => Object.fromEntries(attrs.map((a, i) => [a.name, vs[i] ?? null]))),
    tags: fc.subarray(catalog.tags.map((t) => t.name)),
  });
  const now = Date.parse("2026-12-01T10:00:00+08:00");

  it("admits everyone the audience admits, whatever the updated attributes hold", () => {
    for (const plan of plans) {
      const strict = compilePredicate(plan.audience)({ now, zone: catalog.zone });
      const loose = compilePredicate(relax(plan.audience, updated))({ now, zone: catalog.zone });
      fc.assert(
        fc.property(record, (r) => {
          const c: CustomerRecord = { id: "c", attrs: r.attrs, tags: new Set(r.tags) };
          if (strict(c)) expect(loose(c), plan.campaign.id).toBe(true);
        }),
        { numRuns: 400 },
      );
    }
  });

  it("keeps the conditions on attributes that do not change, and drops the others", () => {
    const birthday = plans.find((p) => p.campaign.id === "birthday_care")!;
    const r = relax(birthday.audience, new Set(["tier"]));
    const text = JSON.stringify(r);
    expect(text).toContain("anniversary");
    expect(text).not.toContain('"tier"');
    expect(text).toContain("staff");
    // Under a `not` a dropped condition becomes false, so the `not` lets everyone through.
    const aum = { k: "cmp", op: ">", left: { k: "attr", name: "aum", rep: "number" }, right: { k: "lit", value: 5 } } as unknown as Parameters<typeof relax>[0];
    expect(relax({ k: "not", arg: aum }, new Set(["aum"]))).toEqual({ k: "not", arg: { k: "false" } });
    expect(relax({ k: "and", args: [aum, { k: "tag", tag: "x" }] }, new Set(["aum"]))).toEqual({ k: "and", args: [{ k: "true" }, { k: "tag", tag: "x" }] });
  });
});

describe("aggregation", () => {
  const plan = examplePlans().find((p) => p.campaign.id === "payroll_login_wealth")!;
  const clock = new ZoneClock(plan.catalog.zone);
  const at = Date.parse("2026-12-02T10:00:00+08:00");
  const line = (kind: JourneyEntry["kind"], customerId: string, extra: Partial<JourneyEntry> = {}): JourneyEntry => ({ kind, at, campaign: plan.campaign.id, customerId, ...extra });

  it("computes uplift with a 95% interval by the normal approximation", () => {
    const agg = new CampaignAgg(plan, "f", clock, undefined);
    for (let i = 0; i < 100; i++) {
      agg.line(line("entry", `t${i}`, { group: "treated" }), undefined);
      if (i < 20) agg.line(line("conversion", `t${i}`, { group: "treated" }), undefined);
      agg.line(line("entry", `h${i}`, { group: "holdout" }), undefined);
      if (i < 10) agg.line(line("conversion", `h${i}`, { group: "holdout" }), undefined);
    }
    const r = agg.report([], { from: "", to: "" });
    // se = sqrt(.2 × .8 / 100 + .1 × .9 / 100) = 0.05
    expect(r.conversions.uplift?.difference).toBeCloseTo(0.1, 10);
    expect(r.conversions.uplift?.low).toBeCloseTo(0.1 - 1.96 * 0.05, 10);
    expect(r.conversions.uplift?.high).toBeCloseTo(0.1 + 1.96 * 0.05, 10);
    // Converted entries have their 3 waves cancelled; the others are pending.
    expect(r.accounting).toEqual({ treatedEntries: 100, waves: 3, touched: 0, skipped: 0, suppressed: 0, cancelled: 60, pending: 240, balanced: true });
  });

  it("says not enough data when a group is empty", () => {
    const agg = new CampaignAgg(plan, "f", clock, undefined);
    agg.line(line("entry", "t1", { group: "treated" }), undefined);
    const r = agg.report([], { from: "", to: "" });
    expect(r.conversions.uplift).toBeNull();
    expect(r.conversions.upliftNote).toMatch(/^not enough data/);
  });

  it("resolves waves in order, counts deferred-then-resolved, and sorts suppressions into stages", () => {
    const agg = new CampaignAgg(plan, "f", clock, undefined);
    agg.line(line("entry", "a", { group: "treated" }), undefined);
    agg.line(line("touch", "a", { wave: 1, channel: "app_push", amount: 0 }), undefined);
    agg.line(line("deferral", "a", { wave: 2, channel: "sms", reason: "quiet-hours", rule: "quiet" }), undefined);
    agg.line(line("touch", "a", { wave: 2, channel: "sms", amount: 0.05 }), undefined);
    agg.line(line("deferral", "a", { wave: 3, channel: "rm_task", reason: "cap", rule: "cap" }), undefined);
    agg.line(line("entry", "b", { group: "treated" }), undefined);
    agg.line(line("suppression", "b", { wave: 1, reason: "do-not-contact", rule: "policy marketing: exclude" }), undefined);
    agg.line(line("conversion", "b", { group: "treated" }), undefined);
    agg.line(line("suppression", "b", { reason: "budget", rule: "budget 500000 total", amount: 20 }), undefined);
    agg.line(line("suppression", "c", { reason: "do-not-contact", rule: "policy marketing: exclude; not entered" }), undefined);
    const r = agg.report([], { from: "", to: "" });
    expect(r.waves.map((w) => [w.touched, w.suppressed, w.cancelled, w.pending, w.deferredThenResolved, w.pendingDeferred])).toEqual([
      [1, 1, 0, 0, 0, 0],
      [1, 0, 1, 0, 1, 0],
      [0, 0, 1, 1, 0, 1],
    ]);
    expect(r.suppressions.rules.map((x) => `${x.stage} ${x.reason}`).sort()).toEqual(["entry do-not-contact", "payout budget", "wave do-not-contact"]);
    expect(r.payouts.budgetSuppressed).toEqual({ count: 1, amount: 20 });
    expect(r.touches.byChannel).toEqual({ app_push: 1, sms: 1 });
    expect(r.cost.touches).toBe(0.05);
  });
});
