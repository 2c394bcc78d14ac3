/** Keyboard shortcuts (ignored while typing in a field or when a modal is open). */
import { h } from "./dom";
import { isModalOpen, openModal } from "./modal";

export interface Shortcut {
  key: string;
  label: string;
  run: () => void;
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

export function installShortcuts(shortcuts: Shortcut[]): () => void {
  const onKey = (ev: KeyboardEvent): void => {
    if (ev.ctrlKey || ev.metaKey || ev.altKey || isModalOpen() || isTyping(ev.target)) return;
    const hit = shortcuts.find((s) => s.key === ev.key);
    if (!hit) return;
    ev.preventDefault();
    hit.run();
  };
  document.addEventListener("keydown", onKey);
  return () => document.removeEventListener("keydown", onKey);
}

export function showShortcutsHelp(shortcuts: Shortcut[]): void {
  const rows = shortcuts.map((s) =>
    h("tr", {}, h("td", {}, h("kbd", {}, s.key === " " ? "Space" : s.key)), h("td", {}, s.label)),
  );
  const extra = [
    h("tr", {}, h("td", {}, h("kbd", {}, "Enter")), h("td", {}, "Send the prompt")),
    h("tr", {}, h("td", {}, h("kbd", {}, "Shift+Enter")), h("td", {}, "New line in the prompt")),
    h("tr", {}, h("td", {}, h("kbd", {}, "Esc")), h("td", {}, "Close a dialog, leave the prompt box")),
  ];
  openModal({
    title: "Keyboard shortcuts",
    body: h("table", { class: "shortcuts" }, h("tbody", {}, ...rows, ...extra)),
    actions: [{ label: "Close", isPrimary: true }],
  });
}
