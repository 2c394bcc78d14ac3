/* eslint-disable */
/**
 * Wire types of the Dreamverse protocol, version 1: GENERATED, do not edit.
 * Source: runtime/protocol/protocol-v1.schema.json (exported from the pydantic models).
 * Regenerate: `make -C frontend protocol` (node scripts/gen-protocol.mjs).
 */

/**
 * A text frame from a client.
 *
 * This interface was referenced by `DreamverseProtocol`'s JSON-Schema
 * via the `definition` "ClientMessage".
 */
export type ClientMessage =
  | SessionInitV2
  | ProjectInitV1
  | SessionResume
  | AppendPrompt
  | SimpleGenerate
  | RewriteSeedPrompts
  | SetEnhancement
  | SetAutoExtension
  | SetLoopGeneration
  | SetGenerationPaused
  | SetRewriteModel
  | SetRewriteTemperature
  | ResetToSeedPrompts
  | RestartGeneration
  | EndProjectKeepSession
  | Leave
  | ForkFromSegment
  | SwitchBranch;
/**
 * A JSON text frame from the server.
 *
 * This interface was referenced by `DreamverseProtocol`'s JSON-Schema
 * via the `definition` "ServerEvent".
 */
export type ServerEvent =
  | SessionReady
  | SessionResumed
  | ErrorEvent
  | QueueStatus
  | GpuAssigned
  | Ltx2StreamStart
  | SeedPromptsUpdated
  | SeedPromptsResetPending
  | SeedPromptsResetApplied
  | RewriteSeedPromptsStarted
  | RewriteSeedPromptsComplete
  | PromptReceived
  | PromptEnhancing
  | PromptReady
  | PromptFallbackUsed
  | AutoPromptFailed
  | SegmentPromptSource
  | Ltx2SegmentStart
  | MediaInit
  | SegmentRestarted
  | MediaSegmentComplete
  | StepComplete
  | Ltx2SegmentComplete
  | Ltx2StreamComplete
  | ProjectIdle
  | SessionTimeout
  | GenerationRestarted
  | EnhancementUpdated
  | AutoExtensionUpdated
  | LoopGenerationUpdated
  | GenerationPausedUpdated
  | RewriteModelUpdated
  | RewriteTemperatureUpdated
  | PromptSourcesBlocked
  | PromptSourcesResumed
  | BranchesUpdated;
/**
 * Values of `code` / `error_code` in `error` events and HTTP error bodies.
 *
 * This interface was referenced by `DreamverseProtocol`'s JSON-Schema
 * via the `definition` "ErrorCode".
 */
export type ErrorCode =
  | "invalid_message"
  | "unknown_message_type"
  | "binary_not_accepted"
  | "message_too_large"
  | "prompt_too_long"
  | "invalid_image"
  | "rate_limited"
  | "unexpected_message"
  | "unauthorized"
  | "queue_full"
  | "queue_timeout"
  | "coordinator_unavailable"
  | "idle_timeout"
  | "resume_failed"
  | "pending_prompts_full"
  | "prompt_blocked"
  | "prompt_service_failed"
  | "worker_lost"
  | "worker_failed"
  | "segment_timeout"
  | "unknown_branch"
  | "unknown_segment"
  | "segment_evicted"
  | "internal"
  | "admin_disabled"
  | "export_busy"
  | "too_large"
  | "host_not_allowed"
  | "origin_required"
  | "origin_not_allowed"
  | "invalid_body"
  | "invalid_media"
  | "storage_failed";
/**
 * Websocket close codes the server uses.
 *
 * This interface was referenced by `DreamverseProtocol`'s JSON-Schema
 * via the `definition` "CloseCode".
 */
export type CloseCode = 1000 | 1001 | 1003 | 1008 | 1013;

/**
 * The Dreamverse websocket protocol (`/ws`), generated from `runtime/protocol/`.
 */
