/** Top bar: name, time left, and buttons for projects, shortcuts and theme. */
import type { SessionController } from "../controller/session";
import { formatClock, timeLeftS } from "../state/selectors";
import { h, ICONS, icon } from "./dom";
import { currentTheme, type Theme, toggleTheme } from "./theme";

export interface HeaderActions {
  toggleProjects(): void;
  showShortcuts(): void;
}

export function mountHeader(ctl: SessionController, actions: HeaderActions): HTMLElement {
  const clock = h("span", { class: "clock", "data-testid": "time-left", hidden: true });
  const tick = (): void => {
    const left = timeLeftS(ctl.state, Date.now());
    clock.hidden = left === null;
    if (left === null) return;
    clock.textContent = `Time left ${formatClock(left)}`;
    clock.classList.toggle("warn", left <= 30);
  };
  setInterval(tick, 1000);
  ctl.store.subscribe(tick);
  const themeBtn = h("button", { type: "button", class: "icon-btn", "aria-label": "Switch theme" });
  const paintTheme = (t: Theme): void => {
    themeBtn.replaceChildren(icon(t === "dark" ? ICONS.sun : ICONS.moon));
    themeBtn.setAttribute("aria-label", t === "dark" ? "Switch to light theme" : "Switch to dark theme");
  };
  themeBtn.addEventListener("click", () => paintTheme(toggleTheme()));
  paintTheme(currentTheme());
  return h(
    "header",
    { class: "topbar" },
    h("h1", { class: "logo" }, "Dreamverse"),
    clock,
    h(
      "nav",
      { class: "topbar-actions", "aria-label": "Workspace" },
      h(
        "button",
        {
          type: "button",
          class: "btn ghost",
          "aria-controls": "projects",
          "aria-expanded": "false",
          onclick: () => actions.toggleProjects(),
        },
        icon(ICONS.folder),
        h("span", {}, "Projects"),
      ),
      h(
        "button",
        {
          type: "button",
          class: "icon-btn",
          "aria-label": "Keyboard shortcuts",
          onclick: () => actions.showShortcuts(),
        },
        icon(ICONS.keyboard),
      ),
      themeBtn,
    ),
  );
}
