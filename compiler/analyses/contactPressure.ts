/**
 * A015: contact pressure across campaigns. For each limit of a contact
 * policy (per day or per week), finds campaigns under that policy that one
 * customer can be in together (audiences and trigger conditions jointly
 * satisfiable, windows sharing a whole period), counts the touches each can
 * send that customer in one and the same period (respecting the campaign's
 * own caps), and when the total exceeds the limit, warns on the
 * lowest-priority campaigns: the policy will starve them.
 *
 * Every count is realisable (a lower bound of the worst case): waves with an
 * `only` condition are not counted, capped touches are dropped only when the
 * campaign drops them, and other limits of the policies bound the total.
 */
import { makeDiagnostic } from "../../language/diagnostics/make.ts";
import type { Diagnostic } from "../../language/diagnostics/diagnostic.ts";
import { andOf, type Pred, type ValueExpr } from "../ir/predicate.ts";
import { decide, showWitness, type Env, type Satisfiability } from "../logic/index.ts";
import type { ChannelScopePlan, PeriodPlan, Plan, RateLimitPlan } from "../plan/types.ts";
import type { CheckedCampaign } from "../program.ts";
import type { Analysis } from "./index.ts";
import { campaignEnv, conditionsOf } from "./support/conditions.ts";
import { DAY, HOUR, addShift, batchZone, fireTimes, firstWholePeriod, nextClock, periodKey, rollingLength, showPeriod } from "./support/time.ts";

type Unit = "day" | "week";

function limitUnit(p: PeriodPlan): Unit | undefined {
  if (p.kind === "calendar") return p.unit === "month" ? undefined : p.unit;
  const len = rollingLength(p);
  return len === DAY ? "day" : len === 7 * DAY ? "week" : undefined;
}

function renameFields(p: Pred, prefix: string): Pred {
  const v = (x: ValueExpr): ValueExpr =>
    x.k === "field" ? { ...x, name: `${prefix}.${x.name}` } : x.k === "arith" ? { ...x, left: v(x.left), right: v(x.right) } : x.k === "neg" ? { ...x, arg: v(x.arg) } : x;
  switch (p.k) {
    case "and":
    case "or":
      return { ...p, args: p.args.map((a) => renameFields(a, prefix)) };
    case "not":
      return { ...p, arg: renameFields(p.arg, prefix) };
    case "label":
      return { ...p, pred: renameFields(p.pred, prefix) };
    case "cmp":
      return { ...p, left: v(p.left), right: v(p.right) };
    case "in":
    case "set":
    case "anniversary":
      return { ...p, value: v(p.value) };
    default:
      return p;
  }
}

function inScope(scope: ChannelScopePlan, channel: string): boolean {
  return scope.mode !== "list" || scope.channels.includes(channel);
}

interface Touch {
  readonly t: number;
  readonly channel: string;
  readonly counted: boolean;
}

/** Touches one customer gets from a chain of entries starting at `first`, with the campaign's caps applied; undefined if a cap would defer. */
function chain(plan: Plan, first: number, until: number, zone: string, fires: readonly number[] | undefined): Touch[] | undefined {
  const entries: number[] = [first];
  if (plan.entry.mode === "again") {
    for (let k = 0; k < 60; k++) {
      const prev = entries[entries.length - 1] as number;
      const earliest = Math.max(addShift(prev, plan.entry.coolDown, zone), prev + 1);
      const next = fires ? fires.find((f) => f >= earliest) : earliest;
      if (next === undefined || next >= until) break;
      entries.push(next);
    }
  }
  const raw: Touch[] = [];
  for (const e of entries) {
    let t = e;
    for (const w of plan.waves) {
      t = addShift(t, w.delay, zone);
      if (w.at) t = nextClock(t, w.at, zone);
      const ch = w.touches[0]?.channel;
      if (ch && t < plan.campaign.window.end) raw.push({ t, channel: ch, counted: w.only.k === "true" });
    }
  }
  raw.sort((a, b) => a.t - b.t);
  const sent: Touch[] = [];
  for (const x of raw) {
    const blocked = plan.caps.some((cap) => {
      if (!(cap.scope.mode === "across" || cap.scope.mode === "each" || inScope(cap.scope, x.channel))) return false;
      const same = sent.filter((s) => (cap.scope.mode === "each" ? s.channel === x.channel : inScope(cap.scope, s.channel)) && samePeriod(cap, s.t, x.t));
      return same.length >= cap.count;
    });
    if (!blocked) sent.push(x);
    else if (plan.cappedAction !== "drop") return undefined;
  }
  return sent;
}

