/**
 * Stable hashes (browser-safe): SHA-256 over UTF-8 text, from @noble/hashes
 * (audited, dependency-free, runs in Node and in the editor's web worker).
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";

/** Hex SHA-256 of a string. */
export function sha256Hex(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text)));
}

/**
 * A uniform number in [0, 1) from a key: the first 52 bits of its SHA-256.
 * Used for holdout and variant assignment, so the same key always lands in
 * the same place on every machine.
 */
export function unitInterval(key: string): number {
  const h = sha256(utf8ToBytes(key));
  let x = 0;
  for (let i = 0; i < 6; i++) x = x * 256 + (h[i] ?? 0);
  x = x * 16 + ((h[6] ?? 0) >> 4);
  return x / 2 ** 52;
}

/** JSON with object keys sorted, so equal values always give equal text. */
export function canonicalJson(value: unknown, indent = 0): string {
  return JSON.stringify(sortKeys(value), null, indent || undefined);
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v as Record<string, unknown>).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined) out[k] = sortKeys(x);
    }
    return out;
  }
  return v;
}