export interface DreamverseProtocol {
  client?: ClientMessage;
  server?: ServerEvent;
  error_code?: ErrorCode;
  close_code?: CloseCode;
}
/**
 * This interface was referenced by `DreamverseProtocol`'s JSON-Schema
 * via the `definition` "SessionInitV2".
 */
export interface SessionInitV2 {
  type: "session_init_v2";
  preset_id?: string | null;
  preset_label?: string | null;
  curated_prompts?: string[];
  initial_rollout_prompt?: string | null;
  initial_image?: InitialImage | null;
  single_clip_mode?: boolean;
  enhancement_enabled?: boolean;
  auto_extension_enabled?: boolean;
  loop_generation_enabled?: boolean;
  rewrite_model?: string | null;
  rewrite_window_system_prompt?: string | null;
  rewrite_user_system_prompt?: string | null;
  rewrite_temperature?: number | null;
  seed?: number | null;
}
/**
 * A first-frame image as a data URL (PNG, JPEG or WebP).
 *
 * This interface was referenced by `DreamverseProtocol`'s JSON-Schema
 * via the `definition` "InitialImage".
 */
export interface InitialImage {
  data_url: string;
  mime_type: "image/png" | "image/jpeg" | "image/webp";
  name?: string;
}
/**
 * This interface was referenced by `DreamverseProtocol`'s JSON-Schema
 * via the `definition` "ProjectInitV1".
 */
export interface ProjectInitV1 {
  type: "project_init_v1";
  preset_id?: string | null;
  preset_label?: string | null;
  curated_prompts?: string[];
  initial_rollout_prompt?: string | null;
  initial_image?: InitialImage | null;
  single_clip_mode?: boolean;
  enhancement_enabled?: boolean;
  auto_extension_enabled?: boolean;
  loop_generation_enabled?: boolean;
  rewrite_model?: string | null;
  rewrite_window_system_prompt?: string | null;
  rewrite_user_system_prompt?: string | null;
  rewrite_temperature?: number | null;
  seed?: number | null;
}
/**
 * This interface was referenced by `DreamverseProtocol`'s JSON-Schema
 * via the `definition` "SessionResume".
 */
export interface SessionResume {
  type: "session_resume";
  session_id: string;
  resume_token: string;
}
/**
 * This interface was referenced by `DreamverseProtocol`'s JSON-Schema
 * via the `definition` "AppendPrompt".
 */
export interface AppendPrompt {
  type: "append_prompt";
  prompt: string;
  prompt_id?: string | null;
}
/**
 * This interface was referenced by `DreamverseProtocol`'s JSON-Schema
 * via the `definition` "SimpleGenerate".
 */
export interface SimpleGenerate {
  type: "simple_generate";
  prompt: string;
  prompt_id?: string | null;
  initial_image?: InitialImage | null;
  preset_id?: string | null;
  preset_label?: string | null;
  enhancement_enabled?: boolean;
  seed?: number | null;
}
/**
 * This interface was referenced by `DreamverseProtocol`'s JSON-Schema
 * via the `definition` "RewriteSeedPrompts".
 */
export interface RewriteSeedPrompts {
  type: "rewrite_seed_prompts";
  rewrite_instruction: string;
  prompt_window_prompts?: string[];
  rewrite_model?: string | null;
  rewrite_window_system_prompt?: string | null;
  rewrite_user_system_prompt?: string | null;
  rewrite_temperature?: number | null;
}
/**
 * This interface was referenced by `DreamverseProtocol`'s JSON-Schema
 * via the `definition` "SetEnhancement".
 */
export interface SetEnhancement {
  type: "set_enhancement";
  enabled: boolean;
}
/**
 * This interface was referenced by `DreamverseProtocol`'s JSON-Schema
 * via the `definition` "SetAutoExtension".
 */
export interface SetAutoExtension {
  type: "set_auto_extension";
  enabled: boolean;
}
/**
 * This interface was referenced by `DreamverseProtocol`'s JSON-Schema
 * via the `definition` "SetLoopGeneration".
 */
