/**
 * What a change of holdout or variant assignment does to customers already
 * assigned. Assignment (runtime/policies/assignment.ts) draws
 * `u = unitInterval(salt + "\0" + customerId)`, uniform in [0, 1): a
 * customer is held out when `u < share`, and gets the first variant arm
 * whose cumulative weight exceeds `u`. So, without data:
 *
 *   - same salt, holdout share s → t: exactly the customers with u between
 *     s and t move, an expected |t − s| of them, in one direction;
 *   - same salt, new weights: customers move where the old and new arm
 *     intervals disagree (computed exactly from the intervals);
 *   - new salt: old and new draws are independent, so a customer in group X
 *     before lands in Y after with probability P(X) · P'(Y).
 *
 * With customer ids (from `--data`), `countReassignments` applies the
 * runtime's own functions to both plans and counts the moves exactly.
 */
import type { Plan } from "../../compiler/plan/types.ts";
import { inHoldout, variantOf } from "../../runtime/policies/assignment.ts";
import type { CountedMove, Move, ReassignmentKind, ReassignmentWarning } from "./types.ts";
import { armsWords, percent } from "./words.ts";

type Holdout = Plan["holdout"];
type Variants = NonNullable<Plan["variants"]>;
type Arm = Variants["arms"][number];

const EPS = 1e-12;

/** Expected moves between `treated` and `holdout` when the holdout changes from `a` to `b`. */
export function expectedHoldoutMoves(a: Holdout, b: Holdout): Move[] {
  const sa = clamp01(a.share);
  const sb = clamp01(b.share);
  const moves: Move[] =
    a.salt === b.salt
      ? [
          { from: "treated", to: "holdout", share: Math.max(0, sb - sa) },
          { from: "holdout", to: "treated", share: Math.max(0, sa - sb) },
        ]
      : [
          { from: "treated", to: "holdout", share: (1 - sa) * sb },
          { from: "holdout", to: "treated", share: sa * (1 - sb) },
        ];
  return moves.filter((m) => m.share > EPS).sort((x, y) => y.share - x.share);
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}

/** The part of [0, 1) each arm gets, as `variantOf` assigns it (the last arm takes any rest). */
export function armIntervals(arms: readonly Arm[]): { name: string; lo: number; hi: number }[] {
  const out: { name: string; lo: number; hi: number }[] = [];
  let acc = 0;
  arms.forEach((arm, i) => {
    const lo = Math.min(1, acc);
    acc += arm.weight;
    const hi = i === arms.length - 1 ? 1 : Math.min(1, acc);
    out.push({ name: arm.name, lo, hi: Math.max(lo, hi) });
  });
  return out;
}

/** Expected moves between variants when the variants change from `a` to `b` (both present). */
export function expectedVariantMoves(a: Variants, b: Variants): Move[] {
  const ia = armIntervals(a.arms);
  const ib = armIntervals(b.arms);
  const shares = new Map<string, Move>();
  for (const x of ia) {
    for (const y of ib) {
      if (x.name === y.name) continue;
      const share = a.salt === b.salt ? Math.max(0, Math.min(x.hi, y.hi) - Math.max(x.lo, y.lo)) : (x.hi - x.lo) * (y.hi - y.lo);
      if (share <= EPS) continue;
      const key = `${x.name}\u0000${y.name}`;
      const prev = shares.get(key);
      shares.set(key, { from: x.name, to: y.name, share: (prev?.share ?? 0) + share });
    }
  }
  return [...shares.values()].sort((x, y) => y.share - x.share || (x.from < y.from ? -1 : x.from > y.from ? 1 : x.to < y.to ? -1 : 1));
}

function total(moves: readonly Move[]): number {
  return moves.reduce((s, m) => s + m.share, 0);
}

function movesWords(moves: readonly Move[]): string {
  return moves.map((m) => `${percent(m.share)} from ${m.from} to ${m.to}`).join(", ");
}

/**
 * The reassignment warnings for a pair of plans: one for the holdout when its
 * share or salt changes, one for the variants when their weights (or arms)
 * or salt change, each only when some customer would actually move.
 */
