/**
 * Everything `<ink-auth-provider mode="pairing">` needs, behind one dynamic import: pages
 * using the anonymous mode never load it (a separate chunk wherever the bundler splits).
 */
import { render, html } from 'lit';
import type { InkAuthError } from '../errors.js';
import type { FetchLike } from '../api/http.js';
import { isAbortError, toInkAuthError } from '../errors.js';
import type { AuthState } from '../session/state.js';
import { createTabCoordinator } from '../session/tabs.js';
import type { InkPairingCodeForm } from './code-form.js';
import { indexedDbPairedKeyStore, memoryPairedKeyStore, pairedKeyCacheKey } from './key-cache.js';
import type { CachedPairedKey } from './key-cache.js';
import { renderPairingPanel } from './pairing-panel.js';
import type { PairingPanelInput } from './pairing-panel.js';
import { PairingSession } from './pairing-session.js';

export { PairingSession } from './pairing-session.js';
export { codeFormOf, renderPairingPanel } from './pairing-panel.js';
export { pairingPanelStyles } from './pairing-panel.styles.js';
export { codeErrorMessage, pairingTexts } from './pairing-texts.js';

/** What the provider hands over to start a pairing session. */
export interface PairingModeOptions {
  appId: string;
  baseUrl: string;
  /** The `app-name` attribute as set (may be empty). */
  appName: string;
  /** Cache in IndexedDB (else page memory only). */
  persistent: boolean;
  /** The fetch of the pairing calls. */
  fetch: FetchLike;
  /** A pairing call without an answer after this long counts as unreachable. */
  requestTimeoutMs: number;
  onChange: (state: AuthState) => void;
  onError: (error: InkAuthError) => void;
}

/**
 * Renders the provider's shadow root once this chunk is loaded (the provider shows a plain slot
 * before): the pairing panel, when `panel` is given, above the default slot.
 */
export function renderProviderView(root: HTMLElement | DocumentFragment, host: HTMLElement, panel: PairingPanelInput | null): void {
  render(panel ? html`${renderPairingPanel(panel)}<slot></slot>` : html`<slot></slot>`, root, { host });
}

/** `app-name`, else the page title or host; printable, at most 100 code points (the server's rule). */
export function pairingAppName(value: string | null | undefined): string {
  const raw = (value ?? '').trim() || globalThis.document?.title.trim() || globalThis.location?.hostname || 'Web chat';
  // Format controls (bidi, zero-width) are dropped: the server refuses names carrying them.
  const printable = raw.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ').replace(/\p{Cf}/gu, '').trim() || 'Web chat';
  return Array.from(printable).slice(0, 100).join('');
}

/** A pairing session wired to the browser: paired-key cache, tab channel, the provider's fetch. */
export function createPairingSession(options: PairingModeOptions): PairingSession {
  const { appId, baseUrl } = options;
  return new PairingSession({
    appId,
    baseUrl,
    appName: pairingAppName(options.appName),
    store: options.persistent ? indexedDbPairedKeyStore() : memoryPairedKeyStore(),
    tabs: createTabCoordinator<CachedPairedKey>(pairedKeyCacheKey(baseUrl, appId)),
    fetch: options.fetch,
    requestTimeoutMs: options.requestTimeoutMs,
    onChange: options.onChange,
    onError: options.onError,
  });
}

/**
 * Checks a code entered in a code form: the form is busy meanwhile, then shows the message
 * `refusal` gives for the error (none when the form is gone, e.g. in the `error` state).
 */
export async function submitFromForm(
  form: InkPairingCodeForm | null,
  submit: () => Promise<void>,
  refusal: (error: InkAuthError) => string | null,
): Promise<void> {
  if (form) form.busy = true;
  try {
    await submit();
    if (form) form.busy = false;
  } catch (thrown) {
    if (form) form.busy = false;
    const error = toInkAuthError(thrown);
    const message = isAbortError(error) ? null : refusal(error);
    if (form?.isConnected && message) await form.showError(message);
  }
}
