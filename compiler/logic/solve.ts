/**
 * A small, sound and incomplete satisfiability reasoner over the predicate
 * IR. A predicate is normalised (./formula.ts), expanded into a bounded
 * disjunction of conjunctions ("cubes"), and each cube is checked per
 * subject: numeric intervals with open or closed ends (per frame), value
 * sets (enums, strings, bools), tag presence and absence, set / not set, and
 * opaque atoms against their own negation.
 *
 * Sound means: "unsat" is only answered when no customer (and event) can
 * satisfy the predicate, and "sat" only with a cube the solver fully
 * understands. Everything else is "unknown", and analyses stay quiet on it.
 */
import type { Pred } from "../ir/predicate.ts";
import { normalize, type Formula, type Lit, type Scalar } from "./formula.ts";

export interface Env {
  /** The closed set of values a subject can take (enum values, bools), if it is one. */
  readonly domain?: (subject: string) => readonly Scalar[] | undefined;
  /** Whether a subject holds whole numbers only (int attributes, dates). */
  readonly integral?: (subject: string) => boolean;
}

/** What one satisfiable cube allows, per subject: the overlap a message can show. */
export interface SubjectDomain {
  readonly subject: string;
  readonly present?: boolean;
  /** Per frame: the tightest bounds. */
  readonly ranges: readonly { readonly frame: string; readonly lo: number; readonly loOpen: boolean; readonly hi: number; readonly hiOpen: boolean }[];
  /** Values allowed (after exclusions), when bounded. */
  readonly values?: readonly Scalar[];
  /** Values excluded, when the allowed set is unbounded. */
  readonly excluded: readonly Scalar[];
  /** Opaque atoms on this subject (their source predicates), with polarity. */
  readonly opaque: readonly { readonly pred: Pred; readonly positive: boolean }[];
}

export interface Witness {
  readonly tags: ReadonlyMap<string, boolean>;
  readonly subjects: readonly SubjectDomain[];
}

export type Satisfiability =
  | { readonly kind: "unsat"; readonly conflicts: readonly (readonly Lit[])[] }
  | { readonly kind: "sat"; readonly witness: Witness }
  | { readonly kind: "unknown" };

/** Cubes beyond this many make the reasoner give up (answer unknown). */
const CUBE_LIMIT = 2048;

type CubeCheck = { readonly ok: false; readonly conflict: readonly Lit[] } | { readonly ok: true; readonly sure: boolean; readonly witness: Witness };

interface Bound {
  value: number;
  open: boolean;
  lit: Lit;
}

function tighterLo(a: Bound | undefined, value: number, open: boolean, lit: Lit): Bound {
  if (!a || value > a.value || (value === a.value && open && !a.open)) return { value, open, lit };
  return a;
}
function tighterHi(a: Bound | undefined, value: number, open: boolean, lit: Lit): Bound {
  if (!a || value < a.value || (value === a.value && open && !a.open)) return { value, open, lit };
  return a;
}

function inInterval(v: number, lo: Bound | undefined, hi: Bound | undefined): boolean {
  if (lo && (v < lo.value || (v === lo.value && lo.open))) return false;
  if (hi && (v > hi.value || (v === hi.value && hi.open))) return false;
  return true;
}

/** The integers an interval holds, as [first, last] (possibly infinite), for integral subjects. */
function integerSpan(lo: Bound | undefined, hi: Bound | undefined): [number, number] {
  let a = lo ? (lo.open && Number.isInteger(lo.value) ? lo.value + 1 : Math.ceil(lo.value)) : -Infinity;
  let b = hi ? (hi.open && Number.isInteger(hi.value) ? hi.value - 1 : Math.floor(hi.value)) : Infinity;
  if (!Number.isFinite(a) && lo) a = lo.value;
  if (!Number.isFinite(b) && hi) b = hi.value;
  return [a, b];
}

/** Whether a value fits the subject's absolute interval (and is whole for integral subjects). */
function fitsNumeric(v: Scalar, abs: { lo?: Bound; hi?: Bound } | undefined, integral: boolean): boolean {
  return typeof v !== "number" || !abs || (inInterval(v, abs.lo, abs.hi) && (!integral || Number.isInteger(v)));
}

/** Checks one conjunction of literals. */
export function checkCube(cube: readonly Lit[], env: Env = {}): CubeCheck {
  return check(cube, env, true);
}

/** The conflict of a cube, or undefined when it has none (checkCube's `ok`, without building a witness). */
function conflictOf(cube: readonly Lit[], env: Env): readonly Lit[] | undefined {
  const r = check(cube, env, false);
  return r.ok ? undefined : r.conflict;
}

const NO_WITNESS: Witness = { tags: new Map(), subjects: [] };

