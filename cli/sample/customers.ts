/**
 * Synthetic customers for a catalog. A customer is first drawn as a handful
 * of latent facts (age, affluence, AUM, dormancy, app activity, payroll...)
 * that hang together; the catalog's attributes and tags are then read off
 * those facts: by name and type where they match the example retail catalog
 * (examples/catalog/retail.campaign), and by type alone otherwise.
 * spec/sample-data.md gives the distributions.
 */
import type { RuntimeValue } from "../../compiler/ir/predicate.ts";
import type { AttributeTypePlan, CatalogPlan } from "../../compiler/plan/types.ts";
import { isoDate } from "./dates.ts";
import { hash32, hashString, Rng } from "./random.ts";

/** The AUM level boundaries (CNY): L1 below 10k ... L7 at or above 5M. */
export const AUM_LEVELS: readonly number[] = [0, 10_000, 50_000, 200_000, 500_000, 2_000_000, 5_000_000];
/** The long tail: customers below this AUM (CNY). */
export const LONG_TAIL_AUM = 50_000;
/** Tier boundaries (CNY): mass below 200k, wealth from 200k, premium from 2M, private from 6M. */
export const TIER_BOUNDS: readonly number[] = [0, 200_000, 2_000_000, 6_000_000];

export const OTHER_ZONES: readonly string[] = ["America/New_York", "Europe/Berlin", "Asia/Singapore", "Asia/Tokyo", "Europe/London", "Australia/Sydney"];
export const BRANCH_COUNT = 36;

export const EMPLOYERS: readonly string[] = [
  "县供电公司", "县第一中学", "县人民医院", "县自来水公司", "农业机械合作社", "县交通运输局", "镇卫生院", "县实验小学",
  "粮油加工厂", "建筑工程有限公司", "县邮政分公司", "茶叶合作社", "县税务局", "物流有限公司", "食品有限公司", "县中医院",
  "纺织厂", "水泥厂", "县公安局", "县财政局", "乡镇农技站", "县电视台", "商贸有限公司", "果蔬合作社",
];

/** What a customer is, before it is written as catalog attributes; the event generator reads it too. */
export interface Latent {
  readonly index: number;
  readonly id: string;
  readonly age: number;
  readonly affluent: boolean;
  /** AUM at the start date, CNY. */
  readonly aum: number;
  readonly depositBalance: number;
  readonly dormant: boolean;
  /** Days since the customer last did anything (logins, transactions). */
  readonly idleDays: number;
  readonly appUser: boolean;
  /** Expected app logins per day. */
  readonly loginsPerDay: number;
  readonly device: "ios" | "android" | "web";
  readonly payroll: boolean;
  readonly monthlyIncome: number;
  readonly payday: number;
  readonly employer: string;
  readonly pension: boolean;
  readonly pensionAmount: number;
  readonly pensionDay: number;
  readonly zone: string;
  readonly tags: ReadonlySet<string>;
}

export interface GeneratedCustomer {
  readonly latent: Latent;
  readonly attrs: Record<string, RuntimeValue>;
  readonly tags: ReadonlySet<string>;
}

export interface CustomerContext {
  readonly seed: number;
  /** Day number of the start date: attributes describe the bank on the morning of that day. */
  readonly startDay: number;
  /** Local midnight of the start date in the catalog's zone, epoch ms. */
  readonly startMs: number;
  readonly catalog: Pick<CatalogPlan, "attributes" | "tags" | "zone">;
  /** Width of the zero-padded number in customer ids. */
  readonly idWidth: number;
}

const DAY = 86_400_000;
const round2 = (x: number): number => Math.round(x * 100) / 100;
const round4 = (x: number): number => Math.round(x * 10_000) / 10_000;
const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** Stream purposes: each has its own generator per customer. */
export const STREAM_PROFILE = 1;
export const STREAM_ATTRS = 2;
export const STREAM_EVENTS = 3;

export function customerId(index: number, width: number): string {
  return `C${String(index + 1).padStart(width, "0")}`;
}

/** The branch code of branch k (0-based): B01 ... B36; a few large town branches hold most customers. */
export function branchCode(k: number): string {
  return `B${String(k + 1).padStart(2, "0")}`;
}
const BRANCH_WEIGHTS = Array.from({ length: BRANCH_COUNT }, (_, k) => 1 / Math.pow(k + 1, 0.8));
const BRANCHES = Array.from({ length: BRANCH_COUNT }, (_, k) => branchCode(k));

