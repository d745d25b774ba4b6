/**
 * Deterministic generator of a realistic .campaign source for the parser
 * benchmark: one catalog (customer attributes, tags, events, channels,
 * benefits, a contact policy, segments), a `segments` library, then as many
 * campaigns as needed to reach the requested line count. The campaigns use
 * every clause kind the grammar knows (uses, window, priority, audience,
 * exclude, trigger in all its forms, goal, exit, waves with every modifier
 * and fallbacks, benefit on goal, cap, when capped, budget with pacing and
 * `when spent`, holdout, variants, policy, segment, test) and a wide range
 * of expression forms, including CJK labels and names.
 *
 * Same seed and line count, same text: figures from different runs are
 * comparable.
 *
 * Run alone to print a sample: node --import tsx bench/generate-source.ts [lines] [seed]
 */
import { mulberry32 } from "./support/random.ts";

const CHANNELS = ["app_push", "sms", "email", "rm_task", "wechat"] as const;
const TAGS = ["payroll", "wealth_holder", "complaint_90d", "staff", "credit_card", "mortgage", "sms_optout", "新客户"] as const;
const EVENTS = ["app.login", "payroll.credited", "purchase", "card.swipe", "complaint.filed", "transfer.out"] as const;

/** The catalog every generated campaign uses. */
export function catalogSource(): string {
  return `// Generated benchmark catalog: every kind of catalog member.
catalog benchbank "基准银行" {
  timezone "Asia/Shanghai"
  currency CNY

  customer {
    aum        money              "管理资产规模"
    age        int
    income     money CNY
    risk       enum(R1, R2, R3, R4, R5)
    tier       enum(mass, wealth, premium, private)
    tags       tags
    lastLogin  datetime
    birthday   date
    branch     string
    zone       timezone
    active     bool
    balance    number
    score.wealthPropensity  score "理财意向模型分"
    客户等级    string             "中文属性名"
  }

${TAGS.map((t, i) => `  tag ${t.padEnd(16)} "标签 ${i}"`).join("\n")}

  event app.login        { device: enum(ios, android, web) }
  event payroll.credited { amount: money }
  event purchase         { product: enum(wealth, deposit, fund, insurance), amount: money } value 1% of amount
  event card.swipe "刷卡" { amount: money, merchant: string, online: bool }
  event complaint.filed  { severity: int }
  event transfer.out     { amount: money, target: string }

  channel app_push  cost 0      quiet 22:00-08:00 address appUser
  channel sms       cost 0.05   quiet 21:00-09:00, 12:00-13:30  capacity 200000 per day optout sms_optout
  channel email     cost 0.01 USD
  channel rm_task   cost 5      capacity 40 per day per branch
  channel wechat "微信" cost 0.02

  benefit points    cost 0.01 each
  benefit cash88    "88元红包" cost 88
  benefit coupon    cost 20

  contact policy marketing {
    at most 3 per day, 5 per week across all channels
    at most 1 per rolling 24 hours on sms, email
    at most 2 per calendar week in "Asia/Shanghai" per channel
    exclude has staff or has complaint_90d
  }

  segment affluent "富裕客户" = aum >= 500k and tier in (premium, private)
  segment young = age between 18 and 30
}

segments shared {
  uses catalog benchbank
  segment dormant = lastLogin more than 90 days ago
  segment mass_payroll = has payroll and tier = mass and not segment affluent
}
`;
}

export interface GeneratedSource {
  readonly text: string;
  readonly lines: number;
  readonly campaigns: number;
}

