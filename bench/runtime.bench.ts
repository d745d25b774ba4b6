/**
 * Runtime benchmark: 20 event-triggered campaigns over ~200k customers, a
 * stream of events into a file-backed SqliteStore (WAL, synchronous=NORMAL):
 * events/s and p50/p99 decision latency with one transaction per event and
 * with 500 events per outer transaction, next to the raw store limit
 * measured in the same run (the exact store calls the engine made for the
 * same events, recorded and replayed with no campaign logic). Then a batch
 * campaign selecting ~100k of 2M customers: wall time of `runDue` over its
 * first occurrence (each entered customer's first wave scheduled).
 *
 * Run: node --import tsx bench/runtime.bench.ts   (writes bench/results/runtime.json)
 *      EVENTS=n to change the stream length (default 30000).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CustomerRecord, RuntimeValue } from "../compiler/ir/predicate.ts";
import type { Plan } from "../compiler/plan/types.ts";
import { checkProgram } from "../compiler/program.ts";
import { CampaignRuntime } from "../runtime/engine/runtime.ts";
import { SqliteStore } from "../runtime/store/sqlite.ts";
import type { Store } from "../runtime/store/types.ts";
import type { CustomerSource, RuntimeEvent } from "../runtime/types.ts";
import { machineInfo } from "./support/machine.ts";
import { mulberry32 } from "./support/random.ts";

const EVENTS = Number(process.env["EVENTS"] ?? 30_000);
const CUSTOMERS = 200_000;
const BATCH_CUSTOMERS = 2_000_000;
const DURABILITY = "file SQLite, journal_mode=WAL, synchronous=NORMAL (survives process crashes; not power loss)";

const CATALOG = `catalog benchbank {
  timezone "Asia/Shanghai"
  currency CNY
  customer {
    aum money
    age int
    risk enum(R1, R2, R3, R4, R5)
    tier enum(mass, wealth, premium, private)
    branch string
    phone string
    score number
  }
  tag payroll
  tag wealth_holder
  tag complaint_90d
  tag staff
  tag sms_off
  event app.login { device: enum(ios, android, web) }
  event purchase { product: enum(wealth, deposit, fund), amount: money }
  event payroll.credited { amount: money }
  event card.spend { amount: money, merchant: enum(travel, grocery, online, other) }
  channel app_push cost 0 quiet 22:00-08:00
  channel sms cost 0.05 quiet 21:00-09:00 address phone optout sms_off
  channel rm_task cost 5 capacity 40 per day per branch
  benefit points cost 0.01 each
  benefit cash88 cost 88
  contact policy marketing {
    at most 3 per day, 5 per week across all channels
    exclude has staff
  }
}
`;

const TRIGGERS = [
  "app.login where device in (ios, android)",
  "purchase where product = deposit and amount >= 10k",
  "payroll.credited where amount >= 5k",
  "card.spend where merchant = travel and amount >= 2k",
  "app.login",
];
const AUDIENCES = [
  "has payroll and aum between 10k and 200k and not has complaint_90d",
  "aum >= 50k and risk in (R2, R3, R4) and not has wealth_holder",
  "tier in (wealth, premium) and age >= 25",
  "aum < 50k and score >= 0.5",
  "has payroll and age between 22 and 45",
];

function campaignSource(i: number, rnd: () => number): string {
  const waves = 2 + Math.floor(rnd() * 2);
  const lines = [
    `campaign ev${String(i).padStart(2, "0")} {`,
    "  uses catalog benchbank",
    "  window 2026-12-01 .. 2026-12-31",
    `  priority ${Math.floor(rnd() * 100)}`,
    `  audience ${AUDIENCES[i % AUDIENCES.length]}`,
    `  trigger on ${TRIGGERS[i % TRIGGERS.length]}`,
    "    again after 14 days",
    `  goal purchase where product = wealth and amount >= 50k within 14 days`,
    "  waves",
    `    1. app_push "ev${i}_w1" now`,
    `    2. sms "ev${i}_w2" after 2 days unless converted`,
  ];
  if (waves === 3) lines.push(`    3. rm_task "ev${i}_w3" after 3 days unless converted`, `       else app_push "ev${i}_w3b"`);
  lines.push("  cap 2 per week", "  benefit on goal", "    points 1000", "  budget 200k total, 10k per day", "    when spent: stop benefits", "  holdout 10%", "}");
  return lines.join("\n");
}

function compile(sources: string[]): Plan[] {
  const program = checkProgram(sources.map((text, i) => ({ path: `b${i}.campaign`, text })));
  const errors = program.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) throw new Error(errors.map((d) => `${d.span.file}:${d.span.line} ${d.code} ${d.message}`).join("\n"));
  return program.campaigns.map((c) => c.plan);
}

const RISKS = ["R1", "R2", "R3", "R4", "R5"];

/** Customer `i`, computed from its index (so 2M customers need no memory). */
function customer(i: number): CustomerRecord {
  const rnd = mulberry32(i * 2654435761);
  const aum = Math.round(10 ** (2 + rnd() * 5));
  const tags = new Set<string>();
  if (rnd() < 0.3) tags.add("payroll");
  if (rnd() < 0.2) tags.add("wealth_holder");
  if (rnd() < 0.02) tags.add("complaint_90d");
  if (rnd() < 0.01) tags.add("staff");
  if (rnd() < 0.1) tags.add("sms_off");
  const attrs: Record<string, RuntimeValue> = {
    aum,
    age: 18 + Math.floor(rnd() * 70),
    risk: RISKS[Math.floor(rnd() * 5)] ?? "R1",
    tier: aum >= 5e6 ? "private" : aum >= 5e5 ? "premium" : aum >= 5e4 ? "wealth" : "mass",
    branch: `B${Math.floor(rnd() * 60)}`,
    phone: rnd() < 0.9 ? `138${i}` : null,
    score: rnd(),
  };
  return { id: `C${String(i).padStart(8, "0")}`, attrs, tags };
}

