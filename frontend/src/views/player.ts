/** The live player (`<video>` on MSE), the view-mode player, and the overlay over them. */
import type { ArchivePlayer } from "../controller/archive";
import type { SessionController } from "../controller/session";
import { statusText } from "../state/selectors";
import { h, ICONS, icon } from "./dom";

export interface PlayerHandle {
  el: HTMLElement;
  showUnmute(): void;
}

export function mountPlayer(
  ctl: SessionController,
  archive: ArchivePlayer,
  live: HTMLVideoElement,
  stored: HTMLVideoElement,
  onDownload: () => void,
): PlayerHandle {
  live.className = "video live";
  live.playsInline = true;
  live.setAttribute("aria-label", "Live video");
  stored.className = "video stored";
  stored.playsInline = true;
  stored.loop = true;
  stored.controls = true;
  stored.hidden = true;
  stored.setAttribute("aria-label", "Saved project video");
  const overlayText = h("span", {});
  const overlay = h(
    "div",
    { class: "overlay", "aria-hidden": "true" },
    h("span", { class: "spinner" }),
    overlayText,
  );
  const unmute = h(
    "button",
    { type: "button", class: "btn unmute", hidden: true },
    icon(ICONS.volume),
    h("span", {}, "Turn sound on"),
  );
  unmute.addEventListener("click", () => {
    live.muted = false;
    unmute.hidden = true;
  });
  const download = h(
    "button",
    { type: "button", class: "btn small", "data-testid": "download", disabled: true },
    icon(ICONS.download),
    h("span", {}, "Download MP4"),
  );
  download.addEventListener("click", onDownload);
  const viewBar = h("div", { class: "view-bar", hidden: true });

  const renderLive = (): void => {
    const s = ctl.state;
    const viewing = archive.store.get().project !== null;
    const busy =
      s.connection === "probing" ||
      s.connection === "warming" ||
      s.connection === "connecting" ||
      s.connection === "reconnecting" ||
      s.phase === "queued" ||
      (s.phase === "starting" && s.segments.length === 0);
    overlay.hidden = viewing || !busy;
    overlayText.textContent = statusText(s);
    live.hidden = viewing;
    live.controls = s.segments.some((seg) => seg.status === "ready");
    download.disabled = !viewing && !s.segments.some((seg) => seg.status === "ready");
  };
  ctl.store.subscribe(renderLive);
  archive.store.subscribe((v) => {
    stored.hidden = v.project === null;
    viewBar.hidden = v.project === null;
    if (v.project) {
      live.muted = true;
      const back = h(
        "button",
        {
          type: "button",
          class: "btn small",
          onclick: () => {
            archive.close();
            live.muted = false;
          },
        },
        "Back to live",
      );
      viewBar.replaceChildren(
        h("span", {}, `Viewing “${v.project.title}” · ${v.segmentCount} segments`),
        back,
      );
    }
    renderLive();
  });
  renderLive();
  const el = h(
    "section",
    { class: "player", "aria-label": "Player" },
    h("div", { class: "screen" }, live, stored, overlay, unmute),
    h("div", { class: "player-bar" }, viewBar, download),
  );
  return { el, showUnmute: () => (unmute.hidden = false) };
}
