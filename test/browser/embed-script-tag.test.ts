// The built script-tag bundle (dist/ink-auth.min.js, from `npm run build`) on plain HTML pages:
// no bundler, the page on another origin than the API, the bundle loaded twice, and the bundle
// served from another origin (a CDN).
import { openFixture, otherOriginOfThisServer, waitFor } from './embed-helpers.js';
import type { OpenFixture } from './embed-helpers.js';
import { ok, server as testServer } from './helpers/harness.js';
import { serverRequests } from './helpers/server.js';
import type { TestServer } from './helpers/server.js';

let server: TestServer;

beforeEach(async () => {
  server = await testServer({ pow: 'v1', difficulty: 5000 });
});

async function sessionRequests(): Promise<number> {
  const log = await serverRequests(server.id);
  return log.filter((r) => r.method === 'POST' && r.path.endsWith('/anonymous-session') && r.status === 200).length;
}

describe('script-tag bundle (dist/ink-auth.min.js)', () => {
  it('authenticates on a plain HTML page whose origin differs from the API', async () => {
    ok(new URL(server.url).origin !== location.origin, 'the API must be on another origin');
    const page = await openFixture('/test/fixtures/embed/plain.html', { base: server.url, app: server.appId });
    const anonId = await waitFor(() => page.report().anonId, 'an anon_ id', page);
    ok(/^anon_/.test(anonId), `anon id ${anonId}`);
    ok(page.report().bundlesLoaded === '1', `bundles loaded: ${page.report().bundlesLoaded}`);
    ok(page.report().status === 'ready', `status ${page.report().status}`);
    ok(page.report().errors === undefined, `page errors: ${page.report().errors}`);
    const element = page.frame.contentDocument!.querySelector('ink-auth-provider')!;
    ok(typeof (element as unknown as { getToken?: unknown }).getToken === 'function', 'element was not upgraded');
    ok((await sessionRequests()) === 1, 'expected exactly one session request');
  });

  it('registers the element once: a second copy of the bundle does not throw', async () => {
    const page = await openFixture('/test/fixtures/embed/twice.html', { base: server.url, app: server.appId });
    const anonId = await waitFor(() => page.report().anonId, 'an anon_ id', page);
    ok(/^anon_/.test(anonId), `anon id ${anonId}`);
    // Both module copies have run (the second one's URL differs), and neither threw.
    const scripts = [...page.frame.contentDocument!.querySelectorAll('script[src*="ink-auth.min.js"]')];
    ok(scripts.length === 2, 'fixture should load two copies');
    await waitFor(() => (page.report().bundlesLoaded === '2' ? true : undefined), 'both copies to run', page);
    ok(page.report().errors === undefined, `page errors: ${page.report().errors}`);
    ok(page.frame.contentWindow!.customElements.get('ink-auth-provider') !== undefined, 'element not defined');
    ok((await sessionRequests()) === 1, 'expected exactly one session request');
  });

  it('authenticates when the bundle and its worker come from another origin (a CDN)', async () => {
    const cdn = otherOriginOfThisServer();
    const page = await openFixture('/test/fixtures/embed/cdn.html', {
      base: server.url,
      app: server.appId,
      bundle: `${cdn}/dist/ink-auth.min.js`,
    });
    const anonId = await waitFor(() => page.report().anonId, 'an anon_ id', page);
    ok(/^anon_/.test(anonId), `anon id ${anonId}`);
    ok(page.report().errors === undefined, `page errors: ${page.report().errors}`);
    const log = await serverRequests(server.id);
    ok(log.some((r) => r.path.endsWith('/pow/challenge') && r.status === 200), 'no PoW challenge was solved');
  });
});
