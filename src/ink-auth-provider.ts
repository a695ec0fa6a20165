import { ReactiveElement, adoptStyles } from '@lit/reactive-element';
import type { PropertyValues } from '@lit/reactive-element';
import { ContextProvider } from '@lit/context';
import { authContext } from './context.js';
import type { AuthContextValue } from './context.js';
import { normalizeBaseUrl, refreshLeewaySeconds, requireAppId } from './config.js';
import { DEFAULT_REQUEST_TIMEOUT_MS, requestTimeoutMs } from './api/http.js';
import type { FetchLike } from './api/http.js';
import { createAuthFetch } from './consumer/auth-fetch.js';
import { InkAuthError, isAbortError, toInkAuthError } from './errors.js';
import { emit } from './events.js';
import { solveChallenge, startPowWorkers } from './pow/solve.js';
import type { PairingSubmitDetail } from './pairing/code-form.js';
import type { PairingSession } from './pairing/pairing-session.js';
import type { PairingTexts } from './pairing/pairing-texts.js';
import { indexedDbStore, memoryStore, sessionKey } from './session/cache.js';
import { AuthSession } from './session/session.js';
import { initialState } from './session/state.js';
import type { AuthState, AuthStatus } from './session/state.js';
import { createTabCoordinator } from './session/tabs.js';

/** The ways the provider authenticates. */
export type InkAuthMode = 'anonymous' | 'pairing';

type PairingMode = typeof import('./pairing/pairing-mode.js');

const CONFIG_ERRORS: ReadonlySet<string> = new Set(['missing_app_id', 'invalid_base_url']);
// Pairing code is loaded on first use only, so the anonymous mode does not pay for it.
let pairingMode: Promise<PairingMode> | null = null;
const loadPairingMode = (): Promise<PairingMode> => (pairingMode ??= import('./pairing/pairing-mode.js'));

/**
 * Obtains an anonymous chat session (proof of work in workers, cached in IndexedDB, shared
 * across tabs, renewed before expiry) and hands the token to the chat elements inside it.
 *
 * With `mode="pairing"` it instead pairs with a trusted app: it opens a challenge, shows a
 * code form (status `awaiting-code`) and trades the 4-digit code the trusted app displays for
 * an API key, cached and handed out exactly like a session token (`token` = the key,
 * `anonId` = the key id or null).
 *
 * @summary Anonymous-session or code-pairing auth for the chat elements it wraps.
 * @slot - Chat elements; they read the token from the `authContext` or the events.
 * @slot pairing-form - Pairing mode: replaces the built-in code form (shown while `requesting`/`awaiting-code`); a slotted `<ink-pairing-code-form>` is driven like the built-in one, any other form calls `submitPairingCode()`.
 * @slot pairing-hint - Pairing mode: replaces the hint text of the built-in form.
 * @fires {AuthState} ink-auth-change - The auth state changed; `detail` is the new `AuthState`.
 * @fires {AuthProgress} ink-auth-progress - PoW progress; `detail` is `{ phase, fraction, hashes, kernel }`.
 * @fires {InkAuthErrorDetail} ink-auth-error - Acquiring or renewing failed (pairing mode: also a refused code); `detail` is `{ error: InkAuthError }`.
 * @csspart pairing - Pairing mode: the wrapper of the code form and of the error message.
 * @csspart pairing-error - Pairing mode: the error-state wrapper (also has part `pairing`).
 * @csspart pairing-error-text - Pairing mode: the error-state message.
 * @csspart pairing-retry - Pairing mode: the error state's retry button.
 * @csspart pairing-form - Pairing mode: the code form's `<form>` (the form's parts below are re-exported with this prefix).
 * @csspart pairing-label - Pairing mode: the code field's label.
 * @csspart pairing-input - Pairing mode: the code field.
 * @csspart pairing-hint - Pairing mode: the hint paragraph.
 * @csspart pairing-code-error - Pairing mode: the wrong-code message (`aria-live="assertive"`).
 * @csspart pairing-status - Pairing mode: the busy message (`aria-live="polite"`).
 * @csspart pairing-submit - Pairing mode: the submit button.
 * @csspart pairing-new-code - Pairing mode: the "get a new code" button.
 * @cssproperty --ink-pairing-margin - Space around the pairing panel (default `0 0 1rem`).
 * @cssproperty --ink-pairing-font - Font of the pairing panel.
 * @cssproperty --ink-pairing-error-color - Error texts.
 * @cssproperty --ink-pairing-button-background - Buttons (see `<ink-pairing-code-form>` for every `--ink-pairing-*` property).
 */