class IndexedCustomers implements CustomerSource {
  private readonly cache = new Map<string, CustomerRecord>();
  constructor(private readonly count: number) {}
  get(id: string): CustomerRecord | undefined {
    let c = this.cache.get(id);
    if (c) return c;
    const i = Number(id.slice(1));
    if (!id.startsWith("C") || !Number.isInteger(i) || i < 0 || i >= this.count) return undefined;
    c = customer(i);
    if (this.cache.size < 300_000) this.cache.set(id, c);
    return c;
  }
  *scan(): Iterable<CustomerRecord> {
    for (let i = 0; i < this.count; i++) yield customer(i);
  }
}

function makeEvents(n: number, seed: number): RuntimeEvent[] {
  const rnd = mulberry32(seed);
  const start = Date.parse("2026-12-01T01:00:00Z");
  const events: RuntimeEvent[] = [];
  for (let k = 0; k < n; k++) {
    const c = `C${String(Math.floor(rnd() * CUSTOMERS)).padStart(8, "0")}`;
    const at = start + k * 20_000; // one event every 20 s of simulated time: 30k events ≈ 7 days
    const r = rnd();
    const e: Omit<RuntimeEvent, "id"> =
      r < 0.45
        ? { type: "app.login", customerId: c, at, fields: { device: ["ios", "android", "web"][Math.floor(rnd() * 3)] ?? "ios" } }
        : r < 0.65
          ? { type: "purchase", customerId: c, at, fields: { product: ["wealth", "deposit", "fund"][Math.floor(rnd() * 3)] ?? "fund", amount: Math.round(rnd() * 100_000) } }
          : r < 0.85
            ? { type: "payroll.credited", customerId: c, at, fields: { amount: Math.round(rnd() * 20_000) } }
            : { type: "card.spend", customerId: c, at, fields: { amount: Math.round(rnd() * 5000), merchant: ["travel", "grocery", "online", "other"][Math.floor(rnd() * 4)] ?? "other" } };
    events.push({ id: `e${seed}_${k}`, ...e });
  }
  return events;
}

type Call = [keyof Store, unknown[]];

