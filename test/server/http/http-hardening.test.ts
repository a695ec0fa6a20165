import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AppRegistry, RequestLogEntry, RunningServer } from '../../../server/index.js';
import { APP_ID, ORIGIN, POW_SECRET, expectProblem, powSettings, requestSession, startTestServer } from '../helpers.js';

describe('CORS on /run/*', () => {
  let server: RunningServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('preflight is answered with the component headers allowed', async () => {
    const res = await fetch(`${server.url}/run/api/chat`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://site.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type, x-inkeep-app-id, x-inkeep-agent-id, x-custom-thing',
      },
    });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('content-type'), null);
    assert.equal(res.headers.get('access-control-allow-origin'), 'https://site.example');
    assert.match(res.headers.get('access-control-allow-methods') ?? '', /POST/);
    const allowed = (res.headers.get('access-control-allow-headers') ?? '').split(',').map((h) => h.trim());
    for (const h of ['authorization', 'content-type', 'x-inkeep-app-id', 'x-inkeep-challenge-solution', 'x-inkeep-agent-id', 'x-custom-thing']) {
      assert.ok(allowed.includes(h), `missing ${h} in ${allowed.join(',')}`);
    }
    assert.match(res.headers.get('x-request-id') ?? '', /^req_/);
  });

  test('preflight for the session endpoint allows the solution header', async () => {
    const res = await fetch(`${server.url}/run/auth/apps/${APP_ID}/anonymous-session`, {
      method: 'OPTIONS',
      headers: { origin: ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-inkeep-challenge-solution' },
    });
    assert.equal(res.status, 204);
    assert.match(res.headers.get('access-control-allow-headers') ?? '', /x-inkeep-challenge-solution/);
  });

  test('only an origin is echoed: a malformed or oversized Origin gets *, so answers stay small', async () => {
    const echoed = async (path: string, origin: string) => {
      const res = await fetch(`${server.url}${path}`, { headers: { origin } });
      await res.body?.cancel();
      return res.headers.get('access-control-allow-origin');
    };
    for (const path of ['/run/auth/pow/challenge', '/v1/auth/challenges']) {
      assert.equal(await echoed(path, 'https://site.example:8443'), 'https://site.example:8443', path);
      assert.equal(await echoed(path, 'null'), 'null', path);
      for (const bad of ['h'.repeat(15_000), `https://${'a'.repeat(2100)}.example`, 'https://a.example/path', 'https://a.example, https://b.example', 'not an origin']) {
        assert.equal(await echoed(path, bad), '*', `${path}: ${bad.slice(0, 30)}`);
      }
    }
  });

  test('responses, errors included, carry CORS headers and expose x-request-id', async () => {
    for (const res of [await requestSession(server), await requestSession(server, {}, 'app_missing')]) {
      assert.equal(res.headers.get('access-control-allow-origin'), ORIGIN);
      assert.match(res.headers.get('access-control-expose-headers') ?? '', /x-request-id/);
      await res.body?.cancel();
    }
  });
});

describe('hardening', () => {
  const entries: RequestLogEntry[] = [];
  const lines: string[] = [];
  let server: RunningServer;
  before(async () => {
    server = await startTestServer({ pow: powSettings('v1'), onRequest: (e) => entries.push(e), log: (l) => lines.push(l) });
  });
  after(() => server.close());

  test('bodies over 64 KiB → 413 problem+json', async () => {
    const big = JSON.stringify({ messages: [{ role: 'user', content: 'x'.repeat(70 * 1024) }] });
    const res = await fetch(`${server.url}/run/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
    await expectProblem(res, 413, 'payload_too_large');
  });

  test('a chunked body over 64 KiB (no content-length) → 413', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(16 * 1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 6) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const res = await fetch(`${server.url}/run/api/chat`, { method: 'POST', body, duplex: 'half' } as RequestInit);
    await expectProblem(res, 413, 'payload_too_large');
  });

  test('unknown routes and wrong methods → 404 problem+json', async () => {
    await expectProblem(await fetch(`${server.url}/nowhere`), 404, 'not_found');
    await expectProblem(await fetch(`${server.url}/run/auth/unknown`), 404, 'not_found');
    await expectProblem(await fetch(`${server.url}/run/api/chat`), 404, 'not_found');
  });

  test('every response has a fresh request id', async () => {
    const a = await fetch(`${server.url}/run/auth/pow/challenge`);
    const b = await fetch(`${server.url}/run/auth/pow/challenge`, { headers: { 'x-request-id': 'req_client_chosen' } });
    await a.body?.cancel();
    await b.body?.cancel();
    assert.match(a.headers.get('x-request-id') ?? '', /^req_[0-9a-f]{32}$/);
    assert.notEqual(a.headers.get('x-request-id'), b.headers.get('x-request-id'));
    assert.notEqual(b.headers.get('x-request-id'), 'req_client_chosen');
  });

  test('log lines and entries carry method, path, status and id, never tokens, solutions or secrets', async () => {
    const res = await fetch(`${server.url}/run/auth/pow/challenge?token=query-secret`);
    const ch = await res.json();
    const solution = Buffer.from(JSON.stringify(ch)).toString('base64');
    const session = await requestSession(server, { 'x-inkeep-challenge-solution': solution, authorization: 'Bearer some.old.token' });
    await session.body?.cancel();
    const last = entries.at(-1);
    assert.equal(last?.method, 'POST');
    assert.equal(last?.path, `/run/auth/apps/${APP_ID}/anonymous-session`);
    assert.equal(last?.status, 400);
    assert.match(last?.requestId ?? '', /^req_/);
    assert.equal(typeof last?.durationMs, 'number');
    const all = lines.join('\n');
    assert.ok(all.includes(`/run/auth/apps/${APP_ID}/anonymous-session 400`));
    for (const secret of ['query-secret', solution, 'some.old.token', POW_SECRET]) assert.ok(!all.includes(secret), `log leaked ${secret.slice(0, 12)}`);
  });
});

test('5xx never leak internals and are logged without the error message', async () => {
  const lines: string[] = [];
  const broken: AppRegistry = {
    get: async () => {
      throw new Error('connection to db://admin:hunter2@db failed');
    },
    markUsed: async () => {},
  };
  const server = await startTestServer({ registry: broken, log: (l) => lines.push(l) });
  try {
    const res = await requestSession(server);
    const body = await expectProblem(res, 500, 'internal_server_error');
    assert.equal(body.detail, 'Internal Server Error');
    assert.ok(!JSON.stringify(body).includes('hunter2'));
    assert.ok(lines.some((l) => l.includes(body.requestId)), 'the failure is logged with its request id');
    assert.ok(!lines.join('\n').includes('hunter2'));
  } finally {
    await server.close();
  }
});

test('close() resolves promptly with keep-alive connections open', { timeout: 5000 }, async () => {
  const server = await startTestServer();
  const res = await fetch(`${server.url}/run/auth/pow/challenge`, { headers: { connection: 'keep-alive' } });
  await res.body?.cancel();
  await server.close();
  await server.close();
  await assert.rejects(fetch(`${server.url}/run/auth/pow/challenge`));
});
