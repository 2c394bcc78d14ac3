/**
 * Branches in real Chromium against `dreamverse-mock-server`: play, continue from an earlier segment on a
 * new branch, switch back, and download both branches as MP4s joined on the server (checked by ffprobe).
 */
import { execFileSync } from "node:child_process";
import { expect, type Locator, type Page, test } from "@playwright/test";
import { leaveSession, liveVideo, step, typePrompt, waitForPlayback } from "./helpers";

// The mock server's geometry (playwright.config.ts): 49 frames at 24 fps, 9 of them overlap in a continuation;
// a rollout's first segment renders 25 (`--first-segment-frames`).
const FIRST_FRAMES = 25;
const NEXT_FRAMES = 40;
const FPS = 24;
const AAC_FRAME_S = 1024 / 24000;

test.afterEach(async ({ page }) => leaveSession(page));

interface Probe {
  frames: number;
  videoS: number;
  audioS: number;
}

function ffprobe(path: string): Probe {
  const args = ["-v", "error", "-count_frames", "-show_streams", "-of", "json", path];
  const streams = JSON.parse(execFileSync("ffprobe", args, { encoding: "utf8" })).streams as Record<
    string,
    string
  >[];
  const video = streams.find((s) => s["codec_type"] === "video");
  const audio = streams.find((s) => s["codec_type"] === "audio");
  expect(video?.["codec_name"]).toBe("h264");
  expect(audio?.["codec_name"]).toBe("aac");
  return {
    frames: Number(video?.["nb_read_frames"]),
    videoS: Number(video?.["duration"]),
    audioS: Number(audio?.["duration"]),
  };
}

async function download(page: Page, branch: Locator, name: string): Promise<Probe> {
  const [file] = await Promise.all([
    page.waitForEvent("download"),
    branch.getByRole("link", { name: "Download" }).click(),
  ]);
  expect(file.suggestedFilename()).toMatch(/^dreamverse-.+\.mp4$/);
  const path = test.info().outputPath(name);
  await file.saveAs(path);
  const probe = ffprobe(path);
  expect(probe.videoS).toBeCloseTo(probe.frames / FPS, 2);
  expect(Math.abs(probe.audioS - probe.videoS)).toBeLessThanOrEqual(AAC_FRAME_S + 0.001);
  return probe;
}

/** Frames of a timeline of `segments` segments. */
const framesOf = (segments: number): number => FIRST_FRAMES + NEXT_FRAMES * (segments - 1);

test("continue from segment 2 on a new branch, switch back, and download both", async ({ page }, info) => {
  await page.goto("/");
  await typePrompt(page, "A paper boat drifts down a rain-filled gutter on a quiet street.");
  const main = page.locator(".branch").first();
  await expect(main).toHaveAttribute("aria-current", "true");
  await expect
    .poll(() => main.locator(".segment-chip").count(), { timeout: 30_000 })
    .toBeGreaterThanOrEqual(3);
  await waitForPlayback(page, (FIRST_FRAMES + 2 * NEXT_FRAMES) / FPS - 1); // into the third segment
  await step(page, info, "three-segments");

  await main.getByRole("button", { name: "Segment 2", exact: true }).click();
  await page.getByRole("menuitem", { name: "Continue from here" }).click();
  await page
    .getByRole("textbox", { name: "What happens next" })
    .fill("The boat sails out onto a sunlit lake.");
  await page.getByRole("button", { name: "Continue", exact: true }).click();
  const fork = page.locator(".branch").nth(1);
  await expect(fork).toHaveAttribute("aria-current", "true");
  await expect(main).not.toHaveAttribute("aria-current", "true");
  await expect(fork.getByText("from segment 2")).toBeVisible();
  const first = fork.getByRole("button", { name: "Segment 3", exact: true });
  await expect(first).toHaveAttribute("title", "The boat sails out onto a sunlit lake.");
  // Counted before the switch: the fork's own segment is in, so the main branch's rollout was stopped and its
  // chips are final. Counted after it, the one segment a switch back adds (the main branch has usually reached
  // the cap by now: 150 ms a segment) may already be there, and nothing more comes.
  const mainCount = await main.locator(".segment-chip").count();
  const beforeSwitch = (await liveVideo(page)).currentTime;
  await step(page, info, "forked");

  await main.getByRole("button", { name: "Play" }).click();
  await expect(main).toHaveAttribute("aria-current", "true");
  await expect
    .poll(() => main.locator(".segment-chip").count(), { timeout: 30_000 })
    .toBeGreaterThan(mainCount);
  await expect
    .poll(async () => (await liveVideo(page)).currentTime, { timeout: 20_000 })
    .toBeGreaterThan(beforeSwitch + 1);
  await step(page, info, "switched-back");

  // The fork no longer grows: its export is segments 1-2 of the main branch and its own.
  const forkOwn = await fork.locator(".segment-chip").count();
  expect((await download(page, fork, "fork.mp4")).frames).toBe(framesOf(2 + forkOwn));
  const original = await download(page, main, "main.mp4");
  expect((original.frames - FIRST_FRAMES) % NEXT_FRAMES).toBe(0);
  expect(original.frames).toBeGreaterThanOrEqual(framesOf(mainCount + 1));
});
