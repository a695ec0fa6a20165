import type { FetchLike } from '../api/endpoint.js';
import { InkAuthError, isAbortError, toInkAuthError } from '../errors.js';
import type { RecordStore } from '../session/cache.js';
import { CredentialLifecycle } from '../session/lifecycle.js';
import type { OpenTabs } from '../session/lifecycle.js';
import type { VisibilitySource } from '../session/renew.js';
import type { AuthState } from '../session/state.js';
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
  /** Opens the tab channel of the cache key (default: Web Locks + BroadcastChannel); the session closes it. */
  tabs?: OpenTabs<CachedPairedKey>;
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
 * The pairing mode on the shared {@link CredentialLifecycle}:
 * cache → (no usable key) challenge → `awaiting-code` → code → API key → cache → `ready`.
 * A wrong code keeps the challenge; a dead or expired challenge is replaced by a new one.
 * Tabs share the key through the cache and a broadcast; no lock is needed because only a
 * person typing a code creates a key.
 */
export class PairingSession {
  /** The cache key (base URL + app id + mode). */
  readonly key: string;
  #challengeId: string | null = null;
  #opening: Promise<void> | null = null;
  #checking: Promise<void> | null = null;
  readonly #life: CredentialLifecycle<CachedPairedKey>;
  readonly #changeWaiters = new Set<() => void>();

  readonly #options: PairingSessionOptions;

