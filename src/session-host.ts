import { requestTimeoutMs } from './api/endpoint.js';
import type { FetchLike } from './api/endpoint.js';
import { normalizeBaseUrl, refreshLeewaySeconds, requireAppId } from './config.js';
import { InkAuthError, isAbortError, toInkAuthError } from './errors.js';
import type { PairingSession } from './pairing/pairing-session.js';
import type { UserSession, UserTokenSource } from './session/user-session.js';
import { asCachedSession, memoryStore, recordStoreFor, storageKindOf } from './session/cache.js';
import type { StorageSetting } from './session/cache.js';
import { loadOnce } from './session/lazy-chunk.js';
import { AuthSession } from './session/session.js';
import { initialState } from './session/state.js';
import type { AuthProgress, AuthState, InkAuthMode } from './session/state.js';

/** The pairing chunk: loaded on first use only, so the anonymous mode does not pay for it. */
export type PairingModule = typeof import('./pairing/pairing-mode.js');
/** The signed-in user chunk: loaded when the site gives a user token or a callback. */
export type UserModule = typeof import('./session/user-session.js');

const loadPairingModule = loadOnce('pairing', (): Promise<PairingModule> => import('./pairing/pairing-mode.js'));
const loadUserModule = loadOnce('signed-in user', (): Promise<UserModule> => import('./session/user-session.js'));

/** The provider's settings as its attributes and properties are now (times in seconds). */
export interface HostSettings {
  mode: InkAuthMode;
  appId: string;
  baseUrl: string;
  storage: StorageSetting;
  appName: string;
  refreshLeeway: number;
  requestTimeout: number;
  /** The site's signed-in user token (`user-token`), or null. */
  userToken: string | null;
  /** The site's callback for its user's token, or null. */
  getUserToken: UserTokenSource | null;
  /** Move this browser's anonymous history to the user once signed in. */
  claimAnonymous: boolean;
}

/** What a {@link SessionHost} reads from and reports to its element. */
export interface SessionHostOptions {
  settings: () => HostSettings;
  /** The fetch of every API call (the element's `apiFetch`). */
  fetch: FetchLike;
  onState: (state: AuthState) => void;
  onProgress: (progress: AuthProgress) => void;
  onError: (error: InkAuthError) => void;
  /** The pairing chunk arrived (the element adopts its styles and renders again). */
  onPairingLoaded: (module: PairingModule) => void;
  /** Whether the element is connected (a late pairing chunk starts nothing otherwise). */
  connected: () => boolean;
}

type Session = AuthSession | PairingSession | UserSession;

/**
 * Runs the one session of an element: builds it for the mode from the settings, replaces it on
 * restart (every callback of a replaced session is ignored), and lets calls wait for it.
 */
export class SessionHost {
  #session: Session | null = null;
  #pairing: PairingModule | null = null;
  #user: UserModule | null = null;
  /** The site has no signed-in user (its callback answered null): anonymous until the next restart. */
  #signedOut = false;
  /** Why no session runs (invalid settings, the pairing chunk failed), until the next restart. */
  #startError: InkAuthError | null = null;
  #generation = 0;
  readonly #waiters = new Set<() => void>();

  readonly #options: SessionHostOptions;

  constructor(options: SessionHostOptions) {
    this.#options = options;
  }

  get running(): boolean {
    return this.#session !== null;
  }

  /** The pairing chunk once loaded. */
  get pairing(): PairingModule | null {
    return this.#pairing;
  }

  /** The running pairing session, if the running session is one. */
  get pairingSession(): PairingSession | null {
    const session = this.#session;
    return session && 'submitCode' in session ? session : null;
  }

