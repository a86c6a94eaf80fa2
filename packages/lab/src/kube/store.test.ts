// The shared datastore under concurrent writers in separate processes, compaction, and the polled change feed.
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { ChangeFeed } from "./store/feed.js";
import { KubeStore } from "./store/store.js";
import { removeDir, waitFor } from "./testkit/index.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), "kube-store-"));
afterAll(() => removeDir(dir));

const key = (name: string) => ({ group: "", resource: "configmaps", namespace: "default", name });

function runWriter(script: string, db: string, label: string, count: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", script, db, label, String(count)], {
      stdio: "inherit",
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("error", reject);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve(code ?? -1);
    });
  });
}

describe("shared SQLite store", () => {
  it("serialises writers in three processes: every change gets its own increasing resourceVersion", async () => {
    const db = path.join(dir, "multi.sqlite");
    const script = path.join(dir, "writer.mts");
    writeFileSync(
      script,
      `import { KubeStore } from ${JSON.stringify(path.join(here, "store/store.ts"))};
const [db, label, count] = process.argv.slice(2);
const store = new KubeStore(db);
for (let i = 0; i < Number(count); i++) {
  store.write(() => {
    const shared = { group: "", resource: "configmaps", namespace: "default", name: "shared" };
    const prev = store.get(shared);
    store.put(shared, { metadata: { name: "shared" }, data: { n: String(Number(prev?.data?.n ?? 0) + 1) } }, prev);
    store.put({ ...shared, name: label + "-" + i }, { metadata: { name: label + "-" + i } });
  });
}
store.close();
`,
    );
    new KubeStore(db).close();
    const codes = await Promise.all(["a", "b", "c"].map((l) => runWriter(script, db, l, 60)));
    expect(codes).toEqual([0, 0, 0]);
    const store = new KubeStore(db);
    const changes = store.changesSince(0, 10_000);
    expect(changes).toHaveLength(360);
    for (let i = 1; i < changes.length; i++) expect(changes[i]?.rv).toBe((changes[i - 1]?.rv ?? 0) + 1);
    // The read-modify-write inside one transaction never loses an increment.
    expect(store.get(key("shared"))?.data).toEqual({ n: "180" });
    expect(store.list("", "configmaps", "default")).toHaveLength(181);
    store.close();
  }, 90_000);

  it("compacts history: a subscription from before the compacted revision is 410 Expired", () => {
    const store = new KubeStore(path.join(dir, "compact.sqlite"));
    const feed = new ChangeFeed(store);
    for (let i = 0; i < 5; i++)
      store.write(() => store.put(key(`cm-${i}`), { metadata: { name: `cm-${i}` } }));
    const before = store.currentRv();
    store.compact(before - 2);
    expect(store.compactedRv()).toBe(before - 2);
    expect(() => feed.subscribe(before - 4, { onChange: () => {} })).toThrow(/too old resource version/);
    const { backlog, unsubscribe } = feed.subscribe(before - 2, { onChange: () => {} });
    unsubscribe();
    expect(backlog.map((c) => c.rv)).toEqual([before - 1, before].filter((rv) => rv <= feed.position));
    feed.close();
    store.close();
  });

  it("delivers a write made through one connection to a feed on another, as ADDED/MODIFIED/DELETED", async () => {
    const file = path.join(dir, "feed.sqlite");
    const writer = new KubeStore(file);
    const reader = new KubeStore(file);
    const feed = new ChangeFeed(reader, { pollMs: 20 });
    const seen: string[] = [];
    const { unsubscribe } = feed.subscribe(reader.currentRv(), {
      onChange: (c) => seen.push(`${c.type}:${c.name}`),
    });
    const a = writer.write(() => writer.put(key("x"), { metadata: { name: "x" } }));
    writer.write(() => writer.put(key("x"), { ...a, data: { v: "1" } }, a));
    writer.write(() => writer.remove(key("x"), a));
    await waitFor(() => seen.length >= 3, "three changes on the other connection", { timeoutMs: 5_000 });
    expect(seen).toEqual(["ADDED:x", "MODIFIED:x", "DELETED:x"]);
    unsubscribe();
    feed.close();
    writer.close();
    reader.close();
  });
});
