// "Tabs" for browser tests: same-origin iframes, each its own browsing context with its own
// <ink-auth-provider>, sharing Web Locks, BroadcastChannel and IndexedDB as real tabs do.
import type { InkAuthProvider } from '../../../src/index.js';
import { onCleanup } from './harness.js';
import type { TestServer } from './server.js';

const libraryUrl = new URL('../../../src/index.js', import.meta.url).href;

/** Opens a tab that loads the library and mounts a provider for `s` with `attrs`; removed after the test. */
export function openTab(s: TestServer, attrs: Record<string, string> = {}): HTMLIFrameElement {
  const all = { 'app-id': s.appId, 'base-url': s.url, ...attrs };
  const frame = document.createElement('iframe');
  frame.srcdoc = `<!doctype html><body><script type="module">
    import ${JSON.stringify(libraryUrl)};
    const el = document.createElement('ink-auth-provider');
    for (const [name, value] of Object.entries(${JSON.stringify(all)})) el.setAttribute(name, value);
    document.body.append(el);
  </script></body>`;
  document.body.append(frame);
  onCleanup(() => frame.remove());
  return frame;
}

/** The provider inside a tab, once its module has run. */
export function providerIn(frame: HTMLIFrameElement): InkAuthProvider | null {
  return (frame.contentDocument?.querySelector('ink-auth-provider') as InkAuthProvider | null) ?? null;
}
