/**
 * End-to-end tests in the system Chromium (no browser download) against `dreamverse-mock-server`,
 * which serves the built workspace (`make build`) and the real protocol with synthetic media.
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { defineConfig } from "@playwright/test";

const venv = fileURLToPath(new URL("../.venv/bin/", import.meta.url));

/** A free port, chosen once by the runner; workers inherit it through the environment. */
function freePort(): string {
  const script = "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])";
  return execFileSync("python3", ["-c", script], { encoding: "utf8" }).trim();
}
process.env["DV_E2E_PORT"] ??= freePort();
const port = process.env["DV_E2E_PORT"];
const mockArgs = [
  "--host 127.0.0.1",
  `--port ${port}`,
  "--latency 150",
  "--segment-cap 8",
  // segment 0 shorter than a continuation (`--first-segment-frames`): the workspace must not assume equal ones
  "--width 384 --height 256 --num-frames 49 --first-segment-frames 25 --fps 24",
  "--resume-grace-s 30",
  "--gpus 1",
].join(" ");

export default defineConfig({
  testDir: "./e2e",
  outputDir: "./test-results",
  fullyParallel: false,
  workers: 1,
  // one retry, reported as "flaky", not hidden. (branches.spec.ts used to fail 1 run in 3: it counted the main
  // branch's segments after switching back, sometimes after the one new segment had arrived; fixed there.)
  retries: 1,
  timeout: 90_000,
  expect: { timeout: 20_000 },
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    viewport: { width: 1360, height: 860 },
    acceptDownloads: true,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--autoplay-policy=no-user-gesture-required",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-gpu",
      ],
    },
  },
  projects: [{ name: "chromium", use: { browserName: "chromium" } }],
  webServer: {
    command: `${venv}dreamverse-mock-server ${mockArgs}`,
    url: `http://127.0.0.1:${port}/readyz`,
    timeout: 60_000,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: process.env["DV_E2E_SERVER_LOG"] ? "pipe" : "ignore",
  },
});
