import { InkAuthError, toInkAuthError } from '../errors.js';

/** How a retryable call backs off. All durations in milliseconds. */
export interface RetryPolicy {
  /** Total attempts including the first one. */
  attempts: number;
  /** First backoff step; doubles on every retry. */
  baseDelayMs: number;
  /** Ceiling of one backoff step. */
  maxDelayMs: number;
  /** A `Retry-After` longer than this is not waited for: the error is reported instead. */
  maxRetryAfterMs: number;
}

/** Defaults: 4 attempts, 0.5 s → 1 s → 2 s (jittered), Retry-After honoured up to 60 s. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  attempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
};

/** Waits `ms`, rejecting with an `aborted` InkAuthError when the signal fires. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new InkAuthError('aborted', 'The operation was aborted.'));
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }
    function onAbort() {
      clearTimeout(timer);
      reject(new InkAuthError('aborted', 'The operation was aborted.'));
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs `call` until it succeeds, fails with a non-retryable error, or the attempts are used up.
 * Retryable errors (network, 5xx, 429) back off exponentially with jitter (50–100 % of the step); a server
 * `Retry-After` replaces the computed delay.
 */
export async function withRetry<T>(
  call: () => Promise<T>,
  options: { policy?: RetryPolicy; signal?: AbortSignal; random?: () => number } = {},
): Promise<T> {
  const policy = options.policy ?? DEFAULT_RETRY_POLICY;
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (thrown) {
      const error = toInkAuthError(thrown);
      if (options.signal?.aborted) throw new InkAuthError('aborted', 'The operation was aborted.');
      if (!error.retryable || attempt >= policy.attempts) throw error;
      if (error.retryAfterMs !== null && error.retryAfterMs > policy.maxRetryAfterMs) throw error;
      const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      const delay = error.retryAfterMs ?? Math.round(backoff * (0.5 + random() / 2));
      await sleep(delay, options.signal);
    }
  }
}
