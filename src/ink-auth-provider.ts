import { ReactiveElement, adoptStyles } from '@lit/reactive-element';
import type { PropertyValues } from '@lit/reactive-element';
import { ContextProvider } from '@lit/context';
import { authContext } from './context.js';
import type { AuthContextValue } from './context.js';
import { DEFAULT_REQUEST_TIMEOUT_MS } from './api/endpoint.js';
import type { FetchLike } from './api/endpoint.js';
import { createAuthFetch } from './consumer/auth-fetch.js';
import type { InkAuthError } from './errors.js';
import { emit } from './events.js';
import type { PairingTexts } from './pairing/pairing-texts.js';
import { SessionHost } from './session-host.js';
import type { HostSettings } from './session-host.js';
import { initialState } from './session/state.js';
import type { AuthKind, AuthState, AuthStatus, InkAuthMode } from './session/state.js';
import type { UserTokenSource } from './session/user-session.js';
import type { InkAuthStorage } from './session/cache.js';

export type { InkAuthMode } from './session/state.js';

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
    userToken: { type: String, attribute: 'user-token' },
    getUserToken: { attribute: false },
    claimAnonymous: { type: Boolean, attribute: 'claim-anonymous' },
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
  /**
   * `indexeddb` (default) caches the session across reloads; `memory` persists nothing. As a
   * property it also takes a storage of the site's own ({@link InkAuthStorage}: idb-keyval's
   * `get`/`set`/`del`), e.g. an idb-keyval `createStore()` of its own, or a fake in tests.
   */
  declare storage: 'indexeddb' | 'memory' | InkAuthStorage;
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
  /**
   * A JWT the site's backend signed for its signed-in user (verified by the server against the
   * app's public keys): the element serves it instead of an anonymous session. Empty: anonymous.
   */
  declare userToken: string | null;
  /**
   * The site's callback for its signed-in user's token, asked at start (without `user-token`),
   * before expiry and when the API answers 401; `null`/`undefined` means nobody is signed in
   * (anonymous, or `sign_in_required` when the app allows no anonymous sessions). A property only.
   */
  declare getUserToken: UserTokenSource | null;
  /** Once signed in, move this browser's anonymous conversations to the user (once). */
  declare claimAnonymous: boolean;

  #state: AuthState = initialState('', '', 'indexeddb');
  #rendered: AuthState | null = null;
  /** The view's slot until the pairing chunk renders the view. */
  #slot: HTMLSlotElement | null = null;
  readonly #provider: ContextProvider<typeof authContext>;
  readonly #fetch = createAuthFetch(this, (input, init) => this.apiFetch(input, init));
  readonly #host = new SessionHost({
    settings: () => this.#settings(),
    fetch: (input, init) => this.apiFetch(input, init),
    onState: (state) => this.#setState(state),
    onProgress: (progress) => emit(this, 'ink-auth-progress', progress),
    onError: (error) => emit(this, 'ink-auth-error', { error }),
    onPairingLoaded: (module) => {
      // The panel's styles and the code forms' listeners come with the pairing code.
      adoptStyles(this.renderRoot as ShadowRoot, [module.pairingPanelStyles]);
      module.answerCodeForms(this, () => this.#host.pairingSession !== null, () => this.#state.status);
      this.requestUpdate();
    },
    connected: () => this.isConnected,
  });

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
    this.userToken = null;
    this.getUserToken = null;
    this.claimAnonymous = false;
    // Provided from the host itself, from the start: slotted consumers find it (lit#4618).
    this.#provider = new ContextProvider(this, { context: authContext, initialValue: this.#contextValue() });
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
  /** Who the token stands for: `anonymous`, `user` (signed in) or `key` (pairing). */
  get kind(): AuthKind {
    return this.#state.kind;
  }
  /** The identity the server keys history by (`anon_…`, the user's `sub`, the key id), `null` until ready. */
  get identity(): string | null {
    return this.#state.identity;
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
  getToken(): Promise<string> {
    return this.#host.getToken();
  }

  /**
   * Renews the session now, keeping the `anon_` identity. Rejects with the error on failure.
   * Pairing mode: a key cannot be renewed without the user, so this forgets the key (the API
   * refused it), shows the code form again and rejects with `unauthorized`.
   */
  async refresh(): Promise<void> {
    await this.#host.refresh();
  }

  /**
   * Forgets the cached session in every tab; the next token belongs to a new identity.
   * Pairing mode: forgets the key, revokes it on the server (best effort) and shows the form.
   */
  async reset(): Promise<void> {
    await (await this.#host.require()).reset();
  }

  /**
   * Pairing mode: trades the 4-digit `code` for an API key (for a custom form in the
   * `pairing-form` slot). Rejects with a `PairingRequestError`: `reason` `code_incorrect`
   * keeps the challenge (retype), `needsNewCode` means a new code was requested.
   */
  async submitPairingCode(code: string): Promise<void> {
    await (await this.#host.requirePairing()).submitCode(code);
  }

  /** Pairing mode: abandons the current code and asks the trusted app for a new one (also: retry after an error). */
  async newPairingCode(): Promise<void> {
    await (await this.#host.requirePairing()).newCode();
  }

  // A ReactiveElement, not a LitElement: the anonymous mode's view is one <slot>, so the
  // template library (lit-html) comes with the pairing chunk, which renders the panel.
  protected override update(changed: PropertyValues<this>): void {
    super.update(changed);
    this.#rendered = this.#state;
    const pairing = this.#host.pairing;
    if (!pairing) {
      this.#slot ??= this.renderRoot.appendChild(document.createElement('slot'));
      return;
    }
    this.#slot?.remove();
    this.#slot = null;
    const onRetry = () => void this.newPairingCode().catch(() => undefined);
    const view = this.#mode() === 'pairing' ? { state: this.#state, appName: this.appName, texts: this.pairingTexts, onRetry } : null;
    pairing.renderProviderView(this.renderRoot, this, view);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Lit's first update (or a reconnect) starts a session in updated().
    if (!this.#host.running) this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#host.stop();
  }

  protected override updated(changed: PropertyValues<this>): void {
    const pairing = this.#mode() === 'pairing';
    const restart =
      changed.has('appId') || changed.has('baseUrl') || changed.has('storage') || changed.has('mode') || (pairing && changed.has('appName')) ||
      changed.has('getUserToken') || changed.has('claimAnonymous');
    if (!this.isConnected) return;
    if (restart || !this.#host.running) this.#host.restart();
    else if (changed.has('userToken')) this.#host.offerUserToken(this.userToken || null);
  }

  #mode(): InkAuthMode {
    return this.mode === 'pairing' ? 'pairing' : 'anonymous';
  }

  #settings(): HostSettings {
    const { appId, baseUrl, appName, refreshLeeway, requestTimeout, claimAnonymous } = this;
    const getUserToken = typeof this.getUserToken === 'function' ? this.getUserToken : null;
    const own = this.storage;
    const storage = typeof own === 'object' && own ? own : own === 'memory' ? 'memory' : 'indexeddb';
    return { mode: this.#mode(), appId, baseUrl, appName, refreshLeeway, requestTimeout, storage, userToken: this.userToken || null, getUserToken, claimAnonymous };
  }

  #setState(state: AuthState): void {
    if (state === this.#state) return;
    this.#state = state;
    // The pairing panel follows the status; the anonymous mode renders only its slot.
    const shown = this.#rendered;
    if (this.#mode() === 'pairing' && (state.status !== shown?.status || state.error !== shown.error)) this.requestUpdate();
    this.#provider.setValue(this.#contextValue());
    emit(this, 'ink-auth-change', state);
  }

  #contextValue(): AuthContextValue {
    return { ...this.#state, getToken: () => this.getToken(), fetch: (input, init) => this.#fetch(input, init) };
  }
}
