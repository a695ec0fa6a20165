import { executeServerCommand } from '@web/test-runner-commands';
import { createStore, get } from 'idb-keyval';
import { startServer, stopServer } from './server.js';
import type { TestServerOptions } from './server.js';
import { DEFAULT_DB_NAME, DEFAULT_STORE_NAME, sessionKey } from '../../../src/session/cache.js';
import { equal, eventually, ok, onCleanup, waitFor } from './harness.js';
import type { Fault, FaultRoute, ProxyLogEntry } from './fault-types.js';

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

export { equal, ok };

/** What the fault tests read from an element, in this window or in an iframe (another realm). */
export interface ProviderLike extends HTMLElement {
  readonly status: string;
  readonly anonId: string | null;
  readonly token: string | null;
  readonly error: { name: string; code: string; retryable: boolean; status: number } | null;
  readonly authState: { storage: string; storageFallback?: boolean };
  getToken(): Promise<string>;
  refresh(): Promise<void>;
}

/** Records every status the element publishes (`ink-auth-change`), starting with the current one. */
export function statusTrail(el: ProviderLike): string[] {
  const trail = [el.status];
  el.addEventListener('ink-auth-change', () => trail.push(el.status));
  return trail;
}

/**
 * Polls until the element is `ready` or `error` — never stuck in `requesting`/`solving` — with a
 * generous deadline. An error must be an InkAuthError (checked by name: iframes are other realms).
 */
export async function settled(el: ProviderLike, deadlineMs = 25_000): Promise<'ready' | 'error'> {
  const final = (): 'ready' | 'error' | undefined => (el.status === 'ready' || el.status === 'error' ? el.status : undefined);
  const status = await waitFor(final, () => `ready or error, still in status ${el.status} after ${deadlineMs} ms`, deadlineMs, 25);
  if (status === 'error') ok(el.error?.name === 'InkAuthError' && typeof el.error.code === 'string', 'the error is an InkAuthError');
  return status;
}

/** The IndexedDB cache entry of one app on one server (the library's database), if any. */
export function cachedEntry(baseUrl: string, appId: string): Promise<unknown> {
  return get(sessionKey(baseUrl, appId), createStore(DEFAULT_DB_NAME, DEFAULT_STORE_NAME));
}

/** Loads the fault page in an iframe and resolves once the library is defined there. */
export async function openFaultPage(options: Parameters<typeof faultPageUrl>[0] = {}): Promise<HTMLIFrameElement> {
  const frame = document.createElement('iframe');
  frame.src = faultPageUrl(options);
  document.body.append(frame);
  const win = () => frame.contentWindow as (Window & { __libraryLoaded?: boolean }) | null;
  await eventually(() => !!win()?.__libraryLoaded && !!win()?.customElements.get('ink-auth-provider'), 'the fault page to load the library', 20_000);
  return frame;
}

/** Unhandled rejections the fault page recorded. */
export function frameUnhandled(frame: HTMLIFrameElement): string[] {
  return [...((frame.contentWindow as (Window & { __unhandled?: string[] }) | null)?.__unhandled ?? [])];
}

/** Creates `<ink-auth-provider>` with `attrs` in `doc` (default: this document) and connects it. */
export function mountProvider(attrs: Record<string, string>, doc: Document = document): ProviderLike {
  const el = doc.createElement('ink-auth-provider') as unknown as ProviderLike;
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, value);
  doc.body.append(el);
  return el;
}

/** A fault proxy in front of a fresh reference server for this test, stopped after it. */
export async function faulty(options: TestServerOptions = {}): Promise<FaultyServer> {
  const s = await startFaultyServer(options);
  onCleanup(() => s.stop());
  return s;
}
