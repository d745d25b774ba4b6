/**
 * Programs for the analyses' performance and sameness checks
 * (analyses.perf.test.ts, and timing scripts): the examples, the campaigns
 * of bench/check.bench.ts, and varied generated campaigns.
 */
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { SourceInput } from "../program.ts";

const ROOT = join(import.meta.dirname, "..", "..");

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function campaignFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .flatMap((e) => {
      const p = join(dir, e);
      return statSync(p).isDirectory() ? campaignFiles(p) : p.endsWith(".campaign") ? [p] : [];
    })
    .sort();
}

/** The campaigns of bench/check.bench.ts (same generator, same seed). */
export function benchProgram(n: number): SourceInput[] {
  const catalog = readFileSync(join(ROOT, "bench/fixtures/audience.campaign"), "utf8").split("\ncampaign ")[0] ?? "";
  const rnd = mulberry32(42);
  const out: SourceInput[] = [{ path: "catalog.campaign", text: catalog }];
  for (let i = 0; i < n; i++) {
    const lo = 10 + Math.floor(rnd() * 90);
    const hi = lo + 50 + Math.floor(rnd() * 400);
    const risks = ["R1", "R2", "R3", "R4", "R5"].filter(() => rnd() < 0.5);
    const trigger = rnd() < 0.5 ? "trigger on app.login where device in (ios, android)\n    once per customer" : `trigger every day at ${String(8 + Math.floor(rnd() * 10)).padStart(2, "0")}:00`;
    out.push({
      path: `gen_${i}.campaign`,
      text: `campaign gen_${i} "生成活动 ${i}" {
  uses catalog benchbank
  window 2026-12-01 .. 2026-12-31
  priority ${Math.floor(rnd() * 100)}
  audience has payroll
    and aum between ${lo}k and ${hi}k
    and ${risks.length ? `risk in (${risks.join(", ")})` : "age >= 30"}
    and lastLogin within ${30 + Math.floor(rnd() * 90)} days
    and not has staff
  ${trigger}
  waves
    1. app_push "tpl_${i}_1" now
    2. app_push "tpl_${i}_2" after ${1 + Math.floor(rnd() * 5)} days
  cap 1 per day, 2 per week
  holdout ${Math.floor(rnd() * 20)}%
}
`,
    });
  }
  return out;
}

function variedCatalog(name: string, zone: string): string {
  return `catalog ${name} {
  timezone "${zone}"
  currency USD
  customer {
    aum money
    age int
    tier enum(mass, wealth, premium, private)
    risk enum(R1, R2, R3, R4, R5)
  }
  tag payroll
  tag staff
  event app.login { device: enum(ios, android, web) }
  event purchase { product: enum(wealth, deposit, fund), amount: money }
  channel app_push cost 0 quiet 22:00-08:00
  channel sms cost 0.05 quiet 21:00-09:00
  channel wechat cost 0.01
  contact policy marketing {
    at most 2 per day, 4 per week across all channels
    at most 1 per rolling 24 hours on sms
    exclude has staff
  }
  contact policy care {
    at most 1 per calendar day in "Europe/London" per channel
    at most 3 per rolling 7 days across all channels
  }
  contact policy loose {
    at most 5 per calendar month on wechat
  }
}
`;
}

/** Campaigns with many shapes: zones with DST, clock-time waves, caps, policies, batch and event triggers. */
export function variedProgram(n: number, seed: number): SourceInput[] {
  const rnd = mulberry32(seed);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const catalogs = [
    { name: "nybank", zone: "America/New_York" },
    { name: "cnbank", zone: "Asia/Shanghai" },
  ];
  const out: SourceInput[] = catalogs.map((c) => ({ path: `${c.name}.campaign`, text: variedCatalog(c.name, c.zone) }));
  const windows = ["2026-10-25 .. 2026-11-20", "2026-12-01 .. 2026-12-31", "2027-03-01 .. 2027-04-10", "2026-11-01 .. 2026-11-03"];
  const audiences = ["has payroll", "aum >= 50k", "aum < 50k", "tier >= wealth", "tier = mass and not has staff", "age between 20 and 40", "risk in (R1, R2)", "has payroll and aum between 10k and 200k", "aum > 1m and tier < wealth", "age > 60 or has payroll"];
  const triggers = [
    "trigger on app.login",
    "trigger on app.login where device in (ios, android)",
    "trigger on app.login where device = web",
    "trigger on purchase where product = wealth",
    "trigger on purchase where amount >= 10k",
    "trigger every day at 10:00",
    "trigger every day at 09:00, 18:30 customer time",
    "trigger every weekday at 02:30 bank time",
    "trigger every week on monday, thursday at 10:00",
    'trigger every day at 10:00 in "Europe/London"',
    "trigger every month on day 1 at 08:00",
    "trigger every day at 10:00\n    again after 1 day",
    "trigger on purchase\n    again after 2 days",
  ];
  const channels = ["app_push", "sms", "wechat"];
  const delays = ["now", "after 1 hour", "after 3 hours", "after 1 day", "after 2 days", "after 1 day at 10:00", "after 1 hour at 02:30", "after 2 days at 09:00", "after 1 week", "after 1 month", "after 30 minutes"];
  const caps = ["", "cap 1 per day", "cap 1 per day, 2 per week", "cap 2 per rolling 24 hours across all channels", "cap 1 per day on sms", "cap 1 per calendar day per channel", 'cap 2 per calendar week in "America/Los_Angeles"', "cap 3 per calendar month"];
  const capped = ["", "when capped: drop", "when capped: defer", "when capped: next channel"];
  for (let i = 0; i < n; i++) {
    const cat = pick(catalogs);
    const waveCount = 1 + Math.floor(rnd() * 5);
    const waves = Array.from({ length: waveCount }, (_, k) => `    ${k + 1}. ${pick(channels)} "t${i}_${k}" ${k === 0 ? pick(["now", "now", "after 1 hour", "at 10:00"]) : pick(delays)}${rnd() < 0.1 ? ", only aum >= 100k" : ""}`);
    const policy = rnd() < 0.7 ? `  policy ${pick(["marketing", "care", "loose"])}\n` : "";
    const cap = pick(caps);
    const capAction = cap ? pick(capped) : "";
    out.push({
      path: `v_${i}.campaign`,
      text: `campaign v_${i} {
  uses catalog ${cat.name}
  window ${pick(windows)}
  priority ${Math.floor(rnd() * 6) * 10}
  audience ${pick(audiences)}
  ${pick(triggers)}
${policy}  waves
${waves.join("\n")}
${cap ? `  ${cap}\n` : ""}${capAction ? `  ${capAction}\n` : ""}}
`,
    });
  }
  return out;
}

export const programs: Record<string, () => SourceInput[]> = {
  examples: () => campaignFiles(join(ROOT, "examples")).map((p) => ({ path: p.slice(ROOT.length + 1), text: readFileSync(p, "utf8") })),
  "bench campaigns (300)": () => benchProgram(300),
  "varied campaigns (300, seed 7)": () => variedProgram(300, 7),
  "varied campaigns (300, seed 11)": () => variedProgram(300, 11),
};

