import http from "node:http";
import { BROWSER_UA } from "./links";

export type Tally = { redirects: number; notFound: number; other: number; failed: number };

/**
 * Visitors clicking as fast as the server at `url` answers, from `workers`
 * keep-alive connections, until told to stop: every fifth click on a code
 * that does not exist (a 404 and an orphan visit) unless `orphans` is false.
 * Counts what came back; a refused or reset request (a server that stopped
 * listening) is `failed`, not a click it answered.
 */
export function clickStream(url: string, code: string, options: { workers?: number; orphans?: boolean } = {}) {
  const workers = options.workers ?? 32;
  const orphans = options.orphans ?? true;
  const agent = new http.Agent({ keepAlive: true, maxSockets: workers });
  const tally: Tally = { redirects: 0, notFound: 0, other: 0, failed: 0 };
  let stopped = false;
  const once = (target: string) =>
    new Promise<number>((resolve, reject) => {
      http
        .get(target, { agent, headers: { "User-Agent": BROWSER_UA } }, (response) => {
          response.resume();
          response.on("end", () => resolve(response.statusCode ?? 0));
          response.on("error", reject);
        })
        .on("error", reject);
    });
  const worker = async (index: number) => {
    for (let n = 0; !stopped; n++) {
      try {
        const status = await once(`${url}/l/${orphans && (index + n) % 5 === 0 ? "NoSuchCode1" : code}`);
        if (status === 302) tally.redirects++;
        else if (status === 404) tally.notFound++;
        else tally.other++;
      } catch {
        tally.failed++;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
  };
  const running = Promise.all(Array.from({ length: workers }, (_, i) => worker(i)));
  return {
    tally,
    async stop() {
      stopped = true;
      await running;
      agent.destroy();
    },
  };
}
