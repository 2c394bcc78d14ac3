/**
 * Keeps each segment's fMP4 bytes until it completes, then writes them to the project store once
 * (memory holds only the segments still arriving). Also keeps project metadata in step with the
 * session: versions, title, thumbnail, segment count.
 */

import { truncate } from "../state/selectors";
import type { SessionState } from "../state/session";
import { MAX_PROJECTS, type ProjectDb, type ProjectRecord } from "../storage/projects";

interface Pending {
  mime: string;
  chunks: ArrayBuffer[];
}

export class SegmentRecorder {
  private readonly pending = new Map<number, Pending>();
  private project: ProjectRecord | null = null;
  private saving: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: ProjectDb | null,
    private readonly onSaved: () => void,
    private readonly onError: (message: string) => void,
  ) {}

  get projectId(): string | null {
    return this.project?.id ?? null;
  }

  get hasThumbnail(): boolean {
    return this.project?.thumbnail != null;
  }

  begin(state: SessionState, nowMs: number, title: string): void {
    this.pending.clear();
    if (state.projectId === null) return;
    this.project = {
      id: state.projectId,
      title: truncate(title, 80),
      presetId: state.presetId,
      createdAtMs: nowMs,
      updatedAtMs: nowMs,
      versions: state.versions,
      thumbnail: null,
      segmentCount: 0,
    };
    this.persist();
    const keepId = this.project.id;
    this.queue(async (db) => {
      const removed = await db.prune(MAX_PROJECTS, keepId);
      if (removed.length > 0)
        console.info(
          `dreamverse: removed ${removed.length} oldest project(s) to stay within ${MAX_PROJECTS}`,
        );
    });
  }

  startSegment(seq: number, mime: string): void {
    this.pending.set(seq, { mime, chunks: [] });
  }

  addChunk(seq: number, bytes: ArrayBuffer): void {
    this.pending.get(seq)?.chunks.push(bytes);
  }

  /** Drop a segment that will never complete (socket dropped mid-segment). */
  discard(seq: number): void {
    this.pending.delete(seq);
  }

  completeSegment(seq: number, state: SessionState): void {
    const rec = this.pending.get(seq);
    this.pending.delete(seq);
    const seg = state.segments.find((s) => s.seq === seq);
    if (!rec || !this.project || rec.chunks.length === 0) return;
    const project = this.project;
    project.segmentCount += 1;
    const blob = new Blob(rec.chunks, { type: "video/mp4" });
    const row = {
      projectId: project.id,
      seq,
      segmentIdx: seg?.idx ?? seq,
      versionId: seg?.versionId ?? "v0",
      prompt: seg?.prompt ?? "",
      mime: rec.mime,
      blob,
    };
    this.queue(async (db) => db.addSegment(row));
    if (state.projectId === project.id) project.versions = state.versions;
    this.persist();
  }

  syncVersions(state: SessionState): void {
    if (!this.project || state.projectId !== this.project.id) return;
    if (this.project.versions === state.versions) return;
    this.project.versions = state.versions;
    this.persist();
  }

  setThumbnail(dataUrl: string): void {
    if (!this.project) return;
    this.project.thumbnail = dataUrl;
    this.persist();
  }

  /** Resolves when every write issued so far has finished. */
  flush(): Promise<void> {
    return this.saving;
  }

  private persist(): void {
    const project = this.project;
    if (!project) return;
    project.updatedAtMs = Date.now();
    const snapshot: ProjectRecord = { ...project, versions: [...project.versions] };
    this.queue(async (db) => db.put(snapshot));
  }

  private queue(write: (db: ProjectDb) => Promise<void>): void {
    const db = this.db;
    if (!db) return;
    this.saving = this.saving
      .then(() => write(db))
      .then(() => this.onSaved())
      .catch((exc: unknown) => this.onError(`could not save the project: ${String(exc)}`));
  }
}
