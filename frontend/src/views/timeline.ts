/**
 * The edit timeline: Original → each edit → Current. Selecting a version shows its prompts and
 * makes it the base of the next rewrite (a branch); in view mode it replays that version.
 */

import { truncate } from "../state/selectors";
import { latestVersion, type SessionState, type Version } from "../state/session";
import { h } from "./dom";

export interface TimelineInput {
  versions: Version[];
  selectedId: string | null;
  onSelect: (id: string) => void;
}

export function renderTimeline(el: HTMLElement, input: TimelineInput): void {
  const latest = input.versions[input.versions.length - 1];
  const selected = input.selectedId ?? latest?.id ?? null;
  const items = input.versions.map((v) => {
    const isCurrent = v === latest;
    const parent = input.versions.find((p) => p.id === v.parentId);
    const branch =
      parent && parent !== input.versions[input.versions.indexOf(v) - 1] ? ` (from ${parent.label})` : "";
    const label = isCurrent && v.kind === "edit" ? `${v.label} · Current` : v.label;
    return h(
      "li",
      {},
      h(
        "button",
        {
          type: "button",
          class: "version",
          "data-version": v.id,
          "aria-pressed": String(v.id === selected),
          title: v.instruction ?? "The prompts the rollout started from",
          onclick: () => input.onSelect(v.id),
        },
        h("span", { class: "version-label" }, label + branch),
        h(
          "span",
          { class: "version-detail" },
          v.instruction
            ? truncate(v.instruction, 48)
            : `${v.prompts.length} prompt${v.prompts.length === 1 ? "" : "s"}`,
        ),
      ),
    );
  });
  el.replaceChildren(...items);
}

export function timelineFromSession(s: SessionState, onSelect: (id: string) => void): TimelineInput {
  return { versions: s.versions, selectedId: s.selectedVersionId ?? latestVersion(s)?.id ?? null, onSelect };
}