/** The index (0..6) of an AUM's level. */
export function aumLevelIndex(aum: number): number {
  let i = 0;
  for (let k = 0; k < AUM_LEVELS.length; k++) if (aum >= (AUM_LEVELS[k] ?? 0)) i = k;
  return i;
}

export function tierIndex(aum: number): number {
  let i = 0;
  for (let k = 0; k < TIER_BOUNDS.length; k++) if (aum >= (TIER_BOUNDS[k] ?? 0)) i = k;
  return i;
}

/** Draws the latent facts of customer `index`. */
export function drawLatent(index: number, ctx: CustomerContext): Latent {
  const r = new Rng(hash32(ctx.seed, index, STREAM_PROFILE));
  const age = Math.round(clamp(44 + 15 * r.normal(), 18, 92));
  const affluent = r.chance(0.04 + 0.24 * clamp((age - 18) / 55, 0, 1));
  // Long tail: most accounts hold a few thousand yuan; the affluent minority holds most assets.
  let aum: number;
  if (affluent) aum = r.logNormal(300_000, 1.3);
  else aum = r.chance(0.06) ? 0 : r.logNormal(1_800, 1.45);
  aum = round2(Math.min(aum, 120_000_000));
  const dormant = r.chance(affluent ? 0.04 : 0.17);
  const appUser = r.chance(age < 30 ? 0.9 : age < 45 ? 0.82 : age < 60 ? 0.6 : 0.3);
  const idleDays = dormant ? r.int(181, 2000) : Math.min(179, Math.floor(-Math.log(1 - r.next()) * (appUser ? 6 : 40)));
  const loginsPerDay = !appUser ? 0 : dormant ? 0.002 : clamp(r.logNormal(0.15, 1.0), 0.01, 3);
  const device = r.weighted(["ios", "android", "web"] as const, [0.38, 0.57, 0.05]);
  const payroll = r.chance(dormant ? 0.04 : age >= 22 && age <= 58 ? 0.36 : 0.05);
  const monthlyIncome = payroll ? Math.round(r.logNormal(5_500, 0.45) / 10) * 10 : 0;
  const payday = r.weighted([5, 10, 15, 20, 25, 28], [2, 3, 3, 1, 2, 1]);
  const employer = r.pick(EMPLOYERS);
  const pension = r.chance(age >= 60 ? 0.7 : age >= 55 ? 0.3 : 0.004);
  const pensionAmount = round2(r.logNormal(2_800, 0.5));
  const pensionDay = r.weighted([8, 10, 15], [3, 1, 1]);
  const zone = r.chance(0.96) ? ctx.catalog.zone : r.pick(OTHER_ZONES);
  const wealthHolder = r.chance(affluent ? 0.55 : aum > 10_000 ? 0.12 : 0.02);
  const depositBalance = round2(aum * (wealthHolder ? r.range(0.2, 0.6) : r.range(0.85, 1)));
  const tags = new Set<string>();
  const tagChance: Record<string, number> = {
    payroll: payroll ? 1 : 0,
    pension: pension ? 1 : 0,
    wealth_holder: wealthHolder ? 1 : 0,
    credit_card: age >= 22 && age <= 60 ? 0.28 : 0.08,
    mortgage: age >= 25 && age <= 55 ? 0.12 : 0.02,
    complaint_90d: 0.02,
    staff: 0.01,
    dnc: 0.015,
    push_optout: appUser ? 0.06 : 0,
    sms_optout: 0.04,
    wechat_optout: 0.03,
    call_optout: 0.08,
  };
  for (const t of ctx.catalog.tags) {
    const p = tagChance[t.name] ?? 0.03;
    if (r.chance(p)) tags.add(t.name);
  }
  const id = customerId(index, ctx.idWidth);
  return { index, id, age, affluent, aum, depositBalance, dormant, idleDays, appUser, loginsPerDay, device, payroll, monthlyIncome, payday, employer, pension, pensionAmount, pensionDay, zone, tags };
}

function sameType(a: AttributeTypePlan, b: AttributeTypePlan): boolean {
  if (a.t !== b.t) return false;
  if (a.t === "enum" && b.t === "enum") return a.values.length === b.values.length && a.values.every((v, i) => v === b.values[i]);
  return true;
}

const enumOf = (...values: string[]): AttributeTypePlan => ({ t: "enum", values });
const money: AttributeTypePlan = { t: "money", currency: "CNY" };
const plain = (t: "int" | "number" | "score" | "string" | "bool" | "date" | "datetime" | "timezone"): AttributeTypePlan => ({ t });

/** What a known attribute is drawn from: the latent facts, its own stream, and the attributes drawn so far. */
type KnownRule = (l: Latent, r: Rng, ctx: CustomerContext, facts: Facts) => RuntimeValue;

