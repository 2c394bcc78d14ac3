/**
 * The session controller: the one place where the socket, the reducer, the media pipeline and the
 * project store meet. Views call its verbs (start, submit, edit, select, toggle, leave); it
 * dispatches actions and performs the side effects that follow from each server event.
 */
import { MediaPipeline } from "../media/pipeline";
import { PlaybackController } from "../media/playback";
import type { MediaEnv, VideoLike } from "../media/types";
import { Connection, type SocketLike } from "../net/connection";
import { branchExportUrl, probeReadiness, type ServerEndpoint } from "../net/http";
import type { ServerEvent } from "../protocol/events";
import {
  type ClientMessage,
  type InitialImage,
  newPromptId,
  type ToggleName,
  toggleMessage,
} from "../protocol/messages";
import { CONNECTION_LOST, UNREACHABLE } from "../state/notices";
import { reduce } from "../state/reducer";
import {
  type Action,
  activeVersion,
  hasBranches,
  INITIAL_SESSION,
  isSessionLive,
  type SessionState,
} from "../state/session";
import { createStore, type Store } from "../state/store";
import { newProjectId, type ProjectDb } from "../storage/projects";
import { SegmentRecorder } from "./recorder";

export interface StartRequest {
  presetId: string;
  presetLabel: string;
  /** The rollout's segment prompts (a preset's), or [] for a typed prompt. */
  prompts: string[];
  /** The typed prompt ("" for a preset). */
  customPrompt: string;
  image: InitialImage | null;
}

export type SubmitMode = "rewrite" | "append";

export interface ControllerDeps {
  video: VideoLike;
  env: MediaEnv | null;
  endpoint: ServerEndpoint;
  wsUrl: string;
  db: ProjectDb | null;
  now?: () => number;
  createSocket?: (url: string) => SocketLike;
  probe?: (endpoint: ServerEndpoint) => Promise<"ready" | "warming" | "unreachable">;
  onProjectsChanged?: () => void;
  onMutedAutoplay?: () => void;
  captureThumbnail?: () => string | null;
  warmPollMs?: number;
}

export class SessionController {
  readonly store: Store<SessionState> = createStore(INITIAL_SESSION);
  readonly pipeline: MediaPipeline | null;
  readonly playback: PlaybackController | null;
  private conn: Connection | null = null;
  private mediaSeq: number | null = null;
  private lastRequest: StartRequest | null = null;
  private startToken = 0;
  private readonly recorder: SegmentRecorder;
  private readonly now: () => number;

  constructor(private readonly deps: ControllerDeps) {
    this.now = deps.now ?? Date.now;
    this.pipeline = deps.env
      ? new MediaPipeline({
          video: deps.video,
          env: deps.env,
          onError: (m) => console.warn("dreamverse media:", m),
        })
      : null;
    this.playback = this.pipeline
      ? new PlaybackController(deps.video, this.pipeline, {
          onSegment: (seq) => this.onPlayingSegment(seq),
          ...(deps.onMutedAutoplay ? { onMutedAutoplay: deps.onMutedAutoplay } : {}),
        })
      : null;
    this.recorder = new SegmentRecorder(
      deps.db,
      () => deps.onProjectsChanged?.(),
      (m) => this.warn("storage", m),
    );
  }

  get state(): SessionState {
    return this.store.get();
  }

  dispatch(action: Action): void {
    this.store.set(reduce(this.store.get(), action, this.now()));
  }

  /** Persisted writes so far (for tests and before unload). */
  flush(): Promise<void> {
    return this.recorder.flush();
  }

  tick(): void {
    this.playback?.tick(this.now());
  }

  /** Start a rollout: on the open session if there is one, else a new session. */
  async start(req: StartRequest): Promise<void> {
    const prompts = req.customPrompt ? [req.customPrompt] : req.prompts;
    if (!this.checkLength(prompts)) return;
    this.lastRequest = req;
    const token = ++this.startToken;
    this.beginProject(req, prompts);
    if (this.conn?.isOpen) {
      this.conn.send({ type: "project_init_v1", ...this.initFields(req) });
      return;
    }
    this.conn?.close();
    this.conn = null;
    if (!(await this.waitUntilReady(token))) return;
    this.connect({ type: "session_init_v2", ...this.initFields(req) });
  }

