/**
 * The runtime's safety invariants, recounted from the outbox and the journey
 * with this file's own period logic (luxon), independently of the engine's
 * counters: contact policies and caps, quiet hours, opt-outs and
 * exclusions, holdouts, benefit limits, budgets and the ledger, unique ids.
 * Returns the violations found (empty when all hold).
 */
import { DateTime } from "luxon";
import type { Store } from "../../store/types.ts";
import type { OutboxRow, PayoutAction, TouchAction } from "../../types.ts";
import type { DriveLog } from "./drive.ts";
import { CATALOG_ZONE, type CampaignSpec, type LimitSpec, type PeriodSpec, SEASONS, type Scenario } from "./scenario.ts";

type Touch = TouchAction & { seq: number };
type Payout = PayoutAction & { seq: number };

const EPS = 1e-6;

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(":").map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** Is local clock minute `mins` inside [from, to) (wrapping midnight when from > to)? */
function inQuiet(mins: number, from: string, to: string): boolean {
  const f = minutesOf(from);
  const t = minutesOf(to);
  if (f === t) return false;
  return f < t ? mins >= f && mins < t : mins >= f || mins < t;
}

/** [start, end) of the calendar period containing `ms`, or the rolling window ending at `ms`. */
function windowAround(p: PeriodSpec, ms: number): { from: number; to: number; inclusiveEnd: boolean } {
  if (p.kind === "rolling") return { from: ms - p.hours * 3_600_000, to: ms, inclusiveEnd: true };
  const d = DateTime.fromMillis(ms, { zone: p.zone ?? CATALOG_ZONE });
  // ISO week: Monday 00:00 (luxon's startOf("week") is ISO), computed here by hand to stay independent.
  const start = p.unit === "day" ? d.set({ hour: 0, minute: 0, second: 0, millisecond: 0 }) : p.unit === "week" ? d.minus({ days: d.weekday - 1 }).set({ hour: 0, minute: 0, second: 0, millisecond: 0 }) : d.set({ day: 1, hour: 0, minute: 0, second: 0, millisecond: 0 });
  const end = start.plus(p.unit === "day" ? { days: 1 } : p.unit === "week" ? { days: 7 } : { months: 1 });
  return { from: start.toMillis(), to: end.toMillis(), inclusiveEnd: false };
}

function scopeMatches(l: LimitSpec, touchChannel: string, otherChannel: string): boolean {
  if (l.scope.mode === "across") return true;
  if (l.scope.mode === "each") return otherChannel === touchChannel;
  return l.scope.channels.includes(otherChannel as never);
}

function subjectTo(c: CampaignSpec, policy: string): boolean {
  return c.policy === undefined || c.policy === policy;
}

export interface Snapshot {
  readonly outbox: OutboxRow[];
}

