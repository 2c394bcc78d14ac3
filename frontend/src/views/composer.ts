/**
 * The prompt box: Enter submits (start a rollout, or during a session rewrite / append by the
 * chosen mode), Shift+Enter adds a line. Also the toggles, the first-frame image and Leave.
 */
import type { SessionController, SubmitMode } from "../controller/session";
import type { InitialImage, ToggleName } from "../protocol/messages";
import { isSessionLive, type SessionState } from "../state/session";
import { h, ICONS, icon } from "./dom";

const IMAGE_TYPES = ["image/png", "image/jpeg", "image/webp"] as const;

export interface ComposerHandle {
  el: HTMLElement;
  focus(): void;
  /** The first-frame image chosen for the next start, if any. */
  image(): InitialImage | null;
}

export function mountComposer(ctl: SessionController, onLeave: () => void): ComposerHandle {
  let mode: SubmitMode = "rewrite";
  let image: InitialImage | null = null;
  const textarea = h("textarea", {
    id: "prompt",
    class: "prompt-input",
    rows: 2,
    "aria-label": "Prompt",
    "aria-describedby": "prompt-hint prompt-count",
    autocomplete: "off",
  });
  const count = h("span", { id: "prompt-count", class: "count", "aria-live": "off" });
  const hint = h("span", { id: "prompt-hint", class: "hint" }, "Enter to send · Shift+Enter for a new line");
  const send = h(
    "button",
    { type: "button", class: "btn primary icon-btn", "aria-label": "Send" },
    icon(ICONS.send),
  );
  const leave = h("button", { type: "button", class: "btn danger", hidden: true }, "Leave");
  const modeGroup = h("div", {
    class: "segmented",
    role: "radiogroup",
    "aria-label": "What Enter does",
    hidden: true,
  });
  const modeButtons = (["rewrite", "append"] as const).map((m) =>
    h(
      "button",
      { type: "button", role: "radio", "data-mode": m, onclick: () => setMode(m) },
      m === "rewrite" ? "Rewrite rollout" : "Add next prompt",
    ),
  );
  modeGroup.append(...modeButtons);
  const toggles = mountToggles(ctl);
  const fileInput = h("input", {
    type: "file",
    accept: IMAGE_TYPES.join(","),
    class: "visually-hidden",
    id: "image-input",
    "aria-label": "First-frame image",
  });
  const imageChip = h("span", { class: "chip", hidden: true });
  const imageLabel = h(
    "label",
    { for: "image-input", class: "btn ghost", title: "Start from an image" },
    icon(ICONS.image),
    h("span", {}, "Image"),
  );

  function setMode(m: SubmitMode): void {
    mode = m;
    for (const b of modeButtons) b.setAttribute("aria-checked", String(b.dataset["mode"] === m));
    render(ctl.state);
  }

  function submit(): void {
    const text = textarea.value.trim();
    if (!text) return;
    const s = ctl.state;
    if (isSessionLive(s)) ctl.submit(text, mode);
    else
      void ctl.start({
        presetId: "custom",
        presetLabel: "Custom prompt",
        prompts: [],
        customPrompt: text,
        image,
      });
    textarea.value = "";
    updateCount(s);
  }

  function updateCount(s: SessionState): void {
    const n = textarea.value.length;
    const max = s.hasServerLimits ? s.limits.maxPromptChars : Number.POSITIVE_INFINITY;
    count.textContent = s.hasServerLimits ? `${n} / ${max}` : `${n} characters`;
    count.classList.toggle("over", n > max);
    send.disabled = n === 0 || n > max;
  }

  function render(s: SessionState): void {
    const live = isSessionLive(s);
    modeGroup.hidden = !live;
    leave.hidden = !live;
    imageLabel.hidden = live;
    imageChip.hidden = live || image === null;
    if (s.hasServerLimits) textarea.maxLength = s.limits.maxPromptChars;
    textarea.placeholder = !live
      ? "Describe a scene and press Enter to start…"
      : mode === "rewrite"
        ? "Describe a change, e.g. “make it night and rainy” (Enter rewrites the rollout)…"
        : "What happens next? (Enter adds it after the current prompts)…";
    updateCount(s);
  }

  textarea.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing) {
      ev.preventDefault();
      submit();
    }
  });
  textarea.addEventListener("input", () => updateCount(ctl.state));
  send.addEventListener("click", submit);
  leave.addEventListener("click", onLeave);
  fileInput.addEventListener("change", () => void pickImage());

  async function pickImage(): Promise<void> {
    const file = fileInput.files?.[0];
    fileInput.value = "";
    if (!file) return;
    const result = await readImage(file, ctl.state.limits.maxImageBytes);
    if (typeof result === "string") {
      ctl.dispatch({
        type: "ui/notice",
        notice: { level: "warning", code: "invalid_image", message: result, action: null },
      });
      return;
    }
    image = result;
    const remove = h(
      "button",
      {
        type: "button",
        class: "chip-x",
        "aria-label": `Remove image ${file.name}`,
        onclick: () => {
          image = null;
          render(ctl.state);
        },
      },
      icon(ICONS.close),
    );
    imageChip.replaceChildren(
      h("img", { src: result.data_url, alt: "", class: "chip-img" }),
      h("span", {}, file.name),
      remove,
    );
    render(ctl.state);
  }

  setMode("rewrite");
  ctl.store.subscribe((s) => render(s));
  ctl.store.watch(
    (s) => s.isWaitingForPrompt,
    (waiting) => waiting && setMode("append"),
  );
  const el = h(
    "div",
    { class: "composer" },
    h("div", { class: "composer-row" }, textarea, send),
    h("div", { class: "composer-meta" }, modeGroup, hint, count),
    h("div", { class: "composer-tools" }, imageLabel, fileInput, imageChip, toggles, leave),
  );
  return { el, focus: () => textarea.focus(), image: () => image };
}

function mountToggles(ctl: SessionController): HTMLElement {
  const defs: Array<[ToggleName, string, string]> = [
    ["enhancement", "Enhance", "Let the server enrich your prompts"],
    ["autoExtension", "Auto-extend", "Keep writing new prompts when the rollout runs out"],
    ["loop", "Loop", "Start the rollout again after the last prompt"],
  ];
  const boxes = defs.map(([name, label, title]) => {
    const input = h("input", {
      type: "checkbox",
      "data-toggle": name,
      onchange: (ev: Event) => ctl.setToggle(name, (ev.target as HTMLInputElement).checked),
    });
    return { name, input, label: h("label", { class: "toggle", title }, input, h("span", {}, label)) };
  });
  ctl.store.watch(
    (s) => s.toggles,
    (t) => {
      for (const b of boxes) b.input.checked = t[b.name];
    },
  );
  return h(
    "div",
    { class: "toggles", role: "group", "aria-label": "Generation options" },
    ...boxes.map((b) => b.label),
  );
}

/** Read an image file as a data URL; a string result is the reason it was refused. */
export async function readImage(file: File, maxBytes: number): Promise<InitialImage | string> {
  const type = IMAGE_TYPES.find((t) => t === file.type);
  if (!type) return "Use a PNG, JPEG or WebP image.";
  if (file.size > maxBytes)
    return `The image is ${(file.size / 1_048_576).toFixed(1)} MB; the limit is ${(maxBytes / 1_048_576).toFixed(0)} MB.`;
  const dataUrl = await new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error("could not read the image"));
    reader.readAsDataURL(file);
  });
  return { data_url: dataUrl, mime_type: type, name: file.name };
}
