/** What the dry-run's input reader thread (./inputWorker.ts) is given and what it sends back. */
import type { InputQueries } from "./inputs.ts";

/** Indexes of the shared counters: batches posted by the reader, batches taken by the consumer. */
export const POSTED = 0;
export const TAKEN = 1;
/** Batches the reader may post before the consumer takes them. */
export const AHEAD = 16;
/** Inputs per batch, and values per input in a batch. */
export const BATCH_ROWS = 2_000;
export const ROW_WIDTH = 7;

export type ReaderJob =
  | { readonly job: "inputs"; readonly path: string; readonly queries: InputQueries }
  | { readonly job: "counts"; readonly path: string; readonly from: number; readonly to: number };

export type ReaderMessage =
  | { readonly kind: "rows"; readonly rows: readonly unknown[] }
  | { readonly kind: "done" }
  | { readonly kind: "counts"; readonly events: readonly (readonly [string, number])[]; readonly updates: number }
  | { readonly kind: "error"; readonly message: string; readonly dataError: boolean };