export interface SetLoopGeneration {
  type: "set_loop_generation";
  enabled: boolean;
}
/**
 * This interface was referenced by `DreamverseProtocol`'s JSON-Schema
 * via the `definition` "SetGenerationPaused".
 */
export interface SetGenerationPaused {
  type: "set_generation_paused";
  paused: boolean;
}
/**
 * This interface was referenced by `DreamverseProtocol`'s JSON-Schema
 * via the `definition` "SetRewriteModel".
 */
export interface SetRewriteModel {
  type: "set_rewrite_model";
  rewrite_model: string;
}
/**
 * This interface was referenced by `DreamverseProtocol`'s JSON-Schema
 * via the `definition` "SetRewriteTemperature".
 */
export interface SetRewriteTemperature {
  type: "set_rewrite_temperature";
  rewrite_temperature: number;
}
/**
 * This interface was referenced by `DreamverseProtocol`'s JSON-Schema
 * via the `definition` "ResetToSeedPrompts".
 */
export interface ResetToSeedPrompts {
  type: "reset_to_seed_prompts";
}
/**
 * This interface was referenced by `DreamverseProtocol`'s JSON-Schema
 * via the `definition` "RestartGeneration".
 */
export interface RestartGeneration {
  type: "restart_generation";
}
/**
 * This interface was referenced by `DreamverseProtocol`'s JSON-Schema
 * via the `definition` "EndProjectKeepSession".
 */
export interface EndProjectKeepSession {
  type: "end_project_keep_session";
}
/**
 * This interface was referenced by `DreamverseProtocol`'s JSON-Schema
 * via the `definition` "Leave".
 */
export interface Leave {
  type: "leave";
}
/**
 * Ours: go on from the end of `segment_idx` of the current branch, on a new branch, conditioned on
 * exactly the state that segment left. `prompt` steers the first new segment; `rewrite_instruction`
 * rewrites the prompts that follow (as `rewrite_seed_prompts`); neither keeps the rollout's prompts.
 *
 * This interface was referenced by `DreamverseProtocol`'s JSON-Schema
 * via the `definition` "ForkFromSegment".
 */
export interface ForkFromSegment {
  type: "fork_from_segment";
  segment_idx: number;
  branch_id?: string | null;
  prompt?: string | null;
  rewrite_instruction?: string | null;
}
/**
 * Ours: make `branch_id` the current branch and go on from its last segment.
 *
 * This interface was referenced by `DreamverseProtocol`'s JSON-Schema
 * via the `definition` "SwitchBranch".
 */
export interface SwitchBranch {
  type: "switch_branch";
  branch_id: string;
}
/**
 * This interface was referenced by `DreamverseProtocol`'s JSON-Schema
 * via the `definition` "SessionReady".
 */
export interface SessionReady {
  type: "session_ready";
  protocol_version: number;
  server_version: string;
  capabilities: string[];
  session_id: string;
  resume_token: string;
  limits: Limits;
}
/**
 * This interface was referenced by `DreamverseProtocol`'s JSON-Schema
 * via the `definition` "Limits".
 */
export interface Limits {
  max_prompt_chars: number;
  max_message_bytes: number;
  max_image_bytes: number;
  max_prompts: number;
}
/**
 * This interface was referenced by `DreamverseProtocol`'s JSON-Schema
 * via the `definition` "SessionResumed".
 */
export interface SessionResumed {
  type: "session_resumed";
  session_id: string;
  next_segment_idx: number;
  total_segments: number;
  prompts: string[];
}
/**
 * This interface was referenced by `DreamverseProtocol`'s JSON-Schema
 * via the `definition` "Error".
 */
export interface ErrorEvent {
  type: "error";
  message: string;
  code: string;
  retryable: boolean;
  prompt_id: string | null;
  segment_idx: number | null;
  category: string | null;
  /**
   * The name upstream's client reads (`error_code === "ip_session_limit"`).
   */
  error_code: string;
}
/**
 * This interface was referenced by `DreamverseProtocol`'s JSON-Schema
 * via the `definition` "QueueStatus".
 */
