/** The status line (`aria-live="polite"`) and the notice (`role="alert"`) with its next step. */
import type { SessionController } from "../controller/session";
import { statusText } from "../state/selectors";
import type { Notice } from "../state/session";
import { h, ICONS, icon } from "./dom";

const ACTION_LABELS: Record<NonNullable<Notice["action"]>, string> = {
  retry: "Retry",
  restart: "Restart generation",
  new_project: "New project",
};

export function mountStatus(ctl: SessionController): HTMLElement {
  const line = h("p", {
    class: "status-line",
    role: "status",
    "aria-live": "polite",
    "data-testid": "status",
  });
  const notice = h("div", { class: "notice", role: "alert", hidden: true });
  ctl.store.watch(statusText, (text) => (line.textContent = text));
  ctl.store.watch(
    (s) => s.notice,
    (n) => renderNotice(notice, n, ctl),
  );
  return h("div", { class: "status" }, line, notice);
}

function renderNotice(el: HTMLElement, n: Notice | null, ctl: SessionController): void {
  el.hidden = n === null;
  if (!n) {
    el.replaceChildren();
    return;
  }
  el.className = `notice ${n.level}`;
  el.dataset["code"] = n.code;
  const action = n.action
    ? h("button", { type: "button", class: "btn small", onclick: () => ctl.retry() }, ACTION_LABELS[n.action])
    : null;
  const dismiss = h(
    "button",
    { type: "button", class: "icon-btn plain", "aria-label": "Dismiss", onclick: () => ctl.dismissNotice() },
    icon(ICONS.close),
  );
  el.replaceChildren(h("span", { class: "notice-text" }, n.message), action ?? "", dismiss);
}
