// Shared scaffolding of the browser tests. Importing this module registers a root `afterEach`
// that runs the test's cleanups (newest first) and then fails the test if any promise rejection
// went unhandled meanwhile — the library promises never to leave one.
import type { InkAuthProvider } from '../../../src/index.js';
import type { AuthState } from '../../../src/context.js';
import { serverRequests, startServer, stopServer } from './server.js';
import type { LoggedRequest, TestServer, TestServerOptions } from './server.js';

export function ok(condition: unknown, what: string): asserts condition {
  if (!condition) throw new Error(`expected: ${what}`);
}

export function equal<T>(actual: T, expected: T, what: string): void {
  if (actual !== expected) throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

/** Resolves with what `promise` rejected with; fails the test if it fulfils instead. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

/**
 * Polls `read` until it returns a value other than `undefined`, `null` or `false`, and returns
 * that value; fails with `what` (a function: computed at the timeout) after `timeoutMs`.
 */
export async function waitFor<T>(
  read: () => T | undefined | null | false,
  what: string | (() => string),
  timeoutMs = 15_000,
  intervalMs = 20,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === 'function' ? what() : what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Polls `check` until it holds; fails with `what` after `timeoutMs`. */
export async function eventually(check: () => boolean, what: string | (() => string), timeoutMs = 15_000): Promise<void> {
  await waitFor(() => check() || undefined, what, timeoutMs);
}

const cleanups: Array<() => Promise<void> | void> = [];
const unhandled: unknown[] = [];
window.addEventListener('unhandledrejection', (event) => unhandled.push(event.reason));
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await new Promise((r) => setTimeout(r, 10));
  if (unhandled.length) throw new Error(`unhandled promise rejections: ${unhandled.splice(0).map(String).join('; ')}`);
});

/** Runs `cleanup` after the current test. */
export function onCleanup(cleanup: () => Promise<void> | void): void {
  cleanups.push(cleanup);
}

/**
 * Asks every connection to IndexedDB database `name` to close, as another tab upgrading it would:
 * opens it at its next version (a `versionchange` for the open ones) and closes again. Resolves
 * once the upgrade went through, i.e. no connection held it open.
 */
export async function upgradeDatabase(name: string): Promise<void> {
  const opened = (version?: number) =>
    new Promise<IDBDatabase>((resolve, reject) => {
      const request = version === undefined ? indexedDB.open(name) : indexedDB.open(name, version);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
      request.onblocked = () => reject(new Error(`IndexedDB ${name}: the upgrade is blocked by a connection that stays open`));
    });
  const current = await opened();
  const version = current.version;
  current.close();
  (await opened(version + 1)).close();
}

/** A real reference server for this test, stopped after it. */
export async function server(options: TestServerOptions = {}): Promise<TestServer> {
  const s = await startServer(options);
  onCleanup(() => stopServer(s.id));
  return s;
}

/** Requests the server answered, CORS preflights left out. */
export async function apiCalls(id: string): Promise<LoggedRequest[]> {
  return (await serverRequests(id)).filter((r) => r.method !== 'OPTIONS');
}

/** Adds an `<ink-auth-provider>` with these attributes to the page, removed after the test. */
export function mount(attrs: Record<string, string>): InkAuthProvider {
  const el = document.createElement('ink-auth-provider');
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, value);
  document.body.append(el);
  onCleanup(() => el.remove());
  return el;
}

/** The next `ink-auth-change` whose state satisfies `predicate` (future changes only). */
export function until(el: InkAuthProvider, predicate: (s: AuthState) => boolean, timeoutMs = 20_000): Promise<AuthState> {
  return new Promise((resolve, reject) => {
    const onChange = (event: CustomEvent<AuthState>) => {
      if (!predicate(event.detail)) return;
      el.removeEventListener('ink-auth-change', onChange);
      clearTimeout(timer);
      resolve(event.detail);
    };
    const timer = setTimeout(() => reject(new Error(`timed out in status ${el.status}`)), timeoutMs);
    el.addEventListener('ink-auth-change', onChange);
  });
}

/** The provider's state once it is `ready` or `error` — now, or at its next such change. */
export function settled(el: InkAuthProvider, timeoutMs = 20_000): Promise<AuthState> {
  const isFinal = (s: AuthState) => s.status === 'ready' || s.status === 'error';
  if (el.isConnected && el.authState.appId && isFinal(el.authState)) return Promise.resolve(el.authState);
  return until(el, isFinal, timeoutMs).catch(() => {
    throw new Error(`provider stuck in ${el.status}`);
  });
}
