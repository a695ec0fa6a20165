// First script of bench/warm-breakdown.ts's pages, before warm.js: it wraps the few platform
// calls a warm start makes and notes when each happens (ms from this script), so the time from
// the page's first script to `ready` can be split without touching the library. It changes no
// behaviour: every wrapper calls the original and returns what it returned.
export {};

type Marks = Record<string, number>;
const marks: Marks = {};
const t0 = performance.now();
const mark = (name: string, at = performance.now()) => void (marks[name] ??= at - t0);
// bench/ is type-checked without DOM libs: the page's globals are reached untyped.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const page = globalThis as any;

/** Wraps `owner[name]` so `before`/`after` note its first call (and `after` its result). */
function around(owner: any, name: string, label: string, onResult?: (result: any) => void): void { // eslint-disable-line @typescript-eslint/no-explicit-any
  const original = owner[name];
  owner[name] = function (this: unknown, ...args: unknown[]) {
    mark(`${label} called`);
    const result = original.apply(this, args);
    mark(`${label} returned`);
    onResult?.(result);
    return result;
  };
}

// The entry's first statement reads globalThis.ShadyCSS (Lit's polyfill check): evaluation begins.
Object.defineProperty(page, 'ShadyCSS', { configurable: true, get: () => void mark('entry evaluation starts') });
// Its last: customElements.define, which upgrades the element already in the page.
around(page.customElements, 'define', 'define + upgrade');
around(page.Element.prototype, 'attachShadow', 'shadow root');
// Lit's first update of the provider renders its <slot>.
const createElement = page.document.createElement;
page.document.createElement = function (this: unknown, tag: string, ...rest: unknown[]) {
  if (tag === 'slot') mark('first update (<slot>)');
  return createElement.call(this, tag, ...rest);
};
// The session: its tab channel, the preload hint, the cache read, the hint written on adopt.
const Channel = page.BroadcastChannel;
page.BroadcastChannel = class extends Channel {
  constructor(name: string) {
    mark('BroadcastChannel created');
    super(name);
  }
};
around(page.Storage.prototype, 'getItem', 'localStorage.getItem');
around(page.Storage.prototype, 'setItem', 'localStorage.setItem');
const onSuccess = (label: string) => (request: { addEventListener(type: string, listener: () => void): void }) =>
  request.addEventListener('success', () => mark(`${label} success`));
around(page.IDBFactory.prototype, 'open', 'indexedDB.open', onSuccess('indexedDB.open'));
around(page.IDBDatabase.prototype, 'transaction', 'transaction');
around(page.IDBObjectStore.prototype, 'get', 'store.get', onSuccess('store.get'));
page.addEventListener('ink-auth-change', (event: { detail: { status: string } }) => mark(`ink-auth-change ${event.detail.status}`), true);

page.inkProbe = () => {
  const entry = performance.getEntriesByType('resource').find((e) => e.name.includes('ink-auth.min.js')) as
    | { startTime: number; responseEnd: number; transferSize: number }
    | undefined;
  if (entry) {
    mark('entry fetch starts', entry.startTime);
    mark('entry fetched', entry.responseEnd);
  }
  return { marks, entryBytesOverNetwork: entry ? entry.transferSize : null };
};
