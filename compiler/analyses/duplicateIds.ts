/** A001: two campaigns with the same id among all files given to one check. */
import { makeDiagnostic } from "../../language/diagnostics/make.ts";
import type { Analysis } from "./index.ts";

export const duplicateCampaignIds: Analysis = {
  name: "duplicate-campaign-ids",
  run(campaigns) {
    const first = new Map<string, (typeof campaigns)[number]>();
    const out = [];
    for (const c of campaigns) {
      const name = c.decl.name;
      if (!name) continue;
      const prev = first.get(name.name);
      if (prev?.decl.name) {
        out.push(makeDiagnostic("A001", `campaign id \`${name.name}\` is used twice`, name.span, { related: [{ span: prev.decl.name.span, message: "first used here" }] }));
      } else first.set(name.name, c);
    }
    return out;
  },
};
