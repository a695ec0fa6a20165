import type { InkAuthError } from './errors.js';
import type { AuthProgress, AuthState } from './session/state.js';

/** Detail of `ink-auth-error`. */
export interface InkAuthErrorDetail {
  error: InkAuthError;
}

/** Every event the provider dispatches, with its detail type. */
export interface InkAuthEventMap {
  /** The auth state changed (a new state object each time). */
  'ink-auth-change': CustomEvent<AuthState>;
  /** Proof-of-work progress while solving. */
  'ink-auth-progress': CustomEvent<AuthProgress>;
  /** Acquiring or renewing the session failed. */
  'ink-auth-error': CustomEvent<InkAuthErrorDetail>;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface HTMLElementEventMap extends InkAuthEventMap {}
}

/** Dispatches one of our events the one way they all go: bubbling and composed. */
export function emit<K extends keyof InkAuthEventMap>(
  target: EventTarget,
  type: K,
  detail: InkAuthEventMap[K] extends CustomEvent<infer D> ? D : never,
): void {
  target.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
}
