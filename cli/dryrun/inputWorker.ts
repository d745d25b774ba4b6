/**
 * The dry-run's input reader thread (see ./inputThread.ts, which starts it):
 * opens the database read-only in one read transaction and either streams
 * the merged input rows (job "inputs") in batches, or counts the period's
 * events by type and its profile updates (job "counts"). Messages go through
 * the given port; a shared counter pair says how many batches were posted and
 * taken, and the reader waits while it is `AHEAD` batches in front, so memory
 * stays bounded however large the data.
 */
import Database from "better-sqlite3";
import { parentPort, workerData } from "node:worker_threads";
import type { MessagePort } from "node:worker_threads";
import { DataSourceError } from "../../runtime/sources/schema.ts";
import { eventCounts, inputRows, mergeRows, updateCount, type InputQueries } from "./inputs.ts";
import { AHEAD, BATCH_ROWS, POSTED, ROW_WIDTH, TAKEN, type ReaderMessage, type ReaderJob } from "./inputProtocol.ts";

const job = workerData as ReaderJob & { readonly port: MessagePort; readonly control: SharedArrayBuffer };
const control = new Int32Array(job.control);

function post(message: ReaderMessage): void {
  job.port.postMessage(message);
  Atomics.add(control, POSTED, 1);
  Atomics.notify(control, POSTED);
  // Wait while the consumer is AHEAD batches behind.
  for (;;) {
    const taken = Atomics.load(control, TAKEN);
    if (Atomics.load(control, POSTED) - taken < AHEAD) break;
    Atomics.wait(control, TAKEN, taken, 1_000);
  }
}

function streamInputs(db: Database.Database, queries: InputQueries): void {
  const rows = inputRows(db, queries);
  let batch: unknown[] = [];
  for (const [kind, row, at] of mergeRows(rows.events, rows.updates)) {
    // One flat run of ROW_WIDTH values per input: kind, at, then the row's columns (events have one more).
    batch.push(kind, at, row[0], row[1], row[2], row[3], kind === 0 ? row[4] : null);
    if (batch.length >= BATCH_ROWS * ROW_WIDTH) {
      post({ kind: "rows", rows: batch });
      batch = [];
    }
  }
  if (batch.length > 0) post({ kind: "rows", rows: batch });
  post({ kind: "done" });
}

function run(): void {
  let db: Database.Database | undefined;
  try {
    db = new Database(job.path, { readonly: true, fileMustExist: true });
    db.exec("BEGIN");
    if (job.job === "inputs") streamInputs(db, job.queries);
    else post({ kind: "counts", events: [...eventCounts(db, job.from, job.to)], updates: updateCount(db, job.from, job.to) });
  } catch (e) {
    post({ kind: "error", message: e instanceof Error ? e.message : String(e), dataError: e instanceof DataSourceError });
  } finally {
    if (db?.open) db.close();
    job.port.close();
  }
}

void parentPort;
run();
