/**
 * Bad usage of the command line (no such file, an unknown option, no paths).
 * Commands throw it; `main.ts` prints its message and exits with code 2.
 */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** Exit codes shared by every command. */
export const EXIT_OK = 0;
/** The input has problems: error diagnostics, or files `fmt --check` would change. */
export const EXIT_PROBLEMS = 1;
/** The command line itself is wrong. */
export const EXIT_USAGE = 2;
/** Campaign itself failed (a bug): reported with its stack. */
export const EXIT_INTERNAL = 3;