/**
 * Checks one conjunction; with `witness` false, only whether it conflicts
 * and how (the same checks in the same order), with a placeholder witness.
 */
function check(cube: readonly Lit[], env: Env, witness: boolean): CubeCheck {
  const tags = new Map<string, Lit>();
  const opaque = new Map<string, Lit>();
  const presence = new Map<string, Lit>();
  const implied = new Map<string, Lit>();
  const bySubject = new Map<string, Lit[]>();
  for (const l of cube) {
    switch (l.k) {
      case "tag": {
        const prev = tags.get(l.tag);
        if (prev && prev.k === "tag" && prev.has !== l.has) return { ok: false, conflict: [prev, l] };
        tags.set(l.tag, l);
        break;
      }
      case "opaque": {
        const prev = opaque.get(l.key);
        if (prev && prev.k === "opaque" && prev.positive !== l.positive) return { ok: false, conflict: [prev, l] };
        opaque.set(l.key, l);
        break;
      }
      case "present": {
        const prev = presence.get(l.subject);
        if (prev && prev.k === "present" && prev.present !== l.present) return { ok: false, conflict: [prev, l] };
        presence.set(l.subject, l);
        break;
      }
      default: {
        if (!implied.has(l.subject)) implied.set(l.subject, l);
        const list = bySubject.get(l.subject) ?? [];
        list.push(l);
        bySubject.set(l.subject, list);
      }
    }
  }
  for (const [s, l] of presence) {
    const imp = implied.get(s);
    if (l.k === "present" && !l.present && imp) return { ok: false, conflict: [imp, l] };
  }
  let sure = true;
  if (witness) {
    for (const l of opaque.values()) {
      if (l.k !== "opaque") continue;
      if (!l.independent) sure = false;
      // An independent atom stays independent only if nothing else constrains what it reads.
      for (const r of l.reads) {
        if (bySubject.has(r)) sure = false;
        for (const o of opaque.values()) if (o !== l && o.k === "opaque" && o.reads.includes(r)) sure = false;
      }
    }
  }
  const subjects: SubjectDomain[] = [];
  const subjectNames = new Set([...presence.keys(), ...bySubject.keys(), ...[...opaque.values()].flatMap((o) => (o.k === "opaque" ? o.reads : []))]);
  for (const s of subjectNames) {
    const lits = bySubject.get(s) ?? [];
    const frames = new Map<string, { lo?: Bound; hi?: Bound }>();
    let allowed: Scalar[] | undefined;
    const allowedBy: Lit[] = [];
    const excluded: Scalar[] = [];
    const excludedBy: Lit[] = [];
    const integral = env.integral?.(s) ?? false;
    for (const l of lits) {
      if (l.k === "range") {
        const f = frames.get(l.frame) ?? {};
        if (l.lo !== -Infinity) f.lo = tighterLo(f.lo, l.lo, l.loOpen, l);
        if (l.hi !== Infinity) f.hi = tighterHi(f.hi, l.hi, l.hiOpen, l);
        frames.set(l.frame, f);
      } else if (l.k === "oneOf") {
        allowed = allowed ? allowed.filter((v) => l.values.includes(v)) : [...l.values];
        allowedBy.push(l);
      } else if (l.k === "noneOf") {
        excluded.push(...l.values);
        excludedBy.push(l);
      }
    }
    for (const [frame, f] of frames) {
      const { lo, hi } = f;
      if (lo && hi) {
        const empty = lo.value > hi.value || (lo.value === hi.value && (lo.open || hi.open));
        if (empty) return { ok: false, conflict: [lo.lit, hi.lit] };
        if (integral && (frame === "abs" || frame.endsWith(":day"))) {
          const [a, b] = integerSpan(lo, hi);
          if (a > b) return { ok: false, conflict: [lo.lit, hi.lit] };
        }
      }
    }
    const abs = frames.get("abs");
    const rangeLits = abs ? [abs.lo?.lit, abs.hi?.lit].filter((x): x is Lit => x !== undefined) : [];
    const domain = env.domain?.(s);
    let bounded = allowed ?? (domain ? [...domain] : undefined);
    if (bounded) {
      bounded = bounded.filter((v) => !excluded.includes(v) && fitsNumeric(v, abs, integral));
      if (bounded.length === 0) {
        const usedExcl = excludedBy.filter((l) => l.k === "noneOf" && l.values.some((v) => (allowed ?? domain ?? []).includes(v)));
        return { ok: false, conflict: [...allowedBy, ...usedExcl, ...(allowed?.some((v) => typeof v === "number") ? rangeLits : [])] };
      }
    } else if (excluded.length > 0 && abs?.lo && abs.hi) {
      // A bounded interval minus finitely many points.
      if (abs.lo.value === abs.hi.value && excluded.includes(abs.lo.value)) return { ok: false, conflict: [abs.lo.lit, abs.hi.lit, ...excludedBy] };
      if (integral) {
        const [a, b] = integerSpan(abs.lo, abs.hi);
        if (b - a < 1000) {
          let any = false;
          for (let v = a; v <= b && !any; v++) if (!excluded.includes(v)) any = true;
          if (!any) return { ok: false, conflict: [abs.lo.lit, abs.hi.lit, ...excludedBy] };
        }
      }
    }
    if (!witness) continue;
    if (frames.size > 1) sure = false;
    if (integral && abs && !bounded) {
      const [a, b] = integerSpan(abs.lo, abs.hi);
      if (b - a < 1000 && Number.isFinite(a) && Number.isFinite(b)) {
        let any = false;
        for (let v = a; v <= b && !any; v++) if (!excluded.includes(v)) any = true;
        if (!any) sure = false;
      }
    }
    const p = presence.get(s);
    const present = implied.has(s) ? true : p?.k === "present" ? p.present : undefined;
    const ops = [...opaque.values()].filter((o): o is Extract<Lit, { k: "opaque" }> => o.k === "opaque" && o.reads.includes(s));
    subjects.push({
      subject: s,
      ...(present !== undefined ? { present } : {}),
      ranges: [...frames].map(([frame, f]) => ({ frame, lo: f.lo?.value ?? -Infinity, loOpen: f.lo?.open ?? true, hi: f.hi?.value ?? Infinity, hiOpen: f.hi?.open ?? true })),
      ...(bounded && (allowed || excluded.length > 0) ? { values: bounded } : {}),
      excluded: bounded ? [] : [...new Set(excluded)],
      opaque: ops.map((o) => ({ pred: o.src.pred, positive: o.positive })),
    });
  }
  if (!witness) return { ok: true, sure: false, witness: NO_WITNESS };
  const tagMap = new Map<string, boolean>();
  for (const [t, l] of tags) if (l.k === "tag") tagMap.set(t, l.has);
  return { ok: true, sure, witness: { tags: tagMap, subjects } };
}

