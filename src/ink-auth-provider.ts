import { LitElement, html } from 'lit';
import { ContextProvider } from '@lit/context';
import { authContext } from './context.js';
import type { AuthContextValue } from './context.js';
import { normalizeBaseUrl, refreshLeewaySeconds, requireAppId } from './config.js';
import { createAuthFetch } from './consumer/auth-fetch.js';
import { InkAuthError, isAbortError, toInkAuthError } from './errors.js';
import { emit } from './events.js';
import { solveChallenge } from './pow/solve.js';
import { indexedDbStore, memoryStore, sessionKey } from './session/cache.js';
import { AuthSession } from './session/session.js';
import { initialState } from './session/state.js';
import type { AuthState, AuthStatus } from './session/state.js';
import { createTabCoordinator } from './session/tabs.js';

/**
 * Obtains an anonymous chat session (proof of work in workers, cached in IndexedDB, shared
 * across tabs, renewed before expiry) and hands the token to the chat elements inside it.
 *
 * @summary Anonymous-session auth for the chat elements it wraps.
 * @slot - Chat elements; they read the token from the `authContext` or the events.
 * @fires ink-auth-change - The auth state changed; `detail` is the new `AuthState`.
 * @fires ink-auth-progress - PoW progress; `detail` is `{ phase, fraction, hashes }`.
 * @fires ink-auth-error - Acquiring or renewing failed; `detail` is `{ error: InkAuthError }`.
 */
export class InkAuthProvider extends LitElement {
  static override properties = {
    appId: { type: String, attribute: 'app-id' },
    baseUrl: { type: String, attribute: 'base-url' },
    storage: { type: String },
    refreshLeeway: { type: Number, attribute: 'refresh-leeway' },
  };

  /** The app id (`app_…`). Required. */
  declare appId: string;
  /** Server base URL; default `https://api.pilot.inkeep.com`. */
  declare baseUrl: string;
  /** `indexeddb` (default) caches the session across reloads; `memory` persists nothing. */
  declare storage: 'indexeddb' | 'memory';
  /** Seconds before `exp` at which the token is renewed (default 60); applies to the next session. */
  declare refreshLeeway: number;

  #state: AuthState;
  #session: AuthSession | null = null;
  #generation = 0;
  readonly #provider: ContextProvider<typeof authContext>;
  readonly #fetch = createAuthFetch(this);
  readonly #sessionWaiters = new Set<() => void>();

  constructor() {
    super();
    this.appId = '';
    this.baseUrl = '';
    this.storage = 'indexeddb';
    this.refreshLeeway = 60;
    this.#state = initialState('', '', 'indexeddb');
    // Provided from the host itself, from the start: slotted consumers find it (lit#4618).
    this.#provider = new ContextProvider(this, { context: authContext, initialValue: this.#contextValue() });
  }

  /** Current lifecycle status. */
  get status(): AuthStatus {
    return this.#state.status;
  }
  /** The session JWT, `null` until ready. */
  get token(): string | null {
    return this.#state.token;
  }
  /** The anonymous identity (`anon_…`), `null` until ready. */
  get anonId(): string | null {
    return this.#state.anonId;
  }
  /** When the token expires, `null` until ready. */
  get expiresAt(): Date | null {
    return this.#state.expiresAt;
  }
  /** The error while `status === 'error'`. */
  get error(): InkAuthError | null {
    return this.#state.error;
  }
  /** The whole current state snapshot. */
  get authState(): AuthState {
    return this.#state;
  }