  /** Enter in the prompt box during a session. */
  submit(text: string, mode: SubmitMode): void {
    const trimmed = text.trim();
    if (!trimmed || !this.checkLength([trimmed])) return;
    const s = this.state;
    if (!isSessionLive(s) || !this.conn) {
      void this.start({
        presetId: "custom",
        presetLabel: "Custom prompt",
        prompts: [],
        customPrompt: trimmed,
        image: null,
      });
      return;
    }
    if (mode === "append") {
      const id = newPromptId(this.now());
      this.dispatch({ type: "ui/prompt_sent", id, text: trimmed });
      this.conn.send({ type: "append_prompt", prompt: trimmed, prompt_id: id });
      return;
    }
    this.rewrite(trimmed, activeVersion(s)?.prompts ?? []);
  }

  /** Replace one prompt of the shown version; the server rewrites the rollout from it. */
  editPrompt(row: number, text: string): void {
    const trimmed = text.trim();
    if (!trimmed || !this.checkLength([trimmed])) return;
    const prompts = [...(activeVersion(this.state)?.prompts ?? [])];
    prompts[row] = trimmed;
    this.rewrite(
      `Use the edited prompt for segment ${row + 1} and keep the others consistent with it.`,
      prompts,
    );
  }

  /** Ours: go on from the end of segment `segmentIdx` of the current branch, on a new branch. */
  continueFrom(segmentIdx: number, prompt: string): void {
    const trimmed = prompt.trim();
    if (!this.conn?.isOpen || !hasBranches(this.state)) return;
    if (trimmed && !this.checkLength([trimmed])) return;
    // the wire numbers segments from 1 (the app from 0)
    this.conn.send({
      type: "fork_from_segment",
      segment_idx: segmentIdx + 1,
      ...(trimmed ? { prompt: trimmed } : {}),
    });
  }

  /** Ours: make another branch current; the server goes on generating it. */
  switchBranch(branchId: string): void {
    if (this.conn?.isOpen && hasBranches(this.state))
      this.conn.send({ type: "switch_branch", branch_id: branchId });
  }

  /** The server's MP4 of a branch of this session; null when the server cannot join branches. */
  branchExportUrl(branchId: string | null = this.state.currentBranchId): string | null {
    const s = this.state;
    if (!branchId || !s.sessionId || !s.resumeToken || !s.capabilities.includes("branch_export")) return null;
    return branchExportUrl(this.deps.endpoint, s.sessionId, s.resumeToken, branchId);
  }

  selectVersion(versionId: string | null): void {
    this.dispatch({ type: "ui/select_version", versionId });
  }

  setToggle(name: ToggleName, enabled: boolean): void {
    this.dispatch({ type: "ui/toggle", name, enabled });
    if (this.conn?.isOpen && isSessionLive(this.state)) this.conn.send(toggleMessage(name, enabled));
  }

  /** End the session and give the GPU back; what was received stays playable and saved. */
  leave(): void {
    this.startToken += 1;
    this.conn?.send({ type: "leave" });
    this.conn?.close();
    this.conn = null;
    this.dispatch({ type: "ui/ended", reason: "left" });
  }

  /** Back to the lobby; an open session keeps its GPU for the next project. */
  newProject(): void {
    if (this.conn?.isOpen && isSessionLive(this.state)) this.conn.send({ type: "end_project_keep_session" });
    this.resetMedia();
    this.dispatch({ type: "ui/new_project" });
  }

  /** The notice's button. */
  retry(): void {
    const notice = this.state.notice;
    if (notice?.action === "new_project") {
      this.newProject();
      return;
    }
    if (notice?.action === "restart" && this.conn?.isOpen) {
      this.dispatch({ type: "ui/notice", notice: null });
      this.conn.send({ type: "restart_generation" });
      return;
    }
    const base = this.lastRequest;
    const prompts = activeVersion(this.state)?.prompts ?? [];
    if (base) void this.start(prompts.length > 1 ? { ...base, prompts, customPrompt: "" } : base);
  }

