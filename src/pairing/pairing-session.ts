import type { FetchLike } from '../api/http.js';
import { InkAuthError, isAbortError, toInkAuthError } from '../errors.js';
import type { RecordStore } from '../session/cache.js';
import { RenewalScheduler } from '../session/renew.js';
import type { VisibilitySource } from '../session/renew.js';
import { initialState } from '../session/state.js';
import type { AuthState } from '../session/state.js';
import type { TabCoordinator, TabMessage } from '../session/tabs.js';
import { createPairingChallenge, exchangePairingCode, revokePairedKey } from './api.js';
import type { PairingClientOptions } from './api.js';
import { asCachedPairedKey, pairedKeyCacheKey } from './key-cache.js';
import type { CachedPairedKey } from './key-cache.js';
import { PairingRequestError } from './pairing-error.js';

/** Collaborators and settings of a {@link PairingSession}; everything external is injected. */
export interface PairingSessionOptions {
  appId: string;
  /** Normalised base URL, no trailing slash. */
  baseUrl: string;
  /** The name the trusted app shows next to the code (1…100 printable characters). */
  appName: string;
  store: RecordStore<CachedPairedKey>;
  tabs: TabCoordinator<CachedPairedKey>;
  fetch?: FetchLike;
  now?: () => number;
  visibility?: VisibilitySource;
  /** A pairing call without an answer after this long counts as unreachable. Default 15 000 ms. */
  requestTimeoutMs?: number;
  onChange?: (state: AuthState) => void;
  /** Every failure, including a refused code (the status then stays `awaiting-code`). */
  onError?: (error: InkAuthError) => void;
}

/** Refusals after which the same challenge stays usable: the user simply types again. */
const RETYPE: ReadonlySet<string> = new Set(['code_incorrect', 'invalid_code_format', 'too_many_failures']);

/**
 * The pairing-mode lifecycle of one app on one server, without any DOM or Lit:
 * cache → (no usable key) challenge → `awaiting-code` → code → API key → cache → `ready`.
 * A wrong code keeps the challenge; a dead or expired challenge is replaced by a new one.
 * Tabs share the key through the cache and a broadcast; no lock is needed because only a
 * person typing a code creates a key.
 */
export class PairingSession {
  /** The cache key (base URL + app id + mode). */
  readonly key: string;
  #state: AuthState;
  #current: CachedPairedKey | null = null;
  #challengeId: string | null = null;
  #opening: Promise<void> | null = null;
  #checking: Promise<void> | null = null;
  #startup: Promise<void> | null = null;
  #disposed = false;
  readonly #changeWaiters = new Set<() => void>();
  readonly #abort = new AbortController();
  readonly #expiry: RenewalScheduler;
  readonly #unsubscribe: () => void;
  readonly #now: () => number;

  constructor(private readonly options: PairingSessionOptions) {
    this.key = pairedKeyCacheKey(options.baseUrl, options.appId);
    this.#now = options.now ?? Date.now;
    this.#state = initialState(options.appId, options.baseUrl, options.store.kind);
    this.#expiry = new RenewalScheduler(() => this.#onExpired(), { now: this.#now, visibility: options.visibility });
    this.#unsubscribe = options.tabs.subscribe((message) => this.#onTabMessage(message));
  }

  /** The latest published state. */
  get state(): AuthState {
    return this.#state;
  }

  /** Reads the cache and, without a usable key there, opens a challenge. Never rejects. */
  start(): Promise<void> {
    this.#startup ??= this.#runStart();
    return this.#startup;
  }

  async #runStart(): Promise<void> {
    const cached = await this.options.store.read(this.key);
    this.#syncStorage();
    if (this.#disposed || this.#current) return;
    if (cached && this.#usable(cached)) {
      this.#adopt(cached);
      return;
    }
    if (cached) await this.options.store.remove(this.key);
    await this.#openChallenge().catch(() => undefined);
  }