function samePeriod(cap: RateLimitPlan, a: number, b: number): boolean {
  if (cap.period.kind === "calendar") return periodKey(cap.period, a) === periodKey(cap.period, b);
  return b - a < rollingLength(cap.period);
}

/** Most touches (per channel) one customer can get from `c` inside [p.start, p.end). */
function countIn(c: CheckedCampaign, p: { start: number; end: number }, channels: (ch: string) => boolean): Map<string, number> {
  const plan = c.plan;
  const zone = c.catalog.zone;
  const win = plan.campaign.window;
  let span = 0;
  let t = p.start;
  for (const w of plan.waves) {
    t = addShift(t, w.delay, zone);
    if (w.at) t = nextClock(t, w.at, zone);
  }
  span = t - p.start;
  const from = Math.max(win.start, p.start - span - DAY);
  const to = Math.min(win.end, p.end);
  const fires = plan.trigger.kind === "batch" ? fireTimes(plan.trigger, win.start, win.end, batchZone(plan.trigger, zone), 2000) : undefined;
  const firsts = fires ? fires.filter((f) => f >= from && f < to) : [];
  // Hourly entries, thinned to at most ~240 (whole hours) over long stretches.
  const step = Math.max(1, Math.ceil((to - from) / HOUR / 240)) * HOUR;
  if (!fires) for (let e = from; e < to; e += step) firsts.push(e);
  let best = new Map<string, number>();
  let bestTotal = 0;
  for (const e of firsts) {
    const touches = chain(plan, e, p.end, zone, fires);
    if (!touches) continue;
    const m = new Map<string, number>();
    let total = 0;
    for (const x of touches) {
      if (!x.counted || x.t < p.start || x.t >= p.end || !channels(x.channel)) continue;
      m.set(x.channel, (m.get(x.channel) ?? 0) + 1);
      total++;
    }
    if (total > bestTotal) {
      best = m;
      bestTotal = total;
    }
  }
  return best;
}

/** How many periods of `m` fit in one `unit` (an upper bound), or the count itself when `m` covers the unit. */
function boundFor(m: RateLimitPlan, unit: Unit): number {
  const unitLen = unit === "day" ? DAY : 7 * DAY;
  const len = m.period.kind === "calendar" ? { day: DAY, week: 7 * DAY, month: 28 * DAY }[m.period.unit] : rollingLength(m.period);
  if (len >= unitLen) return m.count;
  return m.count * (Math.ceil(unitLen / len) + (m.period.kind === "rolling" ? 1 : 0));
}

