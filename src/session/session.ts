import type { FetchLike } from '../api/endpoint.js';
import type { RetryPolicy } from '../api/retry.js';
import { InkAuthError, isAbortError, toInkAuthError } from '../errors.js';
import type { PowWorkerPool } from '../pow/worker-pool.js';
import type { Solve } from './acquisition.js';
import { loadAcquisition, preloadAcquisition, sessionHint } from './acquisition-loader.js';
import type { AcquisitionModule } from './acquisition-loader.js';
import type { CachedSession, SessionStore } from './cache.js';
import { asCachedSession, sessionKey } from './cache.js';
import { decodeSessionToken } from './jwt.js';
import { CredentialLifecycle } from './lifecycle.js';
import type { OpenTabs } from './lifecycle.js';
import type { VisibilitySource } from './renew.js';
import type { AuthProgress, AuthState } from './state.js';

/** Collaborators and settings of an {@link AuthSession}; everything external is injected. */
export interface AuthSessionOptions {
  appId: string;
  /** Normalised base URL, no trailing slash. */
  baseUrl: string;
  /** Seconds before `exp` at which the token is renewed. */
  refreshLeewaySeconds: number;
  store: SessionStore;
  /** Opens the tab channel of the cache key (default: Web Locks + BroadcastChannel); the session closes it. */
  tabs?: OpenTabs<CachedSession>;
  fetch: FetchLike;
  /** Default: the acquisition chunk's `solveChallenge` (workers). */
  solve?: Solve;
  /**
   * Starts PoW workers ahead of the challenge (handed to `solve` as `pool`). Default: the
   * acquisition chunk's `startPowWorkers`; `null`: none ahead (`solve` starts its own).
   */
  startWorkers?: (() => PowWorkerPool) | null;
  /** Loads the network half (default: the lazy acquisition chunk, preloaded at start). */
  acquisition?: () => Promise<AcquisitionModule>;
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
 * The anonymous-session mode on the shared {@link CredentialLifecycle}:
 * cache → cross-tab lock → cache again → challenge → solve → session → decode → cache → publish,
 * renewed in the background before expiry.
 */
export class AuthSession {
  readonly key: string;
  #inflight: Promise<CachedSession> | null = null;
  /** Whether the acquisition in flight was a forced one (a refresh joins only those). */
  #inflightForced = false;
  #renewFailures = 0;
  /** False after the server answered that it asks for no proof of work: no workers ahead then. */
  #expectChallenge = true;
  readonly #life: CredentialLifecycle<CachedSession>;

  readonly #options: AuthSessionOptions;

  constructor(options: AuthSessionOptions) {
    this.#options = options;
    this.key = sessionKey(options.baseUrl, options.appId);
    this.#life = new CredentialLifecycle<CachedSession>({
      ...options,
      key: this.key,
      rules: {
        trust: (value) => {
          const session = asCachedSession(value);
          return session && this.#consistent(session) ? session : undefined;
        },
        usable: (session) => this.#usable(session),
        view: (session) => ({ token: session.token, anonId: session.anonId, identity: session.anonId, expiresAt: new Date(session.expiresAt) }),
        dueAt: (session) => this.#renewAt(session),
        // Ignore a broadcast older than what we hold.
        supersedes: (incoming, held) => !held || incoming.expiresAt > held.expiresAt,
      },
      hooks: {
        acquire: () => this.#acquire({ keepIdentity: true, force: false }),
        due: () => this.#acquire({ keepIdentity: true, force: false }).catch(() => undefined),
        forgotten: () => {
          this.#forget();
          this.#acquire({ keepIdentity: false, force: false }).catch(() => undefined);
        },
        adopted: (session) => {
          this.#renewFailures = 0;
          if (this.#options.store.kind === 'indexeddb') sessionHint(this.key, session.expiresAt);
        },
      },
    });
  }

  /** The latest published state. */
  get state(): AuthState {
    return this.#life.state;
  }

