// The PoW hash kernel under a strict CSP: a worker whose policy allows 'wasm-unsafe-eval' hashes
// on WebAssembly SIMD; one whose policy does not falls back to the JS kernel and still
// authenticates. The policies come from test/browser/plugins/embed-fixture-middleware.ts.
import { assert, openFixture, waitFor } from './embed-helpers.js';
import type { OpenFixture } from './embed-helpers.js';
import { startServer, stopServer } from './helpers/server.js';
import type { TestServer } from './helpers/server.js';

let server: TestServer;
let fixture: OpenFixture | null = null;

beforeEach(async () => {
  server = await startServer({ pow: 'v1', difficulty: 20_000 });
});

afterEach(async () => {
  fixture?.close();
  fixture = null;
  await stopServer(server.id);
});

async function authenticateUnder(variant: 'wasm' | 'strict'): Promise<OpenFixture> {
  const policy = await fetch(`/csp-worker/${variant}/dist/pow.worker.js`);
  const header = policy.headers.get('content-security-policy') ?? '';
  assert(header.includes("script-src 'self'") && header.includes('wasm-unsafe-eval') === (variant === 'wasm'), `worker policy: ${header}`);
  const page = await openFixture('/test/fixtures/csp/worker-policy.html', {
    api: new URL(server.url).origin,
    base: server.url,
    app: server.appId,
    bundle: `/csp-worker/${variant}/dist/ink-auth.min.js`,
  });
  fixture = page;
  const anonId = await waitFor(() => page.report().anonId, 'an anon_ id', page);
  assert(/^anon_/.test(anonId), `anon id ${anonId}`);
  assert(page.report().evalBlocked === 'yes', 'the page CSP did not block eval: the policy was not applied');
  assert(page.report().errors === undefined, `page errors: ${page.report().errors}`);
  return page;
}

describe('strict CSP and the WebAssembly kernel', () => {
  it("a worker whose CSP allows 'wasm-unsafe-eval' hashes on wasm-simd", async () => {
    const page = await authenticateUnder('wasm');
    assert(page.report().kernel === 'wasm-simd', `kernel ${page.report().kernel}`);
  });

  it("a worker whose CSP lacks 'wasm-unsafe-eval' falls back to the JS kernel and still authenticates", async () => {
    const page = await authenticateUnder('strict');
    assert(page.report().kernel === 'js', `kernel ${page.report().kernel}`);
  });
});