export class InkAuthProvider extends ReactiveElement {
  static override properties = {
    mode: { type: String },
    appName: { type: String, attribute: 'app-name' },
    pairingTexts: { attribute: false },
    appId: { type: String, attribute: 'app-id' },
    baseUrl: { type: String, attribute: 'base-url' },
    storage: { type: String },
    refreshLeeway: { type: Number, attribute: 'refresh-leeway' },
    requestTimeout: { type: Number, attribute: 'request-timeout' },
  };

  /** `anonymous` (default: PoW session tokens) or `pairing` (a code shown by a trusted app → API key). */
  declare mode: InkAuthMode;
  /** Pairing mode: the name the trusted app shows next to the code. Default: the page title or host. */
  declare appName: string;
  /** Pairing mode: overrides of the texts shown (any subset of {@link PairingTexts}), e.g. for another language. */
  declare pairingTexts: Partial<PairingTexts>;
  /** The app id (`app_…`). Required. */
  declare appId: string;
  /** Server base URL; default `https://api.pilot.inkeep.com`. */
  declare baseUrl: string;
  /** `indexeddb` (default) caches the session across reloads; `memory` persists nothing. */
  declare storage: 'indexeddb' | 'memory';
  /** Seconds before `exp` at which the token is renewed (default 60); applies to the next session. */
  declare refreshLeeway: number;
  /** Seconds one API request may take, body included, before it fails with `timeout` and is retried (default 15); applies to the next session. */
  declare requestTimeout: number;
  /**
   * The `fetch` behind the element's API calls (challenge, session, pairing) and behind the
   * authenticated `fetch` it hands to chat elements. Default: the global `fetch`, looked up at each
   * call. A property only: to route requests through a proxy, instrument them or fake them in tests.
   */
  apiFetch: FetchLike = (input, init) => globalThis.fetch(input, init);

  #state: AuthState;
  #session: AuthSession | PairingSession | null = null;
  #pairing: PairingMode | null = null;
  #rendered: AuthState | null = null;
  /** The view's slot until the pairing chunk renders the view. */
  #slot: HTMLSlotElement | null = null;
  #generation = 0;
  readonly #provider: ContextProvider<typeof authContext>;
  readonly #fetch = createAuthFetch(this, (input, init) => this.apiFetch(input, init));
  readonly #sessionWaiters = new Set<() => void>();

