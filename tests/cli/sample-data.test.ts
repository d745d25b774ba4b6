/**
 * `campaign sample-data`: spawns the CLI for 2,000 customers over 30 days and
 * checks the database it writes: tables, determinism, event validity,
 * realistic shapes, and that audience SQL on it agrees with the compiled
 * JavaScript run over the SQLite customer source.
 */
import Database from "better-sqlite3";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { run } from "../../cli/main.ts";
import { compilePredicate } from "../../compiler/codegen/js.ts";
import { selectAudience } from "../../compiler/data/load.ts";
import { checkProgram } from "../../compiler/program.ts";
import type { CatalogPlan, Plan } from "../../compiler/plan/types.ts";
import { compilePlan } from "../../runtime/engine/compiledPlan.ts";
import { validateEvent, valueProblem } from "../../runtime/engine/validate.ts";
import { SqliteCustomerSource } from "../../runtime/sources/sqliteCustomers.ts";
import { SqliteEventSource } from "../../runtime/sources/sqliteEvents.ts";
import { project, removeProjects, repoRoot, runCli, type CliResult } from "./run.ts";

const N = 2_000;
let dir = "";
let first: CliResult;
let second: CliResult;
let third: CliResult;
let plans: Plan[] = [];
let catalog: CatalogPlan;

function dbPath(name: string): string {
  return join(dir, name);
}

/** Every table's rows in a fixed order, plus the schema: equal dumps mean equal data. */
function dump(path: string): string {
  const db = new Database(path, { readonly: true });
  try {
    const schema = db.prepare(`SELECT type, name, sql FROM sqlite_master ORDER BY type, name`).all() as { type: string; name: string; sql: string | null }[];
    const parts = [JSON.stringify(schema)];
    for (const t of schema.filter((s) => s.type === "table")) {
      const cols = (db.prepare(`PRAGMA table_info("${t.name}")`).all() as { name: string }[]).map((c) => `"${c.name}"`);
      const rows = db.prepare(`SELECT ${cols.join(", ")} FROM "${t.name}" ORDER BY ${cols.map((_, i) => i + 1).join(", ")}`).raw(true).all();
      parts.push(`${t.name}\n${rows.map((r) => JSON.stringify(r)).join("\n")}`);
    }
    return parts.join("\n");
  } finally {
    db.close();
  }
}

beforeAll(() => {
  dir = project({});
  first = runCli(["sample-data", "--customers", String(N), "--days", "30", "--seed", "7", "-o", "a.db", "--json"], dir);
  second = runCli(["sample-data", "--customers", String(N), "--days", "30", "--seed", "7", "-o", "b.db", "--json"], dir);
  third = runCli(["sample-data", "--customers", "200", "--days", "3", "--seed", "8", "-o", "c.db"], dir);
  const files = ["examples/catalog/retail.campaign", "examples/segments/common.campaign", ...["birthday_care", "churn_early_warning", "deposit_maturity_followup", "dormant_wakeup", "mgm_referral", "payroll_login_wealth", "pension_care", "tier_upgrade_longtail"].map((n) => `examples/${n}.campaign`)];
  const program = checkProgram(files.map((f) => ({ path: f, text: readFileSync(join(repoRoot, f), "utf8") })));
  plans = program.campaigns.filter((c) => !c.hasErrors).map((c) => c.plan);
  catalog = plans[0]!.catalog;
}, 120_000);

afterAll(() => removeProjects());

