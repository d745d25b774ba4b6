/**
 * `--actions <file.jsonl>`: one JSON line per decision of the run (every
 * journey line of every campaign), written synchronously through a buffer —
 * the simulation never yields to the event loop, so an asynchronous stream
 * would hold every line in memory until the end.
 *
 * Each line has the same keys in the same order, null where a decision has
 * no such part: kind, campaign, customer, wave, channel, template, group,
 * variant, time (ISO in the catalog zone), at (epoch ms), reason, rule,
 * amount, until (ISO, for deferrals).
 */
import { closeSync, openSync, writeSync } from "node:fs";
import type { JourneyEntry } from "../../runtime/index.ts";
import type { ZoneClock } from "./time.ts";

/** One line of the actions file, as parsed back. */
export interface ActionLine {
  readonly kind: JourneyEntry["kind"];
  readonly campaign: string;
  readonly customer: string;
  readonly wave: number | null;
  readonly channel: string | null;
  readonly template: string | null;
  readonly group: "treated" | "holdout" | null;
  readonly variant: string | null;
  readonly time: string;
  readonly at: number;
  readonly reason: string | null;
  readonly rule: string | null;
  readonly amount: number | null;
  readonly until: string | null;
}

export function actionLine(j: JourneyEntry, clock: ZoneClock): ActionLine {
  return {
    kind: j.kind,
    campaign: j.campaign,
    customer: j.customerId,
    wave: j.wave ?? null,
    channel: j.channel ?? null,
    template: j.template ?? null,
    group: j.group ?? null,
    variant: j.variant ?? null,
    time: clock.iso(j.at),
    at: j.at,
    reason: j.reason ?? null,
    rule: j.rule ?? null,
    amount: j.amount ?? null,
    until: j.until !== undefined ? clock.iso(j.until) : null,
  };
}

const FLUSH_AT = 1 << 20;

export class ActionWriter {
  private readonly fd: number;
  private parts: string[] = [];
  private size = 0;
  lines = 0;

  constructor(path: string) {
    this.fd = openSync(path, "w");
  }

  write(line: ActionLine): void {
    const s = JSON.stringify(line) + "\n";
    this.parts.push(s);
    this.size += s.length;
    this.lines++;
    if (this.size >= FLUSH_AT) this.flush();
  }

  flush(): void {
    if (this.parts.length === 0) return;
    writeSync(this.fd, this.parts.join(""));
    this.parts = [];
    this.size = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}
