import { ContextConsumer } from '@lit/context';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { authContext } from '../context.js';
import type { AuthContextValue } from '../context.js';
import type { AuthStatus } from '../session/state.js';

/**
 * Lit reactive controller for chat elements inside `<ink-auth-provider>`: subscribes to the
 * auth context and re-renders its host on every change.
 *
 * @example
 * class MyChat extends LitElement {
 *   #auth = new AuthController(this);
 *   render() { return html`${this.#auth.status}`; }
 *   send(body: string) { return this.#auth.fetch(url, { method: 'POST', body }); }
 * }
 */
export class AuthController implements ReactiveController {
  #value: AuthContextValue | undefined;
  #waiters: Array<(value: AuthContextValue) => void> = [];

  constructor(host: ReactiveControllerHost & HTMLElement, options: { onChange?: (value: AuthContextValue) => void } = {}) {
    new ContextConsumer(host, {
      context: authContext,
      subscribe: true,
      callback: (value) => {
        if (!value) return;
        this.#value = value;
        const waiters = this.#waiters;
        this.#waiters = [];
        for (const waiter of waiters) waiter(value);
        options.onChange?.(value);
      },
    });
    host.addController(this);
  }

  /** The latest context value, `undefined` until a provider answered. */
  get value(): AuthContextValue | undefined {
    return this.#value;
  }
  get status(): AuthStatus | 'idle' {
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

  hostConnected(): void {}

  #provided(): Promise<AuthContextValue> {
    if (this.#value) return Promise.resolve(this.#value);
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
}
