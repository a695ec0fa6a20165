import { ContextEvent } from '@lit/context';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { authContext } from '../context.js';
import type { AuthContextValue } from '../context.js';
import type { AuthStatus } from '../session/state.js';

/**
 * Lit reactive controller for chat elements inside `<ink-auth-provider>`: subscribes to the
 * auth context and re-renders its host on every change. Works whatever the load order: if the
 * chat element connects before the provider is defined, it asks again when the provider
 * announces itself (`context-provider` event).
 *
 * @example
 * class MyChat extends LitElement {
 *   #auth = new AuthController(this);
 *   render() { return html`${this.#auth.status}`; }
 *   send(body: string) { return this.#auth.fetch(url, { method: 'POST', body }); }
 * }
 */
export class AuthController implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #onChange: ((value: AuthContextValue) => void) | undefined;
  #value: AuthContextValue | undefined;
  #unsubscribe: (() => void) | undefined;
  #waiters: Array<(value: AuthContextValue) => void> = [];

  constructor(host: ReactiveControllerHost & HTMLElement, options: { onChange?: (value: AuthContextValue) => void } = {}) {
    this.#host = host;
    this.#onChange = options.onChange;
    host.addController(this);
  }

  /** The latest context value, `undefined` until a provider answered. */
  get value(): AuthContextValue | undefined {
    return this.#value;
  }
  /** The provider's status; `idle` until a provider answered. */
  get status(): AuthStatus {
    return this.#value?.status ?? 'idle';
  }
  get token(): string | null {
    return this.#value?.token ?? null;
  }
  get anonId(): string | null {
    return this.#value?.anonId ?? null;
  }

  /** Waits for a provider, then for its token. */
  async getToken(): Promise<string> {
    return (await this.#provided()).getToken();
  }

  /** Authenticated fetch through the provider (see `authFetch`). */
  async fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    return (await this.#provided()).fetch(input, init);
  }

  hostConnected(): void {
    this.#request();
    if (!this.#value) document.addEventListener('context-provider', this.#onProviderAnnounced);
  }

  hostDisconnected(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    document.removeEventListener('context-provider', this.#onProviderAnnounced);
  }

  readonly #onProviderAnnounced = (event: Event) => {
    if ((event as Event & { context?: unknown }).context === authContext && !this.#value) this.#request();
  };

  #request(): void {
    this.#host.dispatchEvent(
      new ContextEvent(authContext, this.#host, (value, unsubscribe) => {
        if (unsubscribe !== this.#unsubscribe) {
          this.#unsubscribe?.();
          this.#unsubscribe = unsubscribe;
        }
        if (!value) return;
        this.#value = value;
        document.removeEventListener('context-provider', this.#onProviderAnnounced);
        const waiters = this.#waiters;
        this.#waiters = [];
        for (const waiter of waiters) waiter(value);
        this.#onChange?.(value);
        this.#host.requestUpdate();
      }, true),
    );
  }

  #provided(): Promise<AuthContextValue> {
    if (this.#value) return Promise.resolve(this.#value);
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
}
