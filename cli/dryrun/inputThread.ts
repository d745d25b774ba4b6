/**
 * The dry-run's inputs read in a second thread (./inputWorker.ts), so that
 * SQLite's work — walking millions of event rows in time order, skipping
 * those no campaign can act on, counting the rest by type — runs on the
 * other core while this thread simulates. The stream is the same as
 * `rawInputs` (./inputs.ts) row for row: the reader runs the same queries and
 * the same merge, and rows become inputs here, by the same functions.
 *
 * The simulation loop is synchronous, so batches are taken with
 * `receiveMessageOnPort`, and the thread sleeps on a shared counter
 * (Atomics.wait) while the next batch is not there yet. A reader that posts
 * nothing for `STALL_MS` is taken for dead: the run fails with that said.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from "node:worker_threads";
import { DataSourceError } from "../../runtime/sources/schema.ts";
import { POSTED, ROW_WIDTH, TAKEN, type ReaderJob, type ReaderMessage } from "./inputProtocol.ts";
import { eventInput, updateInput, type InputQueries, type RawInput } from "./inputs.ts";

const WORKER_URL = new URL("./inputWorker.mjs", import.meta.url);
const STALL_MS = 600_000;

/** Whether the reader thread's entry file is there (it is not when the code was bundled without it): else read in-thread. */
export function threadReadingAvailable(): boolean {
  return WORKER_URL.protocol === "file:" && existsSync(fileURLToPath(WORKER_URL));
}

/** A started reader: its messages, taken one at a time (blocking), and a way to stop it. */
class Reader {
  private readonly control = new Int32Array(new SharedArrayBuffer(8));
  private readonly port: MessagePort;
  private readonly worker: Worker;
  private received = 0;

  constructor(job: ReaderJob) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(WORKER_URL, { workerData: { ...job, port: port2, control: this.control.buffer }, transferList: [port2] });
    // The reader reports its own errors as messages; this keeps an unexpected one from being unhandled.
    this.worker.on("error", () => undefined);
    this.worker.unref();
  }

  /** The next message, waiting for it. Throws the reader's error. */
  next(): ReaderMessage {
    let waited = 0;
    for (;;) {
      const got = receiveMessageOnPort(this.port);
      if (got) {
        this.received++;
        const m = got.message as ReaderMessage;
        if (m.kind === "error") throw m.dataError ? new DataSourceError(m.message) : new Error(`reading the inputs failed: ${m.message}`);
        return m;
      }
      if (Atomics.load(this.control, POSTED) > this.received) continue;
      const r = Atomics.wait(this.control, POSTED, this.received, 1_000);
      if (r === "timed-out" && (waited += 1_000) >= STALL_MS) throw new Error(`the input reader thread sent nothing for ${STALL_MS / 1000} s`);
      if (r !== "timed-out") waited = 0;
    }
  }

  /** Tells the reader a batch was taken (it may read further). */
  taken(): void {
    Atomics.add(this.control, TAKEN, 1);
    Atomics.notify(this.control, TAKEN);
  }

  stop(): void {
    this.port.close();
    void this.worker.terminate();
  }
}

/** The inputs of `queries` on the database file `path`, read in a second thread; the same stream as `rawInputs`. */
export function* threadInputs(path: string, queries: InputQueries): Iterable<RawInput> {
  const reader = new Reader({ job: "inputs", path, queries });
  try {
    for (;;) {
      const m = reader.next();
      if (m.kind === "done") return;
      if (m.kind !== "rows") continue;
      const rows = m.rows;
      reader.taken();
      for (let i = 0; i < rows.length; i += ROW_WIDTH) {
        const at = rows[i + 1] as number;
        if (rows[i] === 0) yield eventInput([rows[i + 2], rows[i + 3], rows[i + 4], rows[i + 5], rows[i + 6]], at);
        else yield updateInput([rows[i + 2], rows[i + 3], rows[i + 4], rows[i + 5]], at);
      }
    }
  } finally {
    reader.stop();
  }
}

/**
 * The period's events by type and its profile updates, counted in a second
 * thread: `get()` waits for them; `stop()` ends the thread (after `get`, or
 * when the run fails before it).
 */
export function threadCounts(path: string, from: number, to: number): { get(): { events: Map<string, number>; updates: number }; stop(): void } {
  const reader = new Reader({ job: "counts", path, from, to });
  let result: { events: Map<string, number>; updates: number } | undefined;
  return {
    get() {
      if (!result) {
        const m = reader.next();
        if (m.kind !== "counts") throw new Error(`the input reader sent ${m.kind}, not the counts`);
        result = { events: new Map(m.events), updates: m.updates };
      }
      return result;
    },
    stop: () => reader.stop(),
  };
}
