/**
 * Unsaved changes kept in localStorage, so they survive a reload or a crash
 * of the tab. One entry per workspace and file; an entry is dropped when the
 * file is saved or the buffer is back to the saved text.
 */
export interface Draft {
  readonly text: string;
  /** The saved text the draft was made from, to tell whether the file changed on disk meanwhile. */
  readonly base: string;
  readonly at: number;
}

export class Drafts {
  constructor(private readonly workspaceId: string) {}

  private key(path: string): string {
    return `campaign-draft:${this.workspaceId}:${path}`;
  }

  get(path: string): Draft | undefined {
    const raw = localStorage.getItem(this.key(path));
    if (raw === null) return undefined;
    try {
      const d = JSON.parse(raw) as Partial<Draft>;
      return typeof d.text === "string" && typeof d.base === "string" ? { text: d.text, base: d.base, at: typeof d.at === "number" ? d.at : 0 } : undefined;
    } catch {
      return undefined;
    }
  }

  put(path: string, text: string, base: string): void {
    if (text === base) {
      this.drop(path);
      return;
    }
    try {
      localStorage.setItem(this.key(path), JSON.stringify({ text, base, at: Date.now() } satisfies Draft));
    } catch {
      // Storage full or disabled: the buffer still holds the text.
    }
  }

  drop(path: string): void {
    localStorage.removeItem(this.key(path));
  }

  /** Paths with a draft in this workspace. */
  paths(): string[] {
    const prefix = `campaign-draft:${this.workspaceId}:`;
    const out: string[] = [];
    for (let i = 0; i < localStorage.length; i++) {
      const k = localStorage.key(i);
      if (k?.startsWith(prefix)) out.push(k.slice(prefix.length));
    }
    return out;
  }
}