  /**
   * Resolves with the API key once paired: at once when cached, else after the user typed the
   * code (it waits while `awaiting-code`). Rejects with the error of the `error` state.
   */
  async getToken(): Promise<string> {
    await this.start();
    for (;;) {
      if (this.#disposed) throw new InkAuthError('aborted', 'The pairing session was disposed.');
      const current = this.#current;
      if (current && !this.#usable(current)) this.#onExpired();
      else if (current && this.#state.status === 'ready') return current.apiKey;
      if (this.#state.status === 'error' && this.#state.error) throw this.#state.error;
      await this.#nextChange();
    }
  }

  /**
   * Trades `code` for an API key on the open challenge. A wrong code rejects with a
   * {@link PairingRequestError} (`code_incorrect`) and keeps the challenge; a dead or expired
   * challenge rejects (`needsNewCode`) after a new challenge was opened; anything else
   * (unreachable server, 5xx) moves to `error`.
   */
  async submitCode(code: string): Promise<void> {
    await this.start();
    if (this.#state.status === 'ready') return;
    this.#checking ??= this.#exchange(code).finally(() => {
      this.#checking = null;
    });
    return this.#checking;
  }

  /** Abandons the open challenge (if any) and opens a new one; the retry action of `error`. */
  async newCode(): Promise<void> {
    await this.start();
    if (this.#state.status === 'ready') return;
    await this.#openChallenge();
  }

  /**
   * A paired key cannot be renewed without the user. Called when the API refused the key
   * (authFetch on a 401): forgets it in every tab, opens a new challenge and rejects with
   * `unauthorized`, so the refused response is returned as is.
   */
  async refresh(): Promise<void> {
    await this.start();
    if (this.#current) {
      this.#dropKey();
      await this.options.store.remove(this.key);
      this.options.tabs.publish({ type: 'reset', at: this.#now() });
    }
    if (this.#state.status !== 'awaiting-code') await this.#openChallenge().catch(() => undefined);
    throw new InkAuthError('unauthorized', 'The paired API key was refused; enter a new pairing code.', { status: 401 });
  }

  /**
   * Forgets the key here and in every tab, revokes it on the server (best effort: a failure
   * is ignored) and opens a new challenge. Rejects when no challenge could be opened.
   */
  async reset(): Promise<void> {
    await this.start();
    await this.#checking?.catch(() => undefined);
    const old = this.#current;
    this.#dropKey();
    await this.options.store.remove(this.key);
    this.options.tabs.publish({ type: 'reset', at: this.#now() });
    const keyId = old?.keyId;
    if (old && keyId) {
      await revokePairedKey(this.#client(), { apiKey: old.apiKey, keyId }).catch(() => undefined);
    }
    await this.#openChallenge();
  }

  /** Stops everything: aborts requests, clears the expiry timer, leaves the tab channel. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#abort.abort();
    this.#expiry.dispose();
    this.#unsubscribe();
    this.options.tabs.close();
    this.#wake();
  }

  async #exchange(code: string): Promise<void> {
    await this.#opening?.catch(() => undefined);
    const challengeId = this.#challengeId;
    try {
      if (!challengeId) {
        throw new PairingRequestError('conflict', 'No pairing code is pending; ask for a new code.', 'challenge_not_found');
      }
      const key = await exchangePairingCode(this.#client(), challengeId, code);
      if (this.#disposed) return;
      const record: CachedPairedKey = {
        apiKey: key.apiKey,
        keyId: key.keyId,
        expiresAt: key.expiresAt?.getTime() ?? null,
        obtainedAt: this.#now(),
      };
      await this.options.store.write(this.key, record);
      this.#syncStorage();
      this.options.tabs.publish({ type: 'session', session: record });
      this.#adopt(record);
    } catch (thrown) {
      const error = toInkAuthError(thrown);
      if (isAbortError(error) || this.#disposed) throw error;
      this.options.onError?.(error);
      // Paired meanwhile through another tab: nothing to repair here.
      if (this.#state.status === 'ready') throw error;
      if (error instanceof PairingRequestError && RETYPE.has(error.reason)) throw error;
      if (error instanceof PairingRequestError && error.needsNewCode) {
        if (this.#challengeId === challengeId) await this.#openChallenge().catch(() => undefined);
        throw error;
      }
      this.#fail(error);
      throw error;
    }
  }

  #openChallenge(): Promise<void> {
    if (this.#disposed) return Promise.reject(new InkAuthError('aborted', 'The pairing session was disposed.'));
    this.#opening ??= this.#runOpen().finally(() => {
      this.#opening = null;
    });
    return this.#opening;
  }

  async #runOpen(): Promise<void> {
    this.#challengeId = null;
    this.#publish({ status: 'requesting', token: null, anonId: null, expiresAt: null, error: null });
    try {
      const { challengeId } = await createPairingChallenge(this.#client(), this.options.appName);
      if (this.#disposed || this.#current) return; // paired meanwhile through another tab
      this.#challengeId = challengeId;
      this.#publish({ status: 'awaiting-code', error: null });
    } catch (thrown) {
      const error = toInkAuthError(thrown);
      if (!isAbortError(error) && !this.#disposed && !this.#current) {
        this.options.onError?.(error);
        this.#fail(error);
      }
      throw error;
    }
  }

  /** Where the pairing calls go: aborted on dispose, unreachable after the request timeout. */
  #client(): PairingClientOptions {
    const client: PairingClientOptions = { baseUrl: this.options.baseUrl, appId: this.options.appId, signal: this.#abort.signal };
    if (this.options.requestTimeoutMs !== undefined) client.timeoutMs = this.options.requestTimeoutMs;
    if (this.options.fetch) client.fetch = this.options.fetch;
    return client;
  }

  #usable(record: CachedPairedKey): boolean {
    return record.expiresAt === null || record.expiresAt > this.#now() + 1_000;
  }

  #publish(patch: Partial<AuthState>): void {
    if (this.#disposed) return;
    this.#state = { ...this.#state, ...patch };
    this.options.onChange?.(this.#state);
    this.#wake();
  }

  #wake(): void {
    const waiters = [...this.#changeWaiters];
    this.#changeWaiters.clear();
    for (const waiter of waiters) waiter();
  }

  #nextChange(): Promise<void> {
    return new Promise((resolve) => this.#changeWaiters.add(resolve));
  }

  #syncStorage(): void {
    const kind = this.options.store.kind;
    if (kind !== this.#state.storage) this.#publish({ storage: kind, storageFallback: true });
  }

  #adopt(record: CachedPairedKey): void {
    this.#current = record;
    this.#challengeId = null;
    const expiresAt = record.expiresAt === null ? null : new Date(record.expiresAt);
    this.#publish({ status: 'ready', token: record.apiKey, anonId: record.keyId, expiresAt, error: null });
    if (record.expiresAt === null) this.#expiry.cancel();
    else this.#expiry.schedule(record.expiresAt);
  }

  #dropKey(): void {
    this.#current = null;
    this.#expiry.cancel();
  }

  #fail(error: InkAuthError): void {
    this.#challengeId = null;
    this.#publish({ status: 'error', token: null, anonId: null, expiresAt: null, error });
  }

  #onExpired(): void {
    if (this.#disposed || !this.#current || this.#usable(this.#current)) return;
    this.#dropKey();
    void this.options.store.remove(this.key);
    this.#openChallenge().catch(() => undefined);
  }

  #onTabMessage(message: TabMessage<CachedPairedKey>): void {
    if (this.#disposed) return;
    if (message.type === 'session') {
      const incoming = asCachedPairedKey(message.session);
      if (!incoming || !this.#usable(incoming) || incoming.apiKey === this.#current?.apiKey) return;
      this.#adopt(incoming);
      return;
    }
    // Another tab forgot the key (reset, or the API refused it): so do we.
    if (!this.#current) return;
    this.#dropKey();
    this.#openChallenge().catch(() => undefined);
  }
}
