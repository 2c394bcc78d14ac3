/**
 * The prompt window: the rollout's segment prompts, which is playing and which is generating;
 * edit one prompt in place, or append a prompt after them.
 */
import type { SessionController } from "../controller/session";
import { type WindowRow, windowRows } from "../state/selectors";
import { activeVersion, isSessionLive, latestVersion, type SessionState } from "../state/session";
import { h } from "./dom";

const STATUS_LABELS: Record<WindowRow["status"], string> = {
  played: "Played",
  playing: "Playing",
  generating: "Generating",
  ready: "Ready",
  upcoming: "Up next",
  queued: "Queued",
};

export function mountPromptWindow(ctl: SessionController): HTMLElement {
  let editingRow: number | null = null;
  const heading = h("h2", { id: "window-title" }, "Prompt window");
  const branchNote = h("p", { class: "branch-note", hidden: true });
  const list = h("ol", { class: "window-list", "aria-labelledby": "window-title" });
  const appendInput = h("input", {
    type: "text",
    class: "append-input",
    "aria-label": "Append a prompt",
    placeholder: "Append a prompt…",
  });
  const appendForm = h(
    "form",
    { class: "append-form", hidden: true },
    appendInput,
    h("button", { type: "submit", class: "btn small" }, "Append"),
  );
  appendForm.addEventListener("submit", (ev) => {
    ev.preventDefault();
    if (!appendInput.value.trim()) return;
    ctl.submit(appendInput.value, "append");
    appendInput.value = "";
  });

  function render(s: SessionState): void {
    const version = activeVersion(s);
    const latest = latestVersion(s);
    heading.textContent = version ? `Prompt window · ${version.label}` : "Prompt window";
    const isBranching = version !== null && latest !== null && version.id !== latest.id;
    branchNote.hidden = !isBranching;
    branchNote.textContent = isBranching ? `Your next rewrite branches from ${version.label}.` : "";
    appendForm.hidden = !isSessionLive(s);
    appendInput.maxLength = s.limits.maxPromptChars;
    const rows = windowRows(s);
    list.replaceChildren(...rows.map((r) => (r.row === editingRow && r.isEditable ? editor(r) : rowView(r))));
  }

  function rowView(r: WindowRow): HTMLElement {
    const edit = r.isEditable
      ? h(
          "button",
          {
            type: "button",
            class: "btn small ghost",
            "aria-label": `Edit prompt ${r.row + 1}`,
            onclick: () => startEdit(r.row),
          },
          "Edit",
        )
      : null;
    return h(
      "li",
      {
        class: `window-row ${r.status}`,
        "data-status": r.status,
        "aria-current": r.status === "playing" ? "true" : null,
      },
      h("span", { class: "row-num" }, String(r.row + 1)),
      h(
        "span",
        { class: "row-body" },
        h("span", { class: `badge ${r.status}` }, STATUS_LABELS[r.status]),
        h("span", { class: "row-text" }, r.prompt),
      ),
      edit ?? "",
    );
  }

  function editor(r: WindowRow): HTMLElement {
    const area = h("textarea", {
      class: "row-editor",
      rows: 3,
      "aria-label": `Prompt ${r.row + 1}`,
      maxlength: ctl.state.limits.maxPromptChars,
    });
    area.value = r.prompt;
    const save = (): void => {
      editingRow = null;
      ctl.editPrompt(r.row, area.value);
      render(ctl.state);
    };
    const cancel = (): void => {
      editingRow = null;
      render(ctl.state);
    };
    area.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter" && !ev.shiftKey) {
        ev.preventDefault();
        save();
      } else if (ev.key === "Escape") {
        ev.stopPropagation();
        cancel();
      }
    });
    queueMicrotask(() => area.focus());
    return h(
      "li",
      { class: "window-row editing" },
      h("span", { class: "row-num" }, String(r.row + 1)),
      h(
        "span",
        { class: "row-body" },
        area,
        h(
          "span",
          { class: "row-actions" },
          h("button", { type: "button", class: "btn small primary", onclick: save }, "Save"),
          h("button", { type: "button", class: "btn small", onclick: cancel }, "Cancel"),
        ),
      ),
    );
  }

  function startEdit(row: number): void {
    editingRow = row;
    render(ctl.state);
  }

  ctl.store.subscribe((s) => {
    if (editingRow === null) render(s);
  });
  render(ctl.state);
  return h(
    "section",
    { class: "panel prompt-window", "aria-labelledby": "window-title" },
    heading,
    branchNote,
    list,
    appendForm,
  );
}
