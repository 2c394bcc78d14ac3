/** Shared steps for the end-to-end specs. */
import { mkdirSync } from "node:fs";
import { expect, type Page, type TestInfo } from "@playwright/test";

export interface VideoState {
  currentTime: number;
  bufferedEnd: number;
  readyState: number;
  paused: boolean;
  audioBytes: number;
  videoBytes: number;
  error: string | null;
  src: string;
}

/** The live `<video>`'s playback state, including Chromium's decoded-byte counters. */
export async function liveVideo(page: Page): Promise<VideoState> {
  return await page.locator("video.live").evaluate((el) => {
    const v = el as HTMLVideoElement & {
      webkitAudioDecodedByteCount?: number;
      webkitVideoDecodedByteCount?: number;
    };
    const b = v.buffered;
    return {
      currentTime: v.currentTime,
      bufferedEnd: b.length > 0 ? b.end(b.length - 1) : 0,
      readyState: v.readyState,
      paused: v.paused,
      audioBytes: v.webkitAudioDecodedByteCount ?? 0,
      videoBytes: v.webkitVideoDecodedByteCount ?? 0,
      error: v.error ? `${v.error.code}: ${v.error.message}` : null,
      src: v.currentSrc || v.src,
    };
  });
}

/** Wait until the live video has played past `seconds`. */
export async function waitForPlayback(page: Page, seconds: number, timeoutMs = 45_000): Promise<VideoState> {
  await expect
    .poll(async () => (await liveVideo(page)).currentTime, {
      timeout: timeoutMs,
      message: `live video should play past ${seconds} s`,
    })
    .toBeGreaterThan(seconds);
  return await liveVideo(page);
}

/** Screenshot of one step, kept under test-results/ and attached to the report. */
export async function step(page: Page, info: TestInfo, name: string): Promise<string> {
  const dir = info.outputPath("steps");
  mkdirSync(dir, { recursive: true });
  const path = `${dir}/${String(info.attachments.length + 1).padStart(2, "0")}-${name}.png`;
  await page.screenshot({ path });
  await info.attach(name, { path, contentType: "image/png" });
  return path;
}

export async function typePrompt(page: Page, text: string): Promise<void> {
  const box = page.getByRole("textbox", { name: "Prompt", exact: true });
  await box.fill(text);
  await box.press("Enter");
}

export function promptRows(page: Page) {
  return page.locator(".prompt-window .window-row");
}

export async function rowTexts(page: Page): Promise<string[]> {
  return await page.locator(".prompt-window .window-row .row-text").allTextContents();
}

/** Ends the session if one is open, so the next test gets the GPU at once (no resume grace to wait out). */
export async function leaveSession(page: Page): Promise<void> {
  const leave = page.getByRole("button", { name: "Leave" });
  if (!(await leave.isVisible().catch(() => false))) return;
  await leave.click();
  await page
    .getByRole("dialog", { name: "Leave the session?" })
    .getByRole("button", { name: "Leave" })
    .click();
  await expect(page.getByTestId("status")).toContainText("The session has ended");
}
