/**
 * HTTP calls to the server: readiness probe and export. Every call carries the page's `?token=`
 * as `Authorization: Bearer` and has a timeout.
 */

export interface ServerEndpoint {
  /** Origin-relative base, e.g. "" for same origin. */
  base: string;
  token: string | null;
}

export function endpointFromLocation(loc: Location): ServerEndpoint {
  const token = new URLSearchParams(loc.search).get("token");
  return { base: "", token: token && token.length > 0 ? token : null };
}

export function websocketUrl(loc: Location, endpoint: ServerEndpoint): string {
  const scheme = loc.protocol === "https:" ? "wss:" : "ws:";
  const query = endpoint.token ? `?token=${encodeURIComponent(endpoint.token)}` : "";
  return `${scheme}//${loc.host}${endpoint.base}/ws${query}`;
}

function authHeaders(endpoint: ServerEndpoint, extra: Record<string, string> = {}): Headers {
  const headers = new Headers(extra);
  if (endpoint.token) headers.set("Authorization", `Bearer ${endpoint.token}`);
  return headers;
}

async function fetchWithTimeout(url: string, init: RequestInit, timeoutMs: number): Promise<Response> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    return await fetch(url, { ...init, signal: controller.signal });
  } finally {
    clearTimeout(timer);
  }
}

export type Readiness = "ready" | "warming" | "unreachable";

/** GET /readyz: 200 → ready, 503 (or another HTTP answer) → warming, no answer → unreachable. */
export async function probeReadiness(endpoint: ServerEndpoint, timeoutMs = 4000): Promise<Readiness> {
  try {
    const res = await fetchWithTimeout(
      `${endpoint.base}/readyz`,
      { headers: authHeaders(endpoint), cache: "no-store" },
      timeoutMs,
    );
    if (res.ok) return "ready";
    return res.status === 404 ? "ready" : "warming";
  } catch {
    return "unreachable";
  }
}

export class ExportError extends Error {
  override name = "ExportError";
}

/** POST /export with the project's fMP4 segments back to back; resolves to one progressive MP4. */
export async function exportMp4(
  endpoint: ServerEndpoint,
  segments: readonly Blob[],
  timeoutMs = 120_000,
): Promise<Blob> {
  if (segments.length === 0) throw new ExportError("this project has no finished segments yet");
  const body = new Blob(segments as Blob[], { type: "video/mp4" });
  let res: Response;
  try {
    res = await fetchWithTimeout(
      `${endpoint.base}/export`,
      { method: "POST", body, headers: authHeaders(endpoint, { "Content-Type": "video/mp4" }) },
      timeoutMs,
    );
  } catch (exc) {
    throw new ExportError(`the server did not answer the export (${String(exc)})`);
  }
  if (!res.ok) {
    const detail = await res.text().catch(() => "");
    throw new ExportError(`export failed: HTTP ${res.status} ${detail.slice(0, 200)}`);
  }
  return await res.blob();
}

/** Ours: the server's export of one branch of a live session, joined on the server (no upload). */
export function branchExportUrl(
  endpoint: ServerEndpoint,
  sessionId: string,
  resumeToken: string,
  branchId: string,
): string {
  const query = new URLSearchParams({ branch: branchId, resume_token: resumeToken });
  if (endpoint.token) query.set("token", endpoint.token);
  return `${endpoint.base}/sessions/${encodeURIComponent(sessionId)}/export.mp4?${query.toString()}`;
}