export const contactPressure: Analysis = {
  name: "contact-pressure",
  run(campaigns) {
    const out: Diagnostic[] = [];
    const ok = campaigns.filter((c) => !c.hasErrors && c.decl.name && c.plan.waves.length > 0);
    const catalogs = new Map(ok.map((c) => [c.catalog.name, c.catalog]));
    const countMemo = new Map<CheckedCampaign, Map<string, Map<string, number>>>();
    // Whether campaigns can be in together depends only on which campaigns they are (the env
    // below reads the candidates' own envs, by id): decided once per candidate list, across
    // policies, limits and channels. Only when ids are unique and dot-free (the env parses them).
    const index = new Map(ok.map((c, i) => [c, i]));
    const ids = ok.map((c) => c.plan.campaign.id);
    const memoOk = new Set(ids).size === ids.length && ids.every((id) => !id.includes("."));
    const jointMemo = new Map<string, Satisfiability>();
    for (const catalog of catalogs.values()) {
      for (const policy of catalog.policies.values()) {
        const members = ok.filter((c) => c.catalog.name === catalog.name && c.plan.policies.includes(policy.name)).sort((a, b) => b.plan.campaign.priority - a.plan.campaign.priority);
        if (members.length < 2) continue;
        for (const limit of policy.limits) {
          const unit = limitUnit(limit.period);
          if (!unit) continue;
          const zone = limit.period.kind === "calendar" ? limit.period.zone : catalog.zone;
          const chanSets: (string | undefined)[] = limit.scope.mode === "each" ? [...new Set(members.flatMap((c) => c.plan.waves.map((w) => w.touches[0]?.channel ?? "")))] : [undefined];
          for (const only of chanSets) {
            const counts = (ch: string): boolean => (only !== undefined ? ch === only : inScope(limit.scope, ch));
            // Greedy group, highest priority first: campaigns one customer can be in together.
            const group: CheckedCampaign[] = [];
            const envs = new Map<string, Env>();
            const fieldEnv: Env = {
              domain: (s) => {
                const m = /^field:(.+?)\.(.+)$/.exec(s);
                if (m) return envs.get(m[1] as string)?.domain?.(`field:${m[2]}`);
                return group[0] ? campaignEnv(group[0]).domain?.(s) : undefined;
              },
              integral: (s) => {
                const m = /^field:(.+?)\.(.+)$/.exec(s);
                if (m) return envs.get(m[1] as string)?.integral?.(`field:${m[2]}`) ?? false;
                return group[0] ? (campaignEnv(group[0]).integral?.(s) ?? false) : false;
              },
            };
            let period: { start: number; end: number } | undefined;
            let witness = "";
            for (const c of members) {
              const cand = [...group, c];
              const from = Math.max(...cand.map((x) => x.plan.campaign.window.start));
              const to = Math.min(...cand.map((x) => x.plan.campaign.window.end));
              const p = to > from ? firstWholePeriod(unit, zone, from, to) : undefined;
              if (!p) continue;
              envs.set(c.plan.campaign.id, campaignEnv(c));
              const memoKey = memoOk ? cand.map((x) => index.get(x)).join(",") : undefined;
              let r = memoKey !== undefined ? jointMemo.get(memoKey) : undefined;
              if (!r) {
                const joint = andOf(cand.flatMap((x) => [conditionsOf(x).audience, renameFields(conditionsOf(x).trigger, x.plan.campaign.id)]));
                r = decide(joint, fieldEnv);
                if (memoKey !== undefined) jointMemo.set(memoKey, r);
              }
              if (r.kind !== "sat") continue;
              group.push(c);
              period = p;
              witness = showWitness(r.witness);
            }
            if (group.length < 2 || !period) continue;
            const p = period;
            const key = `${p.start}:${p.end}:${only ?? JSON.stringify(limit.scope)}`;
            const perCampaign = group.map((c) => {
              const memo = countMemo.get(c) ?? new Map<string, Map<string, number>>();
              countMemo.set(c, memo);
              const hit = memo.get(key) ?? countIn(c, p, counts);
              memo.set(key, hit);
              return { c, byChannel: hit };
            });
            // Other limits of the policies all members share bound the total.
            const byChannel = new Map<string, number>();
            for (const x of perCampaign) for (const [ch, n] of x.byChannel) byChannel.set(ch, (byChannel.get(ch) ?? 0) + n);
            const shared = catalog.policies.values();
            for (const pol of shared) {
              if (!group.every((c) => c.plan.policies.includes(pol.name))) continue;
              for (const m of pol.limits) {
                if (m === limit) continue;
                const chans = [...byChannel.keys()];
                const groups = m.scope.mode === "each" ? chans.map((ch) => [ch]) : [chans.filter((ch) => inScope(m.scope, ch))];
                for (const g of groups) {
                  let sum = g.reduce((s, ch) => s + (byChannel.get(ch) ?? 0), 0);
                  const bound = boundFor(m, unit);
                  for (const ch of g) {
                    if (sum <= bound) break;
                    const n = byChannel.get(ch) ?? 0;
                    const cut = Math.min(n, sum - bound);
                    byChannel.set(ch, n - cut);
                    sum -= cut;
                  }
                }
              }
            }
            const total = [...byChannel.values()].reduce((s, n) => s + n, 0);
            if (total <= limit.count) continue;
            let running = 0;
            const shares = perCampaign.map((x) => ({ c: x.c, n: [...x.byChannel.values()].reduce((s, n) => s + n, 0) }));
            const list = shares.map((s) => `\`${s.c.plan.campaign.id}\` (priority ${s.c.plan.campaign.priority}): ${s.n}`).join(", ");
            const scopeText = only !== undefined ? `on \`${only}\`` : limit.scope.mode === "list" ? `on ${limit.scope.channels.map((x) => `\`${x}\``).join(", ")}` : "across all channels";
            for (const s of shares) {
              running += s.n;
              if (running <= limit.count || s.n === 0) continue;
              const higher = shares.filter((o) => o.c.plan.campaign.priority > s.c.plan.campaign.priority).map((o) => `\`${o.c.plan.campaign.id}\``);
              out.push(
                makeDiagnostic(
                  "A015",
                  `one customer can be due ${total} touches in one ${showPeriod(limit.period)} ${scopeText} from ${list}, above contact policy \`${policy.name}\`'s limit of ${limit.count}; \`${s.c.plan.campaign.id}\` would be starved${higher.length > 0 ? ` by higher-priority ${higher.join(", ")}` : ""}`,
                  s.c.decl.name?.span ?? s.c.decl.span,
                  {
                    related: [{ span: limit.span, message: `the limit of policy \`${policy.name}\`` }],
                    help: `${witness === "any customer" ? "any customer" : `a customer with \`${witness}\``} can be in all of these campaigns; space their waves, cap them, or make the audiences exclusive`,
                  },
                ),
              );
            }
          }
        }
      }
    }
    return out;
  },
};
