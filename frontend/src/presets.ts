/**
 * The curated rollouts (our own words). One file serves the workspace (bundled here) and the server's
 * `GET /curated-presets`: `runtime/curated_presets.json`.
 */
import raw from "../../runtime/curated_presets.json";

export interface Preset {
  id: string;
  label: string;
  summary: string;
  prompts: string[];
}

export const PRESETS: readonly Preset[] = raw;

export const CUSTOM_PRESET_ID = "custom";
