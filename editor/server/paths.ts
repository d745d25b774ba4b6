/**
 * Confining request paths to the workspace. A path from a request is a
 * workspace-relative name such as `catalog/retail.campaign`; anything else is
 * refused before the file system is touched: `..` and `.` segments, absolute
 * paths, backslashes, NUL and other control characters, `%` (a
 * percent-escape that survived the one decoding the query string gets, as in
 * `%252e%252e`), drive letters and hidden segments. A path that passes is
 * resolved and its real path (through symlinks) must still lie inside the
 * workspace's real path.
 */
import { lstatSync, realpathSync, statSync, type Stats } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";

export const CAMPAIGN_EXTENSION = ".campaign";
const MAX_PATH_LENGTH = 512;

export class PathError extends Error {
  constructor(
    readonly status: 400 | 403 | 404,
    message: string,
  ) {
    super(message);
  }
}

/** Checks the shape of a workspace-relative path; returns it unchanged or throws PathError(400). */
export function checkRelativePath(raw: unknown): string {
  if (typeof raw !== "string" || raw.length === 0) throw new PathError(400, "a file path is required");
  if (raw.length > MAX_PATH_LENGTH) throw new PathError(400, "the file path is too long");
  // Control characters (NUL included), backslashes, percent signs and colons have no place in a workspace path.
  if (/[\u0000-\u001f\u007f\\%:]/.test(raw)) throw new PathError(400, "the file path contains a character that is not allowed");
  if (raw.startsWith("/") || raw.startsWith("~") || isAbsolute(raw)) throw new PathError(400, "the file path must be relative to the workspace");
  for (const segment of raw.split("/")) {
    if (segment === "" || segment === "." || segment === "..") throw new PathError(400, "the file path must not contain empty, `.` or `..` segments");
    if (segment.startsWith(".")) throw new PathError(400, "hidden files are not part of the workspace");
  }
  if (!raw.endsWith(CAMPAIGN_EXTENSION) || raw.length === CAMPAIGN_EXTENSION.length) throw new PathError(400, `only ${CAMPAIGN_EXTENSION} files can be opened`);
  return raw;
}

function inside(root: string, candidate: string): boolean {
  const rel = relative(root, candidate);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel) && !rel.split(sep).includes("..");
}

export interface ResolvedPath {
  /** The workspace-relative path as given. */
  readonly rel: string;
  /** The real absolute path to read or write (symlinks resolved). */
  readonly real: string;
  readonly exists: boolean;
}

/**
 * Resolves a checked relative path under `realRoot` (itself a real path).
 * For an existing file, its real path must be inside the workspace; for a new
 * one, the real path of its directory must be (and the directory must exist).
 */
export function resolveInWorkspace(realRoot: string, raw: unknown): ResolvedPath {
  const rel = checkRelativePath(raw);
  const full = resolve(realRoot, ...rel.split("/"));
  if (!inside(realRoot, full)) throw new PathError(403, "the path leaves the workspace");
  let real: string;
  try {
    real = realpathSync(full);
  } catch {
    // A dangling symlink would be followed by a write, possibly out of the workspace.
    if (lstatOrNull(full)) throw new PathError(403, "the path is a broken symbolic link");
    // Does not exist: confine its directory instead.
    let dir: string;
    try {
      dir = realpathSync(dirname(full));
    } catch {
      throw new PathError(404, `no such directory in the workspace: ${rel.slice(0, rel.lastIndexOf("/") + 1) || "."}`);
    }
    if (dir !== realRoot && !inside(realRoot, dir)) throw new PathError(403, "the path leaves the workspace");
    const target = join(dir, rel.slice(rel.lastIndexOf("/") + 1));
    if (!inside(realRoot, target)) throw new PathError(403, "the path leaves the workspace");
    return { rel, real: target, exists: false };
  }
  if (!inside(realRoot, real)) throw new PathError(403, "the path leaves the workspace (through a symbolic link)");
  if (!statSync(real).isFile()) throw new PathError(400, "not a file");
  return { rel, real, exists: true };
}

function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}
