import fs from "node:fs";
import path from "node:path";
import { defineConfig } from "@playwright/test";

const PORT = Number(process.env.E2E_PORT ?? 3100);
export const E2E_SETUP_TOKEN = "e2e-setup-token-not-secret-0123456789";

/** Debian's chromium (Playwright cannot download browsers here), or one named by CHROMIUM_PATH. */
function chromiumPath(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter(Boolean) as string[];
  const found = candidates.find((p) => fs.existsSync(p));
  if (found) return found;
  const own = path.join(process.env.HOME ?? "", ".cache", "ms-playwright");
  if (fs.existsSync(own)) return undefined; // Playwright's own browser is installed
  throw new Error("No Chromium found. Install one with `apt-get install -y chromium` (Debian) or set CHROMIUM_PATH.");
}

// A fresh embedded database per run (emptied by the server command, which runs
// once): the journeys start from first-run setup.
const storageDir = path.resolve("tests/.tmp/e2e");

export default defineConfig({
  testDir: "tests/e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    browserName: "chromium",
    headless: true,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: chromiumPath(),
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  webServer: {
    command: `rm -rf "${storageDir}" && node build/server.js`,
    url: `http://127.0.0.1:${PORT}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      // Whatever the shell has configured, the journeys run on a fresh embedded setup.
      DATABASE_URL: "",
      S3_BUCKET: "",
      SMTP_URL: "",
      PUBLIC_URL: "",
      NODE_ENV: "production",
      PORT: String(PORT),
      HOST: "127.0.0.1",
      STORAGE_DIR: storageDir,
      COBRAND_SETUP_TOKEN: E2E_SETUP_TOKEN,
      WORKER_POLL_MS: "200",
      // As behind a reverse proxy on this machine: journeys that onboard a
      // partner apply from that partner's own address (X-Forwarded-For), so the
      // per-network apply limit meets one applicant per network, as in life,
      // rather than every journey's applicant coming from 127.0.0.1.
      TRUST_PROXY: "loopback",
    },
  },
});
