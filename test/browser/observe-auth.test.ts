// observeAuth(element, callback) (issue #16): a plain custom element gets the auth state of the
// provider around it, also when it connected before the provider was defined, and stops
// getting it after unsubscribing. And why it exists: `ink-auth-change` never reaches children.
// Not from src/index.js, which would define the provider before the first test wants it undefined.
import { observeAuth } from '../../src/consumer/observe-auth.js';
import type { AuthContextValue, InkAuthProvider } from '../../src/index.js';
import { equal, eventually, ok, onCleanup, server } from './helpers/harness.js';

class PlainChat extends HTMLElement {
  states: AuthContextValue[] = [];
  heardOnSelf = 0;
  #stop: (() => void) | undefined;
  connectedCallback() {
    this.addEventListener('ink-auth-change', () => this.heardOnSelf++);
    this.#stop = observeAuth(this, (auth) => this.states.push(auth));
  }
  disconnectedCallback() {
    this.#stop?.();
  }
  stop() {
    this.#stop?.();
  }
}
customElements.define('test-observe-chat', PlainChat);

async function providerWith(chat: PlainChat, define: () => Promise<void>): Promise<InkAuthProvider> {
  const s = await server({ pow: 'off' });
  const el = document.createElement('ink-auth-provider') as InkAuthProvider;
  el.setAttribute('app-id', s.appId);
  el.setAttribute('base-url', s.url);
  el.setAttribute('storage', 'memory');
  el.append(chat);
  document.body.append(el);
  onCleanup(() => el.remove());
  await define();
  return el;
}

describe('observeAuth', () => {
  it('a child connected before the provider is defined gets the state, then every change', async () => {
    const chat = document.createElement('test-observe-chat') as PlainChat;
    // The element is not defined in this file yet: the child connects first and asks into the void.
    const el = await providerWith(chat, async () => {
      ok(!customElements.get('ink-auth-provider'), 'the provider is not defined yet');
      await import('../../src/index.js');
    });
    await eventually(() => el.status === 'ready' && chat.states.at(-1)?.status === 'ready', 'ready reached the child');
    equal(chat.states.at(-1)?.token, el.token, 'token');
    equal(await chat.states.at(-1)!.getToken(), el.token, 'getToken');
    equal(chat.heardOnSelf, 0, 'ink-auth-change is never dispatched on a child');
    ok(chat.states.length >= 2, `every change was delivered (${chat.states.map((s) => s.status).join(' → ')})`);
  });

  it('stops after unsubscribing', async () => {
    const chat = document.createElement('test-observe-chat') as PlainChat;
    const el = await providerWith(chat, async () => {
      await import('../../src/index.js');
    });
    await eventually(() => chat.states.at(-1)?.status === 'ready', 'ready reached the child');
    chat.stop();
    const seen = chat.states.length;
    await el.refresh();
    await eventually(() => el.status === 'ready', 'refreshed');
    await new Promise((resolve) => setTimeout(resolve, 100));
    equal(chat.states.length, seen, 'no state after unsubscribing');
  });
});