/** Derived facts shared by several attributes (computed once per customer). */
interface Facts {
  readonly lastActivityMs: number | null;
  readonly openDay: number;
  readonly stage: string;
  readonly growth: number;
  readonly branch: number;
}

const KNOWN: Record<string, { readonly type: AttributeTypePlan | "money"; readonly rule: KnownRule }> = {
  aum: { type: "money", rule: (l) => l.aum },
  aumLevel: { type: enumOf("L1", "L2", "L3", "L4", "L5", "L6", "L7"), rule: (l) => `L${aumLevelIndex(l.aum) + 1}` },
  tier: { type: enumOf("mass", "wealth", "premium", "private"), rule: (l) => ["mass", "wealth", "premium", "private"][tierIndex(l.aum)] ?? "mass" },
  depositBalance: { type: "money", rule: (l) => l.depositBalance },
  monthlyIncome: { type: "money", rule: (l) => l.monthlyIncome },
  productCount: {
    type: plain("int"),
    rule: (l, r) => 1 + (l.payroll ? 1 : 0) + (l.pension ? 1 : 0) + (l.tags.has("wealth_holder") ? 1 + r.poisson(1) : 0) + (l.tags.has("credit_card") ? 1 : 0) + (l.tags.has("mortgage") ? 1 : 0) + (l.aum > 50_000 ? r.poisson(0.8) : 0),
  },
  aumGrowth3m: { type: plain("number"), rule: (_l, _r, _c, f) => f.growth },
  age: { type: plain("int"), rule: (l) => l.age },
  risk: { type: enumOf("R1", "R2", "R3", "R4", "R5"), rule: (l, r) => (r.chance(0.12) ? null : r.weighted(["R1", "R2", "R3", "R4", "R5"], l.affluent ? [0.08, 0.27, 0.35, 0.2, 0.1] : [0.17, 0.36, 0.31, 0.12, 0.04])) },
  stage: { type: enumOf("potential", "new", "qualified", "active", "high_value", "silent", "churned"), rule: (_l, _r, _c, f) => f.stage },
  birthday: {
    type: plain("date"),
    rule: (l, r, ctx) => {
      // Born `age` years before a day in the year up to the start date, so the age is right on the start date.
      const daysBack = r.int(0, 364);
      const lastBirthday = ctx.startDay - daysBack;
      return shiftYears(lastBirthday, -l.age);
    },
  },
  openDate: { type: plain("date"), rule: (_l, _r, _c, f) => isoDate(f.openDay) },
  dormantSince: { type: plain("date"), rule: (l, _r, ctx) => (l.dormant && l.idleDays >= 365 ? isoDate(ctx.startDay - l.idleDays + 365) : null) },
  lastLogin: { type: plain("datetime"), rule: (_l, _r, _c, f) => f.lastActivityMs },
  branch: { type: plain("string"), rule: (_l, _r, _c, f) => BRANCHES[f.branch] ?? "B01" },
  rmId: { type: plain("string"), rule: (l, r, _c, f) => (l.affluent || r.chance(0.1) ? `${BRANCHES[f.branch] ?? "B01"}-RM${r.int(1, 6)}` : null) },
  mobile: { type: plain("string"), rule: (l, r) => (r.chance(0.96) ? `1${r.pick(["3", "5", "7", "8", "9"])}${String(hash32(l.index, 0x6d6f62) % 1_000_000_000).padStart(9, "0")}` : null) },
  wechatOpenId: { type: plain("string"), rule: (l, r, ctx) => (r.chance(l.age < 60 ? 0.6 : 0.35) ? `oWx${hash32(ctx.seed, l.index, 0x7778).toString(36)}${hash32(l.index, 0x7779).toString(36)}` : null) },
  appUser: { type: plain("bool"), rule: (l) => l.appUser },
  zone: { type: plain("timezone"), rule: (l) => l.zone },
  "score.wealthPropensity": {
    type: plain("score"),
    rule: (l, r) => round4(sigmoid(-3.2 + 0.55 * Math.log10(l.aum + 10) + (l.tags.has("wealth_holder") ? 1.1 : 0) + (l.payroll ? 0.5 : 0) - (l.dormant ? 1 : 0) + 0.6 * r.normal())),
  },
  "score.churnRisk": {
    type: plain("score"),
    rule: (l, r, _c, f) => round4(sigmoid(-2.2 + (l.dormant ? 2.4 : 0) + (f.growth < -0.2 ? 1.1 : 0) + (l.tags.has("complaint_90d") ? 0.9 : 0) - (l.payroll ? 0.6 : 0) + 0.5 * r.normal())),
  },
};

