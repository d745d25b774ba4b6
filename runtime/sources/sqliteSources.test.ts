/**
 * The SQLite customer and event sources over a small generated bank (written
 * in process with the sample-data generator), and their errors on databases
 * that do not fit the catalog.
 */
import Database from "better-sqlite3";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSampleBank } from "../../cli/sample/generate.ts";
import { parseIsoDate } from "../../cli/sample/dates.ts";
import { createCustomerTables, insertCustomers } from "../../compiler/data/load.ts";
import { checkProgram } from "../../compiler/program.ts";
import type { Plan } from "../../compiler/plan/types.ts";
import { DataSourceError, prefilterForPlans, readsClock, SqliteCustomerSource } from "./sqliteCustomers.ts";
import { SqliteEventSource } from "./sqliteEvents.ts";

const root = join(import.meta.dirname, "../..");
let dir = "";
let path = "";
let plans: Plan[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "campaign-sources-"));
  path = join(dir, "bank.db");
  const files = ["examples/catalog/retail.campaign", "examples/segments/common.campaign", "examples/dormant_wakeup.campaign", "examples/churn_early_warning.campaign", "examples/mgm_referral.campaign"];
  const program = checkProgram(files.map((f) => ({ path: f, text: readFileSync(join(root, f), "utf8") })));
  plans = program.campaigns.map((c) => c.plan);
  const db = new Database(path);
  generateSampleBank(db, plans[0]!.catalog, { customers: 400, days: 10, start: "2026-12-01", seed: 3 }, parseIsoDate("2026-12-01")!);
  db.close();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("SqliteCustomerSource", () => {
  it("converts columns back to runtime values by catalog type, with tags", () => {
    const src = SqliteCustomerSource.open(path, plans[0]!.catalog);
    const all = [...src.scan()];
    expect(all.length).toBe(400);
    expect(all.map((c) => c.id)).toEqual([...all.map((c) => c.id)].sort());
    const withLogin = all.find((c) => c.attrs["lastLogin"] !== null)!;
    expect(typeof withLogin.attrs["lastLogin"]).toBe("number");
    expect(withLogin.attrs["birthday"]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(typeof withLogin.attrs["appUser"]).toBe("boolean");
    expect(typeof withLogin.attrs["aum"]).toBe("number");
    expect(all.some((c) => c.attrs["appUser"] === false)).toBe(true);
    expect(all.some((c) => c.tags.has("payroll"))).toBe(true);
    const payroll = all.find((c) => c.tags.has("payroll"))!;
    expect(src.get(payroll.id)).toEqual(payroll);
    expect(src.get("nobody")).toBeUndefined();
    expect(src.count()).toBe(400);
    expect(src.distinctValues("zone")).toContain("Asia/Shanghai");
    src.close();
  });

  it("caches get() (LRU) until clearCache()", () => {
    const writer = new Database(path);
    const src = new SqliteCustomerSource(new Database(path, { readonly: true }), plans[0]!.catalog, { cacheSize: 2 });
    const [a, b, c] = [...src.scan()].slice(0, 3).map((x) => x.id) as [string, string, string];
    const before = src.get(a)!.attrs["age"];
    writer.prepare(`UPDATE customers SET age = 123 WHERE id = ?`).run(a);
    expect(src.get(a)!.attrs["age"]).toBe(before); // cached
    src.get(b);
    src.get(c); // evicts a (least recently used)
    expect(src.get(a)!.attrs["age"]).toBe(123);
    writer.prepare(`UPDATE customers SET age = ? WHERE id = ?`).run(before, a);
    src.clearCache();
    expect(src.get(a)!.attrs["age"]).toBe(before);
    writer.close();
    src.close();
  });

  it("pre-filters a campaign's scan with its audience SQL, only when that is safe", () => {
    const churn = plans.find((p) => p.campaign.id === "churn_early_warning")!;
    const dormant = plans.find((p) => p.campaign.id === "dormant_wakeup")!;
    expect(readsClock(churn.audience)).toBe(false);
    expect(readsClock(dormant.audience)).toBe(true);
    const now = Date.UTC(2026, 11, 5, 2);
    const prefilter = prefilterForPlans(plans);
    expect(prefilter("dormant_wakeup")).toBeUndefined(); // reads the clock and no `now` was given
    expect(prefilterForPlans(plans, { updated: new Set(["aum"]) })("churn_early_warning")).toBeUndefined();
    const src = SqliteCustomerSource.open(path, churn.catalog, { prefilter: prefilterForPlans(plans, { now: () => now }) });
    const everyone = [...src.scan()].length;
    const churnIds = [...src.scan({ campaign: "churn_early_warning" })].map((c) => c.id);
    expect(churnIds.length).toBeGreaterThan(0);
    expect(churnIds.length).toBeLessThan(everyone);
    for (const id of churnIds) {
      const c = src.get(id)!;
      expect(c.attrs["aum"] as number).toBeGreaterThanOrEqual(50_000);
    }
    expect([...src.scan({ campaign: "unknown" })].length).toBe(everyone);
    src.close();
    // With the occurrence's instant in the hint, an audience that reads the clock is pre-filtered at that instant.
    const atHint = SqliteCustomerSource.open(path, churn.catalog, { prefilter: prefilterForPlans(plans) });
    const dormantIds = [...atHint.scan({ campaign: "dormant_wakeup", at: now })].map((c) => c.id);
    expect(dormantIds.length).toBeGreaterThan(0);
    expect(dormantIds.length).toBeLessThan(everyone);
    expect([...atHint.scan({ campaign: "dormant_wakeup" })].length).toBe(everyone);
    atHint.close();
  });

  it("names a missing table and a column of the wrong type", () => {
    const catalog = plans[0]!.catalog;
    const empty = new Database(":memory:");
    expect(() => new SqliteCustomerSource(empty, catalog)).toThrow(/has no table `customers`/);
    const wrong = new Database(":memory:");
    createCustomerTables(wrong, { attributes: catalog.attributes.filter((a) => a.name !== "aum") });
    wrong.exec(`ALTER TABLE customers ADD COLUMN "aum" TEXT`);
    expect(() => new SqliteCustomerSource(wrong, catalog)).toThrow(DataSourceError);
    expect(() => new SqliteCustomerSource(wrong, catalog)).toThrow(/column `customers.aum` is declared `TEXT`, but attribute `aum` \(money\) needs REAL/);
    const missing = new Database(":memory:");
    createCustomerTables(missing, { attributes: catalog.attributes.filter((a) => a.name !== "lastLogin") });
    expect(() => new SqliteCustomerSource(missing, catalog)).toThrow(/table `customers` has no column `lastLogin` \(attribute `lastLogin` \(datetime\)\): expected a INTEGER column/);
    expect(() => SqliteCustomerSource.open(join(dir, "nope.db"), catalog)).toThrow(/cannot open the customer database/);
    // A value that does not fit its type reads as missing.
    const odd = new Database(":memory:");
    createCustomerTables(odd, catalog);
    insertCustomers(odd, catalog, [{ id: "x", attrs: { birthday: "1990-01-01" }, tags: new Set(["staff"]) }]);
    odd.exec(`UPDATE customers SET birthday = 'soon', appUser = 7, aum = 'lots' WHERE id = 'x'`);
    const rec = new SqliteCustomerSource(odd, catalog).get("x")!;
    expect([rec.attrs["birthday"], rec.attrs["appUser"], rec.attrs["aum"], [...rec.tags]]).toEqual([null, null, null, ["staff"]]);
  });
});

describe("SqliteCustomerSource snapshots and pinned records", () => {
  it("a snapshot source reads the database as it was when opened, until closed", () => {
    const writer = new Database(path);
    const src = SqliteCustomerSource.open(path, plans[0]!.catalog, { cacheSize: 0, snapshot: true });
    const id = [...src.scan()][0]!.id;
    const before = src.get(id)!.attrs["age"];
    // A rollback-journal writer cannot write under the held read lock: the snapshot cannot change.
    expect(() => writer.prepare(`UPDATE customers SET age = 123 WHERE id = ?`).run(id)).toThrow(/locked/);
    expect(src.get(id)!.attrs["age"]).toBe(before);
    src.close();
    writer.prepare(`UPDATE customers SET age = 123 WHERE id = ?`).run(id);
    writer.prepare(`UPDATE customers SET age = ? WHERE id = ?`).run(before, id);
    writer.close();
  });

  it("pins the customers an audience's SQL selects: the same records as lookups, no more than asked", () => {
    const churn = plans.find((p) => p.campaign.id === "churn_early_warning")!;
    const ctx = { now: Date.UTC(2026, 11, 5, 2), zone: churn.catalog.zone };
    const plain = SqliteCustomerSource.open(path, churn.catalog, { cacheSize: 0 });
    expect(() => plain.pinWhere(churn.audience, ctx, 1_000)).toThrow(/snapshot/);
    const expected = [...plain.scanWhere(churn.audience, ctx)];
    expect(expected.length).toBeGreaterThan(1);
    const src = SqliteCustomerSource.open(path, churn.catalog, { cacheSize: 0, snapshot: true });
    // At most `max` pinned, the first in id order; every selected id returned.
    const some = src.pinWhere(churn.audience, ctx, 1)!;
    expect(some.pinned).toBe(1);
    expect([...some.ids]).toEqual(expected.map((c) => c.id));
    expect(src.get(expected[0]!.id)).toBe(src.get(expected[0]!.id)); // pinned: the same object
    expect(src.get(expected[1]!.id)).not.toBe(src.get(expected[1]!.id)); // not pinned, no cache: read afresh
    const rest = src.pinWhere(churn.audience, ctx, 1_000_000)!;
    expect(rest.pinned).toBe(expected.length - 1); // the one already pinned is not pinned twice
    for (const c of expected) {
      expect(src.get(c.id)).toBe(src.get(c.id)); // the pinned object itself
      expect(src.get(c.id)).toEqual(plain.get(c.id));
    }
    src.close();
    plain.close();
  });

  it("reads attributes named like Object.prototype's properties as own values", () => {
    const catalog = { ...plans[0]!.catalog, attributes: ["__proto__", "constructor", "toString", "valueOf", "hasOwnProperty"].map((name) => ({ name, type: { t: "number" as const } })), tags: [] };
    const db = new Database(":memory:");
    createCustomerTables(db, catalog);
    insertCustomers(db, catalog, [{ id: "x", attrs: JSON.parse('{"__proto__": 1, "constructor": 2, "toString": 3, "valueOf": 4}') as Record<string, number>, tags: new Set() }]);
    const rec = new SqliteCustomerSource(db, catalog).get("x")!;
    expect(Object.getPrototypeOf(rec.attrs)).toBe(Object.prototype);
    expect(Object.entries(rec.attrs).sort()).toEqual([["__proto__", 1], ["constructor", 2], ["hasOwnProperty", null], ["toString", 3], ["valueOf", 4]]);
  });
});

describe("SqliteEventSource", () => {
  it("streams events and profile updates in time order within a half-open range", () => {
    const src = SqliteEventSource.open(path);
    const events = [...src.events()];
    expect(events.length).toBeGreaterThan(100);
    for (let i = 1; i < events.length; i++) expect(events[i]!.at >= events[i - 1]!.at).toBe(true);
    const period = src.period()!;
    const mid = period.from + 5 * 86_400_000;
    const first = [...src.events({ to: mid })];
    const second = [...src.events({ from: mid })];
    expect(first.length + second.length).toBe(events.length);
    expect(first.every((e) => e.at < mid) && second.every((e) => e.at >= mid)).toBe(true);
    const inputs = [...src.inputs()];
    const updates = [...src.profileUpdates()];
    expect(updates.length).toBeGreaterThan(0);
    expect(inputs.length).toBe(events.length + updates.length);
    const at = (x: (typeof inputs)[number]): number => (x.kind === "event" ? x.event.at : x.update.at);
    for (let i = 1; i < inputs.length; i++) expect(at(inputs[i]!) >= at(inputs[i - 1]!)).toBe(true);
    expect(src.meta()["seed"]).toBe("3");
    src.close();
  });

  it("names a missing table, a wrong column type and a row whose payload is not a JSON object", () => {
    expect(() => new SqliteEventSource(new Database(":memory:"))).toThrow(/has no table `events`/);
    const db = new Database(":memory:");
    db.exec(`CREATE TABLE events (id TEXT, type TEXT, customer_id TEXT, at TEXT, fields TEXT)`);
    expect(() => new SqliteEventSource(db)).toThrow(/column `events.at` is declared `TEXT`, but the event time in epoch ms needs INTEGER/);
    const bad = new Database(":memory:");
    bad.exec(`CREATE TABLE events (id TEXT, type TEXT, customer_id TEXT, at INTEGER, fields TEXT)`);
    bad.exec(`INSERT INTO events VALUES ('e1', 'app.login', 'C1', 5, '[1]')`);
    expect(() => [...new SqliteEventSource(bad).events()]).toThrow(/`events.fields` of row `e1` is not a JSON object/);
    expect([...new SqliteEventSource(bad).profileUpdates()]).toEqual([]);
  });
});
