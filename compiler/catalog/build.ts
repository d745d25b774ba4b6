/**
 * Builds the checked catalog model from a catalog declaration: duplicate
 * names, currency and time zone validity, channel and policy settings.
 */
import { IANAZone } from "luxon";
import type * as A from "../../language/ast.ts";
import type { Diagnostic } from "../../language/diagnostics/diagnostic.ts";
import { makeDiagnostic } from "../../language/diagnostics/make.ts";
import type { Span } from "../../language/span.ts";
import { closest } from "../../language/parser/literals.ts";
import { checkValue } from "../check/expr.ts";
import { checkPeriod } from "../check/period.ts";
import type { Scope } from "../check/scope.ts";
import { checkCondition } from "../check/expr.ts";
import type { ScalarType } from "../types.ts";
import type {
  AttributeInfo,
  BenefitInfo,
  CatalogModel,
  ChannelInfo,
  ChannelScopeModel,
  EventInfo,
  PolicyInfo,
  QuietRange,
  RateLimitModel,
  SegmentInfo,
  TagInfo,
} from "./model.ts";

export const DEFAULT_ZONE = "Asia/Shanghai";
export const DEFAULT_CURRENCY = "CNY";

export function isValidZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

function duplicate(kind: string, name: string, span: Span, first: Span, out: Diagnostic[]): void {
  out.push(makeDiagnostic("N011", `${kind} \`${name}\` is declared twice`, span, { related: [{ span: first, message: "first declared here" }] }));
}

export function fieldType(t: A.TypeRef | undefined, currency: string): ScalarType {
  if (!t) return { t: "string" };
  switch (t.name) {
    case "money":
      return { t: "money", currency: t.currency?.name ?? currency };
    case "enum":
      return { t: "enum", values: [...new Set(t.values.map((v) => v.name))] };
    default:
      return { t: t.name };
  }
}

function fields(decls: readonly A.FieldDecl[], currency: string, kind: string, out: Diagnostic[]): Map<string, AttributeInfo> {
  const map = new Map<string, AttributeInfo>();
  for (const f of decls) {
    const prev = map.get(f.name.name);
    if (prev) {
      duplicate(kind, f.name.name, f.name.span, prev.span, out);
      continue;
    }
    if (f.type?.name === "enum") {
      const seen = new Set<string>();
      for (const v of f.type.values) {
        if (seen.has(v.name)) out.push(makeDiagnostic("N011", `enum value \`${v.name}\` is listed twice`, v.span));
        seen.add(v.name);
      }
    }
    map.set(f.name.name, { name: f.name.name, type: fieldType(f.type, currency), ...(f.label ? { label: f.label.value } : {}), span: f.name.span });
  }
  return map;
}

function timeText(t: A.TimeLit | undefined): string {
  if (!t) return "00:00";
  return `${String(t.hour).padStart(2, "0")}:${String(t.minute).padStart(2, "0")}`;
}