/** Builds a source of at least `targetLines` lines (default 5,000) from a seed. */
export function generateSource(targetLines = 5000, seed = 20261201): GeneratedSource {
  const rnd = mulberry32(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
  const pick = <X>(xs: readonly X[]): X => xs[Math.floor(rnd() * xs.length)] as X;
  const pad2 = (n: number): string => String(n).padStart(2, "0");

  const parts: string[] = [catalogSource()];
  let lines = countLines(parts[0] ?? "");
  let i = 0;
  while (lines < targetLines) {
    const c = campaign(i++);
    parts.push(c);
    lines += countLines(c);
  }
  const text = parts.join("\n");
  return { text, lines: countLines(text), campaigns: i };

  function condition(depth = 0): string {
    const atoms = [
      () => `aum between ${int(1, 90)}k and ${int(100, 900)}k`,
      () => `age >= ${int(18, 60)}`,
      () => `risk in (${["R1", "R2", "R3", "R4", "R5"].filter(() => rnd() < 0.5).concat("R3").join(", ")})`,
      () => `tier not in (mass${rnd() < 0.5 ? ", wealth" : ""})`,
      () => `has ${pick(TAGS)}`,
      () => `not has ${pick(TAGS)}`,
      () => `has any (${pick(TAGS)}, ${pick(TAGS)})`,
      () => `has none (staff, complaint_90d)`,
      () => `lastLogin within ${int(7, 120)} days`,
      () => `lastLogin within last ${int(2, 8)} weeks`,
      () => `lastLogin more than ${int(30, 365)} days ago`,
      () => `lastLogin less than ${int(1, 48)} hours ago`,
      () => `birthday anniversary is ${pick(["today", "tomorrow", "yesterday"])}`,
      () => `branch is ${rnd() < 0.5 ? "not " : ""}set`,
      () => `branch = "${pick(["上海分行", "Beijing", "深圳 \\\"南山\\\" 支行"])}"`,
      () => `balance * ${int(2, 9)} + ${int(1, 500)} > aum - ${int(1, 99)}k`,
      () => `transfer.amount >= ${int(10, 90)}% of aum`,
      () => `score.wealthPropensity >= 0.${int(1, 9)}`,
      () => `segment ${pick(["affluent", "young", "dormant", "mass_payroll"])}`,
      () => `active = ${pick(["true", "false"])}`,
      () => `income >= ${int(5, 50)}k CNY`,
      () => `客户等级 != "普通"`,
    ];
    const n = int(1, depth > 0 ? 2 : 4);
    const terms: string[] = [];
    for (let k = 0; k < n; k++) {
      if (depth < 2 && rnd() < 0.15) terms.push(`(${condition(depth + 1)} or ${condition(depth + 1)})`);
      else terms.push(pick(atoms)());
    }
    return terms.join(depth === 0 ? "\n    and " : " and ");
  }

  function trigger(): string {
    switch (int(0, 5)) {
      case 0:
        return `trigger on app.login where device in (ios, android)\n    once per customer`;
      case 1:
        return `trigger on payroll.credited where amount >= ${int(1, 20)}k and no app.login within ${int(1, 7)} days\n    again after ${int(7, 60)} days`;
      case 2:
        return `trigger every day at ${pad2(int(8, 20))}:00 customer time`;
      case 3:
        return `trigger every weekday at 09:30, 14:00 bank time`;
      case 4:
        return `trigger every week on monday, thursday at ${pad2(int(8, 18))}:15 in "Asia/Shanghai"`;
      default:
        return rnd() < 0.5
          ? `trigger once at 2026-12-${pad2(int(1, 28))} at ${pad2(int(8, 18))}:00 customer time`
          : `trigger every month on day ${int(1, 28)} at 10:00`;
    }
  }

  function waves(i: number, variants: boolean): string {
    const n = int(1, 4);
    const out = ["  waves"];
    for (let w = 1; w <= n; w++) {
      const ch = pick(CHANNELS);
      const tpl = variants && w === 1 ? `{ a "tpl_${i}_${w}_a", b "tpl_${i}_${w}_b" }` : `"tpl_${i}_${w}"`;
      const mods =
        w === 1
          ? pick(["now", `at ${pad2(int(9, 17))}:00`])
          : [
              `after ${int(1, 7)} ${pick(["days", "day", "hours"])}${rnd() < 0.3 ? ` at ${pad2(int(9, 17))}:30` : ""}`,
              pick(["unless converted", "unless opened", `unless wave ${w - 1} clicked`]),
              ...(rnd() < 0.4 ? [`only tier >= wealth`] : []),
            ].join(", ");
      out.push(`    ${w}. ${ch} ${tpl} ${mods}`);
      if (rnd() < 0.3) out.push(`       else ${pick(CHANNELS)} "fallback_${i}_${w}"`);
    }
    return out.join("\n");
  }

  function campaign(i: number): string {
    const variants = rnd() < 0.3;
    const lines: string[] = [];
    lines.push(`// campaign ${i}: generated`);
    lines.push(`campaign gen_${i} "生成活动 ${i} — ${pick(["代发", "理财", "信用卡", "生日关怀"])}" {`);
    lines.push(`  uses catalog benchbank`);
    if (rnd() < 0.3) lines.push(`  uses segments shared`);
    lines.push(
      rnd() < 0.8
        ? `  window 2026-${pad2(int(1, 6))}-01 .. 2026-12-31`
        : `  window 2026-03-01T09:00 .. 2026-03-31T18:00+08:00`,
    );
    lines.push(`  priority ${int(1, 100)}`);
    if (rnd() < 0.3) lines.push(`  policy marketing`);
    if (rnd() < 0.2) lines.push(`  segment local_${i} = branch = "分行${i}" and age < ${int(30, 70)}`);
    lines.push(`  audience\n    ${condition()}`);
    if (rnd() < 0.6) lines.push(`  exclude has staff${rnd() < 0.5 ? " or segment dormant" : ""}`);
    lines.push(`  ${trigger()}`);
    lines.push(
      rnd() < 0.7
        ? `  goal purchase where product = ${pick(["wealth", "fund", "deposit"])} and amount >= ${int(5, 100)}k within ${int(7, 30)} days of ${pick(["first touch", "entry"])}`
        : `  goal aum up by at least ${int(5, 50)}k within ${int(14, 60)} days`,
    );
    if (rnd() < 0.4) lines.push(`  exit on complaint.filed where severity >= ${int(1, 3)}`);
    if (rnd() < 0.3) lines.push(`  exit when has complaint_90d`);
    lines.push(waves(i, variants));
    if (rnd() < 0.5) {
      lines.push(`  benefit on goal`);
      lines.push(`    points ${int(100, 5000)} when amount >= ${int(10, 60)}k`);
      if (rnd() < 0.5) lines.push(`    points 1% of amount`);
      lines.push(`    cash88      when amount >= ${int(100, 300)}k`);
      lines.push(`    ${pick(["once per customer", `at most ${int(2, 5)} per customer`, "every time"])}`);
    }
    lines.push(`  cap ${rnd() < 0.5 ? "at most " : ""}${int(1, 2)} per day, ${int(2, 5)} per week${pick(["", " on sms", " across all channels", " per channel"])}`);
    if (rnd() < 0.5) lines.push(`  when capped: ${pick(["drop", "defer", "next channel"])}`);
    if (rnd() < 0.6) {
      const c1 = int(10, 30);
      const c2 = int(20, 40);
      const pacing = pick([", paced evenly", `, paced by curve(${c1}%, ${c2}%, ${100 - c1 - c2}%)`, ""]);
      lines.push(`  budget ${int(100, 900)}k total, ${int(5, 50)}k per day${pacing}`);
      if (rnd() < 0.6) lines.push(`    when spent: stop ${pick(["benefits", "entry", "all", "benefits and entry"])}`);
    }
    if (rnd() < 0.6) lines.push(`  holdout ${int(1, 20)}%${rnd() < 0.5 ? ` salt "2026q${int(1, 4)}"` : ""}`);
    if (variants) lines.push(`  variants { a 50%, b 50% }${rnd() < 0.5 ? ` salt "v${i}"` : ""}`);
    if (rnd() < 0.5) {
      const d = pad2(int(2, 27));
      lines.push(`  test "customer ${i} is contacted" {`);
      lines.push(`    given customer c1 { tier wealth, aum ${int(50, 300)}k, tags [payroll, credit_card], lastLogin 2026-11-20T10:00, risk R2, age 30, balance -12.5 }`);
      lines.push(`    at 2026-12-${d}T08:00`);
      lines.push(`    event app.login for c1 at 2026-12-${d}T10:00 { device ios }`);
      lines.push(`    update c1 at 2026-12-${d}T11:00 { aum ${int(300, 900)}k }`);
      lines.push(`    expect app_push "tpl_${i}_1" to c1 at 2026-12-${d}T10:00`);
      lines.push(`    expect benefit points 2000 to c1`);
      lines.push(`    expect no rm_task to c1`);
      lines.push(`  }`);
    }
    lines.push(`}`);
    return lines.join("\n") + "\n";
  }
}

function countLines(s: string): number {
  let n = 1;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 10) n++;
  return s.endsWith("\n") ? n - 1 : n;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const g = generateSource(Number(process.argv[2] ?? 5000), Number(process.argv[3] ?? 20261201));
  process.stdout.write(g.text);
}