describe("campaign sample-data", () => {
  it("writes the database and a JSON summary", () => {
    expect(first.stderr).toBe("");
    expect(first.status).toBe(0);
    const report = JSON.parse(first.stdout) as { summary: { customers: number; eventCount: number; events: Record<string, number>; longTail: { customerShare: number; aumShare: number } } };
    expect(report.summary.customers).toBe(N);
    expect(report.summary.eventCount).toBeGreaterThan(N);
    expect(report.summary.events["payroll.credited"]).toBeGreaterThan(0);
    expect(existsSync(dbPath("a.db"))).toBe(true);
    expect(existsSync(dbPath("a.db.partial"))).toBe(false);
    const db = new Database(dbPath("a.db"), { readonly: true });
    const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).pluck().all() as string[]);
    expect(tables).toEqual(["customer_tags", "customers", "events", "meta", "profile_updates"]);
    expect(db.prepare(`SELECT count(*) FROM customers`).pluck().get()).toBe(N);
    expect(db.prepare(`SELECT count(*) FROM events`).pluck().get()).toBe(report.summary.eventCount);
    const meta = Object.fromEntries((db.prepare(`SELECT key, value FROM meta`).raw(true).all() as [string, string][]));
    expect(meta["seed"]).toBe("7");
    expect(meta["catalog"]).toBe("retail");
    expect(meta["catalog_hash"]).toBe(catalog.hash);
    db.close();
    // The text summary is tables.
    expect(third.status).toBe(0);
    expect(third.stdout).toMatch(/long tail: \d+\.\d% of customers/);
    expect(third.stdout).toMatch(/^event\s+count\s+per customer$/m);
  });

  it("is deterministic: the same seed and options give the same rows; another seed does not", () => {
    expect(second.status).toBe(0);
    const a = dump(dbPath("a.db"));
    expect(dump(dbPath("b.db"))).toBe(a);
    expect(dump(dbPath("c.db"))).not.toBe(a);
  });

  it("writes events in (at, id) order with ids numbered in that order, inside the period", () => {
    const db = new Database(dbPath("a.db"), { readonly: true });
    const rows = db.prepare(`SELECT id, at FROM events ORDER BY rowid`).raw(true).all() as [string, number][];
    const meta = Object.fromEntries((db.prepare(`SELECT key, value FROM meta`).raw(true).all() as [string, string][]));
    db.close();
    const from = Number(meta["period_from"]);
    const to = Number(meta["period_to"]);
    expect(to - from).toBe(30 * 86_400_000);
    for (let i = 1; i < rows.length; i++) {
      const [id0, at0] = rows[i - 1]!;
      const [id1, at1] = rows[i]!;
      expect(at1 > at0 || (at1 === at0 && id1 > id0)).toBe(true);
    }
    // Customers outside the catalog zone log in at their local hours, which can fall before the bank's day starts.
    expect(rows.filter(([, at]) => at < from - 86_400_000 || at >= to + 86_400_000)).toEqual([]);
    expect(rows[0]![0]).toBe("E000000001");
  });

  it("writes only events and profile updates that validate against the catalog", () => {
    const compiled = [compilePlan(plans[0]!)];
    const events = SqliteEventSource.open(dbPath("a.db"));
    const customers = SqliteCustomerSource.open(dbPath("a.db"), catalog);
    const problems: string[] = [];
    const types = new Map<string, number>();
    let n = 0;
    for (const input of events.inputs()) {
      if (input.kind === "event") {
        const e = input.event;
        const p = validateEvent(e, compiled);
        if (p) problems.push(`${e.id}: ${p}`);
        const declared = catalog.events.find((x) => x.name === e.type);
        for (const f of declared?.fields ?? []) if (e.fields[f.name] === undefined || e.fields[f.name] === null) problems.push(`${e.id}: no ${f.name}`);
        types.set(e.type, (types.get(e.type) ?? 0) + 1);
        if (!customers.get(e.customerId)) problems.push(`${e.id}: unknown customer ${e.customerId}`);
      } else {
        for (const [k, v] of Object.entries(input.update.attrs)) {
          const attr = catalog.attributes.find((a) => a.name === k);
          const p = attr ? valueProblem(v, attr.type) : `no attribute ${k}`;
          if (p) problems.push(`${input.update.id}: ${k}: ${p}`);
        }
      }
      n++;
    }
    events.close();
    customers.close();
    expect(problems.slice(0, 5)).toEqual([]);
    expect(n).toBeGreaterThan(N);
    // Every event type of the example catalog occurs (complaints and referral confirmations are rare but not that rare).
    for (const e of catalog.events) expect(types.get(e.name) ?? 0, e.name).toBeGreaterThan(0);
  });

  it("has realistic shapes: long-tail AUM, levels and tiers consistent with AUM, tag shares, zones, dormancy", () => {
    const db = new Database(dbPath("a.db"), { readonly: true });
    const one = (sql: string): number => db.prepare(sql).pluck().get() as number;
    const tailShare = one(`SELECT avg(aum < 50000) FROM customers`);
    const tailAssets = one(`SELECT sum(CASE WHEN aum < 50000 THEN aum ELSE 0 END) / sum(aum) FROM customers`);
    expect(tailShare).toBeGreaterThan(0.78);
    expect(tailShare).toBeLessThan(0.9);
    expect(tailAssets).toBeGreaterThan(0.01);
    expect(tailAssets).toBeLessThan(0.08);
    // Seven levels at 0, 10k, 50k, 200k, 500k, 2M, 5M; tiers at 200k, 2M, 6M.
    expect(one(`SELECT count(*) FROM customers WHERE aumLevel <> CASE WHEN aum >= 5000000 THEN 'L7' WHEN aum >= 2000000 THEN 'L6' WHEN aum >= 500000 THEN 'L5' WHEN aum >= 200000 THEN 'L4' WHEN aum >= 50000 THEN 'L3' WHEN aum >= 10000 THEN 'L2' ELSE 'L1' END`)).toBe(0);
    expect(one(`SELECT count(*) FROM customers WHERE tier <> CASE WHEN aum >= 6000000 THEN 'private' WHEN aum >= 2000000 THEN 'premium' WHEN aum >= 200000 THEN 'wealth' ELSE 'mass' END`)).toBe(0);
    const tagShare = (t: string): number => one(`SELECT count(*) FROM customer_tags WHERE tag = '${t}'`) / N;
    expect(tagShare("payroll")).toBeGreaterThan(0.18);
    expect(tagShare("payroll")).toBeLessThan(0.32);
    expect(tagShare("staff")).toBeLessThan(0.03);
    expect(tagShare("complaint_90d")).toBeLessThan(0.06);
    expect(tagShare("dnc")).toBeGreaterThan(0);
    expect(one(`SELECT avg(c.age >= 55) FROM customer_tags t JOIN customers c ON c.id = t.customer_id WHERE t.tag = 'pension'`)).toBeGreaterThan(0.9);
    expect(one(`SELECT count(*) FROM customers c WHERE monthlyIncome > 0 AND c.id NOT IN (SELECT customer_id FROM customer_tags WHERE tag = 'payroll')`)).toBe(0);
    const home = one(`SELECT avg(zone = 'Asia/Shanghai') FROM customers`);
    expect(home).toBeGreaterThan(0.9);
    expect(home).toBeLessThan(1);
    expect(one(`SELECT count(DISTINCT branch) FROM customers`)).toBeGreaterThan(20);
    expect(one(`SELECT count(DISTINCT stage) FROM customers`)).toBe(7);
    expect(one(`SELECT avg(mobile IS NULL) FROM customers`)).toBeGreaterThan(0);
    // Dormant accounts: not logged in for half a year, if at all.
    const startMs = Number(db.prepare(`SELECT value FROM meta WHERE key = 'period_from'`).pluck().get());
    expect(one(`SELECT count(*) FROM customers WHERE dormantSince IS NOT NULL`)).toBeGreaterThan(N * 0.03);
    expect(one(`SELECT count(*) FROM customers WHERE dormantSince IS NOT NULL AND lastLogin > ${startMs - 180 * 86_400_000}`)).toBe(0);
    expect(one(`SELECT count(*) FROM customers WHERE lastLogin >= ${startMs}`)).toBe(0);
    // Birthdays agree with ages on the start date.
    expect(one(`SELECT count(*) FROM customers WHERE age <> CAST(strftime('%Y', '2026-12-01') AS INTEGER) - CAST(strftime('%Y', birthday) AS INTEGER) - (strftime('%m-%d', birthday) > '12-01')`)).toBe(0);
    // Some large transfers take at least half the customer's AUM.
    expect(one(`SELECT count(*) FROM events e JOIN customers c ON c.id = e.customer_id WHERE e.type = 'transfer.out' AND json_extract(e.fields, '$.amount') >= 0.5 * c.aum`)).toBeGreaterThan(0);
    db.close();
  });

  it("selectAudience on the database returns the ids the source's scan and the compiled JavaScript select", () => {
    const db = new Database(dbPath("a.db"), { readonly: true });
    const source = new SqliteCustomerSource(db, catalog);
    const ctx = { now: Date.UTC(2026, 11, 2, 2, 0), zone: catalog.zone };
    let nonEmpty = 0;
    let compared = 0;
    for (const plan of plans) {
      let sqlIds: string[];
      try {
        sqlIds = selectAudience(db, plan.audience, catalog, ctx);
      } catch {
        continue; // an audience SQL refuses (e.g. anniversaries of date-times) is not compared
      }
      const test = compilePredicate(plan.audience)(ctx);
      const jsIds: string[] = [];
      for (const c of source.scan()) if (test(c)) jsIds.push(c.id);
      expect(jsIds, plan.campaign.id).toEqual(sqlIds);
      expect([...source.scanWhere(plan.audience, ctx)].map((c) => c.id), plan.campaign.id).toEqual(sqlIds);
      compared++;
      if (sqlIds.length > 0 && sqlIds.length < N) nonEmpty++;
    }
    db.close();
    expect(compared).toBeGreaterThanOrEqual(6);
    expect(nonEmpty).toBeGreaterThanOrEqual(4);
  });

  it("reports bad usage with exit 2 and a clear message", async () => {
    const cases: [string[], RegExp][] = [
      [["--customers", "abc", "-o", "x.db"], /--customers abc` is not a whole number/],
      [["--customers", "0", "-o", "x.db"], /out of range/],
      [["--days", "-3", "-o", "x.db"], /--days -3/],
      [["--start", "2026-02-30", "-o", "x.db"], /not a calendar date/],
      [["--seed", "1.5", "-o", "x.db"], /--seed 1.5/],
      [["-o", "no/such/dir/x.db", "--customers", "1000"], /directory `no\/such\/dir` does not exist/],
      [["-o", "a.db", "--customers", "1000"], /already exists: pass --force/],
      [["-o", ".", "--customers", "1000"], /is a directory/],
      [["--catalog", "missing.campaign", "-o", "x.db"], /no such file or directory/],
      [[], /required option '-o, --out <file.db>'/],
    ];
    // In process (spawning costs seconds each): the same `run` the launcher calls.
    const cwd = process.cwd();
    let err = "";
    const spy = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      err += String(chunk);
      return true;
    });
    try {
      process.chdir(dir);
      for (const [args, message] of cases) {
        err = "";
        const code = await run(["sample-data", ...args]);
        expect(code, args.join(" ")).toBe(2);
        expect(err, args.join(" ")).toMatch(message);
      }
    } finally {
      process.chdir(cwd);
      spy.mockRestore();
    }
    expect(existsSync(dbPath("x.db"))).toBe(false);
  });

  it("exits 1 for a catalog with errors, and generates for another catalog by attribute types", () => {
    const d = project({
      "bad.campaign": `catalog c { timezone "Asia/Shanghai" currency CNY customer { aum monee } }\n`,
      "other.campaign": `catalog other "另一家" {\n  timezone "Europe/Berlin"\n  currency EUR\n  customer {\n    balance money\n    visits int\n    band enum(a, b, c)\n    joined date\n    seen datetime\n    vip bool\n    home timezone\n    labels tags\n  }\n  tag vip_club\n  event card.swiped { amount: money, merchant: string, online: bool, swipedAt: datetime }\n}\n`,
    });
    const bad = runCli(["sample-data", "--catalog", "bad.campaign", "-o", "bad.db"], d);
    expect(bad.stderr).toMatch(/the catalog `c` has errors/);
    expect(bad.status).toBe(1);
    const ok = runCli(["sample-data", "--catalog", "other.campaign", "--customers", "1000", "--days", "20", "-o", "o.db", "--json"], d);
    expect(ok.stderr).toBe("");
    expect(ok.status).toBe(0);
    const db = new Database(join(d, "o.db"), { readonly: true });
    // The attribute columns (the layout may add columns of its own, such as tag bits).
    const attributes = new Set(["id", "balance", "band", "home", "joined", "seen", "vip", "visits", "labels"]);
    const cols = (db.prepare(`PRAGMA table_info(customers)`).all() as { name: string; type: string }[]).filter((c) => attributes.has(c.name)).map((c) => `${c.name} ${c.type}`);
    expect(cols).toEqual(["id TEXT", "balance REAL", "band TEXT", "home TEXT", "joined TEXT", "seen INTEGER", "vip INTEGER", "visits INTEGER"]);
    expect(db.prepare(`SELECT count(*) FROM customers WHERE band NOT IN ('a', 'b', 'c')`).pluck().get()).toBe(0);
    expect(db.prepare(`SELECT count(*) FROM customers WHERE home = 'Europe/Berlin'`).pluck().get()).toBeGreaterThan(900);
    const swiped = db.prepare(`SELECT fields FROM events WHERE type = 'card.swiped'`).pluck().all() as string[];
    expect(swiped.length).toBeGreaterThan(50);
    const fields = JSON.parse(swiped[0]!) as Record<string, unknown>;
    expect(Object.keys(fields).sort()).toEqual(["amount", "merchant", "online", "swipedAt"]);
    expect(typeof fields["online"]).toBe("boolean");
    db.close();
  });
});
