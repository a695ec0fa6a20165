// <ink-auth-provider> against a real reference server: cold acquire (PoW v1, v2, off), cache hit, memory storage.
import { createStore, get } from 'idb-keyval';
import '../../src/index.js';
import { authContext } from '../../src/context.js';
import type { AuthContextValue } from '../../src/context.js';
import { DEFAULT_DB_NAME, DEFAULT_STORE_NAME, sessionKey } from '../../src/session/cache.js';
import type { AuthProgress } from '../../src/context.js';
import { clearServerRequests, serverRequests } from './helpers/server.js';
import { apiCalls, equal, mount, ok, onCleanup, server, settled } from './helpers/harness.js';

function payloadOf(token: string): Record<string, unknown> {
  const part = token.split('.')[1] ?? '';
  return JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>;
}

describe('<ink-auth-provider> acquire', () => {
  for (const pow of ['v1', 'v2'] as const) {
    it(`cold start with a ${pow} challenge: solves in workers, reports progress, becomes ready`, async () => {
      const s = await server({ pow, difficulty: 20_000 });
      const statuses: string[] = [];
      const progress: AuthProgress[] = [];
      const el = document.createElement('ink-auth-provider');
      el.addEventListener('ink-auth-change', (e) => statuses.push(e.detail.status));
      el.addEventListener('ink-auth-progress', (e) => progress.push(e.detail));
      el.setAttribute('app-id', s.appId);
      el.setAttribute('base-url', s.url);
      el.setAttribute('storage', 'memory');
      document.body.append(el);
      onCleanup(() => el.remove());
      const state = await settled(el);
      equal(state.status, 'ready', 'status');
      ok(state.token && state.token.split('.').length === 3, 'a JWT token');
      ok(state.anonId?.startsWith('anon_'), 'an anon_ id');
      equal(payloadOf(state.token).sub, state.anonId, 'anonId is the token subject');
      ok(state.expiresAt instanceof Date && state.expiresAt.getTime() > Date.now(), 'expiresAt in the future');
      ok(statuses.includes('solving') && statuses.includes('requesting'), `went through solving and requesting (${statuses.join()})`);
      ok(progress.length >= 2, 'progress events');
      equal(progress.at(-1)?.phase, 'solved', 'last progress phase');
      equal(await el.getToken(), state.token, 'getToken resolves the token');
      const calls = await apiCalls(s.id);
      equal(calls.map((c) => `${c.method} ${c.status}`).join(), 'GET 200,POST 200', 'one challenge, one session');
    });
  }

  it('PoW off: the challenge 404 skips solving', async () => {
    const s = await server({ pow: 'off' });
    const statuses: string[] = [];
    const el = mount({ 'app-id': s.appId, 'base-url': s.url, storage: 'memory' });
    el.addEventListener('ink-auth-change', (e) => statuses.push(e.detail.status));
    const state = await settled(el);
    equal(state.status, 'ready', 'status');
    ok(!statuses.includes('solving'), 'never solving');
    const calls = await apiCalls(s.id);
    equal(calls.map((c) => `${c.method} ${c.status}`).join(), 'GET 404,POST 200', 'challenge 404 then session');
  });

  it('a cached session makes a new provider ready with zero requests', async () => {
    const s = await server();
    const first = mount({ 'app-id': s.appId, 'base-url': s.url });
    const acquired = await settled(first);
    equal(acquired.status, 'ready', 'first provider ready');
    equal(acquired.storage, 'indexeddb', 'cached in IndexedDB');
    first.remove();
    await clearServerRequests(s.id);
    const second = mount({ 'app-id': s.appId, 'base-url': s.url });
    const cached = await settled(second);
    equal(cached.token, acquired.token, 'same token from the cache');
    equal(cached.anonId, acquired.anonId, 'same identity');
    equal((await serverRequests(s.id)).length, 0, 'requests after the cache hit');
    await second.reset();
  });

  it('a warm start reads the cache and writes nothing (no storage probe before the read)', async () => {
    const s = await server({ pow: 'off' });
    const first = mount({ 'app-id': s.appId, 'base-url': s.url });
    equal((await settled(first)).status, 'ready', 'first provider ready');
    first.remove();
    const writes: string[] = [];
    const { put, delete: remove } = IDBObjectStore.prototype;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      writes.push(`put ${String(args[1])}`);
      return put.apply(this, args);
    };
    IDBObjectStore.prototype.delete = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['delete']>) {
      writes.push(`delete ${String(args[0])}`);
      return remove.apply(this, args);
    };
    onCleanup(() => {
      IDBObjectStore.prototype.put = put;
      IDBObjectStore.prototype.delete = remove;
    });
    const second = mount({ 'app-id': s.appId, 'base-url': s.url });
    const cached = await settled(second);
    equal(cached.status, 'ready', 'ready from the cache');
    equal(cached.storage, 'indexeddb', 'storage');
    equal(writes.join(', '), '', 'IndexedDB writes during the warm start');
  });

  it('apiFetch carries every API call of the element and of its authenticated fetch', async () => {
    const s = await server({ pow: 'v1', difficulty: 1_000 });
    const seen: string[] = [];
    const el = document.createElement('ink-auth-provider');
    el.setAttribute('app-id', s.appId);
    el.setAttribute('base-url', s.url);
    el.setAttribute('storage', 'memory');
    el.apiFetch = (input, init) => {
      const method = input instanceof Request ? input.method : (init?.method ?? 'GET');
      seen.push(`${method} ${new URL(input instanceof Request ? input.url : String(input)).pathname}`);
      return fetch(input, init);
    };
    document.body.append(el);
    onCleanup(() => el.remove());
    equal((await settled(el)).status, 'ready', 'ready');
    // The context value's fetch, as a chat element gets it (a raw context-request).
    const child = el.appendChild(document.createElement('div'));
    let context: AuthContextValue | undefined;
    child.dispatchEvent(Object.assign(new Event('context-request', { bubbles: true, composed: true }), {
      context: authContext,
      contextTarget: child,
      callback: (value: AuthContextValue) => (context = value),
    }));
    ok(context, 'the context value');
    const chat = await context.fetch(`${s.url}/run/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }] }),
    });
    equal(chat.status, 200, 'chat through the authenticated fetch');
    equal(seen.join(), (await apiCalls(s.id)).map((r) => `${r.method} ${r.path}`).join(), 'the calls apiFetch saw are the calls the server got');
    equal(seen.length, 3, 'challenge, session and chat');
  });

  it('storage="memory" persists nothing in IndexedDB', async () => {
    const s = await server({ pow: 'off' });
    const el = mount({ 'app-id': s.appId, 'base-url': s.url, storage: 'memory' });
    const state = await settled(el);
    equal(state.status, 'ready', 'ready');
    equal(state.storage, 'memory', 'state says memory');
    const stored = await get(sessionKey(s.url, s.appId), createStore(DEFAULT_DB_NAME, DEFAULT_STORE_NAME));
    equal(stored, undefined, 'IndexedDB entry');
  });
});