export function checkInvariants(s: Scenario, store: Store, log: DriveLog): string[] {
  const bad: string[] = [];
  const rows = store.allOutbox();
  const touches: Touch[] = [];
  const payouts: Payout[] = [];
  const ids = new Set<string>();
  let lastSeq = 0;
  for (const r of rows) {
    if (ids.has(r.action.id)) bad.push(`outbox id ${r.action.id} appears twice`);
    ids.add(r.action.id);
    if (r.seq <= lastSeq) bad.push(`outbox seq ${r.seq} not increasing`);
    lastSeq = r.seq;
    if (r.action.kind === "touch") touches.push({ ...r.action, seq: r.seq });
    else payouts.push({ ...r.action, seq: r.seq });
  }
  const campaigns = new Map(s.campaigns.map((c) => [c.name, c]));
  const customers = new Map(s.customers.map((c) => [c.id, c]));
  const channels = new Map(s.channels.map((c) => [c.name as string, c]));
  const byCustomer = new Map<string, Touch[]>();
  for (const t of touches) {
    const list = byCustomer.get(t.customerId) ?? [];
    list.push(t);
    byCustomer.set(t.customerId, list);
  }

  // ---- holdout: every entry's group, stable per customer and campaign
  const groups = new Map<string, string>();
  for (const j of store.journey()) {
    if (j.kind !== "entry" || !j.group) continue;
    const k = `${j.campaign}\u0000${j.customerId}`;
    const g = groups.get(k);
    if (g !== undefined && g !== j.group) bad.push(`${j.customerId} changed group in ${j.campaign}`);
    groups.set(k, j.group);
  }

  for (const t of touches) {
    const c = campaigns.get(t.campaign);
    const cust = customers.get(t.customerId);
    const ch = channels.get(t.channel);
    if (!c || !cust || !ch) {
      bad.push(`touch ${t.id} names an unknown campaign, customer or channel`);
      continue;
    }
    const where = `touch ${t.campaign}/${t.customerId}/w${t.wave} ${t.channel} at ${new Date(t.at).toISOString()}`;
    // quiet hours, in the customer's zone (else the catalog's)
    const zone = cust.zone ?? CATALOG_ZONE;
    const d = DateTime.fromMillis(t.at, { zone });
    const mins = d.hour * 60 + d.minute;
    for (const q of ch.quiet) if (inQuiet(mins, q.from, q.to)) bad.push(`${where}: inside quiet hours ${q.from}-${q.to} (${zone}, local ${d.toFormat("HH:mm")})`);
    // holdout
    if (groups.get(`${t.campaign}\u0000${t.customerId}`) === "holdout") bad.push(`${where}: holdout member touched`);
    if (groups.get(`${t.campaign}\u0000${t.customerId}`) === undefined) bad.push(`${where}: touch without an entry`);
    // opt-out tag, policy exclusion
    if (t.channel === "sms" && cust.tags.includes("sms_off")) bad.push(`${where}: customer has the sms opt-out tag`);
    if (cust.tags.includes("dnc") && subjectTo(c, "marketing")) bad.push(`${where}: customer excluded by policy marketing (dnc)`);
    // opt-out inputs processed before this touch was decided
    for (const o of log.optOuts) {
      if (o.customerId === t.customerId && t.seq > o.afterSeq && (o.channel === "*" || o.channel === t.channel)) bad.push(`${where}: after opt-out of ${o.channel}`);
    }
    // address: the phone as of this decision
    if (t.channel === "sms") {
      let has = cust.phone;
      for (const p of log.phones) if (p.customerId === t.customerId && p.afterSeq < t.seq) has = p.hasPhone;
      if (!has) bad.push(`${where}: no phone`);
    }
    // contact policies and caps, recounted
    const mine = byCustomer.get(t.customerId) ?? [];
    const rules: { limit: LimitSpec; source: string; counts: (o: Touch) => boolean }[] = [];
    for (const p of s.policies) {
      if (!subjectTo(c, p.name)) continue;
      for (const l of p.limits) rules.push({ limit: l, source: `policy ${p.name}`, counts: (o) => subjectTo(campaigns.get(o.campaign) as CampaignSpec, p.name) });
    }
    for (const l of c.caps) rules.push({ limit: l, source: `cap of ${c.name}`, counts: (o) => o.campaign === c.name });
    for (const r of rules) {
      const l = r.limit;
      if (l.scope.mode === "list" && !l.scope.channels.includes(t.channel as never)) continue;
      const w = windowAround(l.period, t.at);
      const n = mine.filter((o) => (w.inclusiveEnd ? o.at > w.from && o.at <= w.to : o.at >= w.from && o.at < w.to) && r.counts(o) && scopeMatches(l, t.channel, o.channel)).length;
      if (n > l.count) bad.push(`${where}: ${r.source} ${l.count} per ${JSON.stringify(l.period)} ${JSON.stringify(l.scope)} exceeded (${n})`);
    }
  }

  // ---- channel capacity per catalog-zone day (and per branch)
  const cap = new Map<string, number>();
  for (const t of touches) {
    const day = DateTime.fromMillis(t.at, { zone: CATALOG_ZONE }).toISODate();
    const branch = customers.get(t.customerId)?.branch ?? "";
    for (const k of [`${t.channel}|${day}|`, `${t.channel}|${day}|${branch}`]) cap.set(k, (cap.get(k) ?? 0) + 1);
  }
  for (const [k, n] of cap) {
    const [chName, , branch] = k.split("|");
    const ch = channels.get(chName ?? "");
    const limit = branch ? ch?.capacityPerBranch : ch?.capacityPerDay;
    if (limit !== undefined && n > limit) bad.push(`capacity of ${k} exceeded: ${n} > ${limit}`);
  }

  // ---- benefits and budgets
  const byCampaign = new Map<string, Payout[]>();
  for (const p of payouts) {
    const list = byCampaign.get(p.campaign) ?? [];
    list.push(p);
    byCampaign.set(p.campaign, list);
    const c = campaigns.get(p.campaign);
    const cust = customers.get(p.customerId);
    const where = `payout ${p.id} ${p.campaign}/${p.customerId} ${p.benefit} ${p.cost}`;
    if (!c || !cust) {
      bad.push(`${where}: unknown campaign or customer`);
      continue;
    }
    if (p.cost < 0) bad.push(`${where}: negative cost`);
    const g = groups.get(`${p.campaign}\u0000${p.customerId}`);
    if (g !== "treated") bad.push(`${where}: paid to a ${g ?? "non-entered"} customer`);
    if (cust.tags.includes("dnc") && subjectTo(c, "marketing")) bad.push(`${where}: customer excluded by policy marketing (dnc)`);
  }
  const { start: startDate, end: endDate } = SEASONS[s.season];
  const windowStart = DateTime.fromISO(startDate, { zone: CATALOG_ZONE }).toMillis();
  const windowEnd = DateTime.fromISO(endDate, { zone: CATALOG_ZONE }).plus({ days: 1 }).toMillis();
  for (const c of s.campaigns) {
    const list = byCampaign.get(c.name) ?? [];
    if (list.length > 0 && !(c.benefit && c.goal)) bad.push(`${c.name} paid without a benefit`);
    // limit per customer, counted in distinct converting inputs
    const conversions = new Map<string, Set<string>>();
    for (const p of list) {
      const set = conversions.get(p.customerId) ?? new Set<string>();
      set.add(p.eventId);
      conversions.set(p.customerId, set);
    }
    const lim = c.benefit?.limit;
    const max = !lim ? 0 : lim.mode === "once" ? 1 : lim.mode === "atMost" ? lim.n : Number.POSITIVE_INFINITY;
    for (const [cust, set] of conversions) if (set.size > max) bad.push(`${c.name}: ${cust} paid for ${set.size} conversions, limit ${max}`);
    // a conversion pays each line at most once
    const lines = new Set<string>();
    for (const p of list) {
      if (lines.has(p.id)) bad.push(`${c.name}: line ${p.id} paid twice`);
      lines.add(p.id);
    }
    // budgets
    const sum = list.reduce((a, p) => a + p.cost, 0);
    // A budget is rendered only with at least one limit (scenario.ts).
    const b = c.budget && c.benefit && c.goal && (c.budget.total !== undefined || c.budget.perDay !== undefined || c.budget.perWeek !== undefined) ? c.budget : undefined;
    if (b?.total !== undefined && sum > b.total + EPS) bad.push(`${c.name}: spent ${sum} > total ${b.total}`);
    for (const [unit, amount] of [["day", b?.perDay], ["week", b?.perWeek]] as const) {
      if (amount === undefined) continue;
      const per = new Map<number, number>();
      for (const p of list) {
        const w = windowAround({ kind: "calendar", unit }, p.at).from;
        per.set(w, (per.get(w) ?? 0) + p.cost);
      }
      for (const [w, v] of per) if (v > amount + EPS) bad.push(`${c.name}: spent ${v} in the ${unit} from ${new Date(w).toISOString()} > ${amount}`);
    }
    if (b?.paced && b.total !== undefined) {
      let spent = 0;
      for (const p of [...list].sort((x, y) => x.seq - y.seq)) {
        const elapsed = Math.min(1, Math.max(0, (p.at - windowStart) / (windowEnd - windowStart)));
        if (spent > 0 && spent + p.cost > b.total * elapsed + 1e-6) bad.push(`${c.name}: pacing broken at ${new Date(p.at).toISOString()}: ${spent + p.cost} > ${b.total * elapsed}`);
        spent += p.cost;
      }
    }
    // the ledger adds up
    const used = store.budgetUsed(c.name, "total");
    if (Math.abs(used - (b ? sum : 0)) > 1e-6) bad.push(`${c.name}: ledger says ${used}, payouts add up to ${sum}`);
  }
  return bad;
}
