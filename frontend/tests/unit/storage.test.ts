import { IDBFactory } from "fake-indexeddb";
import "fake-indexeddb/auto";
import { describe, expect, it } from "vitest";
import { newProjectId, ProjectDb, type ProjectRecord } from "../../src/storage/projects";

const project = (id: string, updatedAtMs: number): ProjectRecord => ({
  id,
  title: id,
  presetId: "x",
  createdAtMs: 0,
  updatedAtMs,
  versions: [],
  thumbnail: null,
  segmentCount: 0,
});
const segment = (projectId: string, seq: number) => ({
  projectId,
  seq,
  segmentIdx: seq,
  versionId: "v0",
  prompt: "p",
  mime: "video/mp4",
  blob: new Blob([new Uint8Array([seq])]),
});

describe("ProjectDb", () => {
  it("stores projects newest first, with their segments in order", async () => {
    const db = await ProjectDb.open(new IDBFactory());
    await db.put(project("a", 1));
    await db.put(project("b", 2));
    await db.addSegment(segment("a", 2));
    await db.addSegment(segment("a", 0));
    await db.addSegment(segment("b", 1));
    expect((await db.list()).map((p) => p.id)).toEqual(["b", "a"]);
    expect((await db.segments("a")).map((s) => s.seq)).toEqual([0, 2]);
    expect(await db.get("zzz")).toBeNull();
    db.close();
  });

  it("removes a project with its segments", async () => {
    const db = await ProjectDb.open(new IDBFactory());
    await db.put(project("a", 1));
    await db.addSegment(segment("a", 0));
    await db.remove("a");
    expect(await db.list()).toEqual([]);
    expect(await db.segments("a")).toEqual([]);
  });

  it("prunes the oldest projects but never the protected one", async () => {
    const db = await ProjectDb.open(new IDBFactory());
    for (let i = 0; i < 5; i += 1) await db.put(project(`p${i}`, i));
    const removed = await db.prune(3, "p0");
    expect(removed.sort()).toEqual(["p1", "p2"]);
    expect((await db.list()).map((p) => p.id)).toEqual(["p4", "p3", "p0"]);
  });

  it("makes distinct project ids", () => {
    expect(newProjectId(5)).not.toBe(newProjectId(5));
  });
});
