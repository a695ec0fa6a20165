// Who receives the token: a Lit consumer (AuthController), a plain custom element speaking the
// raw context protocol, a consumer bundled with its own copy of the library, and one that
// connected before the provider was defined. And authFetch's origin rule and one-time retry.
import { LitElement, html } from 'lit';
import { DefaultChatTransport, readUIMessageStream, type UIMessage } from 'ai';
import '../../src/index.js';
import { AuthController, InkAuthProvider, authContext, authFetch, createAuthFetch } from '../../src/index.js';
import type { AuthContextValue } from '../../src/index.js';
import { serverRequests } from './helpers/server.js';
import type { TestServer } from './helpers/server.js';
import { equal, eventually, ok, onCleanup, server } from './helpers/harness.js';

class LitChat extends LitElement {
  readonly auth = new AuthController(this);
  protected override render() {
    return html`<span>${this.auth.status}</span>`;
  }
}
customElements.define('test-lit-chat', LitChat);

/** A consumer with no library at all: the community context protocol by hand. */
class RawChat extends HTMLElement {
  value: AuthContextValue | undefined;
  connectedCallback() {
    const request = new Event('context-request', { bubbles: true, composed: true });
    Object.assign(request, {
      context: Symbol.for('ink-auth/context'),
      contextTarget: this,
      subscribe: true,
      callback: (value: AuthContextValue) => {
        this.value = value;
      },
    });
    this.dispatchEvent(request);
  }
}
customElements.define('test-raw-chat', RawChat);

function provider(s: TestServer, tag = 'ink-auth-provider'): HTMLElement {
  const el = document.createElement(tag);
  el.setAttribute('app-id', s.appId);
  el.setAttribute('base-url', s.url);
  el.setAttribute('storage', 'memory');
  onCleanup(() => el.remove());
  return el;
}

