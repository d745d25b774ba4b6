/**
 * Decoding of literal token images: numbers with units, dates, times,
 * datetimes and strings. Each decoder returns the decoded value or a problem
 * description; the parser turns problems into diagnostics (S007-S009, S014).
 */
import type { DurationUnit, NumberScale } from "../ast.ts";

export type Decoded<T> = { ok: true; value: T } | { ok: false; code: string; message: string; fix?: string };

const SCALES: Record<string, { scale: NumberScale; factor: number }> = {
  k: { scale: "k", factor: 1_000 },
  K: { scale: "k", factor: 1_000 },
  m: { scale: "m", factor: 1_000_000 },
  M: { scale: "m", factor: 1_000_000 },
  bn: { scale: "bn", factor: 1_000_000_000 },
  万: { scale: "万", factor: 10_000 },
  亿: { scale: "亿", factor: 100_000_000 },
};

/** Compact duration suffixes: `36h`, `90d`, `2w`, `30min`. */
const DURATION_SUFFIXES: Record<string, DurationUnit> = {
  min: "minute",
  h: "hour",
  d: "day",
  w: "week",
  mo: "month",
  y: "year",
};

/** Duration unit keywords, singular and plural. */
export const DURATION_WORDS: Record<string, DurationUnit> = {
  minute: "minute",
  minutes: "minute",
  hour: "hour",
  hours: "hour",
  day: "day",
  days: "day",
  week: "week",
  weeks: "week",
  month: "month",
  months: "month",
  year: "year",
  years: "year",
};

/** Every suffix a number may carry, for "did you mean" suggestions. */
export const NUMBER_SUFFIXES = [...Object.keys(SCALES), ...Object.keys(DURATION_SUFFIXES), "%", ...Object.keys(DURATION_WORDS)];

export type NumberToken =
  | { kind: "plain"; value: number; scale?: NumberScale }
  | { kind: "percent"; value: number }
  | { kind: "duration"; amount: number; unit: DurationUnit };

/** Splits a NumberLiteral image into digits and suffix and decodes it. */
export function decodeNumber(image: string): Decoded<NumberToken> {
  const m = /^(\d[\d_]*(?:\.\d[\d_]*)?)(.*)$/s.exec(image);
  if (!m) return { ok: false, code: "S007", message: `\`${image}\` is not a number` };
  const digits = (m[1] ?? "").replace(/_/g, "");
  const suffix = m[2] ?? "";
  const base = Number(digits);
  if (!Number.isFinite(base) || (Number.isInteger(base) && !Number.isSafeInteger(base) && !digits.includes("."))) {
    return { ok: false, code: "S011", message: `number \`${image}\` is too large` };
  }
  if (suffix === "") return { ok: true, value: { kind: "plain", value: base } };
  if (suffix === "%") return { ok: true, value: { kind: "percent", value: roundFraction(base / 100) } };
  const scale = SCALES[suffix];
  if (scale) {
    const value = roundFraction(base * scale.factor);
    if (!Number.isSafeInteger(Math.round(value))) return { ok: false, code: "S011", message: `number \`${image}\` is too large` };
    return { ok: true, value: { kind: "plain", value, scale: scale.scale } };
  }
  const unit = DURATION_SUFFIXES[suffix] ?? DURATION_WORDS[suffix];
  if (unit) return { ok: true, value: { kind: "duration", amount: base, unit } };
  const near = nearestSuffix(suffix);
  return {
    ok: false,
    code: "S007",
    message: `unknown unit \`${suffix}\` on number \`${image}\``,
    ...(near ? { fix: digits + near } : {}),
  };
}

function nearestSuffix(suffix: string): string | undefined {
  const lower = suffix.toLowerCase();
  if (SCALES[lower]) return lower;
  let best: string | undefined;
  let bestDist = 2;
  for (const s of NUMBER_SUFFIXES) {
    const d = editDistance(lower, s);
    if (d < bestDist) {
      best = s;
      bestDist = d;
    }
  }
  return best;
}

/** Rounds away binary noise from scaled decimals (1.5 * 10000 and 0.07 * 100). */
function roundFraction(x: number): number {
  return Math.round(x * 1e9) / 1e9;
}

/** Levenshtein distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  if (Math.abs(a.length - b.length) > 3) return Math.abs(a.length - b.length);
  let prev = new Array<number>(b.length + 1);
  let curr = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    curr[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      curr[j] = Math.min((prev[j] ?? 0) + 1, (curr[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    [prev, curr] = [curr, prev];
  }
  return prev[b.length] ?? 0;
}

/** The closest candidate within `maxDistance` edits (ties: first in list), if any. */
export function closest(word: string, candidates: Iterable<string>, maxDistance?: number): string | undefined {
  const limit = maxDistance ?? (word.length <= 3 ? 1 : word.length <= 6 ? 2 : 3);
  let best: string | undefined;
  let bestDist = limit + 1;
  for (const c of candidates) {
    if (c === word) continue;
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDist) {
      best = c;
      bestDist = d;
    }
  }
  return best;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export interface DateParts {
  year: number;
  month: number;
  day: number;
}

