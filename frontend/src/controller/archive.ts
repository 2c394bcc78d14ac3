/**
 * View mode: plays a saved project from IndexedDB on its own `<video>` through the same MSE
 * pipeline (segments appended back to back, then end of stream; the element loops), and downloads
 * a project as one MP4 through the server's `/export`.
 */
import { MediaPipeline } from "../media/pipeline";
import type { MediaEnv, VideoLike } from "../media/types";
import { exportMp4, type ServerEndpoint } from "../net/http";
import { createStore, type Store } from "../state/store";
import type { ProjectDb, ProjectRecord, SegmentRecord } from "../storage/projects";

export interface ViewState {
  project: ProjectRecord | null;
  versionId: string | null;
  segmentCount: number;
  error: string | null;
}

export const NO_VIEW: ViewState = { project: null, versionId: null, segmentCount: 0, error: null };

export class ArchivePlayer {
  readonly store: Store<ViewState> = createStore(NO_VIEW);
  private readonly pipeline: MediaPipeline | null;
  private loadToken = 0;

  constructor(
    private readonly video: VideoLike,
    env: MediaEnv | null,
    private readonly db: ProjectDb | null,
    private readonly endpoint: ServerEndpoint,
  ) {
    this.pipeline = env ? new MediaPipeline({ video, env, backBufferS: 3600 }) : null;
  }

  async open(projectId: string, versionId: string | null = null): Promise<void> {
    if (!this.db) return;
    const token = ++this.loadToken;
    const project = await this.db.get(projectId);
    if (token !== this.loadToken) return;
    if (!project) {
      this.store.set({ ...NO_VIEW, error: "That project is no longer saved." });
      return;
    }
    const all = await this.db.segments(projectId);
    if (token !== this.loadToken) return;
    const segments = pickVersion(all, versionId);
    this.store.set({ project, versionId, segmentCount: segments.length, error: null });
    this.play(segments);
  }

  close(): void {
    this.loadToken += 1;
    this.pipeline?.reset();
    this.video.pause();
    this.store.set(NO_VIEW);
  }

  /** Download one MP4 of a project (all of its segments in order). */
  async download(projectId: string): Promise<{ blob: Blob; filename: string }> {
    if (!this.db) throw new Error("projects are not available in this browser");
    const project = await this.db.get(projectId);
    const segments = await this.db.segments(projectId);
    const blob = await exportMp4(
      this.endpoint,
      segments.map((s) => s.blob),
    );
    const base = (project?.title ?? "dreamverse")
      .replace(/[^\w\- ]+/g, "")
      .trim()
      .replace(/\s+/g, "-")
      .slice(0, 60);
    return { blob, filename: `${base || "dreamverse"}.mp4` };
  }

  private play(segments: SegmentRecord[]): void {
    const pipeline = this.pipeline;
    if (!pipeline) return;
    pipeline.reset();
    void (async () => {
      for (const seg of segments) {
        pipeline.beginSegment(seg.seq, seg.mime);
        pipeline.appendChunk(await seg.blob.arrayBuffer());
        pipeline.endSegment(seg.seq);
      }
      pipeline.finish();
      this.video.currentTime = 0;
      await this.video.play().catch(() => undefined);
    })();
  }
}

/** Segments of one version (all segments of the project when `versionId` is null). */
export function pickVersion(segments: SegmentRecord[], versionId: string | null): SegmentRecord[] {
  if (versionId === null) return segments;
  const chosen = segments.filter((s) => s.versionId === versionId);
  return chosen.length > 0 ? chosen : segments;
}

export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  saveUrl(url, filename);
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Let the browser download `url` (a blob, or the server's export of a branch) as `filename`. */
export function saveUrl(url: string, filename: string): void {
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
}