describe('consumers', () => {
  it('a Lit consumer (AuthController) and a raw context-request consumer receive every update', async () => {
    const s = await server({ pow: 'off' });
    const host = provider(s) as InkAuthProvider;
    const lit = document.createElement('test-lit-chat') as LitChat;
    const raw = document.createElement('test-raw-chat') as RawChat;
    // The chat element sits in the provider's light DOM, untouched and slotted.
    host.append(lit, raw);
    document.body.append(host);
    await eventually(() => host.status === 'ready', 'ready');
    await eventually(() => lit.auth.token === host.token && raw.value?.token === host.token, 'consumers updated');
    equal(await lit.auth.getToken(), host.token, 'AuthController.getToken');
    equal(lit.parentElement, host, 'light DOM child untouched');
    const before = raw.value;
    await host.reset();
    await eventually(() => raw.value !== before && raw.value?.status === 'ready', 'raw consumer saw the reset');
    equal(raw.value?.anonId, host.anonId, 'raw consumer has the new identity');
    equal(lit.auth.anonId, host.anonId, 'Lit consumer has the new identity');
    await lit.updateComplete;
    equal(lit.shadowRoot?.textContent, 'ready', 'Lit consumer re-rendered');
  });

  it('a consumer bundled with its own copy of the library finds the provider', async () => {
    const copyUrl = '/__ink-auth-copy__/index.js';
    const copy = (await import(/* @vite-ignore */ copyUrl)) as { AuthController: typeof AuthController; authContext: unknown };
    ok(copy.AuthController !== AuthController, 'really another copy of the library');
    equal(copy.authContext, authContext, 'the context key is shared');
    class CopyChat extends HTMLElement {
      #controllers: Array<{ hostConnected?(): void }> = [];
      readonly auth = new copy.AuthController(this as unknown as LitElement);
      addController(c: { hostConnected?(): void }) {
        this.#controllers.push(c);
      }
      removeController() {}
      requestUpdate() {}
      get updateComplete() {
        return Promise.resolve(true);
      }
      connectedCallback() {
        for (const c of this.#controllers) c.hostConnected?.();
      }
    }
    customElements.define('test-copy-chat', CopyChat);
    const s = await server({ pow: 'off' });
    const host = provider(s) as InkAuthProvider;
    const chat = new CopyChat();
    host.append(chat);
    document.body.append(host);
    equal(await chat.auth.getToken(), await host.getToken(), 'token via the copy');
  });

  it('a chat element connected before the provider was defined still gets the token', async () => {
    const s = await server({ pow: 'off' });
    const host = provider(s, 'late-auth-provider');
    const lit = document.createElement('test-lit-chat') as LitChat;
    host.append(lit);
    document.body.append(host);
    await new Promise((r) => setTimeout(r, 50));
    equal(lit.auth.value, undefined, 'nobody answered yet');
    customElements.define('late-auth-provider', class extends InkAuthProvider {});
    const token = await lit.auth.getToken();
    equal(token, (host as InkAuthProvider).token, 'token after the provider upgraded');
  });
});

describe('authFetch', () => {
  it('authenticates requests to the base URL and streams the protected chat', async () => {
    const s = await server({ pow: 'v1' });
    const host = provider(s) as InkAuthProvider;
    document.body.append(host);
    // The AI SDK's own client, with authFetch as its fetch.
    const transport = new DefaultChatTransport<UIMessage>({ api: `${s.url}/run/api/chat`, fetch: authFetch as typeof fetch });
    const stream = await transport.sendMessages({
      trigger: 'submit-message',
      chatId: 'consumers-chat',
      messageId: undefined,
      messages: [{ id: 'u1', role: 'user', parts: [{ type: 'text', text: 'hi there' }] }],
      abortSignal: undefined,
    });
    let reply: UIMessage | undefined;
    for await (const message of readUIMessageStream<UIMessage>({ stream, terminateOnError: true })) reply = message;
    const text = reply?.parts.map((p) => (p.type === 'text' ? p.text : '')).join('') ?? '';
    ok(text.includes('"hi there"') && text.includes(host.anonId ?? '?'), `the stream names our anon_ id: ${text}`);
  });

  it('never sends the token to another origin', async () => {
    const s = await server({ pow: 'off' });
    const other = await server({ pow: 'off' });
    const host = provider(s) as InkAuthProvider;
    document.body.append(host);
    await host.getToken();
    const seen: Array<{ url: string; auth: string | null; app: string | null }> = [];
    const spy = createAuthFetch(host, async (input, init) => {
      const request = new Request(input, init);
      seen.push({ url: request.url, auth: request.headers.get('authorization'), app: request.headers.get('x-inkeep-app-id') });
      return fetch(request);
    });
    await spy(`${other.url}/run/api/chat`, { method: 'POST', body: '{}' });
    await spy(`${s.url}/run/api/chat`, { method: 'POST', body: JSON.stringify({ messages: [{ role: 'user', content: 'x' }] }) });
    equal(seen[0]?.auth, null, 'no Authorization to the other origin');
    equal(seen[0]?.app, null, 'no app id to the other origin');
    equal(seen[1]?.auth, `Bearer ${host.token}`, 'Authorization to the base URL');
    equal(seen[1]?.app, s.appId, 'x-inkeep-app-id to the base URL');
  });

  it('on a 401 renews the session once and retries once', async () => {
    const s = await server({ pow: 'off' });
    const host = provider(s) as InkAuthProvider;
    document.body.append(host);
    await host.getToken();
    let calls = 0;
    const fetch401Once = createAuthFetch(host, async (input, init) => {
      calls++;
      if (calls === 1) return new Response('{"code":"unauthorized","detail":"expired"}', { status: 401 });
      return fetch(input, init);
    });
    const body = JSON.stringify({ messages: [{ role: 'user', content: 'again' }] });
    const response = await fetch401Once(`${s.url}/run/api/chat`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    equal(response.status, 200, 'retried successfully');
    equal(calls, 2, 'one retry');
    const sessions = (await serverRequests(s.id)).filter((r) => r.method === 'POST' && r.path.endsWith('/anonymous-session'));
    equal(sessions.length, 2, 'the session was renewed once');

    calls = 0;
    const always401 = createAuthFetch(host, async () => {
      calls++;
      return new Response('{}', { status: 401 });
    });
    equal((await always401(`${s.url}/run/api/chat`, { method: 'POST', body })).status, 401, 'second 401 returned');
    equal(calls, 2, 'never more than one retry');
  });

  it('rejects with no_provider when there is no provider', async () => {
    const error = await authFetch('https://example.com/x').then(() => null, (e: unknown) => e);
    equal((error as { code?: string } | null)?.code, 'no_provider', 'code');
  });
});
