/**
 * The workspace in real Chromium against `dreamverse-mock-server`: stream, steer, branch, download,
 * resume after a dropped socket, projects, and the accessible chrome around them.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect, test, type WebSocketRoute } from "@playwright/test";
import { leaveSession, liveVideo, promptRows, rowTexts, step, typePrompt, waitForPlayback } from "./helpers";

test.afterEach(async ({ page }) => leaveSession(page));

const DOCS_SCREENSHOT = fileURLToPath(new URL("../../docs/img/workspace.png", import.meta.url));

test("a typed prompt streams video with audio, and segments keep coming", async ({ page }, info) => {
  const frames: string[] = [];
  page.on("websocket", (ws) =>
    ws.on("framereceived", (f) => typeof f.payload === "string" && frames.push(JSON.parse(f.payload).type)),
  );
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Start from a preset" })).toBeVisible();
  await step(page, info, "lobby");

  await typePrompt(page, "A red fox trots through fresh snow in a birch forest at dawn, breath steaming.");
  await expect(page.getByTestId("status")).toContainText(/Generating segment|Starting|Connecting|Checking/);
  await expect(page.getByRole("button", { name: "Leave" })).toBeVisible();
  const state = await waitForPlayback(page, 3);
  expect(state.error).toBeNull();
  expect(state.src).toMatch(/^blob:/);
  expect(state.readyState).toBeGreaterThanOrEqual(2);
  expect(state.audioBytes).toBeGreaterThan(0);
  expect(state.videoBytes).toBeGreaterThan(0);
  await expect(promptRows(page).first()).toBeVisible();
  await expect(page.locator(".window-row.playing")).toHaveCount(1);
  await expect(page.getByTestId("time-left")).toContainText(/Time left \d+:\d\d/);
  const shot = await step(page, info, "mid-stream");
  if (process.env.UPDATE_DOCS_SCREENSHOT) {
    // `make -C frontend docs-screenshot`: refresh the picture in docs/ (never as a side effect of `make test`)
    mkdirSync(fileURLToPath(new URL("../../docs/img/", import.meta.url)), { recursive: true });
    copyFileSync(shot, DOCS_SCREENSHOT);
  }

  await expect
    .poll(() => frames.filter((t) => t === "ltx2_segment_complete").length, { timeout: 30_000 })
    .toBeGreaterThanOrEqual(3);
  const later = await waitForPlayback(page, 5);
  expect(later.audioBytes).toBeGreaterThan(state.audioBytes);
  expect(frames.slice(0, 2)).toEqual(["session_ready", expect.any(String)]);
  expect(frames).toContain("media_init");
  await step(page, info, "segments-continue");
});

test("a rewrite updates the prompt window, and a branch starts from an older version", async ({
  page,
}, info) => {
  await page.goto("/");
  await page.getByRole("button", { name: /Lighthouse in a storm/ }).click();
  await waitForPlayback(page, 1);
  // The preset's six prompts (auto-extension may add rows after them).
  const original = (await rowTexts(page)).slice(0, 6);
  expect(original).toHaveLength(6);
  await expect(page.getByRole("heading", { name: "Prompt window · Original" })).toBeVisible();

  await typePrompt(page, "Make it a calm summer afternoon instead of a storm.");
  await expect(page.getByRole("button", { name: /Edit 1/ })).toBeVisible();
  await expect(page.getByRole("heading", { name: /Prompt window · Edit 1/ })).toBeVisible();
  await expect.poll(async () => (await rowTexts(page)).slice(0, 6)).not.toEqual(original);
  // Playback moves on to the rewritten rollout as soon as its first segment is in.
  await expect(page.locator(".window-row.playing")).toHaveCount(1);
  await step(page, info, "after-rewrite");

  await page.getByRole("button", { name: /^Original/ }).click();
  await expect(page.getByRole("button", { name: /^Original/ })).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByText("Your next rewrite branches from Original.")).toBeVisible();
  expect((await rowTexts(page)).slice(0, 6)).toEqual(original);
  await typePrompt(page, "Set it at night under a full moon.");
  await expect(page.getByRole("button", { name: /Edit 2.*\(from Original\)/ })).toBeVisible();
  await expect(page.getByRole("button", { name: /Edit 2/ })).toHaveAttribute("aria-pressed", "true");
  await step(page, info, "after-branch");

  // Edit one prompt in place, then append one.
  await page.getByRole("button", { name: "Edit prompt 2" }).click();
  const editor = page.getByRole("textbox", { name: "Prompt 2" });
  await editor.fill("A lighthouse keeper waves from the gallery as the sun sets.");
  await editor.press("Enter");
  await expect(page.getByRole("button", { name: /Edit 3/ })).toBeVisible();
  await page.getByRole("textbox", { name: "Append a prompt" }).fill("Fireworks burst over the harbour.");
  await page.getByRole("button", { name: "Append", exact: true }).click();
  await expect(page.locator(".window-row")).not.toHaveCount(0);
  await step(page, info, "after-edit-and-append");
});

test("a first-frame image starts a preset; download gives one playable MP4; the project is saved with a thumbnail", async ({
  page,
}, info) => {
  const sent: Array<Record<string, unknown>> = [];
  page.on("websocket", (ws) =>
    ws.on("framesent", (f) => typeof f.payload === "string" && sent.push(JSON.parse(f.payload))),
  );
  const image = info.outputPath("first-frame.png");
  execFileSync("ffmpeg", [
    "-v",
    "error",
    "-y",
    "-f",
    "lavfi",
    "-i",
    "testsrc2=s=128x96",
    "-frames:v",
    "1",
    image,
  ]);
  await page.goto("/");
  await page.getByLabel("First-frame image").setInputFiles(image);
  await expect(page.getByRole("button", { name: "Remove image first-frame.png" })).toBeVisible();
  await page.getByRole("button", { name: /Night market/ }).click();
  await waitForPlayback(page, 3);
  expect(sent[0]).toMatchObject({
    type: "session_init_v2",
    preset_id: "night-market",
    initial_image: { mime_type: "image/png", name: "first-frame.png" },
  });
  expect(String((sent[0]?.["initial_image"] as Record<string, unknown> | undefined)?.["data_url"])).toMatch(
    /^data:image\/png;base64,/,
  );
  expect((sent[0]?.["curated_prompts"] as unknown[] | undefined)?.length).toBe(6);
  await expect(page.getByTestId("download")).toBeEnabled();
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("download").click()]);
  expect(download.suggestedFilename()).toMatch(/\.mp4$/);
  const file = info.outputPath("download.mp4");
  await download.saveAs(file);
  const probe = JSON.parse(
    execFileSync(
      "ffprobe",
      [
        "-v",
        "error",
        "-show_entries",
        "stream=codec_type,codec_name:format=duration,format_name",
        "-of",
        "json",
        file,
      ],
      { encoding: "utf8" },
    ),
  ) as { streams: Array<{ codec_type: string }>; format: { duration: string; format_name: string } };
  expect(probe.streams.map((s) => s.codec_type).sort()).toEqual(["audio", "video"]);
  expect(Number(probe.format.duration)).toBeGreaterThan(1.5);
  execFileSync("ffmpeg", ["-v", "error", "-i", file, "-f", "null", "-"]); // decodes end to end

  await page.getByRole("button", { name: "Projects" }).click();
  const item = page.locator(".project").first();
  await expect(item).toContainText("Night market");
  await expect(item.locator("img.thumb")).toHaveAttribute("src", /^data:image\/jpeg/);
  await step(page, info, "projects");
  await item.getByRole("button", { name: /^Open/ }).click();
  await expect(page.getByText(/Viewing “Night market”/)).toBeVisible();
  await expect
    .poll(() => page.locator("video.stored").evaluate((v) => (v as HTMLVideoElement).currentTime))
    .toBeGreaterThan(0.5);
  await step(page, info, "view-mode");
  await page.getByRole("button", { name: "Back to live" }).click();
  await expect(page.locator("video.stored")).toBeHidden();
});

test("a dropped socket resumes the same session and playback continues", async ({ page }, info) => {
  const sockets: Array<{ page: WebSocketRoute; server: WebSocketRoute }> = [];
  const firstMessages: string[] = [];
  await page.routeWebSocket(/\/ws/, (ws) => {
    const server = ws.connectToServer();
    let isFirst = true;
    ws.onMessage((m) => {
      if (isFirst && typeof m === "string") firstMessages.push(JSON.parse(m).type);
      isFirst = false;
      server.send(m);
    });
    sockets.push({ page: ws, server });
  });
  await page.goto("/");
  await page.getByRole("button", { name: /Coral reef dive/ }).click();
  const before = await waitForPlayback(page, 2);
  // The connection drops: the server side closes and Playwright passes the close on to the page.
  await sockets[0]?.server.close();
  await expect(page.getByTestId("status")).toContainText(/Reconnecting|Reconnected|segment/);
  await expect(page.locator(".notice")).toContainText("Reconnected. The session continues.");
  await step(page, info, "resumed");
  expect(firstMessages).toEqual(["session_init_v2", "session_resume"]);
  await expect
    .poll(async () => (await liveVideo(page)).currentTime, { timeout: 30_000 })
    .toBeGreaterThan(before.currentTime + 4);
  expect((await liveVideo(page)).error).toBeNull();
});

test("an unreachable server gets a clear notice, and Retry starts the session", async ({ page }, info) => {
  await page.route("**/readyz", (route) => route.abort("connectionrefused"));
  await page.goto("/");
  await typePrompt(page, "A paper boat drifts down a rain gutter.");
  const notice = page.getByRole("alert");
  await expect(notice).toContainText("Cannot reach the Dreamverse server");
  await expect(page.getByRole("heading", { name: "Start from a preset" })).toBeVisible();
  await step(page, info, "unreachable");
  await page.unroute("**/readyz");
  await notice.getByRole("button", { name: "Retry" }).click();
  await waitForPlayback(page, 1);
  await expect(notice).toBeHidden();
});

test("shortcuts, dialogs and themes are accessible", async ({ page }, info) => {
  await page.goto("/");
  await page.locator("body").click({ position: { x: 5, y: 400 } });
  await page.keyboard.press("?");
  const dialog = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole("button", { name: "Close" })).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(dialog.getByRole("button", { name: "Close" })).toBeFocused();
  await step(page, info, "shortcuts-dialog");
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();

  const before = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await page.getByRole("button", { name: /Switch to (dark|light) theme/ }).click();
  await expect
    .poll(() => page.evaluate(() => getComputedStyle(document.body).backgroundColor))
    .not.toBe(before);
  await step(page, info, "other-theme");
  await page.keyboard.press("/");
  await expect(page.getByRole("textbox", { name: "Prompt", exact: true })).toBeFocused();
  await expect(page.getByRole("status")).toHaveAttribute("aria-live", "polite");

  const box = page.getByRole("textbox", { name: "Prompt", exact: true });
  await box.fill("first line");
  await box.press("Shift+Enter");
  await box.pressSequentially("second line");
  await expect(box).toHaveValue("first line\nsecond line");
});
