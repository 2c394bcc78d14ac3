/**
 * Accessible modal dialogs: `role="dialog"`, `aria-modal`, labelled by the title; focus moves in,
 * Tab cycles inside (focus trap), Escape closes, and focus returns to where it was.
 */
import { h } from "./dom";

export interface ModalAction {
  label: string;
  /** The first `primary` action gets focus. */
  isPrimary?: boolean;
  run?: () => void;
}

export interface ModalOptions {
  title: string;
  body: Node | string;
  actions: ModalAction[];
  onClose?: () => void;
}

const FOCUSABLE =
  'button:not([disabled]), [href], input:not([disabled]), textarea:not([disabled]), select:not([disabled]), [tabindex]:not([tabindex="-1"])';

let openCount = 0;
let titleId = 0;

export function isModalOpen(): boolean {
  return openCount > 0;
}

export function focusableIn(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => !el.hidden);
}

/** Open a modal; returns a function that closes it. */
export function openModal(opts: ModalOptions): () => void {
  const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const id = `modal-title-${++titleId}`;
  let isClosed = false;
  const close = (): void => {
    if (isClosed) return;
    isClosed = true;
    openCount -= 1;
    backdrop.remove();
    document.removeEventListener("keydown", onKey, true);
    opts.onClose?.();
    previous?.focus();
  };
  const buttons = opts.actions.map((a) =>
    h(
      "button",
      {
        type: "button",
        class: a.isPrimary ? "btn primary" : "btn",
        onclick: () => {
          close();
          a.run?.();
        },
      },
      a.label,
    ),
  );
  const dialog = h(
    "div",
    { class: "modal", role: "dialog", "aria-modal": "true", "aria-labelledby": id },
    h("h2", { id, class: "modal-title" }, opts.title),
    h("div", { class: "modal-body" }, opts.body),
    h("div", { class: "modal-actions" }, ...buttons),
  );
  const backdrop = h(
    "div",
    {
      class: "modal-backdrop",
      onclick: (ev: Event) => {
        if (ev.target === backdrop) close();
      },
    },
    dialog,
  );
  const onKey = (ev: KeyboardEvent): void => {
    if (ev.key === "Escape") {
      ev.preventDefault();
      ev.stopPropagation();
      close();
    } else if (ev.key === "Tab") {
      trapTab(dialog, ev);
    }
  };
  document.addEventListener("keydown", onKey, true);
  document.body.append(backdrop);
  openCount += 1;
  const primary = opts.actions.findIndex((a) => a.isPrimary);
  (buttons[primary] ?? focusableIn(dialog)[0] ?? dialog).focus();
  return close;
}

function trapTab(dialog: HTMLElement, ev: KeyboardEvent): void {
  const items = focusableIn(dialog);
  const first = items[0];
  const last = items[items.length - 1];
  if (!first || !last) {
    ev.preventDefault();
    return;
  }
  const active = document.activeElement;
  if (ev.shiftKey && (active === first || !dialog.contains(active))) {
    ev.preventDefault();
    last.focus();
  } else if (!ev.shiftKey && (active === last || !dialog.contains(active))) {
    ev.preventDefault();
    first.focus();
  }
}

/** A yes/no question as a modal; resolves true for the confirm button. */
export function confirmModal(title: string, body: string, confirmLabel: string): Promise<boolean> {
  return new Promise((resolve) => {
    let answer = false;
    openModal({
      title,
      body,
      actions: [{ label: "Cancel" }, { label: confirmLabel, isPrimary: true, run: () => (answer = true) }],
      onClose: () => queueMicrotask(() => resolve(answer)),
    });
  });
}
