/** The preset gallery: curated rollouts, one click starts one (all of its prompts are sent). */
import type { SessionController } from "../controller/session";
import type { Preset } from "../presets";
import type { InitialImage } from "../protocol/messages";
import { h } from "./dom";

export function mountGallery(
  ctl: SessionController,
  presets: readonly Preset[],
  image: () => InitialImage | null,
): HTMLElement {
  const cards = presets.map((p) =>
    h(
      "li",
      {},
      h(
        "button",
        {
          type: "button",
          class: "preset",
          "data-preset": p.id,
          onclick: () =>
            void ctl.start({
              presetId: p.id,
              presetLabel: p.label,
              prompts: p.prompts,
              customPrompt: "",
              image: image(),
            }),
        },
        h("span", { class: "preset-title" }, p.label),
        h("span", { class: "preset-summary" }, p.summary),
        h("span", { class: "preset-count" }, `${p.prompts.length} prompts`),
      ),
    ),
  );
  const el = h(
    "section",
    { class: "gallery", "aria-labelledby": "gallery-title" },
    h("h2", { id: "gallery-title" }, "Start from a preset"),
    h("ul", { class: "preset-list" }, ...cards),
  );
  ctl.store.watch(
    (s) => s.phase === "lobby" || s.phase === "ended",
    (show) => (el.hidden = !show),
  );
  return el;
}
