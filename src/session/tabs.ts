import type { CachedSession } from './cache.js';

/**
 * What tabs tell each other about one app's credential: a new one (`session`: a cached
 * session, or a paired key in pairing mode; receivers validate it) or that it was forgotten.
 */
export type TabMessage<T = CachedSession> =
  | { type: 'session'; session: T }
  | { type: 'reset'; at: number };

/** Cross-tab coordination for one cache key: an exclusive lock and a broadcast channel. */
export interface TabCoordinator<T = CachedSession> {
  /** Whether the lock really spans tabs (Web Locks) or only this page (fallback). */
  readonly crossTab: boolean;
  /** Runs `task` while holding the lock. Gives up waiting after `timeoutMs` and runs anyway. */
  withLock<T>(task: () => Promise<T>, options?: { signal?: AbortSignal; timeoutMs?: number }): Promise<T>;
  publish(message: TabMessage<T>): void;
  /** Listens to other tabs' messages; returns the unsubscribe function. */
  subscribe(listener: (message: TabMessage<T>) => void): () => void;
  close(): void;
}

const DEFAULT_LOCK_TIMEOUT_MS = 60_000;
// In-page queues per lock name: the fallback when Web Locks are missing (older engines, insecure contexts).
const pageLocks = new Map<string, Promise<unknown>>();

function isTabMessage(value: unknown): value is TabMessage<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { type?: unknown; session?: unknown; at?: unknown };
  if (v.type === 'reset') return typeof v.at === 'number';
  return v.type === 'session' && typeof v.session === 'object' && v.session !== null;
}

async function withPageLock<T>(name: string, task: () => Promise<T>): Promise<T> {
  const previous = pageLocks.get(name) ?? Promise.resolve();
  const run = previous.then(task, task);
  const tail = run.catch(() => undefined);
  pageLocks.set(name, tail);
  try {
    return await run;
  } finally {
    if (pageLocks.get(name) === tail) pageLocks.delete(name);
  }
}

/** The Web Lock and BroadcastChannel name of one cache key. */
export function tabChannelName(key: string): string {
  return `ink-auth:${key}`;
}

/**
 * Coordinates the tabs of one origin for `key`: Web Locks (`navigator.locks`) where available,
 * an in-page queue otherwise; BroadcastChannel for results and resets where available.
 */
export function createTabCoordinator<T = CachedSession>(key: string): TabCoordinator<T> {
  const name = tabChannelName(key);
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(name) : null;
  const listeners = new Set<(message: TabMessage<T>) => void>();
  if (channel) {
    channel.onmessage = (event: MessageEvent<unknown>) => {
      if (!isTabMessage(event.data)) return;
      // The receiving session checks the payload's shape and that its token decodes to its anon_ id.
      for (const listener of listeners) listener(event.data as TabMessage<T>);
    };
  }

  return {
    crossTab: Boolean(locks),
    async withLock(task, options = {}) {
      if (!locks) return withPageLock(name, task);
      const timeout = new AbortController();
      const timer = setTimeout(() => timeout.abort(), options.timeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS);
      const onAbort = () => timeout.abort();
      options.signal?.addEventListener('abort', onAbort, { once: true });
      let granted = false;
      try {
        return await locks.request(name, { mode: 'exclusive', signal: timeout.signal }, () => {
          granted = true;
          clearTimeout(timer);
          return task();
        });
      } catch (error) {
        // Lock wait timed out (a tab is stuck): proceed degraded rather than never.
        if (!granted && !options.signal?.aborted) return task();
        throw error;
      } finally {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
      }
    },
    publish(message) {
      try {
        channel?.postMessage(message);
      } catch {
        // A closed channel (page unloading) has no one left to tell.
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      listeners.clear();
      channel?.close();
    },
  };
}