/** A store that records every call the engine makes (for the raw-store replay). */
function recording(store: Store, log: Call[][]): Store {
  return new Proxy(store, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (typeof v !== "function" || prop === "transaction" || prop === "close") return typeof v === "function" ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      return (...args: unknown[]) => {
        log[log.length - 1]?.push([prop as keyof Store, args]);
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

interface StreamFigures {
  events: number;
  wallMs: number;
  eventsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  outboxRows: number;
}

function runStream(dir: string, name: string, plans: Plan[], customers: CustomerSource, events: RuntimeEvent[], batch: number, log?: Call[][]): StreamFigures {
  const file = join(dir, `${name}.db`);
  const base = new SqliteStore(file, { synchronous: "NORMAL" });
  const store = log ? recording(base, log) : base;
  const rt = new CampaignRuntime({ plans, store, clock: { now: () => 0 }, customers });
  const lat: number[] = [];
  const t0 = performance.now();
  for (let k = 0; k < events.length; k += batch) {
    const slice = events.slice(k, k + batch);
    const run = () => {
      for (const e of slice) {
        log?.push([]);
        const s = performance.now();
        rt.handleEvent(e);
        lat.push(performance.now() - s);
      }
    };
    if (batch > 1) base.transaction(run);
    else run();
  }
  const wallMs = performance.now() - t0;
  const outboxRows = base.allOutbox().length;
  rt.close();
  lat.sort((a, b) => a - b);
  return { events: events.length, wallMs: r2(wallMs), eventsPerSecond: Math.round((events.length / wallMs) * 1000), p50Ms: r3(percentile(lat, 0.5)), p99Ms: r3(percentile(lat, 0.99)), outboxRows };
}

/** The recorded store calls, replayed on a fresh file store: the same reads and writes, no campaign logic. */
function rawStore(dir: string, name: string, log: Call[][], batch: number): { eventsPerSecond: number; wallMs: number; calls: number } {
  const store = new SqliteStore(join(dir, `${name}.db`), { synchronous: "NORMAL" });
  const t0 = performance.now();
  let calls = 0;
  for (let k = 0; k < log.length; k += batch) {
    const slice = log.slice(k, k + batch);
    const run = () => {
      for (const ev of slice) {
        const once = () => {
          for (const [m, args] of ev) {
            (store[m] as (...a: unknown[]) => unknown).apply(store, args);
            calls++;
          }
        };
        if (batch > 1) once();
        else store.transaction(once);
      }
    };
    if (batch > 1) store.transaction(run);
    else run();
  }
  const wallMs = performance.now() - t0;
  store.close();
  return { eventsPerSecond: Math.round((log.length / wallMs) * 1000), wallMs: r2(wallMs), calls };
}

function r2(x: number): number {
  return Math.round(x * 100) / 100;
}
function r3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function batchRun(dir: string): { customers: number; entered: number; scheduled: number; wallMs: number } {
  const src = `campaign batch_wakeup {
  uses catalog benchbank
  window 2026-12-01 .. 2026-12-31
  audience has payroll and aum between 15k and 100k and not has complaint_90d
  trigger once at 2026-12-01T10:00
  waves
    1. app_push "wake_1" after 1 day
    2. sms "wake_2" after 3 days
  holdout 5%
}`;
  const plans = compile([CATALOG, src]);
  const store = new SqliteStore(join(dir, "batch.db"), { synchronous: "NORMAL" });
  const rt = new CampaignRuntime({ plans, store, clock: { now: () => 0 }, customers: new IndexedCustomers(BATCH_CUSTOMERS) });
  const t0 = performance.now();
  rt.runDue(Date.parse("2026-12-01T02:00:00Z")); // 10:00 Shanghai: the occurrence, not yet its waves
  const wallMs = performance.now() - t0;
  const entered = (store.db.prepare("SELECT COUNT(*) AS n FROM entries").get() as { n: number }).n;
  const scheduled = (store.db.prepare("SELECT COUNT(*) AS n FROM timers WHERE kind = 'wave'").get() as { n: number }).n;
  rt.close();
  return { customers: BATCH_CUSTOMERS, entered, scheduled, wallMs: r2(wallMs) };
}

function main(): void {
  const dir = mkdtempSync(join(tmpdir(), "campaign-bench-"));
  const rnd = mulberry32(7);
  const plans = compile([CATALOG, ...Array.from({ length: 20 }, (_, i) => campaignSource(i + 1, rnd))]);
  const customers = new IndexedCustomers(CUSTOMERS);
  const machine = machineInfo();
  console.log(`runtime benchmark: ${plans.length} campaigns, ${CUSTOMERS} customers, ${EVENTS} events; ${DURABILITY}`);
  console.log(`load average before: ${JSON.stringify(machine["loadAverage"])}`);

  // Warm-up (JIT, predicate compilation), on its own database.
  runStream(dir, "warm", plans, customers, makeEvents(3000, 99), 500);

  const log: Call[][] = [];
  const perEvent = runStream(dir, "per-event", plans, customers, makeEvents(EVENTS, 1), 1, log);
  const batched = runStream(dir, "batched", plans, customers, makeEvents(EVENTS, 1), 500);
  const rawPerEvent = rawStore(dir, "raw-per-event", log, 1);
  const rawBatched = rawStore(dir, "raw-batched", log, 500);
  const batch = batchRun(dir);
  rmSync(dir, { recursive: true, force: true });

  const ratio = r2(batched.eventsPerSecond / rawBatched.eventsPerSecond);
  const targets = {
    batchedEventsPerSecond: { target: ">= 20000 events/s per core (batched)", value: batched.eventsPerSecond, pass: batched.eventsPerSecond >= 20_000 },
    batchedVsRaw: { target: ">= 0.45 x raw store limit (batched)", value: ratio, pass: ratio >= 0.45 },
    p99: { target: "p99 < 5 ms (one transaction per event)", value: perEvent.p99Ms, pass: perEvent.p99Ms < 5 },
    batchRun: { target: "batch run (100k of 2M) < 10 s", value: batch.wallMs / 1000, pass: batch.wallMs < 10_000 },
  };
  const result = {
    machine: { ...machine, loadAverageAfter: machineInfo()["loadAverage"] },
    durability: DURABILITY,
    campaigns: plans.length,
    customers: CUSTOMERS,
    perEventTransaction: { ...perEvent, durability: DURABILITY },
    batched500PerTransaction: { ...batched, durability: DURABILITY },
    rawStorePerEventTransaction: { ...rawPerEvent, durability: DURABILITY, what: "the store calls the engine made for the same events, replayed without campaign logic" },
    rawStoreBatched500: { ...rawBatched, durability: DURABILITY },
    batchedVsRaw: ratio,
    batchRun: { ...batch, durability: DURABILITY, what: "runDue over the first occurrence of a batch campaign; each entered customer's first wave scheduled" },
    targets,
  };
  mkdirSync("bench/results", { recursive: true });
  writeFileSync("bench/results/runtime.json", `${JSON.stringify(result, null, 2)}\n`);
  const row = (n: string, f: { eventsPerSecond: number; p50Ms?: number; p99Ms?: number }) => console.log(`${n.padEnd(34)} ${String(f.eventsPerSecond).padStart(8)} ev/s${f.p50Ms !== undefined ? `   p50 ${f.p50Ms} ms   p99 ${f.p99Ms} ms` : ""}`);
  row("engine, 1 transaction per event", perEvent);
  row("raw store, 1 transaction per event", rawPerEvent);
  row("engine, 500 events per transaction", batched);
  row("raw store, 500 per transaction", rawBatched);
  console.log(`outbox rows: ${batched.outboxRows}; batched engine / raw store = ${ratio}`);
  console.log(`batch run: ${batch.entered} of ${batch.customers} entered, ${batch.scheduled} waves scheduled, ${batch.wallMs} ms`);
  for (const [k, t] of Object.entries(targets)) console.log(`${t.pass ? "PASS" : "FAIL"} ${k}: ${t.target} — ${t.value}`);
}

main();