export function decodeDate(image: string): Decoded<DateParts> {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(image);
  if (!m) return { ok: false, code: "S008", message: `\`${image}\` is not a date` };
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12) return { ok: false, code: "S008", message: `month ${month} in \`${image}\` is out of range (1-12)` };
  if (day < 1 || day > daysInMonth(year, month)) {
    return { ok: false, code: "S008", message: `day ${day} in \`${image}\` does not exist in ${m[1]}-${m[2]}` };
  }
  return { ok: true, value: { year, month, day } };
}

export interface TimeParts {
  hour: number;
  minute: number;
  second: number;
}

export function decodeTime(image: string): Decoded<TimeParts> {
  const m = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(image);
  if (!m) return { ok: false, code: "S008", message: `\`${image}\` is not a time of day` };
  const hour = Number(m[1]);
  const minute = Number(m[2]);
  const second = m[3] === undefined ? 0 : Number(m[3]);
  // 24:00 is allowed as the end of a range ("until midnight").
  if (hour > 24 || (hour === 24 && (minute > 0 || second > 0)) || minute > 59 || second > 59) {
    return { ok: false, code: "S008", message: `\`${image}\` is not a valid time of day (00:00-24:00)` };
  }
  return { ok: true, value: { hour, minute, second } };
}

export interface DateTimeParts extends DateParts, TimeParts {
  offset?: string;
  zone?: string;
}

export function decodeDateTime(image: string): Decoded<DateTimeParts> {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}(?::\d{2})?)(Z|[+-]\d{2}:\d{2})?(?:\[([^\]]+)\])?$/.exec(image);
  if (!m) return { ok: false, code: "S008", message: `\`${image}\` is not a date and time` };
  const date = decodeDate(m[1] ?? "");
  if (!date.ok) return date;
  const time = decodeTime(m[2] ?? "");
  if (!time.ok) return time;
  if (time.value.hour === 24) return { ok: false, code: "S008", message: `\`${image}\`: hour 24 is only allowed as the end of a time range` };
  const offset = m[3];
  if (offset && offset !== "Z") {
    const oh = Number(offset.slice(1, 3));
    const om = Number(offset.slice(4, 6));
    if (oh > 18 || om > 59) return { ok: false, code: "S008", message: `offset \`${offset}\` in \`${image}\` is out of range` };
  }
  return {
    ok: true,
    value: { ...date.value, ...time.value, ...(offset ? { offset } : {}), ...(m[4] ? { zone: m[4] } : {}) },
  };
}

const ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", '"': '"', "\\": "\\", "0": "\0" };

/** Resolves escapes in a string literal's image (with or without its closing quote). */
export function decodeString(image: string): Decoded<string> {
  const body = image.endsWith('"') && image.length >= 2 ? image.slice(1, -1) : image.slice(1);
  if (!body.includes("\\")) return { ok: true, value: body };
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== "\\") {
      out += c;
      continue;
    }
    const n = body[i + 1] ?? "";
    if (n === "u") {
      const braced = /^\{([0-9a-fA-F]{1,6})\}/.exec(body.slice(i + 2));
      const plain = /^[0-9a-fA-F]{4}/.exec(body.slice(i + 2));
      if (braced && braced[1] !== undefined) {
        const cp = parseInt(braced[1], 16);
        if (cp > 0x10ffff) return { ok: false, code: "S009", message: `escape \`\\u{${braced[1]}}\` is beyond Unicode` };
        out += String.fromCodePoint(cp);
        i += 2 + braced[0].length - 1;
        continue;
      }
      if (plain) {
        out += String.fromCharCode(parseInt(plain[0], 16));
        i += 5;
        continue;
      }
      return { ok: false, code: "S009", message: "`\\u` must be followed by four hex digits or `{hex}`" };
    }
    const e = ESCAPES[n];
    if (e === undefined) return { ok: false, code: "S009", message: `unknown escape \`\\${n}\` in string`, fix: "\\\\" + n };
    out += e;
    i++;
  }
  return { ok: true, value: out };
}

/** Encodes a string value as a literal that decodes back to it. */
export function encodeString(value: string): string {
  let out = '"';
  for (const ch of value) {
    switch (ch) {
      case '"':
        out += '\\"';
        break;
      case "\\":
        out += "\\\\";
        break;
      case "\n":
        out += "\\n";
        break;
      case "\r":
        out += "\\r";
        break;
      case "\t":
        out += "\\t";
        break;
      case "\0":
        out += "\\0";
        break;
      default: {
        const cp = ch.codePointAt(0) ?? 0;
        if (cp < 0x20 || cp === 0x7f || (cp >= 0xd800 && cp <= 0xdfff) || cp === 0x2028 || cp === 0x2029) {
          out += `\\u{${cp.toString(16)}}`;
        } else out += ch;
      }
    }
  }
  return out + '"';
}
