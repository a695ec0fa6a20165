import { fetchChallenge, requestAnonymousSession } from '../api/run-auth.js';
import type { FetchLike } from '../api/run-auth.js';
import { DEFAULT_RETRY_POLICY, withRetry } from '../api/retry.js';
import type { RetryPolicy } from '../api/retry.js';
import { InkAuthError, isAbortError, toInkAuthError } from '../errors.js';
import type { PowChallenge } from '../pow/challenge.js';
import type { SolveOptions } from '../pow/solve.js';
import type { PowWorkerPool } from '../pow/worker-pool.js';
import type { CachedSession, SessionStore } from './cache.js';
import { asCachedSession, sessionKey } from './cache.js';
import { decodeSessionToken } from './jwt.js';
import { RenewalScheduler } from './renew.js';
import type { VisibilitySource } from './renew.js';
import { initialState } from './state.js';
import type { AuthProgress, AuthState } from './state.js';
import type { TabCoordinator, TabMessage } from './tabs.js';

/** Collaborators and settings of an {@link AuthSession}; everything external is injected. */
export interface AuthSessionOptions {
  appId: string;
  /** Normalised base URL, no trailing slash. */
  baseUrl: string;
  /** Seconds before `exp` at which the token is renewed. */
  refreshLeewaySeconds: number;
  store: SessionStore;
  tabs: TabCoordinator;
  fetch: FetchLike;
  solve: (challenge: PowChallenge, options: SolveOptions) => Promise<string>;
  /** Starts PoW workers ahead of the challenge (handed to `solve` as `pool`); without it `solve` starts its own. */
  startWorkers?: () => PowWorkerPool;
  now?: () => number;
  visibility?: VisibilitySource;
  retryPolicy?: RetryPolicy;
  /** Bound of one API request, body included (default 15 s); past it the request fails with `timeout`. */
  requestTimeoutMs?: number;
  /** First wait before retrying a failed background renewal (doubles, bounded by the expiry). */
  renewRetryMs?: number;
  onChange?: (state: AuthState) => void;
  onProgress?: (progress: AuthProgress) => void;
  onError?: (error: InkAuthError) => void;
}

interface AcquireMode {
  /** Post the current token as Bearer so the server keeps the `anon_` identity. */
  keepIdentity: boolean;
  /** Skip the cache re-check under the lock (an explicit refresh wants a new token). */
  force: boolean;
}

const MAX_RENEW_RETRY_MS = 15 * 60_000;

/**
 * The session lifecycle of one app on one server, without any DOM or Lit:
 * cache → cross-tab lock → cache again → challenge → solve → session → decode → cache → publish.
 */
export class AuthSession {
  readonly key: string;
  #state: AuthState;
  #current: CachedSession | null = null;
  #inflight: Promise<CachedSession> | null = null;
  #startup: Promise<void> | null = null;
  #disposed = false;
  #renewFailures = 0;
  /** False after the server answered that it asks for no proof of work: no workers ahead then. */
  #expectChallenge = true;
  readonly #abort = new AbortController();
  readonly #renewal: RenewalScheduler;
  readonly #unsubscribe: () => void;
  readonly #now: () => number;

  constructor(private readonly options: AuthSessionOptions) {
    this.key = sessionKey(options.baseUrl, options.appId);
    this.#now = options.now ?? Date.now;
    this.#state = initialState(options.appId, options.baseUrl, options.store.kind);
    this.#renewal = new RenewalScheduler(() => this.#renewInBackground(), { now: this.#now, visibility: options.visibility });
    this.#unsubscribe = options.tabs.subscribe((message) => this.#onTabMessage(message));
  }

  /** The latest published state. */
  get state(): AuthState {
    return this.#state;
  }

  /** Reads the cache and, without a usable session there, acquires one. Never rejects. */
  start(): Promise<void> {
    this.#startup ??= this.#runStart();
    return this.#startup;
  }

  async #runStart(): Promise<void> {
    const cached = await this.options.store.read(this.key);
    this.#syncStorage();
    if (this.#disposed) return;
    if (cached && this.#usable(cached) && this.#consistent(cached)) {
      this.#adopt(cached);
      return;
    }
    await this.#acquire({ keepIdentity: true, force: false }).catch(() => undefined);
  }