/** "YYYY-MM-DD" of the same month and day `years` years away (Feb 29 becomes Feb 28 in a common year). */
function shiftYears(day: number, years: number): string {
  const s = isoDate(day);
  const y = Number(s.slice(0, 4)) + years;
  let md = s.slice(5);
  if (md === "02-29" && !(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0))) md = "02-28";
  return `${String(y).padStart(4, "0")}-${md}`;
}

function facts(l: Latent, r: Rng, ctx: CustomerContext): Facts {
  const recentlyOpened = !l.dormant && r.chance(0.03);
  const yearsOpen = Math.min(l.age - 16, -Math.log(1 - r.next()) * 8);
  let openDay = recentlyOpened ? ctx.startDay - r.int(1, 89) : ctx.startDay - 90 - Math.floor(Math.max(0, yearsOpen) * 365);
  // A dormant account was opened well before it fell idle.
  if (l.dormant) openDay = Math.min(openDay, ctx.startDay - l.idleDays - r.int(30, 400));
  const idle = Math.min(l.idleDays, ctx.startDay - openDay);
  const lastActivityMs = l.appUser && !(l.dormant && r.chance(0.1)) ? ctx.startMs - (idle + 1) * DAY + r.int(7 * 3600, 23 * 3600) * 1000 : null;
  let stage: string;
  if (l.dormant) stage = l.idleDays > 730 ? "churned" : "silent";
  else if (recentlyOpened) stage = "new";
  else if (l.aum === 0 && !l.payroll) stage = "potential";
  else if (l.aum >= 500_000) stage = "high_value";
  else if (l.loginsPerDay >= 0.1 || l.payroll || l.pension) stage = "active";
  else stage = "qualified";
  const growth = l.dormant ? round4(0.005 * r.normal()) : round4(clamp(0.02 + 0.12 * r.normal(), -0.95, 2));
  const branch = BRANCHES.indexOf(r.weighted(BRANCHES, BRANCH_WEIGHTS));
  return { lastActivityMs, openDay, stage, growth, branch };
}

/** A value for an attribute nothing is known about but its type. */
function byType(name: string, type: AttributeTypePlan, l: Latent, r: Rng, ctx: CustomerContext): RuntimeValue {
  if (type.t !== "bool" && type.t !== "timezone" && r.chance(0.05)) return null;
  switch (type.t) {
    case "money":
      return round2(r.logNormal(5_000, 1.2));
    case "int":
      return r.int(0, 100);
    case "number":
      return round4(r.normal());
    case "score":
      return round4(r.next());
    case "string":
      return `${name}-${(hashString(name) ^ l.index) % 1000}`;
    case "enum":
      return r.pick(type.values);
    case "bool":
      return r.chance(0.5);
    case "date":
      return isoDate(ctx.startDay - r.int(0, 3650));
    case "datetime":
      return ctx.startMs - r.int(1, 365 * 24 * 3600) * 1000;
    case "timezone":
      return l.zone;
    case "tags":
      return null;
  }
}

/** Plans, per catalog attribute, whether it is drawn by its known rule or by type. */
export function attributeRules(catalog: Pick<CatalogPlan, "attributes">): readonly { readonly name: string; readonly type: AttributeTypePlan; readonly known: boolean }[] {
  return catalog.attributes
    .filter((a) => a.type.t !== "tags")
    .map((a) => {
      const k = KNOWN[a.name];
      const known = k !== undefined && (k.type === "money" ? a.type.t === "money" : sameType(k.type, a.type));
      return { name: a.name, type: a.type, known };
    });
}

/** Draws customer `index`: latent facts, then the catalog's attributes and tags. */
export function generateCustomer(index: number, ctx: CustomerContext, rules: ReturnType<typeof attributeRules>): GeneratedCustomer {
  const l = drawLatent(index, ctx);
  const r = new Rng(hash32(ctx.seed, index, STREAM_ATTRS));
  const f = facts(l, r, ctx);
  const attrs: Record<string, RuntimeValue> = Object.create(null) as Record<string, RuntimeValue>;
  for (const a of rules) {
    const k = a.known ? KNOWN[a.name] : undefined;
    // A zone attribute under another name is still the customer's zone.
    attrs[a.name] = k ? k.rule(l, r, ctx, f) : a.type.t === "timezone" ? l.zone : byType(a.name, a.type, l, r, ctx);
  }
  return { latent: l, attrs, tags: l.tags };
}