/** Builds the model; `hash` is the SHA-256 of the catalog file's text. */
export function buildCatalog(decl: A.CatalogDecl, file: string, hash: string, out: Diagnostic[]): CatalogModel {
  let zone = DEFAULT_ZONE;
  let currency = DEFAULT_CURRENCY;
  let zoneSeen = false;
  for (const m of decl.members) {
    if (m.kind === "timezone" && m.zone) {
      zoneSeen = true;
      if (isValidZone(m.zone.value)) zone = m.zone.value;
      else out.push(makeDiagnostic("T010", `unknown time zone \`${m.zone.value}\``, m.zone.span, { help: "use an IANA zone name such as `Asia/Shanghai`" }));
    }
    if (m.kind === "currency" && m.code) {
      if (/^[A-Z]{3}$/.test(m.code.name)) currency = m.code.name;
      else out.push(makeDiagnostic("T017", `\`${m.code.name}\` is not an ISO 4217 currency code (three capital letters)`, m.code.span));
    }
  }
  if (!zoneSeen && decl.name) {
    out.push(makeDiagnostic("N020", `catalog \`${decl.name.name}\` states no \`timezone\`; ${DEFAULT_ZONE} is assumed`, decl.name.span, { severity: "warning" }));
  }

  const attributes = new Map<string, AttributeInfo>();
  const tags = new Map<string, TagInfo>();
  const events = new Map<string, EventInfo>();
  const channels = new Map<string, ChannelInfo>();
  const benefits = new Map<string, BenefitInfo>();
  const policies = new Map<string, PolicyInfo>();
  const segments = new Map<string, SegmentInfo>();

  for (const m of decl.members) {
    if (m.kind === "customer") {
      for (const [k, v] of fields(m.fields, currency, "attribute", out)) {
        const prev = attributes.get(k);
        if (prev) duplicate("attribute", k, v.span, prev.span, out);
        else attributes.set(k, v);
      }
    }
  }
  for (const m of decl.members) {
    switch (m.kind) {
      case "tag": {
        if (!m.name) break;
        const prev = tags.get(m.name.name);
        if (prev) duplicate("tag", m.name.name, m.name.span, prev.span, out);
        else tags.set(m.name.name, { name: m.name.name, ...(m.label ? { label: m.label.value } : {}), span: m.name.span });
        break;
      }
      case "event": {
        if (!m.name) break;
        const prev = events.get(m.name.name);
        if (prev) {
          duplicate("event", m.name.name, m.name.span, prev.span, out);
          break;
        }
        events.set(m.name.name, { name: m.name.name, ...(m.label ? { label: m.label.value } : {}), fields: fields(m.fields, currency, "payload field", out), span: m.name.span });
        break;
      }
      case "channel": {
        if (!m.name) break;
        const prev = channels.get(m.name.name);
        if (prev) {
          duplicate("channel", m.name.name, m.name.span, prev.span, out);
          break;
        }
        channels.set(m.name.name, buildChannel(m, m.name, out));
        break;
      }
      case "benefit": {
        if (!m.name) break;
        const prev = benefits.get(m.name.name);
        if (prev) {
          duplicate("benefit", m.name.name, m.name.span, prev.span, out);
          break;
        }
        const cost = m.cost?.value ?? 0;
        if (cost < 0) out.push(makeDiagnostic("T018", "a benefit's cost cannot be negative", m.cost?.span ?? m.span));
        benefits.set(m.name.name, { name: m.name.name, ...(m.label ? { label: m.label.value } : {}), cost, perUnit: m.perUnit, span: m.name.span });
        break;
      }
      case "segment": {
        if (!m.name) break;
        const prev = segments.get(m.name.name);
        if (prev) {
          duplicate("segment", m.name.name, m.name.span, prev.decl.span, out);
          break;
        }
        segments.set(m.name.name, { name: m.name.name, ...(m.label ? { label: m.label.value } : {}), decl: m, origin: `catalog ${decl.name?.name ?? ""}` });
        break;
      }
      default:
        break;
    }
  }

  const partial = {
    name: decl.name?.name ?? "",
    ...(decl.label ? { label: decl.label.value } : {}),
    file,
    zone,
    currency,
    attributes,
    tags,
    events,
    channels,
    benefits,
    policies,
    segments,
    hash,
    decl,
  };
  const zoneAttr = [...attributes.values()].find((a) => a.type.t === "timezone");
  const tagsAttr = [...attributes.values()].find((a) => a.type.t === "tags");
  const model: CatalogModel = { ...partial, ...(zoneAttr ? { customerZoneAttribute: zoneAttr.name } : {}), ...(tagsAttr ? { tagsAttribute: tagsAttr.name } : {}) };

  // Channel references to attributes and tags, event values and policies need the model itself.
  for (const ch of channels.values()) {
    const m = decl.members.find((x): x is A.ChannelMember => x.kind === "channel" && x.name?.name === ch.name);
    for (const p of m?.props ?? []) {
      if (p.kind === "address" && p.attribute && !attributes.has(p.attribute.name)) {
        out.push(makeDiagnostic("N003", `unknown customer attribute \`${p.attribute.name}\` for the channel's address`, p.attribute.span));
      }
      if (p.kind === "optout" && p.tag && !tags.has(p.tag.name)) {
        out.push(makeDiagnostic("N004", `unknown tag \`${p.tag.name}\` for the channel's opt-out`, p.tag.span));
      }
    }
  }
  for (const m of decl.members) {
    if (m.kind === "event" && m.name && m.value) {
      const ev = events.get(m.name.name);
      if (!ev) continue;
      const scope: Scope = { catalog: model, segments, fields: ev.fields, eventName: ev.name, context: `the value of event \`${ev.name}\``, customerAttributes: false, diagnostics: out, segmentStack: [] };
      const v = checkValue(m.value, scope);
      if (v.ir && v.type.t !== "error") {
        if (v.type.t !== "money" && v.type.t !== "numeric literal") out.push(makeDiagnostic("T001", `an event's value must be an amount of money, not ${v.type.t}`, m.value.span));
        else events.set(ev.name, { ...ev, value: v.ir, valueExpr: m.value });
      }
    }
    if (m.kind === "policy" && m.name) {
      const prev = policies.get(m.name.name);
      if (prev) {
        duplicate("contact policy", m.name.name, m.name.span, prev.span, out);
        continue;
      }
      policies.set(m.name.name, buildPolicy(m, m.name, model, out));
    }
  }
  return model;
}