  constructor() {
    super();
    this.appId = '';
    this.baseUrl = '';
    this.storage = 'indexeddb';
    this.refreshLeeway = 60;
    this.requestTimeout = DEFAULT_REQUEST_TIMEOUT_MS / 1000;
    this.mode = 'anonymous';
    this.appName = '';
    this.pairingTexts = {};
    this.#state = initialState('', '', 'indexeddb');
    // Provided from the host itself, from the start: slotted consumers find it (lit#4618).
    this.#provider = new ContextProvider(this, { context: authContext, initialValue: this.#contextValue() });
    this.addEventListener('ink-pairing-submit', this.#onPairingSubmit);
    this.addEventListener('ink-pairing-new-code', this.#onPairingNewCode);
  }

  /** Current lifecycle status. */
  get status(): AuthStatus {
    return this.#state.status;
  }
  /** The session JWT (pairing mode: the API key), `null` until ready. */
  get token(): string | null {
    return this.#state.token;
  }
  /** The anonymous identity (`anon_…`; pairing mode: the key id, or null when the server gave none), `null` until ready. */
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

  /**
   * Resolves with a valid token once `ready`; rejects with the `InkAuthError` on failure.
   * Pairing mode: waits while `awaiting-code` until the user entered the code.
   */
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

  /**
   * Renews the session now, keeping the `anon_` identity. Rejects with the error on failure.
   * Pairing mode: a key cannot be renewed without the user, so this forgets the key (the API
   * refused it), shows the code form again and rejects with `unauthorized`.
   */
  async refresh(): Promise<void> {
    await (await this.#requireSession()).refresh();
  }

  /**
   * Forgets the cached session in every tab; the next token belongs to a new identity.
   * Pairing mode: forgets the key, revokes it on the server (best effort) and shows the form.
   */
  async reset(): Promise<void> {
    await (await this.#requireSession()).reset();
  }

  /**
   * Pairing mode: trades the 4-digit `code` for an API key (for a custom form in the
   * `pairing-form` slot). Rejects with a `PairingRequestError`: `reason` `code_incorrect`
   * keeps the challenge (retype), `needsNewCode` means a new code was requested.
   */
  async submitPairingCode(code: string): Promise<void> {
    await (await this.#requirePairing()).submitCode(code);
  }

  /** Pairing mode: abandons the current code and asks the trusted app for a new one (also: retry after an error). */
  async newPairingCode(): Promise<void> {
    await (await this.#requirePairing()).newCode();
  }

  // A ReactiveElement, not a LitElement: the anonymous mode's view is one <slot>, so the
  // template library (lit-html) comes with the pairing chunk, which renders the panel.
  protected override update(changed: PropertyValues<this>): void {
    super.update(changed);
    this.#rendered = this.#state;
    const pairing = this.#pairing;
    if (!pairing) {
      this.#slot ??= this.renderRoot.appendChild(document.createElement('slot'));
      return;
    }
    this.#slot?.remove();
    this.#slot = null;
    const error = this.#state.error;
    const panel =
      this.#modeKind() === 'pairing'
        ? {
            status: this.#state.status,
            error,
            appName: pairing.pairingAppName(this.appName),
            texts: pairing.pairingTexts(this.pairingTexts),
            canRetry: !!error && !CONFIG_ERRORS.has(error.code),
            onRetry: () => void this.newPairingCode().catch(() => undefined),
          }
        : null;
    pairing.renderProviderView(this.renderRoot, this, panel);
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

  protected override updated(changed: PropertyValues<this>): void {
    const pairing = this.#modeKind() === 'pairing';
    const restart =
      changed.has('appId') || changed.has('baseUrl') || changed.has('storage') || changed.has('mode') || (pairing && changed.has('appName'));
    if (this.isConnected && (restart || !this.#session)) this.#restart();
  }

  /** Resolves at the next (re)start: with the new session, or null when the configuration is invalid. */
  #nextSession(): Promise<AuthSession | PairingSession | null> {
    return new Promise((resolve) => {
      const waiter = () => {
        this.#sessionWaiters.delete(waiter);
        resolve(this.#session);
      };
      this.#sessionWaiters.add(waiter);
    });
  }

  async #requirePairing(): Promise<PairingSession> {
    const session = await this.#requireSession();
    if (!('submitCode' in session)) throw new InkAuthError('bad_request', 'Pairing calls need mode="pairing".');
    return session;
  }

  /** The running session; waits for the first start; rejects with the configuration error. */
  async #requireSession(): Promise<AuthSession | PairingSession> {
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
    let session: AuthSession | PairingSession;
    if (this.#modeKind() === 'pairing') {
      if (!this.#pairing) {
        this.#loadPairing(generation);
        return;
      }
      session = this.#pairingSession(this.#pairing, appId, baseUrl, generation);
    } else {
      session = this.#anonymousSession(appId, baseUrl, generation);
    }
    this.#session = session;
    this.#setState(session.state);
    this.#notifySessionWaiters();
    void session.start();
  }

  /** Loads the pairing code, then starts again (unless the configuration changed meanwhile). */
  #loadPairing(generation: number): void {
    this.#setState(initialState(this.appId, this.baseUrl, this.#storageKind()));
    loadPairingMode().then(
      (module) => {
        // The panel's styles come with the pairing code: the anonymous mode has nothing to style.
        if (!this.#pairing) adoptStyles(this.renderRoot as ShadowRoot, [module.pairingPanelStyles]);
        this.#pairing = module;
        if (generation === this.#generation && this.isConnected) this.#restart();
        this.requestUpdate();
      },
      (cause: unknown) => {
        if (generation !== this.#generation) return;
        const error = new InkAuthError('network_error', 'The pairing module could not be loaded.', { retryable: true, cause });
        this.#setState({ ...this.#state, status: 'error', error });
        emit(this, 'ink-auth-error', { error });
        this.#notifySessionWaiters();
      },
    );
  }

  #pairingSession(pairing: PairingMode, appId: string, baseUrl: string, generation: number): PairingSession {
    return pairing.createPairingSession({
      appId,
      baseUrl,
      appName: this.appName,
      persistent: this.#storageKind() === 'indexeddb',
      fetch: (input, init) => this.apiFetch(input, init),
      requestTimeoutMs: requestTimeoutMs(this.requestTimeout * 1000),
      onChange: (state) => {
        if (generation === this.#generation) this.#setState(state);
      },
      onError: (error) => {
        if (generation === this.#generation) emit(this, 'ink-auth-error', { error });
      },
    });
  }

  #anonymousSession(appId: string, baseUrl: string, generation: number): AuthSession {
    const persistent = this.#storageKind() === 'indexeddb';
    const store = persistent ? indexedDbStore() : memoryStore();
    return new AuthSession({
      appId,
      baseUrl,
      refreshLeewaySeconds: refreshLeewaySeconds(this.refreshLeeway),
      requestTimeoutMs: requestTimeoutMs(this.requestTimeout * 1000),
      store,
      tabs: createTabCoordinator(sessionKey(baseUrl, appId)),
      fetch: (input, init) => this.apiFetch(input, init),
      solve: solveChallenge,
      startWorkers: startPowWorkers,
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
  }

  readonly #onPairingSubmit = (event: CustomEvent<PairingSubmitDetail>): void => {
    const pairing = this.#pairing;
    if (!pairing || !this.#session || !('submitCode' in this.#session)) return;
    const code = event.detail.code;
    // In `error` the form is gone and the panel shows the error with its retry action.
    const refusal = (error: InkAuthError) =>
      this.#state.status === 'awaiting-code' ? pairing.codeErrorMessage(error, pairing.pairingTexts(this.pairingTexts)) : null;
    void pairing.submitFromForm(pairing.codeFormOf(event), () => this.submitPairingCode(code), refusal);
  };

  readonly #onPairingNewCode = (): void => {
    if (this.#session && 'submitCode' in this.#session) void this.newPairingCode().catch(() => undefined);
  };

  #modeKind(): InkAuthMode {
    return this.mode === 'pairing' ? 'pairing' : 'anonymous';
  }

  #storageKind(): 'indexeddb' | 'memory' {
    return this.storage === 'memory' ? 'memory' : 'indexeddb';
  }

  #setState(state: AuthState): void {
    if (state === this.#state) return;
    this.#state = state;
    // The pairing panel follows the status; the anonymous mode renders only its slot.
    const shown = this.#rendered;
    if (this.#modeKind() === 'pairing' && (state.status !== shown?.status || state.error !== shown.error)) this.requestUpdate();
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
