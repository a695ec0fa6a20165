// The script-tag bundle on pages served with a strict Content-Security-Policy (no inline script,
// no eval, no blob: unless asked): `script-src 'self'; worker-src 'self'; connect-src <api>`.
// The policy comes from test/browser/plugins/embed-fixture-middleware.ts.
import { openFixture, otherOriginOfThisServer, waitFor } from './embed-helpers.js';
import type { OpenFixture } from './embed-helpers.js';
import { ok, server as testServer } from './helpers/harness.js';
import { serverRequests, stopServer } from './helpers/server.js';
import type { TestServer } from './helpers/server.js';

let server: TestServer;

beforeEach(async () => {
  server = await testServer({ pow: 'v1', difficulty: 5000 });
});

function apiOrigin(): string {
  return new URL(server.url).origin;
}

describe('strict CSP', () => {
  it('serves the fixture with the policy, and the policy is enforced', async () => {
    const response = await fetch(`/test/fixtures/csp/strict.html?api=${encodeURIComponent(apiOrigin())}`);
    const policy = response.headers.get('content-security-policy') ?? '';
    ok(policy.includes("script-src 'self';"), `policy: ${policy}`);
    ok(policy.includes("worker-src 'self';"), `policy: ${policy}`);
    ok(policy.includes(`connect-src ${apiOrigin()};`), `policy: ${policy}`);
    ok(!/unsafe-inline|unsafe-eval|blob:/.test(policy), `policy is not strict: ${policy}`);
  });

  for (const format of ['v1', 'v2'] as const) {
    it(`authenticates with a same-origin bundle and its ${format} worker`, async () => {
      if (format !== 'v1') {
        await stopServer(server.id);
        server = await testServer({ pow: format, difficulty: 5000 });
      }
      const page = await openFixture('/test/fixtures/csp/strict.html', { api: apiOrigin(), base: server.url, app: server.appId });
      const anonId = await waitFor(() => page.report().anonId, 'an anon_ id', page);
      ok(/^anon_/.test(anonId), `anon id ${anonId}`);
      ok(page.report().evalBlocked === 'yes', 'the CSP did not block eval: the policy was not applied');
      const violations = (page.report().violations ?? '').split('\n').filter(Boolean);
      // The page's own deliberate eval probe is the only violation allowed.
      ok(violations.every((v) => v.startsWith('script-src eval')), `unexpected violations: ${violations.join('; ')}`);
      ok(page.report().errors === undefined, `page errors: ${page.report().errors}`);
      const log = await serverRequests(server.id);
      ok(log.some((r) => r.path.endsWith('/pow/challenge') && r.status === 200), 'no PoW challenge was issued');
    });
  }

  it('with the bundle on a CDN and no blob: workers, fails with pow_worker_failed instead of hanging', async () => {
    const cdn = otherOriginOfThisServer();
    const page = await openFixture('/test/fixtures/csp/cdn.html', {
      api: apiOrigin(),
      cdn,
      base: server.url,
      app: server.appId,
      bundle: `${cdn}/dist/ink-auth.min.js`,
    });
    const code = await waitFor(() => page.report().errorCode, 'an ink-auth-error', page);
    ok(code === 'pow_worker_failed', `error code ${code}`);
    ok(page.report().status === 'error', `status ${page.report().status}`);
    ok(page.report().anonId === undefined, 'no session may be obtained');
    // The file is there: the detail must blame the policy, not a missing file.
    const message = page.report().errorMessage ?? '';
    ok(message.includes('worker-src') && !message.includes('not found'), `error message: ${message}`);
  });

  it('with the bundle on a CDN and `worker-src blob:` allowed, authenticates', async () => {
    const cdn = otherOriginOfThisServer();
    const page = await openFixture('/test/fixtures/csp/cdn.html', {
      api: apiOrigin(),
      cdn,
      blob: '1',
      base: server.url,
      app: server.appId,
      bundle: `${cdn}/dist/ink-auth.min.js`,
    });
    const anonId = await waitFor(() => page.report().anonId, 'an anon_ id', page);
    ok(/^anon_/.test(anonId), `anon id ${anonId}`);
    ok(page.report().evalBlocked === 'yes', 'the CSP did not block eval: the policy was not applied');
  });
});
