// The PoW hash kernel under a strict CSP: a worker whose policy allows 'wasm-unsafe-eval' hashes
// on WebAssembly SIMD; one whose policy does not falls back to the JS kernel and still
// authenticates. A same-origin worker has the policy its script is served with; the blob: worker
// of a CDN script inherits the page's. The policies come from
// test/browser/plugins/embed-fixture-middleware.ts.
import { openFixture, otherOriginOfThisServer, waitFor } from './embed-helpers.js';
import type { OpenFixture } from './embed-helpers.js';
import { ok, server as testServer } from './helpers/harness.js';
import type { TestServer } from './helpers/server.js';

let server: TestServer;

beforeEach(async () => {
  server = await testServer({ pow: 'v1', difficulty: 20_000 });
});

async function authenticateUnder(variant: 'wasm' | 'strict'): Promise<OpenFixture> {
  const policy = await fetch(`/csp-worker/${variant}/dist/pow.worker.js`);
  const header = policy.headers.get('content-security-policy') ?? '';
  ok(header.includes("script-src 'self'") && header.includes('wasm-unsafe-eval') === (variant === 'wasm'), `worker policy: ${header}`);
  const page = await openFixture('/test/fixtures/csp/worker-policy.html', {
    api: new URL(server.url).origin,
    base: server.url,
    app: server.appId,
    bundle: `/csp-worker/${variant}/dist/ink-auth.min.js`,
  });
  const anonId = await waitFor(() => page.report().anonId, 'an anon_ id', page);
  ok(/^anon_/.test(anonId), `anon id ${anonId}`);
  ok(page.report().evalBlocked === 'yes', 'the page CSP did not block eval: the policy was not applied');
  ok(page.report().errors === undefined, `page errors: ${page.report().errors}`);
  return page;
}

describe('strict CSP and the WebAssembly kernel', () => {
  it("a worker whose CSP allows 'wasm-unsafe-eval' hashes on wasm-simd", async () => {
    const page = await authenticateUnder('wasm');
    ok(page.report().kernel === 'wasm-simd', `kernel ${page.report().kernel}`);
  });

  it("a worker whose CSP lacks 'wasm-unsafe-eval' falls back to the JS kernel and still authenticates", async () => {
    const page = await authenticateUnder('strict');
    ok(page.report().kernel === 'js', `kernel ${page.report().kernel}`);
  });

  for (const wasm of [true, false]) {
    it(`the blob: worker of a CDN script follows the page's policy: ${wasm ? "with 'wasm-unsafe-eval' wasm-simd" : 'without it js'}`, async () => {
      const cdn = otherOriginOfThisServer();
      const page = await openFixture('/test/fixtures/csp/cdn.html', {
        api: new URL(server.url).origin,
        cdn,
        blob: '1',
        ...(wasm ? { wasm: '1' } : {}),
        base: server.url,
        app: server.appId,
        bundle: `${cdn}/dist/ink-auth.min.js`,
      });
      const anonId = await waitFor(() => page.report().anonId, 'an anon_ id', page);
      ok(/^anon_/.test(anonId), `anon id ${anonId}`);
      ok(page.report().evalBlocked === 'yes', 'the page CSP did not block eval: the policy was not applied');
      ok(page.report().kernel === (wasm ? 'wasm-simd' : 'js'), `kernel ${page.report().kernel}`);
    });
  }
});
