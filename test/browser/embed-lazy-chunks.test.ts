// The built script-tag bundle (dist/ink-auth.min.js, from `npm run build`) served from another
// origin, as from a CDN. A returning visitor's page runs the entry alone: ready from IndexedDB
// with no API request, the acquisition chunk only preloaded (`<link rel="modulepreload">`, fetched
// beside the cache read, not run). A first visit takes that chunk for its network session, from
// the same CDN path, and never the pairing chunk; `mode="pairing"` then fetches that chunk beside
// the entry and pairs on the entry's running modules (no second copy of it). The page imports
// nothing from src/: only the built files run here (idb-keyval seeds the cache as a visit would).
import { createStore, set } from 'idb-keyval';
import { otherOriginOfThisServer } from './embed-helpers.js';
import { clearServerRequests, serverPairingCodes, serverRequests } from './helpers/server.js';
import type { TestServer } from './helpers/server.js';
import { equal, ok, onCleanup, server, waitFor } from './helpers/harness.js';

interface Provider extends HTMLElement {
  status: string;
  token: string | null;
  submitPairingCode(code: string): Promise<void>;
}

const cdn = `${otherOriginOfThisServer()}/dist/`;

/** Script files fetched from the CDN path so far, by file name. */
function fetchedFromCdn(): string[] {
  return performance
    .getEntriesByType('resource')
    .map((entry) => entry.name)
    .filter((name) => name.startsWith(cdn) && name.endsWith('.js'))
    .map((name) => name.slice(cdn.length));
}

const ACQUISITION = /^ink-auth-acquisition-\w+\.js$/;

function mount(s: TestServer, attrs: Record<string, string> = {}): Provider {
  const el = document.createElement('ink-auth-provider') as Provider;
  for (const [name, value] of Object.entries({ 'app-id': s.appId, 'base-url': s.url, storage: 'memory', ...attrs })) el.setAttribute(name, value);
  document.body.append(el);
  onCleanup(() => el.remove());
  return el;
}

/** The library's module files fetched so far (the PoW workers left out). */
const moduleFiles = () => fetchedFromCdn().filter((file) => !/^pow(-v2)?\.worker\.js$/.test(file));

describe('script-tag bundle from a CDN: chunks beside the entry', () => {
  before(async () => {
    ok(!customElements.get('ink-auth-provider'), 'nothing else may define the element on this page');
    const entry: string = `${cdn}ink-auth.min.js`;
    await import(entry);
  });

  it('a returning visitor runs the entry alone: ready from IndexedDB with no API request, the acquisition chunk only preloaded', async () => {
    const s = await server({ pow: 'off' });
    // A real session of this server, cached where and as the element caches it.
    const response = await fetch(`${s.url}/run/auth/apps/${encodeURIComponent(s.appId)}/anonymous-session`, { method: 'POST' });
    const { token } = (await response.json()) as { token: string };
    const claims = JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as { sub: string; exp: number };
    await set(`${s.url}|${s.appId}`, { token, anonId: claims.sub, expiresAt: claims.exp * 1000, obtainedAt: Date.now() }, createStore('ink-auth', 'sessions'));
    await clearServerRequests(s.id);

    const el = mount(s, { storage: 'indexeddb' });
    await waitFor(() => el.status === 'ready', 'ready');
    equal(el.token, token, 'the cached token is served');
    equal((await serverRequests(s.id)).length, 0, 'API requests of a warm start');
    const preload = document.head.querySelector<HTMLLinkElement>('link[rel="modulepreload"]');
    ok(preload && preload.href.startsWith(cdn) && ACQUISITION.test(preload.href.slice(cdn.length)), `the acquisition chunk is preloaded beside the entry: ${preload?.href}`);
    const files = moduleFiles();
    ok(!files.some((file) => /pairing/.test(file)), `no pairing chunk: ${files.join(', ')}`);
  });

  it('a first visit takes the preloaded acquisition chunk for its session, fetched once, never the pairing chunk', async () => {
    const el = mount(await server({ pow: 'off' }));
    await waitFor(() => el.status === 'ready', 'ready');
    const files = moduleFiles();
    ok(files.filter((file) => file === 'ink-auth.min.js').length === 1, `the entry was fetched once: ${files.join(', ')}`);
    ok(files.filter((file) => ACQUISITION.test(file)).length === 1, `the acquisition chunk was fetched once: ${files.join(', ')}`);
    ok(!files.some((file) => /pairing/.test(file)), `no pairing chunk: ${files.join(', ')}`);
  });

  it('mode="pairing" fetches the pairing chunk beside the entry and pairs', async () => {
    const s = await server({ pow: 'off' });
    const el = mount(s, { mode: 'pairing', 'app-name': 'CDN page' });
    const form = await waitFor(() => el.shadowRoot?.querySelector('ink-pairing-code-form'), 'the code form');
    ok(customElements.get('ink-pairing-code-form'), 'the pairing chunk defined the code form');
    ok(form.shadowRoot, 'the code form rendered');
    const files = moduleFiles();
    ok(files.some((file) => /^ink-auth-pairing-mode-\w+\.js$/.test(file)), `the pairing chunk came from the CDN path: ${files.join(', ')}`);
    ok(files.filter((file) => file === 'ink-auth.min.js').length === 1, `the entry was not fetched again: ${files.join(', ')}`);
    await waitFor(() => el.status === 'awaiting-code', 'awaiting-code');
    const code = Object.values(await serverPairingCodes(s.id)).at(-1);
    ok(code, 'the server issued a pairing code');
    await el.submitPairingCode(code);
    await waitFor(() => el.status === 'ready', 'ready');
    ok(el.token, 'a key once paired');
  });
});
