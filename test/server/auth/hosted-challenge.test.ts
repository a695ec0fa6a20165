import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Challenge as V2Challenge } from 'altcha-lib';
import type { RunningServer } from '../../../server/index.js';
import { APP_ID, ORIGIN, encodePayload, expectProblem, powSettings, requestSession, solveV2Payload, solvedV1Payload, startTestServer, webApp } from '../helpers.js';

// The hosted widget (@inkeep/agents-ui) fetches `GET /run/auth/challenge?appId=` (ALTCHA v2),
// lets the altcha widget solve it, and sends `x-inkeep-challenge-solution: btoa(JSON.stringify({payload}))`
// where `payload` is the altcha widget's own `btoa(JSON.stringify({challenge:{parameters, signature}, solution}))`.

const API_APP = 'app_apionly00000000000001';

function fetchChallenge(server: RunningServer, query: string, origin: string | null = ORIGIN): Promise<Response> {
  return fetch(`${server.url}/run/auth/challenge${query}`, { headers: origin ? { origin } : {} });
}

/** What the widget sends: its envelope around the altcha payload. */
function widgetHeader(payload: object): Record<string, string> {
  return { 'x-inkeep-challenge-solution': encodePayload({ payload: encodePayload(payload) }) };
}

async function solvedWidgetPayload(server: RunningServer): Promise<object> {
  const res = await fetchChallenge(server, `?appId=${APP_ID}`);
  assert.equal(res.status, 200, await res.clone().text());
  assert.equal(res.headers.get('cache-control'), 'no-store');
  assert.equal(res.headers.get('access-control-allow-origin'), ORIGIN, 'the widget fetches it cross-origin');
  return solveV2Payload((await res.json()) as V2Challenge);
}

describe('the hosted v2 challenge (GET /run/auth/challenge?appId=)', () => {
  let server: RunningServer;
  before(async () => {
    server = await startTestServer({
      pow: powSettings('v1', { difficulty: 500 }),
      apps: [webApp(), { ...webApp({ id: API_APP }), type: 'api', config: { type: 'api', api: {} } }],
    });
  });
  after(() => server.close());

  test('a v2 challenge solved and wrapped as the widget does opens a session, once', async () => {
    const payload = await solvedWidgetPayload(server);
    const res = await requestSession(server, widgetHeader(payload));
    assert.equal(res.status, 200, await res.clone().text());
    assert.match(((await res.json()) as { token: string }).token, /^eyJ/);
    await expectProblem(await requestSession(server, widgetHeader(payload)), 400, 'bad_request', { reason: 'pow_replayed' });
  });

  test('the v1 flow keeps working beside it on the same server', async () => {
    const res = await requestSession(server, { 'x-inkeep-challenge-solution': encodePayload(await solvedV1Payload(server)) });
    assert.equal(res.status, 200, await res.clone().text());
    await res.body?.cancel();
  });

  test('app, type and Origin are checked before a challenge is made', async () => {
    await expectProblem(await fetchChallenge(server, ''), 400, 'bad_request');
    await expectProblem(await fetchChallenge(server, '?appId=app_nosuchapp0000000000'), 404, 'not_found');
    await expectProblem(await fetchChallenge(server, `?appId=${API_APP}`), 400, 'bad_request');
    await expectProblem(await fetchChallenge(server, `?appId=${APP_ID}`, 'https://evil.example'), 403, 'forbidden');
    await expectProblem(await fetchChallenge(server, `?appId=${APP_ID}`, null), 403, 'forbidden');
  });

  test('a tampered, expired-looking or malformed widget payload is refused as a proof-of-work failure', async () => {
    const payload = (await solvedWidgetPayload(server)) as { challenge: V2Challenge; solution: { counter: number; derivedKey: string } };
    const wrongCounter = { ...payload, solution: { ...payload.solution, counter: payload.solution.counter + 1 } };
    await expectProblem(await requestSession(server, widgetHeader(wrongCounter)), 400, 'bad_request', { reason: 'pow_invalid' });
    const stretched = { ...payload, challenge: { ...payload.challenge, parameters: { ...payload.challenge.parameters, expiresAt: Math.floor(Date.now() / 1000) + 86_400 } } };
    await expectProblem(await requestSession(server, widgetHeader(stretched)), 400, 'bad_request', { reason: 'pow_invalid' });
    const notBase64 = { 'x-inkeep-challenge-solution': encodePayload({ payload: 'not base64 at all!' }) };
    await expectProblem(await requestSession(server, notBase64), 400, 'bad_request', { reason: 'pow_invalid' });
    // The untampered payload still opens its session: refusals burnt nothing.
    const res = await requestSession(server, widgetHeader(payload));
    assert.equal(res.status, 200);
    await res.body?.cancel();
  });

  test('POST /run/auth/challenge (interaction data) is a clear 404', async () => {
    const res = await fetch(`${server.url}/run/auth/challenge`, { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'application/json' }, body: '{}' });
    const body = await expectProblem(res, 404, 'not_found');
    assert.match(body.detail, /not served here/);
  });
});

test('with proof of work off, the v2 challenge route answers 404 after the app checks', async () => {
  const server = await startTestServer({ pow: null });
  try {
    const body = await expectProblem(await fetchChallenge(server, `?appId=${APP_ID}`), 404, 'not_found');
    assert.match(body.detail, /not enabled/);
    await expectProblem(await fetchChallenge(server, `?appId=${APP_ID}`, 'https://evil.example'), 403, 'forbidden');
  } finally {
    await server.close();
  }
});
