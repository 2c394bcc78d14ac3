import { afterEach, describe, expect, it, vi } from "vitest";
import { h } from "../../src/views/dom";
import { confirmModal, isModalOpen, openModal } from "../../src/views/modal";
import { installShortcuts } from "../../src/views/shortcuts";

const key = (k: string, opts: KeyboardEventInit = {}) =>
  document.dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true, ...opts }));

afterEach(() => {
  document.body.replaceChildren();
});

describe("modal", () => {
  it("is a labelled dialog that takes focus, traps Tab and closes on Escape", () => {
    const opener = h("button", {}, "open");
    document.body.append(opener);
    opener.focus();
    const onClose = vi.fn();
    openModal({
      title: "Hello",
      body: "text",
      actions: [{ label: "Cancel" }, { label: "OK", isPrimary: true }],
      onClose,
    });
    const dialog = document.querySelector<HTMLElement>("[role=dialog]");
    expect(dialog?.getAttribute("aria-modal")).toBe("true");
    expect(document.getElementById(dialog?.getAttribute("aria-labelledby") ?? "")?.textContent).toBe("Hello");
    const [cancel, ok] = [...document.querySelectorAll<HTMLButtonElement>(".modal button")];
    expect(document.activeElement).toBe(ok);
    key("Tab");
    expect(document.activeElement).toBe(cancel);
    key("Tab", { shiftKey: true });
    expect(document.activeElement).toBe(ok);
    expect(isModalOpen()).toBe(true);
    key("Escape");
    expect(onClose).toHaveBeenCalledOnce();
    expect(document.querySelector("[role=dialog]")).toBeNull();
    expect(document.activeElement).toBe(opener);
    expect(isModalOpen()).toBe(false);
  });

  it("confirmModal resolves with the choice", async () => {
    const yes = confirmModal("Delete?", "sure?", "Delete");
    document.querySelector<HTMLButtonElement>(".btn.primary")?.click();
    expect(await yes).toBe(true);
    const no = confirmModal("Delete?", "sure?", "Delete");
    key("Escape");
    expect(await no).toBe(false);
  });
});

describe("shortcuts", () => {
  it("run outside text fields and not while a modal is open", () => {
    const run = vi.fn();
    const off = installShortcuts([{ key: "p", label: "projects", run }]);
    key("p");
    expect(run).toHaveBeenCalledOnce();
    const input = h("textarea");
    document.body.append(input);
    input.dispatchEvent(new KeyboardEvent("keydown", { key: "p", bubbles: true }));
    expect(run).toHaveBeenCalledOnce();
    const close = openModal({ title: "x", body: "", actions: [{ label: "Close" }] });
    key("p");
    expect(run).toHaveBeenCalledOnce();
    close();
    key("p", { ctrlKey: true });
    expect(run).toHaveBeenCalledOnce();
    off();
  });
});
