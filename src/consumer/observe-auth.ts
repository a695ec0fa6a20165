import { ContextEvent } from '@lit/context';
import { authContext } from '../context.js';
import type { AuthContextValue } from '../context.js';

/**
 * Calls `callback` with the auth state of the `<ink-auth-provider>` around `element` now (when
 * the provider is already there) and on every change; returns the function that stops it.
 * For plain custom elements, which get nothing by listening for `ink-auth-change` on
 * themselves: that event fires on the provider and bubbles *up*, away from its children.
 *
 * It subscribes through the context protocol (`context-request` with `subscribe: true`), so it
 * also finds a provider bundled with another copy of the library, and, when the element
 * connects before the provider is defined, it asks again once a provider announces itself.
 * Call it in `connectedCallback` and the returned function in `disconnectedCallback`.
 *
 * @param element - The consumer, connected inside (the light or shadow DOM of) a provider.
 * @param callback - Receives each new state, with `getToken()` and `fetch()`.
 * @example
 * connectedCallback() { this.#stop = observeAuth(this, (auth) => (this.textContent = auth.status)); }
 * disconnectedCallback() { this.#stop?.(); }
 */
export function observeAuth(element: Element, callback: (auth: AuthContextValue) => void): () => void {
  let stopped = false;
  let answered = false;
  let unsubscribe: (() => void) | undefined;

  const request = () => {
    element.dispatchEvent(
      new ContextEvent(authContext, element, (value, dispose) => {
        if (dispose !== unsubscribe) {
          unsubscribe?.();
          unsubscribe = dispose;
        }
        if (stopped || !value) return;
        answered = true;
        document.removeEventListener('context-provider', onProviderAnnounced);
        callback(value);
      }, true),
    );
  };
  const onProviderAnnounced = (event: Event) => {
    if ((event as Event & { context?: unknown }).context === authContext && !answered) request();
  };

  request();
  if (!answered) document.addEventListener('context-provider', onProviderAnnounced);
  return () => {
    stopped = true;
    document.removeEventListener('context-provider', onProviderAnnounced);
    unsubscribe?.();
    unsubscribe = undefined;
  };
}