export function reassignmentWarnings(a: Plan, b: Plan): ReassignmentWarning[] {
  const out: ReassignmentWarning[] = [];
  const ha = a.holdout;
  const hb = b.holdout;
  if (ha.share !== hb.share || ha.salt !== hb.salt) {
    const expected = expectedHoldoutMoves(ha, hb);
    const share = total(expected);
    if (share > EPS) {
      const kinds: ReassignmentKind[] = [];
      if (ha.share !== hb.share) kinds.push("holdout-share");
      if (ha.salt !== hb.salt) kinds.push("holdout-salt");
      let message: string;
      if (ha.salt === hb.salt) {
        const m = expected[0] as Move;
        message = `${hb.share > ha.share ? "raising" : "lowering"} the holdout from ${percent(ha.share)} to ${percent(hb.share)} moves about ${percent(m.share)} of customers from ${m.from} to ${m.to}`;
      } else {
        const shareChange = ha.share !== hb.share ? ` (and the share from ${percent(ha.share)} to ${percent(hb.share)})` : "";
        message = `changing the holdout salt from ${JSON.stringify(ha.salt)} to ${JSON.stringify(hb.salt)}${shareChange} reshuffles everyone: about ${percent(share)} of customers change group (${movesWords(expected)})`;
      }
      out.push({ kinds, assignment: "holdout", message, expected, expectedShare: share });
    }
  }
  const va = a.variants;
  const vb = b.variants;
  if (va && vb && (va.salt !== vb.salt || JSON.stringify(va.arms) !== JSON.stringify(vb.arms))) {
    const expected = expectedVariantMoves(va, vb);
    const share = total(expected);
    if (share > EPS) {
      const kinds: ReassignmentKind[] = [];
      const weightsChanged = JSON.stringify(va.arms) !== JSON.stringify(vb.arms);
      if (weightsChanged) kinds.push("variant-weights");
      if (va.salt !== vb.salt) kinds.push("variant-salt");
      const message =
        va.salt === vb.salt
          ? `changing the variant weights from ${armsWords(va.arms)} to ${armsWords(vb.arms)} moves about ${percent(share)} of customers to another variant (${movesWords(expected)})`
          : `changing the variant salt from ${JSON.stringify(va.salt)} to ${JSON.stringify(vb.salt)}${weightsChanged ? ` (and the weights from ${armsWords(va.arms)} to ${armsWords(vb.arms)})` : ""} reshuffles everyone: about ${percent(share)} of customers change variant (${movesWords(expected)})`;
      out.push({ kinds, assignment: "variant", message, expected, expectedShare: share });
    }
  }
  return out;
}

/** Exact moves of the given customers, by the runtime's assignment functions applied to both plans. */
export interface ReassignmentCount {
  readonly customers: number;
  readonly holdout: CountedMove[];
  readonly holdoutChanged: number;
  readonly variants: CountedMove[];
  readonly variantChanged: number;
}

function tally(moves: Map<string, CountedMove>, from: string, to: string): void {
  const key = `${from}\u0000${to}`;
  const prev = moves.get(key);
  moves.set(key, { from, to, count: (prev?.count ?? 0) + 1 });
}

function sortedMoves(moves: Map<string, CountedMove>): CountedMove[] {
  return [...moves.values()].sort((x, y) => y.count - x.count || (x.from < y.from ? -1 : x.from > y.from ? 1 : x.to < y.to ? -1 : x.to > y.to ? 1 : 0));
}

/**
 * Counts, for each customer id, whether the holdout group and the variant
 * differ between plan `a` and plan `b` (variants only when both plans have
 * them: a customer cannot move between variants that exist on one side only).
 */
export function countReassignments(ids: Iterable<string>, a: Plan, b: Plan): ReassignmentCount {
  const holdout = new Map<string, CountedMove>();
  const variants = new Map<string, CountedMove>();
  let customers = 0;
  let holdoutChanged = 0;
  let variantChanged = 0;
  for (const id of ids) {
    customers++;
    const ga = inHoldout(a.holdout.salt, id, a.holdout.share) ? "holdout" : "treated";
    const gb = inHoldout(b.holdout.salt, id, b.holdout.share) ? "holdout" : "treated";
    if (ga !== gb) {
      holdoutChanged++;
      tally(holdout, ga, gb);
    }
    if (!a.variants || !b.variants) continue;
    const xa = variantOf(a.variants.salt, id, a.variants.arms) ?? "none";
    const xb = variantOf(b.variants.salt, id, b.variants.arms) ?? "none";
    if (xa !== xb) {
      variantChanged++;
      tally(variants, xa, xb);
    }
  }
  return { customers, holdout: sortedMoves(holdout), holdoutChanged, variants: sortedMoves(variants), variantChanged };
}