  dismissNotice(): void {
    this.dispatch({ type: "ui/notice", notice: null });
  }

  private rewrite(instruction: string, prompts: string[]): void {
    const s = this.state;
    const base = activeVersion(s);
    this.dispatch({ type: "ui/rewrite_sent", instruction, baseVersionId: base?.id ?? null });
    this.conn?.send({
      type: "rewrite_seed_prompts",
      rewrite_instruction: instruction,
      prompt_window_prompts: prompts,
    });
  }

  private checkLength(prompts: string[]): boolean {
    if (!this.state.hasServerLimits) return true; // the server checks, and answers prompt_too_long
    const max = this.state.limits.maxPromptChars;
    if (prompts.every((p) => p.length <= max)) return true;
    this.dispatch({
      type: "ui/notice",
      notice: {
        level: "warning",
        code: "prompt_too_long",
        message: `Prompts can be at most ${max} characters.`,
        action: null,
      },
    });
    return false;
  }

  private beginProject(req: StartRequest, prompts: string[]): void {
    this.resetMedia();
    const projectId = newProjectId(this.now());
    this.dispatch({
      type: "ui/start",
      projectId,
      presetId: req.presetId,
      presetLabel: req.presetLabel,
      prompts,
    });
    this.recorder.begin(this.state, this.now(), req.customPrompt || req.presetLabel);
  }

  private resetMedia(): void {
    this.pipeline?.reset();
    this.playback?.restart();
    this.mediaSeq = null;
  }

  private async waitUntilReady(token: number): Promise<boolean> {
    const probe = this.deps.probe ?? probeReadiness;
    this.dispatch({ type: "conn/status", status: "probing" });
    for (;;) {
      const readiness = await probe(this.deps.endpoint);
      if (token !== this.startToken) return false;
      if (readiness === "ready") return true;
      if (readiness === "unreachable") {
        this.dispatch({ type: "conn/failed", notice: UNREACHABLE });
        return false;
      }
      this.dispatch({ type: "conn/status", status: "warming" });
      await new Promise((r) => setTimeout(r, this.deps.warmPollMs ?? 2000));
      if (token !== this.startToken) return false;
    }
  }

  private connect(init: ClientMessage): void {
    let hasOpened = false;
    const conn = new Connection({
      url: this.deps.wsUrl,
      ...(this.deps.createSocket ? { createSocket: this.deps.createSocket } : {}),
      onEvent: (ev) => this.onEvent(ev),
      onBinary: (bytes) => this.onBinary(bytes),
      onStatus: (status, attempt) => {
        if (status === "open") hasOpened = true;
        if (status === "reconnecting") this.dispatch({ type: "conn/reconnecting", attempt });
        else this.dispatch({ type: "conn/status", status });
      },
      resumeCredentials: () => {
        const s = this.state;
        return s.sessionId && s.resumeToken && isSessionLive(s)
          ? { sessionId: s.sessionId, resumeToken: s.resumeToken }
          : null;
      },
      onLost: () => {
        if (this.conn !== conn) return;
        this.conn = null;
        if (isSessionLive(this.state))
          this.dispatch({ type: "conn/failed", notice: hasOpened ? CONNECTION_LOST : UNREACHABLE });
      },
      maxMessageBytes: () => this.state.limits.maxMessageBytes,
    });
    this.conn = conn;
    conn.start(init);
  }

  private initFields(req: StartRequest): Omit<Extract<ClientMessage, { type: "session_init_v2" }>, "type"> {
    const t = this.state.toggles;
    return {
      preset_id: req.presetId,
      preset_label: req.presetLabel,
      curated_prompts: req.customPrompt ? [] : req.prompts,
      initial_rollout_prompt: req.customPrompt,
      initial_image: req.image,
      single_clip_mode: false,
      enhancement_enabled: t.enhancement,
      auto_extension_enabled: t.autoExtension,
      loop_generation_enabled: t.loop,
    };
  }