  /** Resolves with a valid token, waiting for an acquisition in progress; rejects with its error. */
  async getToken(): Promise<string> {
    await this.#startup;
    for (let round = 0; round < 4; round++) {
      if (this.#disposed) throw new InkAuthError('aborted', 'The session was disposed.');
      const state = this.#state;
      if (state.status === 'ready' && this.#current && this.#usable(this.#current)) return this.#current.token;
      if (state.status === 'error' && state.error) {
        // A transient failure (offline, 5xx) gets one fresh attempt per call; others are final.
        if (!state.error.retryable || round > 0) throw state.error;
      }
      await (this.#inflight ?? this.#acquire({ keepIdentity: true, force: false })).catch(() => undefined);
    }
    throw new InkAuthError('invalid_token', 'No valid session token could be obtained.');
  }

  /** Obtains a new token for the same identity now (a running acquisition is joined). */
  async refresh(): Promise<void> {
    await this.#acquire({ keepIdentity: true, force: true });
  }

  /** Forgets the cached session here and in every tab, then acquires a new identity. */
  async reset(): Promise<void> {
    await this.#inflight?.catch(() => undefined);
    this.#forget();
    await this.options.store.remove(this.key);
    this.options.tabs.publish({ type: 'reset', at: this.#now() });
    await this.#acquire({ keepIdentity: false, force: false });
  }

  /** Stops everything: aborts work (workers terminate), clears timers, leaves the tab channel. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#abort.abort();
    this.#renewal.dispose();
    this.#unsubscribe();
    this.options.tabs.close();
  }

  /**
   * A cached entry or a broadcast session must still decode to its own anon_ id (a corrupted or
   * planted entry is not trusted).
   */
  #consistent(session: CachedSession): boolean {
    try {
      return decodeSessionToken(session.token, this.#now()).anonId === session.anonId;
    } catch {
      return false;
    }
  }

  #usable(session: CachedSession): boolean {
    return session.expiresAt > this.#now() + 1_000;
  }

  #renewAt(session: CachedSession): number {
    const lifetime = Math.max(0, session.expiresAt - session.obtainedAt);
    // A leeway as long as the lifetime would renew in a loop: keep at least 5 % of it.
    const leeway = Math.min(this.options.refreshLeewaySeconds * 1000, lifetime * 0.95);
    return session.expiresAt - leeway;
  }

  #publish(patch: Partial<AuthState>): void {
    if (this.#disposed) return;
    this.#state = { ...this.#state, ...patch };
    this.options.onChange?.(this.#state);
  }

  #syncStorage(): void {
    const kind = this.options.store.kind;
    if (kind !== this.#state.storage) this.#publish({ storage: kind, storageFallback: true });
  }

  #adopt(session: CachedSession): void {
    this.#current = session;
    this.#renewFailures = 0;
    this.#publish({ status: 'ready', token: session.token, anonId: session.anonId, expiresAt: new Date(session.expiresAt), error: null });
    this.#renewal.schedule(this.#renewAt(session));
  }

  #forget(): void {
    this.#current = null;
    this.#renewal.cancel();
    this.#publish({ status: 'idle', token: null, anonId: null, expiresAt: null, error: null });
  }

  #acquire(mode: AcquireMode): Promise<CachedSession> {
    if (this.#disposed) return Promise.reject(new InkAuthError('aborted', 'The session was disposed.'));
    this.#inflight ??= this.#runAcquire(mode).finally(() => {
      this.#inflight = null;
    });
    return this.#inflight;
  }

