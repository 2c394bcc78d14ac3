/** The projects drawer: saved projects with thumbnails; open (view mode), download, delete. */
import type { ProjectRecord } from "../storage/projects";
import { h, ICONS, icon } from "./dom";
import { confirmModal } from "./modal";

export interface ProjectsActions {
  open(id: string): void;
  download(id: string): void;
  remove(id: string): Promise<void>;
  newProject(): void;
}

export function formatAge(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return "just now";
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86_400)} d ago`;
}

export function mountProjects(actions: ProjectsActions): {
  el: HTMLElement;
  render(list: ProjectRecord[], currentId: string | null): void;
  toggle(open?: boolean): void;
} {
  const list = h("ul", { class: "project-list" });
  const el = h(
    "aside",
    { class: "drawer", id: "projects", "aria-labelledby": "projects-title", hidden: true },
    h(
      "div",
      { class: "drawer-head" },
      h("h2", { id: "projects-title" }, "Projects"),
      h(
        "button",
        { type: "button", class: "btn small", onclick: () => actions.newProject() },
        icon(ICONS.plus),
        h("span", {}, "New project"),
      ),
    ),
    list,
  );
  function item(p: ProjectRecord, currentId: string | null): HTMLElement {
    const thumb = p.thumbnail
      ? h("img", { class: "thumb", src: p.thumbnail, alt: "" })
      : h("span", { class: "thumb empty" });
    const del = h(
      "button",
      { type: "button", class: "btn small ghost", "aria-label": `Delete ${p.title}` },
      "Delete",
    );
    del.addEventListener("click", () => {
      void confirmModal(
        "Delete this project?",
        `“${p.title}” and its video will be removed from this browser.`,
        "Delete",
      ).then((yes) => (yes ? actions.remove(p.id) : undefined));
    });
    return h(
      "li",
      { class: "project", "data-project": p.id },
      thumb,
      h(
        "span",
        { class: "project-info" },
        h("span", { class: "project-title" }, p.title),
        h(
          "span",
          { class: "project-meta" },
          `${p.id === currentId ? "Current · " : ""}${p.segmentCount} segments · ${formatAge(Date.now() - p.updatedAtMs)}`,
        ),
      ),
      h(
        "span",
        { class: "project-actions" },
        h(
          "button",
          {
            type: "button",
            class: "btn small",
            "aria-label": `Open ${p.title}`,
            onclick: () => actions.open(p.id),
          },
          "Open",
        ),
        h(
          "button",
          {
            type: "button",
            class: "btn small",
            "aria-label": `Download ${p.title}`,
            onclick: () => actions.download(p.id),
          },
          "Download",
        ),
        del,
      ),
    );
  }
  return {
    el,
    render(projects, currentId) {
      list.replaceChildren(
        ...(projects.length > 0
          ? projects.map((p) => item(p, currentId))
          : [h("li", { class: "empty" }, "No projects yet.")]),
      );
    },
    toggle(open) {
      el.hidden = open === undefined ? !el.hidden : !open;
      document.querySelector("[aria-controls=projects]")?.setAttribute("aria-expanded", String(!el.hidden));
    },
  };
}
