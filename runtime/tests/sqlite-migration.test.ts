/**
 * The SQLite store migrates a database written by an older schema version:
 * entries and timers written under version 1 (WITHOUT ROWID tables) are
 * read back, listed, replaced and deleted under the current version.
 */
import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MIGRATIONS, SqliteStore } from "../store/sqlite.ts";
import type { EntryState } from "../store/types.ts";

function entry(campaign: string, customerId: string, status: EntryState["status"]): EntryState {
  return { campaign, customerId, seq: 1, enteredAt: 1, group: "treated", status, triggerFields: {}, touches: {}, opened: [], clicked: [] };
}

describe("SQLite store migrations", () => {
  it("reads and updates entries written under schema version 1", () => {
    const dir = mkdtempSync(join(tmpdir(), "campaign-migrate-"));
    try {
      const file = join(dir, "v1.db");
      const db = new Database(file);
      db.exec("CREATE TABLE schema_version (version INTEGER NOT NULL)");
      db.exec(MIGRATIONS[0] ?? "");
      db.prepare("INSERT INTO schema_version (version) VALUES (1)").run();
      const put = db.prepare("INSERT INTO entries (campaign, customer_id, status, data) VALUES (?, ?, ?, ?)");
      for (const e of [entry("b", "u1", "active"), entry("a", "u1", "done"), entry("a", "u2", "converted")]) put.run(e.campaign, e.customerId, e.status, JSON.stringify(e));
      const timer = { id: "wave:0123abcd:0", dueAt: 50, kind: "wave", campaign: "b", customerId: "u1", entrySeq: 1, wave: 2, attempt: 0 };
      db.prepare("INSERT INTO timers (id, due_at, campaign, customer_id, kind, data) VALUES (?, ?, ?, ?, ?, ?)").run(timer.id, timer.dueAt, timer.campaign, timer.customerId, timer.kind, JSON.stringify(timer));
      db.close();

      const store = new SqliteStore(file);
      expect(store.schemaVersion()).toBe(MIGRATIONS.length);
      expect(store.getEntry("a", "u2")?.status).toBe("converted");
      expect(store.entriesOf("u1").map((e) => e.campaign)).toEqual(["a", "b"]);
      expect(store.activeEntries("u1").map((e) => e.campaign)).toEqual(["b"]);
      expect(store.liveEntries("u2").map((e) => e.campaign)).toEqual(["a"]);
      store.putEntry({ ...entry("a", "u1", "active"), seq: 2 });
      expect(store.getEntry("a", "u1")?.seq).toBe(2);
      expect(store.entriesOf("u1")).toHaveLength(2);
      expect(store.dueTimers(100, 10).map((t) => t.id)).toEqual(["wave:0123abcd:0"]);
      store.addTimer({ id: "wave:0123abcd:0", dueAt: 60, kind: "wave", campaign: "b", customerId: "u1", entrySeq: 1, wave: 2, attempt: 0 });
      store.addTimer({ id: "goal:b:2:u1:1:0", dueAt: 40, kind: "goal-deadline", campaign: "b", customerId: "u1", entrySeq: 1, attempt: 0 });
      expect(store.timersOf("b", "u1").map((t) => [t.id, t.dueAt])).toEqual([["goal:b:2:u1:1:0", 40], ["wave:0123abcd:0", 60]]);
      store.deleteTimer("wave:0123abcd:0");
      expect(store.dueTimers(100, 10).map((t) => t.id)).toEqual(["goal:b:2:u1:1:0"]);
      store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