export interface QueueStatus {
  type: "queue_status";
  position: number;
  total_gpus: number;
  available_gpus: number;
}
/**
 * This interface was referenced by `DreamverseProtocol`'s JSON-Schema
 * via the `definition` "GpuAssigned".
 */
export interface GpuAssigned {
  type: "gpu_assigned";
  gpu_id: number;
  session_timeout: number;
}
/**
 * This interface was referenced by `DreamverseProtocol`'s JSON-Schema
 * via the `definition` "Ltx2StreamStart".
 */
export interface Ltx2StreamStart {
  type: "ltx2_stream_start";
  total_segments: number;
  preset_id: string | null;
  stream_mode: "av_fmp4";
  live_mode: boolean;
  loop_generation_enabled: boolean;
  loop_iteration: number;
  generation_segment_cap: number;
}
/**
 * This interface was referenced by `DreamverseProtocol`'s JSON-Schema
 * via the `definition` "SeedPromptsUpdated".
 */
export interface SeedPromptsUpdated {
  type: "seed_prompts_updated";
  prompts: string[];
  preset_id: string | null;
  preset_label: string | null;
  reason: string;
  seed_prompt_count: number;
  fallback_used: boolean | null;
  error: string | null;
  model: string | null;
  latency_ms: number | null;
  raw_llm_output: string | null;
  rewrite_instruction: string | null;
}
/**
 * This interface was referenced by `DreamverseProtocol`'s JSON-Schema
 * via the `definition` "SeedPromptsResetPending".
 */
export interface SeedPromptsResetPending {
  type: "seed_prompts_reset_pending";
  seed_prompt_count: number;
}
/**
 * This interface was referenced by `DreamverseProtocol`'s JSON-Schema
 * via the `definition` "SeedPromptsResetApplied".
 */
export interface SeedPromptsResetApplied {
  type: "seed_prompts_reset_applied";
  reason: string;
  loop_iteration: number;
  seed_prompt_count: number;
  dropped_user_raw_queue: number;
  dropped_user_ready_queue: number;
}
/**
 * This interface was referenced by `DreamverseProtocol`'s JSON-Schema
 * via the `definition` "RewriteSeedPromptsStarted".
 */
export interface RewriteSeedPromptsStarted {
  type: "rewrite_seed_prompts_started";
  model: string;
}
/**
 * This interface was referenced by `DreamverseProtocol`'s JSON-Schema
 * via the `definition` "RewriteSeedPromptsComplete".
 */
export interface RewriteSeedPromptsComplete {
  type: "rewrite_seed_prompts_complete";
  fallback_used: boolean;
  error: string | null;
  preset_id: string | null;
  preset_label: string | null;
  model: string;
  latency_ms: number;
}
/**
 * This interface was referenced by `DreamverseProtocol`'s JSON-Schema
 * via the `definition` "PromptReceived".
 */
export interface PromptReceived {
  type: "prompt_received";
  prompt_id: string;
  queue_depth: number;
}
/**
 * This interface was referenced by `DreamverseProtocol`'s JSON-Schema
 * via the `definition` "PromptEnhancing".
 */
export interface PromptEnhancing {
  type: "prompt_enhancing";
  prompt_id: string;
}
/**
 * This interface was referenced by `DreamverseProtocol`'s JSON-Schema
 * via the `definition` "PromptReady".
 */
export interface PromptReady {
  type: "prompt_ready";
  prompt_id: string;
  prompt: string;
  source: "curated" | "user_enhanced" | "user_raw" | "auto_llm";
  latency_ms: number;
}
/**
 * This interface was referenced by `DreamverseProtocol`'s JSON-Schema
 * via the `definition` "PromptFallbackUsed".
 */