/** Expands a formula into cubes, dropping cubes that conflict; undefined past the limit. */
function expand(f: Formula, env: Env, conflicts: Lit[][]): Lit[][] | undefined {
  switch (f.k) {
    case "true":
      return [[]];
    case "false":
      return [];
    case "lit":
      return [[f.lit]];
    case "or": {
      const out: Lit[][] = [];
      for (const a of f.args) {
        const c = expand(a, env, conflicts);
        if (!c) return undefined;
        out.push(...c);
        if (out.length > CUBE_LIMIT) return undefined;
      }
      return out;
    }
    case "and": {
      let acc: Lit[][] = [[]];
      // Literals first: they prune early.
      const args = [...f.args].sort((a, b) => (a.k === "lit" ? 0 : 1) - (b.k === "lit" ? 0 : 1));
      for (const a of args) {
        const c = expand(a, env, conflicts);
        if (!c) return undefined;
        const next: Lit[][] = [];
        for (const x of acc) {
          for (const y of c) {
            const cube = [...x, ...y];
            const conflict = conflictOf(cube, env);
            if (conflict) {
              if (conflicts.length < 8) conflicts.push([...conflict]);
              continue;
            }
            next.push(cube);
            if (next.length > CUBE_LIMIT) return undefined;
          }
        }
        acc = next;
        if (acc.length === 0) return acc;
      }
      return acc;
    }
  }
}

/** Decides a normalised formula: unsat, sat with a witness, or unknown. */
export function decideFormula(f: Formula, env: Env = {}): Satisfiability {
  const conflicts: Lit[][] = [];
  const cubes = expand(f, env, conflicts);
  if (!cubes) return { kind: "unknown" };
  if (cubes.length === 0) return { kind: "unsat", conflicts };
  for (const c of cubes) {
    const r = checkCube(c, env);
    if (!r.ok) continue;
    if (r.sure) return { kind: "sat", witness: r.witness };
  }
  if (cubes.every((c) => conflictOf(c, env) !== undefined)) return { kind: "unsat", conflicts };
  return { kind: "unknown" };
}

/** Whether some customer (and event) satisfies `p`. */
export function decide(p: Pred, env: Env = {}): Satisfiability {
  return decideFormula(normalize(p), env);
}

/** The conflicts that make `p` unsatisfiable, or undefined when it may be satisfiable. */
export function contradiction(p: Pred, env: Env = {}): readonly (readonly Lit[])[] | undefined {
  const r = decide(p, env);
  return r.kind === "unsat" ? r.conflicts : undefined;
}

/** True only when every customer (and event) satisfies `p`. */
export function tautology(p: Pred, env: Env = {}): boolean {
  return decide({ k: "not", arg: p }, env).kind === "unsat";
}
