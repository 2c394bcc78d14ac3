/**
 * Projects in IndexedDB. Two object stores: `projects` (metadata, versions, thumbnail) and
 * `segments` (each finished segment's fMP4 bytes exactly as received, keyed by [projectId, seq]).
 * A segment is written once, when it completes; saving a project never rewrites its media.
 */
import type { Version } from "../state/session";

export interface ProjectRecord {
  id: string;
  title: string;
  presetId: string;
  createdAtMs: number;
  updatedAtMs: number;
  versions: Version[];
  /** JPEG data URL, small. */
  thumbnail: string | null;
  segmentCount: number;
}

export interface SegmentRecord {
  projectId: string;
  seq: number;
  segmentIdx: number;
  versionId: string;
  prompt: string;
  mime: string;
  blob: Blob;
}

const DB_NAME = "dreamverse";
const DB_VERSION = 1;
export const MAX_PROJECTS = 20;

function promisify<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error("IndexedDB request failed"));
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error("IndexedDB transaction failed"));
    tx.onabort = () => reject(tx.error ?? new Error("IndexedDB transaction aborted"));
  });
}

export class ProjectDb {
  private constructor(private readonly db: IDBDatabase) {}

  static async open(factory: IDBFactory = indexedDB, name = DB_NAME): Promise<ProjectDb> {
    const req = factory.open(name, DB_VERSION);
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains("projects")) db.createObjectStore("projects", { keyPath: "id" });
      if (!db.objectStoreNames.contains("segments")) {
        db.createObjectStore("segments", { keyPath: ["projectId", "seq"] });
      }
    };
    return new ProjectDb(await promisify(req));
  }

  close(): void {
    this.db.close();
  }

  async list(): Promise<ProjectRecord[]> {
    const tx = this.db.transaction("projects", "readonly");
    const all = await promisify(tx.objectStore("projects").getAll() as IDBRequest<ProjectRecord[]>);
    return all.sort((a, b) => b.updatedAtMs - a.updatedAtMs);
  }

  async get(id: string): Promise<ProjectRecord | null> {
    const tx = this.db.transaction("projects", "readonly");
    const rec = await promisify(tx.objectStore("projects").get(id) as IDBRequest<ProjectRecord | undefined>);
    return rec ?? null;
  }

  async put(project: ProjectRecord): Promise<void> {
    const tx = this.db.transaction("projects", "readwrite");
    tx.objectStore("projects").put(project);
    await done(tx);
  }

  async addSegment(segment: SegmentRecord): Promise<void> {
    const tx = this.db.transaction("segments", "readwrite");
    tx.objectStore("segments").put(segment);
    await done(tx);
  }

  async segments(projectId: string): Promise<SegmentRecord[]> {
    const tx = this.db.transaction("segments", "readonly");
    const range = IDBKeyRange.bound([projectId, -Infinity], [projectId, Infinity]);
    const rows = await promisify(tx.objectStore("segments").getAll(range) as IDBRequest<SegmentRecord[]>);
    return rows.sort((a, b) => a.seq - b.seq);
  }

  async remove(projectId: string): Promise<void> {
    const tx = this.db.transaction(["projects", "segments"], "readwrite");
    tx.objectStore("projects").delete(projectId);
    tx.objectStore("segments").delete(IDBKeyRange.bound([projectId, -Infinity], [projectId, Infinity]));
    await done(tx);
  }

  /** Delete the oldest projects beyond `keep` (never `protectId`); returns the ids deleted. */
  async prune(keep = MAX_PROJECTS, protectId: string | null = null): Promise<string[]> {
    const all = await this.list();
    const victims = all.filter((p) => p.id !== protectId).slice(Math.max(0, keep - (protectId ? 1 : 0)));
    for (const p of victims) await this.remove(p.id);
    return victims.map((p) => p.id);
  }
}

export function newProjectId(nowMs: number = Date.now()): string {
  const rand = Math.floor(Math.random() * 36 ** 4)
    .toString(36)
    .padStart(4, "0");
  return `prj-${nowMs.toString(36)}-${rand}`;
}
