// The network half of an anonymous session: challenge → solve in workers → session → decode.
// A lazy chunk (acquisition-loader.ts): a returning visitor with a cached session never runs it.
import { DEFAULT_RETRY_POLICY, withRetry } from '../api/retry.js';
import type { RetryPolicy } from '../api/retry.js';
import { fetchChallenge, requestAnonymousSession } from '../api/run-auth.js';
import type { FetchLike } from '../api/endpoint.js';
import { InkAuthError, toInkAuthError } from '../errors.js';
import type { PowChallenge } from '../pow/challenge.js';
import { solveChallenge, startPowWorkers } from '../pow/solve.js';
import type { SolveOptions } from '../pow/solve.js';
import type { PowWorkerPool } from '../pow/worker-pool.js';
import type { CachedSession } from './cache.js';
import { decodeSessionToken } from './jwt.js';
import type { AuthProgress } from './state.js';

export { solveChallenge, startPowWorkers };

/** Solves a challenge into the `x-inkeep-challenge-solution` header value. */
export type Solve = (challenge: PowChallenge, options: SolveOptions) => Promise<string>;

/** One network acquisition, as {@link obtainAnonymousSession} runs it. */
export interface ObtainRequest {
  // Named as in AuthSessionOptions, so the session hands its options over as they are.
  fetch: FetchLike;
  baseUrl: string;
  appId: string;
  /** Sent as Bearer so the server keeps the `anon_` identity. */
  previousToken: string | null;
  signal: AbortSignal;
  /** Workers started ahead of the challenge, or null. */
  workers: PowWorkerPool | null;
  solve?: Solve;
  retryPolicy?: RetryPolicy;
  requestTimeoutMs?: number;
  now: () => number;
  /** The visible phase: `requesting` (challenge, session) or `solving`. */
  onPhase: (status: 'requesting' | 'solving') => void;
  /** Whether the server asked for proof of work this time. */
  onChallenge: (present: boolean) => void;
  onProgress: (progress: AuthProgress) => void;
}

/** Challenge → solve → session, with one fresh challenge when the server refused the solution. */
export async function obtainAnonymousSession(request: ObtainRequest): Promise<CachedSession> {
  const { fetch, baseUrl, appId, signal, requestTimeoutMs: timeoutMs } = request;
  const retry = { policy: request.retryPolicy ?? DEFAULT_RETRY_POLICY, signal };
  const solve = request.solve ?? solveChallenge;
  for (let attempt = 0; ; attempt++) {
    request.onPhase('requesting');
    const challenge = await withRetry(() => fetchChallenge(fetch, baseUrl, { signal, timeoutMs }), retry);
    request.onChallenge(challenge !== null);
    let solution: string | null = null;
    if (challenge) {
      request.onPhase('solving');
      request.onProgress({ phase: 'solving', fraction: 0, hashes: 0, kernel: null });
      let hashes = 0;
      let kernel: AuthProgress['kernel'] = null;
      solution = await solve(challenge, {
        signal,
        ...(request.workers ? { pool: request.workers } : {}),
        onProgress: (p) => {
          hashes = p.hashes;
          kernel = p.kernel;
          request.onProgress({ phase: 'solving', fraction: p.fraction, hashes: p.hashes, kernel });
        },
      });
      request.onProgress({ phase: 'solved', fraction: 1, hashes, kernel });
      request.onPhase('requesting');
    }
    try {
      const response = await withRetry(
        () => requestAnonymousSession(fetch, baseUrl, appId, { solution, previousToken: request.previousToken, signal, timeoutMs }),
        retry,
      );
      const now = request.now();
      const decoded = decodeSessionToken(response.token, now);
      return { token: response.token, anonId: decoded.anonId, expiresAt: decoded.expiresAt, obtainedAt: now };
    } catch (thrown) {
      const error = toInkAuthError(thrown);
      if (error.challengeRejected && challenge && attempt === 0) continue;
      if (error.reason === 'anonymous_disabled') {
        const { status, requestId, reason } = error;
        throw new InkAuthError('sign_in_required', `${error.detail}: it serves signed-in users only (set user-token or getUserToken).`, { status, requestId, reason, cause: error });
      }
      throw error;
    }
  }
}