  constructor(options: PairingSessionOptions) {
    this.#options = options;
    this.key = pairedKeyCacheKey(options.baseUrl, options.appId);
    this.#life = new CredentialLifecycle<CachedPairedKey>({
      ...options,
      key: this.key,
      kind: 'key',
      // getToken waits for the code: every published state wakes it.
      onChange: (state) => {
        options.onChange?.(state);
        this.#wake();
      },
      rules: {
        trust: asCachedPairedKey,
        usable: (record) => this.#usable(record),
        view: (record) => ({
          token: record.apiKey,
          anonId: record.keyId,
          identity: record.keyId,
          expiresAt: record.expiresAt === null ? null : new Date(record.expiresAt),
        }),
        dueAt: (record) => record.expiresAt,
        supersedes: (incoming, held) => incoming.apiKey !== held?.apiKey,
      },
      hooks: {
        acquire: async (cached) => {
          if (cached) await this.#life.store.remove(this.key); // present but expired
          await this.#openChallenge();
        },
        due: () => this.#onExpired(),
        forgotten: () => {
          // Another tab forgot the key (reset, or the API refused it): so do we.
          if (!this.#life.held) return;
          this.#life.drop();
          this.#openChallenge().catch(() => undefined);
        },
        adopted: () => {
          this.#challengeId = null;
        },
      },
    });
  }

  /** The latest published state. */
  get state(): AuthState {
    return this.#life.state;
  }

  /** Reads the cache and, without a usable key there, opens a challenge. Never rejects. */
  start(): Promise<void> {
    return this.#life.start();
  }

  /**
   * Resolves with the API key once paired: at once when cached, else after the user typed the
   * code (it waits while `awaiting-code`). Rejects with the error of the `error` state.
   */
  async getToken(): Promise<string> {
    await this.start();
    const life = this.#life;
    for (;;) {
      if (life.disposed) throw life.disposedError();
      const held = life.held;
      if (held && !this.#usable(held)) this.#onExpired();
      else if (held && life.state.status === 'ready') return held.apiKey;
      if (life.state.status === 'error' && life.state.error) throw life.state.error;
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
    if (this.#life.state.status === 'ready') return;
    this.#checking ??= this.#exchange(code).finally(() => {
      this.#checking = null;
    });
    return this.#checking;
  }

  /** Abandons the open challenge (if any) and opens a new one; the retry action of `error`. */
  async newCode(): Promise<void> {
    await this.start();
    if (this.#life.state.status === 'ready') return;
    await this.#openChallenge();
  }

  /**
   * A paired key cannot be renewed without the user. Called when the API refused the key
   * (authFetch on a 401): forgets it in every tab, opens a new challenge and rejects with
   * `unauthorized`, so the refused response is returned as is.
   */
  async refresh(): Promise<void> {
    await this.start();
    if (this.#life.held) await this.#life.forgetEverywhere();
    if (this.#life.state.status !== 'awaiting-code') await this.#openChallenge().catch(() => undefined);
    throw new InkAuthError('unauthorized', 'The paired API key was refused; enter a new pairing code.', { status: 401 });
  }

  /**
   * Forgets the key here and in every tab, revokes it on the server (best effort: a failure
   * is ignored) and opens a new challenge. Rejects when no challenge could be opened.
   */
  async reset(): Promise<void> {
    await this.start();
    await this.#checking?.catch(() => undefined);
    const old = this.#life.held;
    await this.#life.forgetEverywhere();
    const keyId = old?.keyId;
    if (old && keyId) {
      await revokePairedKey(this.#client(), { apiKey: old.apiKey, keyId }).catch(() => undefined);
    }
    await this.#openChallenge();
  }

  /** Stops everything: aborts requests, clears the expiry timer, leaves the tab channel. */
  dispose(): void {
    this.#life.dispose();
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

  async #exchange(code: string): Promise<void> {
    await this.#opening?.catch(() => undefined);
    const life = this.#life;
    const challengeId = this.#challengeId;
    try {
      if (!challengeId) {
        throw new PairingRequestError('conflict', 'No pairing code is pending; ask for a new code.', 'challenge_not_found');
      }
      const key = await exchangePairingCode(this.#client(), challengeId, code);
      if (life.disposed) return;
      const record: CachedPairedKey = {
        apiKey: key.apiKey,
        keyId: key.keyId,
        expiresAt: key.expiresAt?.getTime() ?? null,
        obtainedAt: life.now(),
      };
      await life.keep(record);
      life.adopt(record);
    } catch (thrown) {
      const error = toInkAuthError(thrown);
      if (isAbortError(error) || life.disposed) throw error;
      this.#options.onError?.(error);
      // Paired meanwhile through another tab: nothing to repair here.
      if (life.state.status === 'ready') throw error;
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
    if (this.#life.disposed) return Promise.reject(this.#life.disposedError());
    this.#opening ??= this.#runOpen().finally(() => {
      this.#opening = null;
    });
    return this.#opening;
  }

  async #runOpen(): Promise<void> {
    const life = this.#life;
    this.#challengeId = null;
    life.publish({ status: 'requesting', token: null, anonId: null, identity: null, expiresAt: null, error: null });
    try {
      const { challengeId } = await createPairingChallenge(this.#client(), this.#options.appName);
      if (life.disposed || life.held) return; // paired meanwhile through another tab
      this.#challengeId = challengeId;
      life.publish({ status: 'awaiting-code', error: null });
    } catch (thrown) {
      const error = toInkAuthError(thrown);
      if (!isAbortError(error) && !life.disposed && !life.held) {
        this.#options.onError?.(error);
        this.#fail(error);
      }
      throw error;
    }
  }

  /** Where the pairing calls go: aborted on dispose, unreachable after the request timeout. */
  #client(): PairingClientOptions {
    const client: PairingClientOptions = { baseUrl: this.#options.baseUrl, appId: this.#options.appId, signal: this.#life.signal };
    if (this.#options.requestTimeoutMs !== undefined) client.timeoutMs = this.#options.requestTimeoutMs;
    if (this.#options.fetch) client.fetch = this.#options.fetch;
    return client;
  }

  #usable(record: CachedPairedKey): boolean {
    return record.expiresAt === null || record.expiresAt > this.#life.now() + 1_000;
  }

  #fail(error: InkAuthError): void {
    this.#challengeId = null;
    this.#life.fail(error);
  }

  #onExpired(): void {
    const life = this.#life;
    if (life.disposed || !life.held || this.#usable(life.held)) return;
    life.drop();
    void life.store.remove(this.key);
    this.#openChallenge().catch(() => undefined);
  }
}
