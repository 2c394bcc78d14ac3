/** A tiny DOM builder: `h("button", {class: "x", onclick}, "Label")`. */
type Child = Node | string | null | undefined | false;
type Handler = (ev: Event) => void;
export type Attrs = Record<string, string | number | boolean | Handler | null | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === "function") el.addEventListener(key.replace(/^on/, ""), value);
    else if (value === true) el.setAttribute(key, "");
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

export function append(parent: Element, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child);
  }
}

export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

export function setHidden(el: HTMLElement, hidden: boolean): void {
  el.hidden = hidden;
}

/** Inline SVG icon from a path `d` (24×24 viewBox), hidden from assistive tech. */
export function icon(d: string): SVGSVGElement {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("class", "icon");
  const path = document.createElementNS(ns, "path");
  path.setAttribute("d", d);
  svg.append(path);
  return svg;
}

export const ICONS = {
  send: "M3 20l18-8L3 4v6l12 2-12 2z",
  stop: "M6 6h12v12H6z",
  sun: "M12 7a5 5 0 100 10 5 5 0 000-10zm0-5v3m0 14v3M2 12h3m14 0h3M4.9 4.9l2.1 2.1m10 10l2.1 2.1M4.9 19.1L7 17m10-10l2.1-2.1",
  moon: "M21 12.8A9 9 0 1111.2 3a7 7 0 009.8 9.8z",
  folder: "M3 6h6l2 2h10v11H3z",
  image: "M4 5h16v14H4zM8 13l3 3 4-5 5 6M8 9.5a1.5 1.5 0 100 .1",
  download: "M12 3v12m-5-5l5 5 5-5M4 20h16",
  keyboard: "M3 7h18v10H3zM7 11h.01M11 11h.01M15 11h.01M8 14h8",
  close: "M6 6l12 12M18 6L6 18",
  volume: "M4 10v4h4l5 4V6L8 10zM16 9a4 4 0 010 6",
  plus: "M12 5v14M5 12h14",
} as const;
