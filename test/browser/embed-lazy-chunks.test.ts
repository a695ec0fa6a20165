// The built script-tag bundle (dist/ink-auth.min.js, from `npm run build`) served from another
// origin, as from a CDN: an anonymous page loads the entry alone (one file before the element
// runs) and never the pairing chunk; `mode="pairing"` then fetches that chunk beside the entry,
// from the same CDN path, and pairs on the entry's running modules (no second copy of it). The page imports nothing from src/: only the built files run here.
import { otherOriginOfThisServer } from './embed-helpers.js';
import { serverPairingCodes } from './helpers/server.js';
import type { TestServer } from './helpers/server.js';
import { ok, onCleanup, server, waitFor } from './helpers/harness.js';

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

  it('an anonymous page loads the entry alone: one file, no chunk, not the pairing chunk', async () => {
    const el = mount(await server({ pow: 'off' }));
    await waitFor(() => el.status === 'ready', 'ready');
    const files = moduleFiles();
    ok(files.length === 1 && files[0] === 'ink-auth.min.js', `only the entry was fetched from the CDN path: ${files.join(', ')}`);
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
