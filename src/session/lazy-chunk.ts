import { InkAuthError } from '../errors.js';

/**
 * `load` (a lazy chunk's `import()`) at most once at a time: callers share one load, and a failed
 * one (offline, a CDN error) rejects with a retryable `network_error` naming the `what` module and
 * is tried again by the next call instead of failing for good.
 */
export function loadOnce<M>(what: string, load: () => Promise<M>): () => Promise<M> {
  let loading: Promise<M> | null = null;
  return () =>
    (loading ??= load().catch((cause: unknown) => {
      loading = null;
      throw new InkAuthError('network_error', `The ${what} module could not be loaded.`, { retryable: true, cause });
    }));
}
