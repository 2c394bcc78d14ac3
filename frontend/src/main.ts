/** Entry point: builds the workspace and wires the views to the controllers. */
import "./styles.css";
import { ArchivePlayer, saveBlob, saveUrl } from "./controller/archive";
import { SessionController } from "./controller/session";
import { browserMediaEnv, hasMediaSource } from "./media/env";
import { endpointFromLocation, websocketUrl } from "./net/http";
import { PRESETS } from "./presets";
import { isSessionLive } from "./state/session";
import { ProjectDb } from "./storage/projects";
import { mountBranches } from "./views/branches";
import { mountComposer } from "./views/composer";
import { h } from "./views/dom";
import { mountGallery } from "./views/gallery";
import { mountHeader } from "./views/header";
import { confirmModal } from "./views/modal";
import { mountPlayer } from "./views/player";
import { mountProjects } from "./views/projects";
import { mountPromptWindow } from "./views/promptWindow";
import { installShortcuts, type Shortcut, showShortcutsHelp } from "./views/shortcuts";
import { mountStatus } from "./views/status";
import { applyTheme, toggleTheme } from "./views/theme";
import { captureThumbnail } from "./views/thumbnail";
import { renderTimeline, timelineFromSession } from "./views/timeline";

async function main(root: HTMLElement): Promise<void> {
  applyTheme();
  const endpoint = endpointFromLocation(location);
  const db = await ProjectDb.open().catch((exc: unknown) => {
    console.warn("dreamverse: projects are not saved in this browser:", exc);
    return null;
  });
  const env = hasMediaSource() ? browserMediaEnv() : null;
  const live = document.createElement("video");
  const stored = document.createElement("video");
  const ctl = new SessionController({
    video: live,
    env,
    endpoint,
    wsUrl: websocketUrl(location, endpoint),
    db,
    onProjectsChanged: () => void refreshProjects(),
    onMutedAutoplay: () => player.showUnmute(),
    captureThumbnail: () => captureThumbnail(live),
  });
  const archive = new ArchivePlayer(stored, env, db, endpoint);
  setInterval(() => ctl.tick(), 250);

  const notify = (message: string): void =>
    ctl.dispatch({ type: "ui/notice", notice: { level: "error", code: "download", message, action: null } });
  const download = async (projectId: string | null): Promise<void> => {
    if (!projectId) return;
    const joined =
      projectId === ctl.state.projectId && isSessionLive(ctl.state) ? ctl.branchExportUrl() : null;
    if (joined) return saveUrl(joined, `dreamverse-${ctl.state.currentBranchId ?? "branch"}.mp4`); // on the server
    await ctl.flush();
    try {
      const { blob, filename } = await archive.download(projectId);
      saveBlob(blob, filename);
    } catch (exc) {
      notify(exc instanceof Error ? exc.message : String(exc));
    }
  };
  const leave = async (): Promise<void> => {
    if (
      await confirmModal(
        "Leave the session?",
        "The GPU goes back to the queue. What you made so far stays saved in Projects.",
        "Leave",
      )
    )
      ctl.leave();
  };
  const newProject = async (): Promise<void> => {
    if (
      isSessionLive(ctl.state) &&
      !(await confirmModal(
        "Start a new project?",
        "This project stops generating and is kept in Projects.",
        "New project",
      ))
    )
      return;
    archive.close();
    ctl.newProject();
    projects.toggle(false);
    composer.focus();
  };

  const composer = mountComposer(ctl, () => void leave());
  const player = mountPlayer(
    ctl,
    archive,
    live,
    stored,
    () => void download(archive.store.get().project?.id ?? ctl.state.projectId),
  );
  const projects = mountProjects({
    open: (id) => void archive.open(id),
    download: (id) => void download(id),
    remove: async (id) => {
      if (archive.store.get().project?.id === id) archive.close();
      await db?.remove(id);
      await refreshProjects();
    },
    newProject: () => void newProject(),
  });
  const refreshProjects = async (): Promise<void> =>
    projects.render((await db?.list()) ?? [], ctl.state.projectId);

  const timeline = h("ol", { class: "timeline", "aria-labelledby": "timeline-title" });
  const paintTimeline = (): void => {
    const view = archive.store.get();
    if (view.project) {
      const pid = view.project.id;
      renderTimeline(timeline, {
        versions: view.project.versions,
        selectedId: view.versionId,
        onSelect: (v) => void archive.open(pid, v),
      });
    } else {
      renderTimeline(
        timeline,
        timelineFromSession(ctl.state, (v) => ctl.selectVersion(v)),
      );
    }
  };
  ctl.store.watch((s) => s.versions, paintTimeline);
  ctl.store.watch((s) => s.selectedVersionId, paintTimeline);
  archive.store.subscribe(paintTimeline);

  const shortcuts: Shortcut[] = [
    { key: "/", label: "Focus the prompt box", run: () => composer.focus() },
    { key: "k", label: "Play or pause", run: () => ctl.playback?.setUserPaused(!live.paused) },
    { key: "m", label: "Mute or unmute", run: () => (live.muted = !live.muted) },
    { key: "p", label: "Show or hide projects", run: () => projects.toggle() },
    { key: "n", label: "New project", run: () => void newProject() },
    { key: "t", label: "Switch theme", run: () => toggleTheme() },
    { key: "?", label: "Show these shortcuts", run: () => showShortcutsHelp(shortcuts) },
  ];
  installShortcuts(shortcuts);
  // Closing or reloading the tab cannot resume this session (its token lives in memory): give the GPU back now.
  addEventListener("pagehide", () => {
    if (isSessionLive(ctl.state)) ctl.leave();
  });

  root.replaceChildren(
    mountHeader(ctl, {
      toggleProjects: () => projects.toggle(),
      showShortcuts: () => showShortcutsHelp(shortcuts),
    }),
    h(
      "main",
      { class: "workspace" },
      h(
        "div",
        { class: "stage" },
        player.el,
        mountStatus(ctl),
        composer.el,
        mountGallery(ctl, PRESETS, composer.image),
      ),
      h(
        "div",
        { class: "side" },
        mountPromptWindow(ctl),
        h(
          "section",
          { class: "panel edits", "aria-labelledby": "timeline-title" },
          h("h2", { id: "timeline-title" }, "Edits"),
          timeline,
          mountBranches(ctl),
        ),
      ),
      projects.el,
    ),
  );
  if (!env)
    notify(
      "This browser cannot play the live stream (no Media Source Extensions). Saved projects can still be downloaded.",
    );
  await refreshProjects();
  composer.focus();
}

const root = document.getElementById("app");
if (root) void main(root);
