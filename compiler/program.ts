/**
 * Whole-program checking: all files given to one `check` or `compile`
 * together. The compiler is a visible list of named stages (after OPA), each
 * timed, so a stage can be measured or dumped by name:
 *
 *   parse → collect → catalogs → segments → campaigns → analyses
 */
import type * as A from "../language/ast.ts";
import { compareDiagnostics, type Diagnostic } from "../language/diagnostics/diagnostic.ts";
import { makeDiagnostic } from "../language/diagnostics/make.ts";
import { parse } from "../language/parser/parse.ts";
import { closest } from "../language/parser/literals.ts";
import { runAnalyses } from "./analyses/index.ts";
import { buildCatalog } from "./catalog/build.ts";
import type { CatalogModel, SegmentInfo } from "./catalog/model.ts";
import { checkCampaign } from "./check/campaign.ts";
import "./diagnostics/codes.ts";
import type { Plan } from "./plan/types.ts";
import { sha256Hex } from "./util/hash.ts";

export interface SourceInput {
  readonly path: string;
  readonly text: string;
}

export interface ParsedSource {
  readonly path: string;
  readonly text: string;
  readonly hash: string;
  readonly ast: A.SourceFile;
}

/** One checked campaign: its declaration, where it came from, and its plan. */
export interface CheckedCampaign {
  readonly decl: A.CampaignDecl;
  readonly file: string;
  readonly catalog: CatalogModel;
  readonly plan: Plan;
  /** True when the campaign itself (not only other files) has errors. */
  readonly hasErrors: boolean;
}

export interface Program {
  readonly sources: readonly ParsedSource[];
  readonly catalogs: ReadonlyMap<string, CatalogModel>;
  readonly libraries: ReadonlyMap<string, { decl: A.SegmentsDecl; file: string }>;
  readonly campaigns: readonly CheckedCampaign[];
  readonly diagnostics: Diagnostic[];
  /** Milliseconds spent in each stage, by name. */
  readonly timings: Record<string, number>;
}

export interface State {
  sources: ParsedSource[];
  catalogDecls: { decl: A.CatalogDecl; file: string; hash: string }[];
  libraries: Map<string, { decl: A.SegmentsDecl; file: string }>;
  campaignDecls: { decl: A.CampaignDecl; file: string; hash: string }[];
  catalogs: Map<string, CatalogModel>;
  librarySegments: Map<string, Map<string, SegmentInfo>>;
  campaigns: CheckedCampaign[];
  diagnostics: Diagnostic[];
}

export interface Stage {
  readonly name: string;
  readonly run: (s: State, inputs: readonly SourceInput[]) => void;
}