  async #runAcquire(mode: AcquireMode): Promise<CachedSession> {
    const signal = this.#abort.signal;
    const replacing = this.#current?.token ?? null;
    // Started now, the workers load while the lock is taken, the cache re-read and the challenge fetched.
    const workers = this.#expectChallenge ? (this.options.startWorkers?.() ?? null) : null;
    try {
      const session = await this.options.tabs.withLock(async () => {
        let cached: CachedSession | undefined;
        if (!mode.force) {
          // Another tab may have acquired while we waited for the lock: the one re-read.
          cached = await this.options.store.read(this.key);
          const candidate = [cached, this.#current].filter((s): s is CachedSession => !!s).sort((a, b) => b.expiresAt - a.expiresAt)[0];
          if (candidate && candidate.token !== replacing && this.#usable(candidate) && this.#renewAt(candidate) > this.#now()) return candidate;
        }
        // The old token keeps the anon_ identity: ours, else the stored one (read above unless forced).
        const storedToken = async () => (mode.force ? await this.options.store.read(this.key) : cached)?.token ?? null;
        const previous = mode.keepIdentity ? (this.#current?.token ?? (await storedToken())) : null;
        const fresh = await this.#obtain(previous, signal, workers);
        await this.options.store.write(this.key, fresh);
        this.options.tabs.publish({ type: 'session', session: fresh });
        return fresh;
      }, { signal });
      this.#syncStorage();
      this.#adopt(session);
      return session;
    } catch (thrown) {
      const error = toInkAuthError(thrown);
      if (!isAbortError(error) && !this.#disposed) this.#fail(error);
      throw error;
    } finally {
      workers?.terminate(); // unused (cached session, 404, failure, disconnect) or already done
    }
  }

  /** One network acquisition: challenge → solve → session, a fresh challenge once if it was refused. */
  async #obtain(previousToken: string | null, signal: AbortSignal, workers: PowWorkerPool | null): Promise<CachedSession> {
    const { fetch, baseUrl, appId } = this.options;
    const retry = { policy: this.options.retryPolicy ?? DEFAULT_RETRY_POLICY, signal };
    const foreground = !this.#current || !this.#usable(this.#current);
    for (let attempt = 0; ; attempt++) {
      if (foreground) this.#publish({ status: 'requesting', error: null });
      const timeoutMs = this.options.requestTimeoutMs;
      const challenge = await withRetry(() => fetchChallenge(fetch, baseUrl, { signal, timeoutMs }), retry);
      this.#expectChallenge = challenge !== null;
      let solution: string | null = null;
      if (challenge) {
        if (foreground) this.#publish({ status: 'solving' });
        this.options.onProgress?.({ phase: 'solving', fraction: 0, hashes: 0, kernel: null });
        let hashes = 0;
        let kernel: AuthProgress['kernel'] = null;
        solution = await this.options.solve(challenge, {
          signal,
          ...(workers ? { pool: workers } : {}),
          onProgress: (p) => {
            hashes = p.hashes;
            kernel = p.kernel;
            if (!this.#disposed) this.options.onProgress?.({ phase: 'solving', fraction: p.fraction, hashes: p.hashes, kernel });
          },
        });
        if (!this.#disposed) this.options.onProgress?.({ phase: 'solved', fraction: 1, hashes, kernel });
        if (foreground) this.#publish({ status: 'requesting' });
      }
      try {
        const response = await withRetry(
          () => requestAnonymousSession(fetch, baseUrl, appId, { solution, previousToken, signal, timeoutMs }),
          retry,
        );
        const now = this.#now();
        const decoded = decodeSessionToken(response.token, now);
        return { token: response.token, anonId: decoded.anonId, expiresAt: decoded.expiresAt, obtainedAt: now };
      } catch (thrown) {
        const error = toInkAuthError(thrown);
        if (error.challengeRejected && challenge && attempt === 0) continue;
        throw error;
      }
    }
  }

  #fail(error: InkAuthError): void {
    this.options.onError?.(error);
    const current = this.#current;
    if (current && this.#usable(current)) {
      // Keep serving the still-valid token; try again later, backing off, before it expires.
      const wait = Math.min(MAX_RENEW_RETRY_MS, (this.options.renewRetryMs ?? 30_000) * 2 ** this.#renewFailures++);
      this.#renewal.schedule(Math.min(this.#now() + wait, current.expiresAt - 1_000));
      return;
    }
    this.#current = null;
    this.#renewal.cancel();
    this.#publish({ status: 'error', token: null, anonId: null, expiresAt: null, error });
  }

  #renewInBackground(): void {
    this.#acquire({ keepIdentity: true, force: false }).catch(() => undefined);
  }

  #onTabMessage(message: TabMessage): void {
    if (this.#disposed) return;
    if (message.type === 'session') {
      const incoming = asCachedSession(message.session);
      if (!incoming) return;
      // Ignore a broadcast older than what we hold.
      if (this.#current && incoming.expiresAt <= this.#current.expiresAt) return;
      // Same rule as a cached entry: the token must decode to the anon_ id the message claims.
      if (!this.#usable(incoming) || !this.#consistent(incoming)) return;
      this.#adopt(incoming);
      return;
    }
    this.#forget();
    this.#acquire({ keepIdentity: false, force: false }).catch(() => undefined);
  }
}