  /** Resolves with a valid token once `ready`; rejects with the `InkAuthError` on failure. */
  async getToken(): Promise<string> {
    for (let round = 0; round < 5; round++) {
      const session = await this.#requireSession();
      try {
        return await session.getToken();
      } catch (error) {
        // The session was replaced (app-id/base-url changed, reconnect): ask the new one.
        if (isAbortError(error) && session !== this.#session) continue;
        throw toInkAuthError(error);
      }
    }
    throw new InkAuthError('aborted', 'The provider kept restarting; no token was obtained.');
  }

  /** Renews the session now, keeping the `anon_` identity. Rejects with the error on failure. */
  async refresh(): Promise<void> {
    await (await this.#requireSession()).refresh();
  }

  /** Forgets the cached session in every tab; the next token belongs to a new identity. */
  async reset(): Promise<void> {
    await (await this.#requireSession()).reset();
  }

  protected override render() {
    return html`<slot></slot>`;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Lit's first update (or a reconnect) starts a session in willUpdate/updated.
    if (!this.#session) this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stop();
  }

  protected override updated(changed: Map<PropertyKey, unknown>): void {
    const restart = changed.has('appId') || changed.has('baseUrl') || changed.has('storage');
    if (this.isConnected && (restart || !this.#session)) this.#restart();
  }

  /** Resolves at the next (re)start: with the new session, or null when the configuration is invalid. */
  #nextSession(): Promise<AuthSession | null> {
    return new Promise((resolve) => {
      const waiter = () => {
        this.#sessionWaiters.delete(waiter);
        resolve(this.#session);
      };
      this.#sessionWaiters.add(waiter);
    });
  }

  /** The running session; waits for the first start; rejects with the configuration error. */
  async #requireSession(): Promise<AuthSession> {
    const configError = !this.#session && this.#state.status === 'error' ? this.#state.error : null;
    if (configError) throw configError;
    const session = this.#session ?? (await this.#nextSession());
    if (!session) throw this.#state.error ?? new InkAuthError('aborted', 'The provider has no session.');
    return session;
  }

  #notifySessionWaiters(): void {
    for (const waiter of [...this.#sessionWaiters]) waiter();
  }

  #stop(): void {
    this.#generation++;
    this.#session?.dispose();
    this.#session = null;
  }

  #restart(): void {
    this.#stop();
    const generation = this.#generation;
    let appId: string;
    let baseUrl: string;
    try {
      appId = requireAppId(this.appId);
      baseUrl = normalizeBaseUrl(this.baseUrl);
    } catch (thrown) {
      const error = toInkAuthError(thrown);
      this.#setState({ ...initialState(this.appId ?? '', this.baseUrl ?? '', this.#storageKind()), status: 'error', error });
      emit(this, 'ink-auth-error', { error });
      this.#notifySessionWaiters();
      return;
    }
    const persistent = this.#storageKind() === 'indexeddb';
    const store = persistent ? indexedDbStore() : memoryStore();
    const session = new AuthSession({
      appId,
      baseUrl,
      refreshLeewaySeconds: refreshLeewaySeconds(this.refreshLeeway),
      store,
      tabs: createTabCoordinator(sessionKey(baseUrl, appId)),
      fetch: (input, init) => globalThis.fetch(input, init),
      solve: solveChallenge,
      onChange: (state) => {
        if (generation === this.#generation) this.#setState(state);
      },
      onProgress: (progress) => {
        if (generation === this.#generation) emit(this, 'ink-auth-progress', progress);
      },
      onError: (error) => {
        if (generation === this.#generation) emit(this, 'ink-auth-error', { error });
      },
    });
    this.#session = session;
    this.#setState(session.state);
    this.#notifySessionWaiters();
    void session.start();
  }

  #storageKind(): 'indexeddb' | 'memory' {
    return this.storage === 'memory' ? 'memory' : 'indexeddb';
  }

  #setState(state: AuthState): void {
    if (state === this.#state) return;
    this.#state = state;
    this.#provider.setValue(this.#contextValue());
    emit(this, 'ink-auth-change', state);
  }

  #contextValue(): AuthContextValue {
    return {
      ...this.#state,
      getToken: () => this.getToken(),
      fetch: (input, init) => this.#fetch(input, init),
    };
  }
}
