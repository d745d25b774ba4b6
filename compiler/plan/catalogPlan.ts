/** The catalog as embedded in a plan: sorted by name so plans are byte-stable. */
import type { CatalogModel } from "../catalog/model.ts";
import type { CatalogPlan } from "./types.ts";

const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export function catalogPlan(c: CatalogModel): CatalogPlan {
  const branch = c.attributes.get("branch");
  return {
    name: c.name,
    hash: c.hash,
    zone: c.zone,
    currency: c.currency,
    ...(c.customerZoneAttribute ? { customerZoneAttribute: c.customerZoneAttribute } : {}),
    ...(branch && branch.type.t === "string" ? { branchAttribute: "branch" } : {}),
    attributes: [...c.attributes.values()].map((a) => ({ name: a.name, type: a.type, ...(a.label ? { label: a.label } : {}) })).sort(byName),
    tags: [...c.tags.values()].map((t) => ({ name: t.name, ...(t.label ? { label: t.label } : {}) })).sort(byName),
    events: [...c.events.values()]
      .map((e) => ({
        name: e.name,
        ...(e.label ? { label: e.label } : {}),
        fields: [...e.fields.values()].map((f) => ({ name: f.name, type: f.type, ...(f.label ? { label: f.label } : {}) })).sort(byName),
        ...(e.value ? { value: e.value } : {}),
      }))
      .sort(byName),
    channels: [...c.channels.values()]
      .map((ch) => ({
        name: ch.name,
        ...(ch.label ? { label: ch.label } : {}),
        cost: ch.cost,
        quiet: ch.quiet.map((q) => ({ from: q.from, to: q.to })),
        ...(ch.capacityPerDay !== undefined ? { capacityPerDay: ch.capacityPerDay } : {}),
        ...(ch.capacityPerBranch !== undefined ? { capacityPerBranch: ch.capacityPerBranch } : {}),
        ...(ch.address ? { address: ch.address } : {}),
        ...(ch.optoutTag ? { optoutTag: ch.optoutTag } : {}),
      }))
      .sort(byName),
    benefits: [...c.benefits.values()].map((b) => ({ name: b.name, ...(b.label ? { label: b.label } : {}), cost: b.cost, perUnit: b.perUnit })).sort(byName),
    policies: [...c.policies.values()]
      .map((p) => ({ name: p.name, limits: p.limits.map((l) => ({ count: l.count, period: l.period, scope: l.scope })), ...(p.exclude ? { exclude: p.exclude } : {}) }))
      .sort(byName),
  };
}
