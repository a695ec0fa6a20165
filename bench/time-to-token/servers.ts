import { randomBytes } from 'node:crypto';
import { startServer } from '../../server/index.js';
import type { RunningServer } from '../../server/index.js';

/** A reference server for one scenario, with a log of the requests it answered. */
export interface BenchServer {
  server: RunningServer;
  appId: string;
  /** `METHOD path` of every request since the last `clear()`, preflights included. */
  requests: string[];
  clear(): void;
}

const MAX_LOGGED = 1_000;

/**
 * Starts a real reference server on an ephemeral loopback port with the default demo app
 * (which allows 127.0.0.1). `maxnumber` null turns proof-of-work off; otherwise v1 challenges.
 */
export async function startBenchServer(maxnumber: number | null): Promise<BenchServer> {
  const requests: string[] = [];
  const server = await startServer({
    port: 0,
    log: () => {},
    onRequest: (entry) => {
      if (requests.length < MAX_LOGGED) requests.push(`${entry.method} ${entry.path}`);
    },
    config: {
      // ceiling = difficulty: the benchmark measures one fixed maxnumber, not the flood defence.
      pow: maxnumber === null ? null : { hmacSecret: randomBytes(32).toString('hex'), difficulty: maxnumber, ceiling: maxnumber, ttlSeconds: 600, format: 'v1' },
    },
  });
  const app = server.config.apps[0];
  if (!app) throw new Error('the reference server has no app configured');
  return { server, appId: app.id, requests, clear: () => (requests.length = 0) };
}