  /** Reads the cache and, without a usable session there, acquires one. Never rejects. */
  start(): Promise<void> {
    // Fetched beside the cache read, run only if the cache has no usable session; not fetched when
    // the hint says the cache holds one that needs no renewal soon (see acquisition-loader.ts).
    const warmUntil = this.#life.now() + this.#options.refreshLeewaySeconds * 1000;
    if (!this.#options.acquisition && (this.#options.store.kind === 'memory' || sessionHint(this.key) <= warmUntil)) preloadAcquisition();
    return this.#life.start();
  }

  /** Resolves with a valid token, waiting for an acquisition in progress; rejects with its error. */
  async getToken(): Promise<string> {
    await this.#life.startup;
    for (let round = 0; round < 4; round++) {
      if (this.#life.disposed) throw this.#life.disposedError();
      const state = this.#life.state;
      const held = this.#life.held;
      if (state.status === 'ready' && held && this.#usable(held)) return held.token;
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
    await this.#life.forgetEverywhere();
    await this.#acquire({ keepIdentity: false, force: false });
  }

  /** Stops everything: aborts work (workers terminate), clears timers, leaves the tab channel. */
  dispose(): void {
    this.#life.dispose();
  }

  /**
   * A cached entry or a broadcast session must still decode to its own anon_ id (a corrupted or
   * planted entry is not trusted).
   */
  #consistent(session: CachedSession): boolean {
    try {
      return decodeSessionToken(session.token, this.#life.now()).anonId === session.anonId;
    } catch {
      return false;
    }
  }

  #usable(session: CachedSession): boolean {
    return session.expiresAt > this.#life.now() + 1_000;
  }

  #renewAt(session: CachedSession): number {
    const lifetime = Math.max(0, session.expiresAt - session.obtainedAt);
    // A leeway as long as the lifetime would renew in a loop: keep at least 5 % of it.
    const leeway = Math.min(this.#options.refreshLeewaySeconds * 1000, lifetime * 0.95);
    return session.expiresAt - leeway;
  }

  #forget(): void {
    sessionHint(this.key, null);
    this.#life.drop();
    this.#life.publish({ status: 'idle', token: null, anonId: null, identity: null, expiresAt: null, error: null });
  }

  #acquire(mode: AcquireMode): Promise<CachedSession> {
    if (this.#life.disposed) return Promise.reject(this.#life.disposedError());
    // A refresh wants a new token: one that comes while a start or renewal runs (which may settle
    // on the cached session) waits for it, then gets its own.
    const running = this.#inflight;
    if (running && mode.force && !this.#inflightForced) return running.catch(() => undefined).then(() => this.#acquire(mode));
    if (running) return running;
    this.#inflightForced = mode.force;
    const run = this.#runAcquire(mode).finally(() => {
      if (this.#inflight === run) this.#inflight = null;
    });
    this.#inflight = run;
    return run;
  }

  async #runAcquire(mode: AcquireMode): Promise<CachedSession> {
    const life = this.#life;
    const signal = life.signal;
    const replacing = life.held?.token ?? null;
    let workers: PowWorkerPool | null = null;
    try {
      const acquisition = await (this.#options.acquisition ?? loadAcquisition)();
      if (life.disposed) throw life.disposedError();
      // Started now, the workers load while the lock is taken, the cache re-read and the challenge fetched.
      const startWorkers = this.#options.startWorkers === undefined ? acquisition.startPowWorkers : this.#options.startWorkers;
      workers = this.#expectChallenge ? (startWorkers?.() ?? null) : null;
      const session = await life.tabs.withLock(async () => {
        let cached: CachedSession | undefined;
        if (!mode.force) {
          // Another tab may have acquired while we waited for the lock: the one re-read.
          cached = await life.store.read(this.key);
          const candidate = [cached, life.held].filter((s): s is CachedSession => !!s).sort((a, b) => b.expiresAt - a.expiresAt)[0];
          if (candidate && candidate.token !== replacing && this.#usable(candidate) && this.#renewAt(candidate) > life.now()) return candidate;
        }
        // The old token keeps the anon_ identity: ours, else the stored one (read above unless forced).
        const storedToken = async () => (mode.force ? await life.store.read(this.key) : cached)?.token ?? null;
        const previous = mode.keepIdentity ? (life.held?.token ?? (await storedToken())) : null;
        const fresh = await this.#obtain(acquisition, previous, signal, workers);
        await life.keep(fresh);
        return fresh;
      }, { signal });
      life.syncStorage();
      life.adopt(session);
      return session;
    } catch (thrown) {
      const error = toInkAuthError(thrown);
      if (!isAbortError(error) && !life.disposed) this.#fail(error);
      throw error;
    } finally {
      workers?.terminate(); // unused (cached session, 404, failure, disconnect) or already done
    }
  }

  /** One network acquisition; the state says `requesting`/`solving` only when no valid token is served. */
  #obtain(acquisition: AcquisitionModule, previousToken: string | null, signal: AbortSignal, workers: PowWorkerPool | null): Promise<CachedSession> {
    const options = this.#options;
    const life = this.#life;
    const held = life.held;
    const foreground = !held || !this.#usable(held);
    return acquisition.obtainAnonymousSession({
      ...options,
      previousToken,
      signal,
      workers,
      now: life.now,
      onPhase: (status) => {
        if (foreground) life.publish({ status, error: null });
      },
      onChallenge: (present) => {
        this.#expectChallenge = present;
      },
      onProgress: (progress) => {
        if (!life.disposed) options.onProgress?.(progress);
      },
    });
  }

  #fail(error: InkAuthError): void {
    this.#options.onError?.(error);
    const held = this.#life.held;
    if (held && this.#usable(held)) {
      // Keep serving the still-valid token; try again later, backing off, before it expires.
      const wait = Math.min(MAX_RENEW_RETRY_MS, (this.#options.renewRetryMs ?? 30_000) * 2 ** this.#renewFailures++);
      this.#life.scheduleDue(Math.min(this.#life.now() + wait, held.expiresAt - 1_000));
      return;
    }
    this.#life.fail(error);
  }
}