/** The compiler's stages, in order. */
export const stages: readonly Stage[] = [
  {
    name: "parse",
    run: (s, inputs) => {
      for (const i of inputs) {
        const r = parse(i.text, i.path);
        s.sources.push({ path: i.path, text: i.text, hash: sha256Hex(i.text), ast: r.file });
        s.diagnostics.push(...r.diagnostics);
      }
    },
  },
  {
    name: "collect",
    run: (s) => {
      const catalogFirst = new Map<string, A.Ident>();
      for (const src of s.sources) {
        for (const d of src.ast.decls) {
          if (d.kind === "catalog" && d.name) {
            const prev = catalogFirst.get(d.name.name);
            if (prev) s.diagnostics.push(makeDiagnostic("N015", `catalog \`${d.name.name}\` is declared twice`, d.name.span, { related: [{ span: prev.span, message: "first declared here" }] }));
            else {
              catalogFirst.set(d.name.name, d.name);
              s.catalogDecls.push({ decl: d, file: src.path, hash: src.hash });
            }
          } else if (d.kind === "segments" && d.name) {
            if (s.libraries.has(d.name.name)) s.diagnostics.push(makeDiagnostic("N015", `segments library \`${d.name.name}\` is declared twice`, d.name.span));
            else s.libraries.set(d.name.name, { decl: d, file: src.path });
          } else if (d.kind === "campaign" && d.name) {
            s.campaignDecls.push({ decl: d, file: src.path, hash: src.hash });
          }
        }
      }
    },
  },
  {
    name: "catalogs",
    run: (s) => {
      for (const c of s.catalogDecls) s.catalogs.set(c.decl.name?.name ?? "", buildCatalog(c.decl, c.file, c.hash, s.diagnostics));
    },
  },
  {
    name: "segments",
    run: (s) => {
      for (const [name, lib] of s.libraries) {
        const segs = new Map<string, SegmentInfo>();
        for (const seg of lib.decl.segments) {
          if (!seg.name) continue;
          if (segs.has(seg.name.name)) s.diagnostics.push(makeDiagnostic("N011", `segment \`${seg.name.name}\` is declared twice`, seg.name.span));
          segs.set(seg.name.name, { name: seg.name.name, ...(seg.label ? { label: seg.label.value } : {}), decl: seg, origin: `segments ${name}` });
        }
        s.librarySegments.set(name, segs);
      }
    },
  },
  {
    name: "campaigns",
    run: (s) => {
      // Files with syntax errors are still checked (the editor wants names and
      // types as you type), but a clause the parser lost is not reported as
      // missing on top of the syntax error that lost it.
      const broken = new Set(s.diagnostics.filter((d) => d.code.startsWith("S") && d.severity === "error").map((d) => d.span.file));
      for (const c of s.campaignDecls) {
        const before = s.diagnostics.length;
        const partial = broken.has(c.file);
        const catalog = resolveCatalog(c.decl, s, partial);
        if (!catalog) continue;
        const segments = new Map(catalog.segments);
        for (const u of c.decl.clauses) {
          if (u.kind !== "uses" || u.what !== "segments" || !u.name) continue;
          const lib = s.librarySegments.get(u.name.name);
          if (!lib) {
            const near = closest(u.name.name, s.librarySegments.keys());
            s.diagnostics.push(makeDiagnostic("N014", `unknown segments library \`${u.name.name}\`${near ? `; did you mean \`${near}\`?` : ""}`, u.name.span));
            continue;
          }
          for (const [k, v] of lib) segments.set(k, v);
        }
        const plan = checkCampaign({ decl: c.decl, file: c.file, sourceHash: c.hash, catalog, segments, partial }, s.diagnostics);
        const hasErrors = s.diagnostics.slice(before).some((d) => d.severity === "error");
        s.campaigns.push({ decl: c.decl, file: c.file, catalog, plan, hasErrors });
      }
    },
  },
  {
    name: "analyses",
    run: (s) => {
      s.diagnostics.push(...runAnalyses(s.campaigns));
    },
  },
];

function resolveCatalog(decl: A.CampaignDecl, s: State, partial: boolean): CatalogModel | undefined {
  const uses = decl.clauses.find((c): c is A.UsesClause => c.kind === "uses" && c.what === "catalog");
  if (!uses?.name) {
    if (partial) return undefined;
    const only = s.catalogs.size === 1 ? [...s.catalogs.keys()][0] : undefined;
    s.diagnostics.push(
      makeDiagnostic("N002", `campaign \`${decl.name?.name ?? ""}\` does not say which catalog it uses`, decl.name?.span ?? decl.span, {
        fixes: only && decl.name ? [{ title: `add \`uses catalog ${only}\``, edits: [{ span: { ...decl.span, offset: decl.span.offset + decl.span.length - 1, length: 0 }, newText: `  uses catalog ${only}\n` }] }] : [],
        help: "add `uses catalog NAME` as the campaign's first clause",
      }),
    );
    return undefined;
  }
  const cat = s.catalogs.get(uses.name.name);
  if (!cat) {
    const near = closest(uses.name.name, s.catalogs.keys());
    s.diagnostics.push(
      makeDiagnostic("N001", `unknown catalog \`${uses.name.name}\`${near ? `; did you mean \`${near}\`?` : s.catalogs.size === 0 ? ": no catalog file was given (pass it to the command too)" : ""}`, uses.name.span, {
        fixes: near ? [{ title: `replace with \`${near}\``, edits: [{ span: uses.name.span, newText: near }] }] : [],
      }),
    );
  }
  return cat;
}

/** The state the stages work on, empty. Exported for tools that run some stages themselves (the editor's worker). */
export function emptyStageState(): State {
  return {
    sources: [],
    catalogDecls: [],
    libraries: new Map(),
    campaignDecls: [],
    catalogs: new Map(),
    librarySegments: new Map(),
    campaigns: [],
    diagnostics: [],
  };
}

/** Runs every stage over the inputs. Never throws on bad input. */
export function checkProgram(inputs: readonly SourceInput[]): Program {
  const s = emptyStageState();
  const timings: Record<string, number> = {};
  for (const stage of stages) {
    const t0 = performance.now();
    stage.run(s, inputs);
    timings[stage.name] = performance.now() - t0;
  }
  return {
    sources: s.sources,
    catalogs: s.catalogs,
    libraries: s.libraries,
    campaigns: s.campaigns,
    diagnostics: dedupe(s.diagnostics).sort(compareDiagnostics),
    timings,
  };
}

function dedupe(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const key = `${d.span.file}:${d.span.offset}:${d.span.length}:${d.code}:${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
