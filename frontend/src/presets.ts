/** The curated rollouts shipped with the app (`presets.json`, our own words). */
import raw from "./presets.json";

export interface Preset {
  id: string;
  label: string;
  summary: string;
  prompts: string[];
}

export const PRESETS: readonly Preset[] = raw;

export const CUSTOM_PRESET_ID = "custom";