export interface PromptFallbackUsed {
  type: "prompt_fallback_used";
  prompt_id: string;
  prompt: string;
  source: "curated" | "user_enhanced" | "user_raw" | "auto_llm";
  latency_ms: number;
  error: string | null;
}
/**
 * This interface was referenced by `DreamverseProtocol`'s JSON-Schema
 * via the `definition` "AutoPromptFailed".
 */
export interface AutoPromptFailed {
  type: "auto_prompt_failed";
  segment_idx: number;
  latency_ms: number;
  error: string | null;
}
/**
 * This interface was referenced by `DreamverseProtocol`'s JSON-Schema
 * via the `definition` "SegmentPromptSource".
 */
export interface SegmentPromptSource {
  type: "segment_prompt_source";
  segment_idx: number;
  source: "curated" | "user_enhanced" | "user_raw" | "auto_llm";
  prompt_id: string | null;
  fallback_used: boolean;
  seed_prompt_index: number | null;
  loop_iteration: number;
}
/**
 * This interface was referenced by `DreamverseProtocol`'s JSON-Schema
 * via the `definition` "Ltx2SegmentStart".
 */
export interface Ltx2SegmentStart {
  type: "ltx2_segment_start";
  segment_idx: number;
  total_segments: number;
  prompt: string;
  source: "curated" | "user_enhanced" | "user_raw" | "auto_llm";
  seed_prompt_index: number | null;
  loop_iteration: number;
}
/**
 * This interface was referenced by `DreamverseProtocol`'s JSON-Schema
 * via the `definition` "MediaInit".
 */
export interface MediaInit {
  type: "media_init";
  segment_idx: number;
  mime: string;
  stream_id: string;
  mode: "av_fmp4";
}
/**
 * Ours: the worker rendering `segment_idx` was lost (scale-out: its agent died) and the session goes
 * on on another one, from the end of the segment before. The segment is rendered again, not skipped:
 * its announcement and a new `media_init` follow, and what arrived of it since its last `media_init` is
 * void (a player drops it). Segments the client has whole are never sent again.
 *
 * This interface was referenced by `DreamverseProtocol`'s JSON-Schema
 * via the `definition` "SegmentRestarted".
 */
export interface SegmentRestarted {
  type: "segment_restarted";
  segment_idx: number;
  code: string;
  message: string;
}
/**
 * This interface was referenced by `DreamverseProtocol`'s JSON-Schema
 * via the `definition` "MediaSegmentComplete".
 */
export interface MediaSegmentComplete {
  type: "media_segment_complete";
  segment_idx: number;
  stream_id: string;
  chunks: number;
  bytes: number | null;
  frames: number | null;
  first_frame_unix_ms: number | null;
  duration_s: number | null;
}
/**
 * This interface was referenced by `DreamverseProtocol`'s JSON-Schema
 * via the `definition` "StepComplete".
 */
export interface StepComplete {
  type: "step_complete";
  latency_ms: StepLatency;
  stage_ms: {
    [k: string]: number;
  };
}
/**
 * This interface was referenced by `DreamverseProtocol`'s JSON-Schema
 * via the `definition` "StepLatency".
 */
export interface StepLatency {
  total: number;
  worker_e2e: number;
  main_user_step: number;
  overhead: number;
}
/**
 * This interface was referenced by `DreamverseProtocol`'s JSON-Schema
 * via the `definition` "Ltx2SegmentComplete".
 */
export interface Ltx2SegmentComplete {
  type: "ltx2_segment_complete";
  segment_idx: number;
  total_segments: number;
  seed: number | null;
  branch_id: string | null;
}
/**
 * This interface was referenced by `DreamverseProtocol`'s JSON-Schema
 * via the `definition` "Ltx2StreamComplete".
 */
export interface Ltx2StreamComplete {
  type: "ltx2_stream_complete";
}
/**
 * This interface was referenced by `DreamverseProtocol`'s JSON-Schema
 * via the `definition` "ProjectIdle".
 */
