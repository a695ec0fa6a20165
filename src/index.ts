/**
 * ink-auth browser library: `<ink-auth-provider>` and the helpers chat elements use.
 * Importing this module registers the element once (a second copy on the page is tolerated).
 */
import { InkAuthProvider } from './ink-auth-provider.js';

export { InkAuthProvider } from './ink-auth-provider.js';
export { authContext } from './context.js';
export type { AuthContextValue, AuthState, AuthStatus, AuthProgress } from './context.js';
export type { AuthKind } from './session/state.js';
export type { InkAuthStorage, StorageKind } from './session/cache.js';
export type { UserTokenSource } from './session/user-session.js';
export { InkAuthError } from './errors.js';
export type { InkAuthErrorCode, PowRefusalReason } from './errors.js';
export type { InkAuthErrorDetail, InkAuthEventMap } from './events.js';
export { AuthController } from './consumer/auth-controller.js';
export { authFetch, createAuthFetch } from './consumer/auth-fetch.js';
export { observeAuth } from './consumer/observe-auth.js';
export type { AuthFetchInit, AuthFetchSource } from './consumer/auth-fetch.js';
export { configurePowWorker } from './pow/worker-config.js';
export type { PowWorkerFactory, PowWorkerFormat } from './pow/worker-config.js';
export { DEFAULT_BASE_URL } from './config.js';
// Types only (the form itself ships in `ink-auth/pairing`): the generated JSX and Vue typings
// of both elements import them from here.
export type { InkPairingCodeForm, InkPairingCodeFormEventMap, PairingSubmitDetail } from './pairing/code-form.js';
export type { InkAuthMode } from './ink-auth-provider.js';

const TAG = 'ink-auth-provider';

declare global {
  interface HTMLElementTagNameMap {
    'ink-auth-provider': InkAuthProvider;
  }
}

if (typeof customElements !== 'undefined') {
  const existing = customElements.get(TAG);
  if (!existing) customElements.define(TAG, InkAuthProvider);
  else if (existing !== InkAuthProvider) console.warn(`ink-auth: <${TAG}> is already defined by another copy of the library; using that one.`);
}