function buildChannel(m: A.ChannelMember, name: A.Ident, out: Diagnostic[]): ChannelInfo {
  let cost = 0;
  const quiet: QuietRange[] = [];
  let capacityPerDay: number | undefined;
  let capacityPerBranch: number | undefined;
  let address: string | undefined;
  let optoutTag: string | undefined;
  for (const p of m.props) {
    switch (p.kind) {
      case "cost":
        cost = p.amount?.value ?? 0;
        if (cost < 0) out.push(makeDiagnostic("T018", "a channel's cost cannot be negative", p.span));
        break;
      case "quiet":
        for (const r of p.ranges) {
          const from = timeText(r.from);
          const to = timeText(r.to);
          if (from === to) out.push(makeDiagnostic("T019", `quiet hours \`${from}-${to}\` are empty; to forbid the channel all day write \`00:00-24:00\``, r.span));
          quiet.push({ from, to });
        }
        break;
      case "capacity": {
        const n = p.count?.value ?? 0;
        if (!Number.isInteger(n) || n <= 0) out.push(makeDiagnostic("T018", "capacity is a positive whole number of touches", p.count?.span ?? p.span));
        if (p.perBranch) capacityPerBranch = n;
        else capacityPerDay = n;
        break;
      }
      case "address":
        address = p.attribute?.name;
        break;
      case "optout":
        optoutTag = p.tag?.name;
        break;
    }
  }
  return {
    name: name.name,
    ...(m.label ? { label: m.label.value } : {}),
    cost,
    quiet,
    ...(capacityPerDay !== undefined ? { capacityPerDay } : {}),
    ...(capacityPerBranch !== undefined ? { capacityPerBranch } : {}),
    ...(address ? { address } : {}),
    ...(optoutTag ? { optoutTag } : {}),
    span: name.span,
  };
}

export function channelScope(s: A.ChannelScope | undefined, channels: ReadonlyMap<string, ChannelInfo>, out: Diagnostic[]): ChannelScopeModel {
  if (!s || s.mode === "across") return { mode: "across" };
  if (s.mode === "each") return { mode: "each" };
  for (const c of s.channels) {
    if (!channels.has(c.name)) {
      const near = closest(c.name, channels.keys());
      out.push(
        makeDiagnostic("N007", `unknown channel \`${c.name}\`${near ? `; did you mean \`${near}\`?` : ""}`, c.span, {
          fixes: near ? [{ title: `replace with \`${near}\``, edits: [{ span: c.span, newText: near }] }] : [],
        }),
      );
    }
  }
  return { mode: "list", channels: s.channels.map((c) => c.name) };
}

export function rateLimits(limits: readonly A.RateLimit[], zone: string, out: Diagnostic[]): RateLimitModel[] {
  const result: RateLimitModel[] = [];
  for (const l of limits) {
    const count = l.count?.value ?? 0;
    if (!Number.isInteger(count) || count < 0) {
      out.push(makeDiagnostic("T018", "a limit is a whole, non-negative number of touches", l.count?.span ?? l.span));
      continue;
    }
    const period = checkPeriod(l.period, zone, out);
    if (period) result.push({ count, period, span: l.span });
  }
  return result;
}

function buildPolicy(m: A.PolicyMember, name: A.Ident, model: CatalogModel, out: Diagnostic[]): PolicyInfo {
  const limits: PolicyInfo["limits"][number][] = [];
  const excludes = [];
  for (const r of m.rules) {
    if (r.kind === "policyLimit") {
      const scope = channelScope(r.scope, model.channels, out);
      for (const l of rateLimits(r.limits, model.zone, out)) limits.push({ ...l, scope });
    } else if (r.condition) {
      const scope: Scope = { catalog: model, segments: model.segments, context: `policy \`${name.name}\``, customerAttributes: true, diagnostics: out, segmentStack: [] };
      excludes.push(checkCondition(r.condition, scope));
    }
  }
  const exclude = excludes.length === 0 ? undefined : excludes.length === 1 ? excludes[0] : { k: "or" as const, args: excludes };
  return { name: name.name, limits, ...(exclude ? { exclude } : {}), span: name.span };
}