export interface ProjectIdle {
  type: "project_idle";
  dropped_user_raw_queue: number;
  dropped_user_ready_queue: number;
}
/**
 * This interface was referenced by `DreamverseProtocol`'s JSON-Schema
 * via the `definition` "SessionTimeout".
 */
export interface SessionTimeout {
  type: "session_timeout";
  message: string;
}
/**
 * This interface was referenced by `DreamverseProtocol`'s JSON-Schema
 * via the `definition` "GenerationRestarted".
 */
export interface GenerationRestarted {
  type: "generation_restarted";
  reason: string;
  segment_cap: number;
}
/**
 * This interface was referenced by `DreamverseProtocol`'s JSON-Schema
 * via the `definition` "EnhancementUpdated".
 */
export interface EnhancementUpdated {
  type: "enhancement_updated";
  enabled: boolean;
}
/**
 * This interface was referenced by `DreamverseProtocol`'s JSON-Schema
 * via the `definition` "AutoExtensionUpdated".
 */
export interface AutoExtensionUpdated {
  type: "auto_extension_updated";
  enabled: boolean;
}
/**
 * This interface was referenced by `DreamverseProtocol`'s JSON-Schema
 * via the `definition` "LoopGenerationUpdated".
 */
export interface LoopGenerationUpdated {
  type: "loop_generation_updated";
  enabled: boolean;
}
/**
 * This interface was referenced by `DreamverseProtocol`'s JSON-Schema
 * via the `definition` "GenerationPausedUpdated".
 */
export interface GenerationPausedUpdated {
  type: "generation_paused_updated";
  paused: boolean;
}
/**
 * This interface was referenced by `DreamverseProtocol`'s JSON-Schema
 * via the `definition` "RewriteModelUpdated".
 */
export interface RewriteModelUpdated {
  type: "rewrite_model_updated";
  rewrite_model: string;
}
/**
 * This interface was referenced by `DreamverseProtocol`'s JSON-Schema
 * via the `definition` "RewriteTemperatureUpdated".
 */
export interface RewriteTemperatureUpdated {
  type: "rewrite_temperature_updated";
  rewrite_temperature: number;
}
/**
 * This interface was referenced by `DreamverseProtocol`'s JSON-Schema
 * via the `definition` "PromptSourcesBlocked".
 */
export interface PromptSourcesBlocked {
  type: "prompt_sources_blocked";
  segment_idx: number;
}
/**
 * This interface was referenced by `DreamverseProtocol`'s JSON-Schema
 * via the `definition` "PromptSourcesResumed".
 */
export interface PromptSourcesResumed {
  type: "prompt_sources_resumed";
  segment_idx: number;
  source: "curated" | "user_enhanced" | "user_raw" | "auto_llm";
  prompt_id: string | null;
}
/**
 * Ours: the session's branches, sent whenever the tree changes (a segment, a fork, a switch).
 *
 * This interface was referenced by `DreamverseProtocol`'s JSON-Schema
 * via the `definition` "BranchesUpdated".
 */
export interface BranchesUpdated {
  type: "branches_updated";
  current_branch_id: string | null;
  branches: BranchInfo[];
}
/**
 * One branch of the session's segment tree (ours).
 *
 * This interface was referenced by `DreamverseProtocol`'s JSON-Schema
 * via the `definition` "BranchInfo".
 */
export interface BranchInfo {
  branch_id: string;
  parent_branch_id: string | null;
  parent_segment_idx: number | null;
  segments: BranchSegment[];
  duration_s: number;
}
/**
 * One segment of a branch (ours).
 *
 * This interface was referenced by `DreamverseProtocol`'s JSON-Schema
 * via the `definition` "BranchSegment".
 */
export interface BranchSegment {
  segment_idx: number;
  prompt: string;
  seed: number;
  duration_s: number;
  is_stored: boolean;
}

export const WIRE_PROTOCOL_VERSION = 1;
