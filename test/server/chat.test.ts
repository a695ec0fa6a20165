import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SignJWT } from 'jose';
import type { RunningServer } from '../../server/index.js';
import { APP_ID, JWT_SECRET, ORIGIN, OTHER_APP_ID, decodeJwt, expectProblem, requestSession, startTestServer, webApp } from './helpers.js';

interface SseEvent {
  event: string;
  data: unknown;
}

function parseSse(text: string): SseEvent[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const lines = block.split('\n');
      const event = lines.find((l) => l.startsWith('event: '))?.slice(7) ?? 'message';
      const data = lines.filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
      return { event, data: JSON.parse(data) as unknown };
    });
}

describe('POST /run/api/chat', () => {
  let server: RunningServer;
  let token: string;
  let anonId: string;
  const messages = [
    { role: 'user', content: 'first question' },
    { role: 'assistant', content: 'an answer' },
    { role: 'user', content: 'Where is "ink"?' },
  ];

  const chat = (headers: Record<string, string | undefined> = {}, body: string = JSON.stringify({ messages })) => {
    const merged: Record<string, string> = {};
    const all = { origin: ORIGIN, authorization: `Bearer ${token}`, 'x-inkeep-app-id': APP_ID, 'content-type': 'application/json', ...headers };
    for (const [k, v] of Object.entries(all)) if (v !== undefined) merged[k] = v;
    return fetch(`${server.url}/run/api/chat`, { method: 'POST', headers: merged, body });
  };

  before(async () => {
    server = await startTestServer({
      apps: [webApp(), webApp({ id: OTHER_APP_ID }), webApp({ id: 'app_gone' })],
    });
    const res = await requestSession(server);
    token = ((await res.json()) as { token: string }).token;
    anonId = String(decodeJwt(token).payload.sub);
  });
  after(() => server.close());

  test('200: streams delta events naming the anon id and quoting the last user message, then done', async () => {
    const res = await chat();
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
    assert.match(res.headers.get('x-request-id') ?? '', /^req_[0-9a-f]{32}$/);
    const events = parseSse(await res.text());
    const deltas = events.filter((e) => e.event === 'delta');
    assert.ok(deltas.length >= 3, `expected several chunks, got ${deltas.length}`);
    const text = deltas.map((e) => (e.data as { text: string }).text).join('');
    assert.ok(text.includes(anonId), text);
    assert.ok(text.includes('"Where is "ink"?"'), text);
    assert.ok(!text.includes('first question'));
    assert.deepEqual(events.at(-1), { event: 'done', data: { anonId, appId: APP_ID } });
    assert.equal(events.filter((e) => e.event === 'done').length, 1);
  });

  test('the explicit default agent is accepted', async () => {
    assert.equal((await chat({ 'x-inkeep-agent-id': 'agent_test' })).status, 200);
  });

  test('401 for a missing, malformed, forged or expired token, or a missing app id', async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = decodeJwt(token).payload;
    const expired = await new SignJWT({ tid: claims.tid, pid: claims.pid, app: APP_ID, type: 'anonymous' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(anonId)
      .setIssuer('inkeep')
      .setIssuedAt(now - 7200)
      .setExpirationTime(now - 10)
      .sign(new TextEncoder().encode(JWT_SECRET));
    const tampered = token.slice(0, -4) + (token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    for (const headers of [
      { authorization: undefined },
      { authorization: token },
      { authorization: 'Bearer not.a.jwt' },
      { authorization: `Bearer ${tampered}` },
      { authorization: `Bearer ${expired}` },
      { 'x-inkeep-app-id': undefined },
    ]) {
      const res = await chat(headers);
      await expectProblem(res, 401, 'unauthorized');
      assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer/);
    }
  });

  test("401 when x-inkeep-app-id names another app than the token's", async () => {
    await expectProblem(await chat({ 'x-inkeep-app-id': OTHER_APP_ID }), 401, 'unauthorized');
  });

  test('401 when the app was disabled after the token was issued', async () => {
    const res = await requestSession(server, {}, 'app_gone');
    const goneToken = ((await res.json()) as { token: string }).token;
    await server.state.apps.upsert(webApp({ id: 'app_gone', enabled: false }));
    await expectProblem(await chat({ authorization: `Bearer ${goneToken}`, 'x-inkeep-app-id': 'app_gone' }), 401, 'unauthorized');
  });

  test('403 for a disallowed or missing origin', async () => {
    for (const origin of ['https://evil.test', undefined]) {
      const body = await expectProblem(await chat({ origin }), 403, 'forbidden');
      assert.equal(body.detail, 'Origin not allowed');
    }
  });

  test('403 for an agent other than the default', async () => {
    await expectProblem(await chat({ 'x-inkeep-agent-id': 'agent_other' }), 403, 'forbidden');
  });

  test('400 for a body that is not JSON, 422 for one of the wrong shape', async () => {
    await expectProblem(await chat({}, '{nope'), 400, 'bad_request');
    for (const body of [
      {},
      { messages: [] },
      { messages: 'hi' },
      { messages: [{ role: 'robot', content: 'x' }] },
      { messages: [{ role: 'user', content: 42 }] },
      { messages: [{ role: 'assistant', content: 'no user message' }] },
    ]) {
      await expectProblem(await chat({}, JSON.stringify(body)), 422, 'unprocessable_entity');
    }
  });
});
