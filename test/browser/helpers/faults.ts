import { executeServerCommand } from '@web/test-runner-commands';
import { startServer, stopServer } from './server.js';
import type { TestServerOptions } from './server.js';

/** Which API calls a fault applies to; `any` matches every non-preflight request. */
export type FaultRoute = 'challenge' | 'session' | 'chat' | 'any';

/**
 * What the proxy does instead of the real answer:
 * - `status`: a problem+json answer with that status (and `Retry-After` when given);
 * - `hang`: `headers` sends 200 and half a body that never ends, `nothing` never answers;
 * - `truncate`: the real answer cut to half its body; `non-json`: an HTML page;
 * - `token-not-jwt` / `token-expired`: the real session answer with its `token` rewritten;
 * - `delay`: the real answer after `ms`.
 */
export type Fault =
  | { kind: 'status'; status: number; retryAfterSeconds?: number }
  | { kind: 'hang'; stage: 'headers' | 'nothing' }
  | { kind: 'truncate' }
  | { kind: 'non-json'; status?: number }
  | { kind: 'token-not-jwt' }
  | { kind: 'token-expired' }
  | { kind: 'delay'; ms: number };

/** One request the proxy received. `status` 0 means none was sent. `at`: ms since the proxy started. */
export interface ProxyLogEntry {
  method: string;
  path: string;
  route: FaultRoute | 'other';
  fault: Fault['kind'] | null;
  status: number;
  at: number;
}

/** A real reference server behind a fault-injecting proxy. */
export interface FaultyServer {
  /** The proxy's base URL: give it to the element as `base-url`. */
  url: string;
  appId: string;
  /** Applies `fault` to the next `times` (default 1) requests of `route`. */
  inject(route: FaultRoute, fault: Fault, times?: number): Promise<void>;
  clearFaults(): Promise<void>;
  /** Every request that reached the proxy, preflights included. */
  log(): Promise<ProxyLogEntry[]>;
  /** Non-preflight requests of one route. */
  calls(route: FaultRoute): Promise<ProxyLogEntry[]>;
  /** Closes the proxy's listener (connection refused) until `up()`, or for `forMs`. */
  down(forMs?: number): Promise<void>;
  up(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts a reference server (see helpers/server.ts) and a fault proxy in front of it. */
export async function startFaultyServer(options: TestServerOptions = {}): Promise<FaultyServer> {
  const upstream = await startServer(options);
  const { id, url } = (await executeServerCommand('ink-faults', { action: 'start', upstream: upstream.url })) as { id: string; url: string };
  const command = (action: string, extra: Record<string, unknown> = {}) => executeServerCommand('ink-faults', { action, id, ...extra });
  const log = () => command('log') as Promise<ProxyLogEntry[]>;
  return {
    url,
    appId: upstream.appId,
    inject: (route, fault, times = 1) => command('faults', { rules: [{ route, fault, times }] }).then(() => undefined),
    clearFaults: () => command('clear-faults').then(() => undefined),
    log,
    calls: async (route) => (await log()).filter((e) => e.method !== 'OPTIONS' && (route === 'any' || e.route === route)),
    down: (forMs) => command('down', forMs === undefined ? {} : { forMs }).then(() => undefined),
    up: () => command('up').then(() => undefined),
    stop: async () => {
      await command('stop');
      await stopServer(upstream.id);
    },
  };
}

/** URL of the dev server's fault page (loads the library; see plugins/fault-proxy-pages.ts). */
export function faultPageUrl(options: { workers?: 'none'; clockOffsetMs?: number } = {}): string {
  const url = new URL('/__fault-pages/library.html', location.origin);
  if (options.workers) url.searchParams.set('workers', options.workers);
  if (options.clockOffsetMs) url.searchParams.set('clockOffsetMs', String(options.clockOffsetMs));
  return url.href;
}
