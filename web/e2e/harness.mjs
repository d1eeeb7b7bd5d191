// The end-to-end tests' world: a real exchange with the demo market and its bots
// (`live-market`, on a free loopback port and a temporary data directory) and a headless
// Debian Chromium driven by playwright-core. `scripts/e2e.sh` builds the binary, installs
// Chromium and runs these tests; see web/README.md.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
/** The repository's root. */
export const ROOT = resolve(here, "..", "..");
/** Where each run saves its screenshots. */
export const SCREENSHOTS = join(ROOT, "target", "e2e-screenshots");
/** The live-market binary (scripts/e2e.sh builds it). */
const BINARY = process.env.LIVE_MARKET_BIN ?? join(ROOT, "target", "debug", "live-market");
/** The browser: Debian's chromium package. */
const CHROMIUM = process.env.CHROMIUM_BIN ?? "/usr/bin/chromium";
/** How long the server may take to answer /health after starting. */
const START_TIMEOUT_MS = 60_000;

/** A free TCP port on 127.0.0.1. */
async function freePort() {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once("error", fail);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => done(port));
    });
  });
}

/** Resolves once `url` answers 200, or fails after `timeoutMs`. */
async function waitForHealth(url, timeoutMs, exited) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited()) throw new Error("live-market exited before it was healthy");
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((done) => setTimeout(done, 200));
  }
  throw new Error(`no answer from ${url} within ${timeoutMs} ms`);
}

/**
 * Starts the exchange with the demo bootstrap and its bots. Returns its base URL and a
 * `stop()` that ends it (SIGTERM: the bots cancel their orders, the server flushes) and
 * removes its data.
 */
export async function startMarket() {
  const data = mkdtempSync(join(tmpdir(), "exchange-e2e-"));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(BINARY, ["--data", data, "--listen", `127.0.0.1:${port}`, "--seed", "7"], {
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, RUST_LOG: process.env.RUST_LOG ?? "warn" },
  });
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    stderr = (stderr + chunk).slice(-20_000);
  });
  let exited = false;
  child.on("exit", () => {
    exited = true;
  });
  try {
    await waitForHealth(`${base}/health`, START_TIMEOUT_MS, () => exited);
  } catch (error) {
    child.kill("SIGKILL");
    throw new Error(`${error.message}\n--- live-market stderr ---\n${stderr}`);
  }
  return {
    base,
    stderr: () => stderr,
    async stop() {
      if (!exited) {
        const gone = new Promise((done) => child.once("exit", done));
        child.kill("SIGTERM");
        const timeout = setTimeout(() => child.kill("SIGKILL"), 15_000);
        await gone;
        clearTimeout(timeout);
      }
      rmSync(data, { recursive: true, force: true });
    },
  };
}

/** Headless Chromium with the flags this sandbox needs (no network beyond loopback). */
export async function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** Saves a full-page screenshot of `page` as target/e2e-screenshots/NAME.png. */
export async function screenshot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
