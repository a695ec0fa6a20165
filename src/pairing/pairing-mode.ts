/**
 * Everything `<ink-auth-provider mode="pairing">` needs, behind one dynamic import: pages
 * using the anonymous mode never load it (a separate chunk wherever the bundler splits).
 */
import { render, html } from 'lit';
import type { InkAuthError } from '../errors.js';
import type { FetchLike } from '../api/endpoint.js';
import { isAbortError, toInkAuthError } from '../errors.js';
import type { AuthState, AuthStatus } from '../session/state.js';
import type { PairingSubmitDetail } from './code-form.js';
import { pairedKeyStore } from './key-cache.js';
import type { StorageSetting } from '../session/cache.js';
import { codeFormOf, renderPairingPanel } from './pairing-panel.js';
import type { PairingPanelInput } from './pairing-panel.js';
import { PairingSession } from './pairing-session.js';
import { codeErrorMessage, pairingTexts } from './pairing-texts.js';
import type { PairingTexts } from './pairing-texts.js';

export { PairingSession } from './pairing-session.js';
export { pairingPanelStyles } from './pairing-panel.styles.js';

/** What the provider hands over to start a pairing session. */
export interface PairingModeOptions {
  appId: string;
  baseUrl: string;
  /** The `app-name` attribute as set (may be empty). */
  appName: string;
  /** Where the paired key is cached: the element's `storage`. */
  storage: StorageSetting;
  /** The fetch of the pairing calls. */
  fetch: FetchLike;
  /** A pairing call without an answer after this long counts as unreachable. */
  requestTimeoutMs: number;
  onChange: (state: AuthState) => void;
  onError: (error: InkAuthError) => void;
}

/** What the provider's view shows in pairing mode (`null`: the anonymous mode, a slot only). */
export interface PairingViewInput {
  state: AuthState;
  /** The `app-name` attribute as set (may be empty). */
  appName: string;
  /** The `pairingTexts` property: overrides of the default texts. */
  texts: Partial<PairingTexts>;
  /** The error state's retry action. */
  onRetry: () => void;
}

// Retrying cannot help these: the page must fix its attributes first.
const CONFIG_ERRORS: ReadonlySet<string> = new Set(['missing_app_id', 'invalid_base_url']);

/**
 * Renders the provider's shadow root once this chunk is loaded (the provider shows a plain slot
 * before): the pairing panel, when `view` is given, above the default slot.
 */
export function renderProviderView(root: HTMLElement | DocumentFragment, host: HTMLElement, view: PairingViewInput | null): void {
  if (!view) {
    render(html`<slot></slot>`, root, { host });
    return;
  }
  const { status, error } = view.state;
  const panel: PairingPanelInput = {
    status,
    error,
    appName: pairingAppName(view.appName),
    texts: pairingTexts(view.texts),
    canRetry: !!error && !CONFIG_ERRORS.has(error.code),
    onRetry: view.onRetry,
  };
  render(html`${renderPairingPanel(panel)}<slot></slot>`, root, { host });
}

/** `app-name`, else the page title or host; printable, at most 100 code points (the server's rule). */
function pairingAppName(value: string | null | undefined): string {
  const raw = (value ?? '').trim() || globalThis.document?.title.trim() || globalThis.location?.hostname || 'Web chat';
  // Format controls (bidi, zero-width) are dropped: the server refuses names carrying them.
  const printable = raw.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ').replace(/\p{Cf}/gu, '').trim() || 'Web chat';
  return Array.from(printable).slice(0, 100).join('');
}

/** A pairing session wired to the browser: the paired-key cache and the provider's fetch. */
export function createPairingSession(options: PairingModeOptions): PairingSession {
  const { appId, baseUrl } = options;
  return new PairingSession({
    appId,
    baseUrl,
    appName: pairingAppName(options.appName),
    store: pairedKeyStore(options.storage),
    fetch: options.fetch,
    requestTimeoutMs: options.requestTimeoutMs,
    onChange: options.onChange,
    onError: options.onError,
  });
}

/** What the code-form listeners need of the provider element. */
export interface CodeFormHost extends HTMLElement {
  readonly pairingTexts: Partial<PairingTexts>;
  submitPairingCode(code: string): Promise<void>;
  newPairingCode(): Promise<void>;
}

/**
 * Answers the code forms' events (the built-in form's or a slotted one's) on `host` while
 * `active()` says a pairing session runs: a submitted code is checked — the form is busy
 * meanwhile, then shows why the code was refused, while `awaiting-code` only (in the `error`
 * state the form is gone and the panel shows the error) — and "new code" asks for one.
 */
export function answerCodeForms(host: CodeFormHost, active: () => boolean, status: () => AuthStatus): void {
  host.addEventListener('ink-pairing-submit', (event) => {
    if (active()) void checkCode(event, host, status);
  });
  host.addEventListener('ink-pairing-new-code', () => {
    if (active()) void host.newPairingCode().catch(() => undefined);
  });
}

async function checkCode(event: CustomEvent<PairingSubmitDetail>, host: CodeFormHost, status: () => AuthStatus): Promise<void> {
  const form = codeFormOf(event);
  if (form) form.busy = true;
  try {
    await host.submitPairingCode(event.detail.code);
    if (form) form.busy = false;
  } catch (thrown) {
    if (form) form.busy = false;
    const error = toInkAuthError(thrown);
    const message = isAbortError(error) || status() !== 'awaiting-code' ? null : codeErrorMessage(error, pairingTexts(host.pairingTexts));
    if (form?.isConnected && message) await form.showError(message);
  }
}
