// Entry of the dry-run's input reader thread (cli/dryrun/inputThread.ts). The package runs from its
// TypeScript sources, and a worker thread starts without the main thread's loader: register tsx's, then
// load the worker itself. If that fails, say so to the waiting thread (it cannot see this thread's
// errors while it waits).
import { workerData } from "node:worker_threads";

try {
  const { register } = await import("tsx/esm/api");
  register();
  await import("./inputWorker.ts");
} catch (e) {
  workerData.port.postMessage({ kind: "error", message: `the reader thread did not start: ${e instanceof Error ? e.message : String(e)}`, dataError: false });
  const control = new Int32Array(workerData.control);
  Atomics.add(control, 0, 1);
  Atomics.notify(control, 0);
}
