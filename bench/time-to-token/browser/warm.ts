// First script of the warm-start pages of bench/time-to-token.ts (a classic script, before the
// bundle's module script). `?mode=ready`: puts <ink-auth-provider> in the page and times first
// script → ready (bundle fetched and evaluated, cache read). `?mode=idb` (a page without the
// bundle): times first script → the same IndexedDB record read directly, the floor.
import type { WarmPageResult } from '../protocol.js';

interface Request<T> {
  onsuccess: (() => void) | null;
  onerror: (() => void) | null;
  result: T;
}
interface Db {
  transaction(store: string, mode: 'readonly'): { objectStore(name: string): { get(key: string): Request<unknown> } };
  close(): void;
}
interface WarmGlobals {
  location: { search: string };
  document: { createElement(tag: string): { setAttribute(n: string, v: string): void; addEventListener(t: string, l: (e: { detail: unknown }) => void): void }; body: { append(n: unknown): void } };
  indexedDB: { open(name: string): Request<Db> };
  inkWarm?: WarmPageResult & { found?: boolean };
}
const page = globalThis as unknown as WarmGlobals;
const firstScript = performance.now();
const params = new URLSearchParams(page.location.search);
const appId = params.get('app') ?? '';
const baseUrl = params.get('base') ?? '';

if (params.get('mode') === 'idb') {
  // What the library reads: database ink-auth, store sessions, key "<base URL>|<app id>".
  const open = page.indexedDB.open('ink-auth');
  open.onsuccess = () => {
    const db = open.result;
    const get = db.transaction('sessions', 'readonly').objectStore('sessions').get(`${baseUrl}|${appId}`);
    get.onsuccess = () => {
      page.inkWarm = { readyMs: null, idbReadMs: performance.now() - firstScript, found: get.result !== undefined };
      db.close();
    };
  };
} else {
  const element = page.document.createElement('ink-auth-provider');
  element.setAttribute('app-id', appId);
  element.setAttribute('base-url', baseUrl);
  element.addEventListener('ink-auth-change', (event) => {
    if ((event.detail as { status: string }).status === 'ready') page.inkWarm ??= { readyMs: performance.now() - firstScript, idbReadMs: null };
  });
  page.document.body.append(element);
}
