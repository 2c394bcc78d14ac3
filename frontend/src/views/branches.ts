/**
 * The session's branches (ours, from `branches_updated`): one row per branch with its segments. A
 * segment on the current branch's timeline has a menu whose "Continue from here" starts a new branch
 * from the end of that segment, with a prompt for what happens next. Another branch can be played
 * (the server switches to it and goes on generating it), and every branch downloads as one MP4
 * joined on the server. Hidden when the server has no branches.
 */
import type { SessionController } from "../controller/session";
import type { BranchInfo } from "../protocol/events";
import { currentPath, hasBranches, type SessionState } from "../state/session";
import { h } from "./dom";

export function mountBranches(ctl: SessionController): HTMLElement {
  const list = h("ul", { class: "branch-list" });
  const el = h(
    "div",
    { class: "branches", role: "group", "aria-label": "Branches" },
    h("h3", {}, "Branches"),
    list,
  );
  let menuFor: number | null = null; // the segment whose menu is open
  let formFor: number | null = null; // the segment whose "continue from here" form is open

  const paint = (): void => {
    const s = ctl.state;
    el.hidden = !hasBranches(s) || s.branches.length === 0;
    const onPath = new Set(currentPath(s).map((p) => `${p.branchId}/${p.segmentIdx}`));
    list.replaceChildren(...s.branches.map((b, i) => row(s, b, i, onPath)));
  };

  const row = (s: SessionState, b: BranchInfo, index: number, onPath: Set<string>): HTMLElement => {
    const isCurrent = b.branchId === s.currentBranchId;
    const name = index === 0 ? "Main" : `Branch ${index + 1}`;
    const origin =
      b.parentBranchId === null ? "from the start" : `from segment ${(b.parentSegmentIdx ?? 0) + 1}`;
    const url = ctl.branchExportUrl(b.branchId);
    const head = h(
      "div",
      { class: "branch-head" },
      h("span", { class: "branch-name" }, isCurrent ? `${name} · playing` : name),
      h("span", { class: "branch-detail" }, `${origin} · ${b.durationS.toFixed(1)} s`),
      isCurrent
        ? null
        : h(
            "button",
            { type: "button", class: "branch-switch", onclick: () => ctl.switchBranch(b.branchId) },
            "Play",
          ),
      url && (b.segments.length > 0 || b.parentBranchId !== null)
        ? h(
            "a",
            { class: "branch-download", href: url, download: `dreamverse-${b.branchId}.mp4` },
            "Download",
          )
        : null,
    );
    const chips = b.segments.map((seg) => {
      // a fork continues the current branch's timeline: each of its segment numbers appears once there
      const canFork = seg.isStored && onPath.has(`${b.branchId}/${seg.segmentIdx}`);
      return h(
        "li",
        {},
        h(
          "button",
          {
            type: "button",
            class: seg.isStored ? "segment-chip" : "segment-chip evicted",
            "data-segment": seg.segmentIdx,
            "aria-label": `Segment ${seg.segmentIdx + 1}`,
            "aria-haspopup": canFork ? "menu" : null,
            "aria-expanded": canFork ? String(menuFor === seg.segmentIdx) : null,
            title: seg.isStored ? seg.prompt : `${seg.prompt} (no longer stored)`,
            disabled: !canFork,
            onclick: () => {
              menuFor = menuFor === seg.segmentIdx ? null : seg.segmentIdx;
              formFor = null;
              paint();
            },
          },
          String(seg.segmentIdx + 1),
        ),
        canFork && menuFor === seg.segmentIdx ? menu(seg.segmentIdx) : null,
        canFork && formFor === seg.segmentIdx ? form(seg.segmentIdx) : null,
      );
    });
    return h(
      "li",
      {
        class: isCurrent ? "branch current" : "branch",
        "data-branch": b.branchId,
        "aria-current": isCurrent ? "true" : null,
      },
      head,
      h("ol", { class: "branch-segments", "aria-label": `${name} segments` }, ...chips),
    );
  };

  const menu = (idx: number): HTMLElement =>
    h(
      "div",
      { class: "segment-menu", role: "menu", "aria-label": `Segment ${idx + 1}` },
      h(
        "button",
        {
          type: "button",
          role: "menuitem",
          onclick: () => {
            menuFor = null;
            formFor = idx;
            paint();
            el.querySelector<HTMLInputElement>(".continue-form input")?.focus();
          },
        },
        "Continue from here",
      ),
    );

  const form = (idx: number): HTMLElement => {
    const input = h("input", {
      type: "text",
      "aria-label": "What happens next",
      placeholder: "What happens next?",
    });
    const close = (): void => {
      formFor = null;
      paint();
    };
    return h(
      "form",
      {
        class: "continue-form",
        onsubmit: (ev: Event) => {
          ev.preventDefault();
          ctl.continueFrom(idx, input.value);
          close();
        },
      },
      h("label", {}, `Continue from the end of segment ${idx + 1}`),
      input,
      h("button", { type: "submit" }, "Continue"),
      h("button", { type: "button", onclick: close }, "Cancel"),
    );
  };

  ctl.store.watch((s) => s.branches, paint);
  ctl.store.watch((s) => s.currentBranchId, paint);
  ctl.store.watch((s) => s.capabilities, paint);
  return el;
}