  /** Resolves with a valid token, following restarts; rejects with an `InkAuthError`. */
  async getToken(): Promise<string> {
    for (let round = 0; round < 5; round++) {
      const session = await this.require();
      try {
        return await session.getToken();
      } catch (error) {
        // The session was replaced (settings changed, reconnect): ask the new one.
        if (isAbortError(error) && session !== this.#session) continue;
        throw toInkAuthError(error);
      }
    }
    throw new InkAuthError('aborted', 'The provider kept restarting; no token was obtained.');
  }

  /** The running session; waits for the first start; rejects with the error that prevents one. */
  async require(): Promise<Session> {
    if (!this.#session && this.#startError) throw this.#startError;
    const session = this.#session ?? (await this.#nextSession());
    if (!session) throw this.#startError ?? new InkAuthError('aborted', 'The provider has no session.');
    return session;
  }

  async requirePairing(): Promise<PairingSession> {
    const session = await this.require();
    if (!('submitCode' in session)) throw new InkAuthError('bad_request', 'Pairing calls need mode="pairing".');
    return session;
  }

  /**
   * Renews the running session's token. After a fallback to anonymous, a site callback is asked
   * again first (its user may have signed in since).
   */
  async refresh(): Promise<void> {
    if (this.#signedOut && this.#options.settings().getUserToken) {
      this.restart();
      await this.getToken();
      return;
    }
    await (await this.require()).refresh();
  }

  /** The site set a new user token: the running user session takes it, anything else restarts. */
  offerUserToken(token: string | null): void {
    const session = this.#session;
    if (token && session && 'offer' in session) session.offer(token);
    else this.restart();
  }

  stop(): void {
    this.#generation++;
    this.#session?.dispose();
    this.#session = null;
  }

  /** Replaces the session by one built from the current settings, and starts it. */
  restart(signedOut = false): void {
    this.stop();
    this.#signedOut = signedOut;
    this.#startError = null;
    const generation = this.#generation;
    const settings = this.#options.settings();
    let appId: string;
    let baseUrl: string;
    try {
      appId = requireAppId(settings.appId);
      baseUrl = normalizeBaseUrl(settings.baseUrl);
    } catch (thrown) {
      this.#cannotStart(toInkAuthError(thrown), initialState(settings.appId ?? '', settings.baseUrl ?? '', storageKindOf(settings.storage)));
      return;
    }
    if (settings.mode === 'pairing' && !this.#pairing) {
      this.#loadChunk(loadPairingModule, (module) => {
        const first = !this.#pairing;
        this.#pairing = module;
        if (first) this.#options.onPairingLoaded(module);
      }, generation, initialState(settings.appId, settings.baseUrl, storageKindOf(settings.storage), 'key'));
      return;
    }
    const signedIn = settings.mode === 'anonymous' && !signedOut && (!!settings.userToken || !!settings.getUserToken);
    if (signedIn && !this.#user) {
      this.#loadChunk(loadUserModule, (module) => {
        this.#user = module;
      }, generation, initialState(settings.appId, settings.baseUrl, 'memory', 'user'));
      return;
    }
    let session: Session;
    if (this.#pairing && settings.mode === 'pairing') session = this.#pairingSession(this.#pairing, settings, appId, baseUrl, generation);
    else if (this.#user && signedIn) session = this.#userSession(this.#user, settings, appId, baseUrl, generation);
    else session = this.#anonymousSession(settings, appId, baseUrl, generation);
    this.#session = session;
    this.#options.onState(session.state);
    this.#notify();
    void session.start();
  }

  #cannotStart(error: InkAuthError, state: AuthState): void {
    this.#startError = error;
    this.#options.onState({ ...state, status: 'error', error });
    this.#options.onError(error);
    this.#notify();
  }

  /** Loads a mode's chunk, then starts again (unless the settings changed meanwhile). */
  #loadChunk<M>(load: () => Promise<M>, loaded: (module: M) => void, generation: number, idle: AuthState): void {
    this.#options.onState(idle);
    load().then(
      (module) => {
        loaded(module);
        if (generation === this.#generation && this.#options.connected()) this.restart(this.#signedOut);
      },
      (error: unknown) => {
        if (generation === this.#generation) this.#cannotStart(toInkAuthError(error), idle);
      },
    );
  }

  #userSession(user: UserModule, settings: HostSettings, appId: string, baseUrl: string, generation: number): UserSession {
    return user.createUserSession({
      appId,
      baseUrl,
      refreshLeewaySeconds: refreshLeewaySeconds(settings.refreshLeeway),
      requestTimeoutMs: requestTimeoutMs(settings.requestTimeout * 1000),
      userToken: settings.userToken,
      getUserToken: settings.getUserToken,
      claimAnonymous: settings.claimAnonymous,
      anonymousStore: this.#store(settings),
      fetch: this.#options.fetch,
      onSignedOut: () => {
        // Deferred: the user session is still inside its own call when it says so.
        if (generation === this.#generation) queueMicrotask(() => generation === this.#generation && this.restart(true));
      },
      ...this.#callbacks(generation),
    });
  }

  #store(settings: HostSettings) {
    return recordStoreFor(settings.storage, asCachedSession, memoryStore());
  }

  #pairingSession(pairing: PairingModule, settings: HostSettings, appId: string, baseUrl: string, generation: number): PairingSession {
    return pairing.createPairingSession({
      appId,
      baseUrl,
      appName: settings.appName,
      storage: settings.storage,
      fetch: this.#options.fetch,
      requestTimeoutMs: requestTimeoutMs(settings.requestTimeout * 1000),
      ...this.#callbacks(generation),
    });
  }

  #anonymousSession(settings: HostSettings, appId: string, baseUrl: string, generation: number): AuthSession {
    const { onProgress } = this.#options;
    return new AuthSession({
      appId,
      baseUrl,
      refreshLeewaySeconds: refreshLeewaySeconds(settings.refreshLeeway),
      requestTimeoutMs: requestTimeoutMs(settings.requestTimeout * 1000),
      store: this.#store(settings),
      fetch: this.#options.fetch,
      onProgress: (progress) => {
        if (generation === this.#generation) onProgress(progress);
      },
      ...this.#callbacks(generation),
    });
  }

  /** The session's reports, passed on while it is still the running one. */
  #callbacks(generation: number): { onChange: (state: AuthState) => void; onError: (error: InkAuthError) => void } {
    const { onState, onError } = this.#options;
    return {
      onChange: (state) => {
        if (generation === this.#generation) onState(state);
      },
      onError: (error) => {
        if (generation === this.#generation) onError(error);
      },
    };
  }

  /** Resolves at the next (re)start: with the new session, or null when it could not start. */
  #nextSession(): Promise<Session | null> {
    return new Promise((resolve) => {
      const waiter = () => {
        this.#waiters.delete(waiter);
        resolve(this.#session);
      };
      this.#waiters.add(waiter);
    });
  }

  #notify(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }
}
