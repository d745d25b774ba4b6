/**
 * Aligning two ordered lists (waves, benefit tiers, exits) for a diff: the
 * longest common subsequence of equal items stays put; between two such
 * anchors, leftover items are paired in order as "changed" and the rest are
 * "removed" or "added" (what a line diff does with a block of changed lines).
 */

export type Aligned<T> =
  | { readonly kind: "same"; readonly old: T; readonly new: T; readonly oldIndex: number; readonly newIndex: number }
  | { readonly kind: "changed"; readonly old: T; readonly new: T; readonly oldIndex: number; readonly newIndex: number }
  | { readonly kind: "removed"; readonly old: T; readonly oldIndex: number }
  | { readonly kind: "added"; readonly new: T; readonly newIndex: number };

/** Aligns `a` (old) with `b` (new) under the equality `eq`. */
export function align<T>(a: readonly T[], b: readonly T[], eq: (x: T, y: T) => boolean): Aligned<T>[] {
  const n = a.length;
  const m = b.length;
  // lcs[i][j]: length of the LCS of a[i..] and b[j..].
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      const row = lcs[i] as number[];
      row[j] = eq(a[i] as T, b[j] as T) ? (lcs[i + 1]?.[j + 1] ?? 0) + 1 : Math.max(lcs[i + 1]?.[j] ?? 0, row[j + 1] ?? 0);
    }
  }
  const out: Aligned<T>[] = [];
  let pendingOld: number[] = [];
  let pendingNew: number[] = [];
  const flush = (): void => {
    const k = Math.min(pendingOld.length, pendingNew.length);
    for (let x = 0; x < k; x++) {
      const oi = pendingOld[x] as number;
      const ni = pendingNew[x] as number;
      out.push({ kind: "changed", old: a[oi] as T, new: b[ni] as T, oldIndex: oi, newIndex: ni });
    }
    for (const oi of pendingOld.slice(k)) out.push({ kind: "removed", old: a[oi] as T, oldIndex: oi });
    for (const ni of pendingNew.slice(k)) out.push({ kind: "added", new: b[ni] as T, newIndex: ni });
    pendingOld = [];
    pendingNew = [];
  };
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && eq(a[i] as T, b[j] as T)) {
      flush();
      out.push({ kind: "same", old: a[i] as T, new: b[j] as T, oldIndex: i, newIndex: j });
      i++;
      j++;
    } else if (j >= m || (i < n && (lcs[i + 1]?.[j] ?? 0) >= (lcs[i]?.[j + 1] ?? 0))) {
      pendingOld.push(i++);
    } else {
      pendingNew.push(j++);
    }
  }
  flush();
  return out;
}
