/**
 * The preview child process (started by ./preview.ts with tsx's loader): one
 * request at a time over IPC, `{ id, input }` in, `{ id, response }` or
 * `{ id, error }` out. A child is killed when a newer preview supersedes the
 * one it is running or when it overruns, so the editor server itself never
 * blocks on a dry-run. Exits when its parent goes away.
 */
import { computePreview, type PreviewInput } from "./previewRun.ts";
import type { PreviewResponse } from "../app/previewTypes.ts";

export interface ChildRequest {
  readonly id: number;
  readonly input: PreviewInput;
}

export type ChildReply = { readonly id: number; readonly response: PreviewResponse } | { readonly id: number; readonly error: string };

function reply(message: ChildReply): void {
  process.send?.(message);
}

process.on("message", (raw: unknown) => {
  const m = raw as ChildRequest;
  try {
    // After a `timeout` answer the parent kills this process: the stopped run left its database connections busy.
    reply({ id: m.id, response: computePreview(m.input) });
  } catch (e) {
    reply({ id: m.id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  }
});
process.on("disconnect", () => process.exit(0));