  private onEvent(ev: ServerEvent): void {
    this.dispatch(ev);
    const s = this.state;
    switch (ev.type) {
      case "media_init":
        this.onMediaInit(ev.segmentIdx, ev.mime);
        return;
      case "media_segment_complete":
        this.onMediaComplete();
        return;
      case "segment_restarted":
      case "session_resumed": // a segment cut by the drop is sent again whole, with its own media_init
        this.onSegmentRestarted();
        return;
      case "seed_prompts_updated":
      case "ltx2_segment_complete":
        this.recorder.syncVersions(s);
        return;
      case "error":
        if (ev.code === "resume_failed") this.restartFresh();
        break;
      default:
        break;
    }
    if ((s.phase === "ended" || (s.phase === "lobby" && ev.type === "error")) && this.conn) {
      this.conn.close();
      this.conn = null;
    }
  }

  private onMediaInit(segmentIdx: number, mime: string): void {
    let seq = this.state.generatingSeq;
    if (seq === null) {
      this.dispatch({
        type: "ltx2_segment_start",
        segmentIdx,
        totalSegments: 0,
        prompt: "",
        source: "",
        seedPromptIndex: null,
      });
      seq = this.state.generatingSeq ?? 0;
    }
    const s = this.state;
    const current = s.segments.find((x) => x.seq === seq);
    const previous = s.segments.filter((x) => x.seq < seq && x.status === "ready").at(-1);
    // The first segment of a new version (a rewrite took effect) or of another branch (a fork, a switch):
    // show it without waiting for the old media.
    const isNewLine = current?.versionId !== previous?.versionId || current?.branchId !== previous?.branchId;
    if (previous && isNewLine) this.playback?.jumpToSegment(seq);
    this.mediaSeq = seq;
    this.pipeline?.beginSegment(seq, mime);
    this.recorder.startSegment(seq, mime);
  }

  private onMediaComplete(): void {
    const seq = this.mediaSeq;
    if (seq === null) return;
    this.mediaSeq = null;
    this.pipeline?.endSegment(seq);
    this.recorder.completeSegment(seq, this.state);
    this.tick();
  }

  /** The segment whose media was flowing comes again from its start (its worker was lost, or the socket
   * dropped: the session, on this replica or another, resends it whole): forget what arrived of it. */
  private onSegmentRestarted(): void {
    const seq = this.mediaSeq;
    if (seq === null) return;
    this.mediaSeq = null;
    this.pipeline?.dropSegment(seq);
    this.recorder.discard(seq);
  }

  private onBinary(bytes: ArrayBuffer): void {
    if (this.mediaSeq === null) return;
    this.pipeline?.appendChunk(bytes);
    this.recorder.addChunk(this.mediaSeq, bytes);
  }

  private onPlayingSegment(seq: number | null): void {
    this.dispatch({ type: "media/playing", seq });
    if (seq !== null && !this.recorder.hasThumbnail) {
      const thumb = this.deps.captureThumbnail?.() ?? null;
      if (thumb) this.recorder.setThumbnail(thumb);
    }
  }

  /** The server no longer has our session: start again from the prompts we were showing. */
  private restartFresh(): void {
    this.conn?.close();
    this.conn = null;
    const prompts = activeVersion(this.state)?.prompts ?? [];
    const base = this.lastRequest;
    if (!base) return;
    void this.start({ ...base, prompts, customPrompt: prompts.length > 0 ? "" : base.customPrompt }).then(
      () => {
        this.dispatch({
          type: "ui/notice",
          notice: {
            level: "info",
            code: "resume_failed",
            message: "The previous session had expired, so a new one was started from your prompts.",
            action: null,
          },
        });
      },
    );
  }

  private warn(where: string, message: string): void {
    console.warn(`dreamverse ${where}:`, message);
    this.dispatch({ type: "ui/notice", notice: { level: "warning", code: where, message, action: null } });
  }
}
