import { after, before, describe, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { OutgoingHttpHeaders } from 'node:http';
import { encodePayload, solveV1Payload } from '../server/helpers.js';
import {
  ADMIN_KEY,
  ALLOWED_ORIGIN,
  APP_ID,
  JWT_SECRET,
  OTHER_TENANT_KEY,
  POW_SECRET,
  smallPow,
  startSecurityServer,
  type SecurityServer,
} from './harness.js';
import { send, type Reply } from './http-client.js';

const STORE_VALUE = `store-value-${randomBytes(16).toString('hex')}`;
const OTHER_STORE_VALUE = `store-value-${randomBytes(16).toString('hex')}`;

/** A secret in the encodings a careless log or body might carry it in. */
function forms(name: string, secret: string): Array<[string, string]> {
  const bytes = Buffer.from(secret, 'utf8');
  return [
    [name, secret],
    [`${name} (base64)`, bytes.toString('base64').replace(/=+$/, '')],
    [`${name} (base64url)`, bytes.toString('base64url')],
    [`${name} (hex)`, bytes.toString('hex')],
    [`${name} (JSON-escaped)`, JSON.stringify(secret).slice(1, -1)],
  ];
}

let h: SecurityServer;
const transcript: string[] = [];
const consoleLines: string[] = [];
let pairedKey = '';

async function call(method: string, path: string, headers: OutgoingHttpHeaders = {}, body?: unknown): Promise<Reply> {
  const reply = await send(h.port, {
    method,
    path,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  transcript.push(`${reply.status} ${JSON.stringify(reply.headers)}\n${reply.text}`);
  return reply;
}

const admin = (key = ADMIN_KEY) => ({ authorization: `Bearer ${key}` });

/** Walks every feature, successes and failures, with secrets in play. */
async function exerciseEverything(): Promise<void> {
  const manage = new URL(h.manageUrl()).pathname;
  // Sessions with proof of work, chat, and failures of both.
  const challenge = await call('GET', '/run/auth/pow/challenge');
  const solution = encodePayload(await solveV1Payload(JSON.parse(challenge.text) as Parameters<typeof solveV1Payload>[0]));
  const session = await call('POST', `/run/auth/apps/${APP_ID}/anonymous-session`, { origin: ALLOWED_ORIGIN, 'x-inkeep-challenge-solution': solution });
  assert.equal(session.status, 200, session.text);
  await call('POST', `/run/auth/apps/${APP_ID}/anonymous-session`, { origin: ALLOWED_ORIGIN, 'x-inkeep-challenge-solution': solution });
  const { token } = JSON.parse(session.text) as { token: string };
  const chatHeaders = { authorization: `Bearer ${token}`, 'x-inkeep-app-id': APP_ID, origin: ALLOWED_ORIGIN };
  assert.equal((await call('POST', '/run/api/chat', chatHeaders, { messages: [{ role: 'user', content: 'hello' }] })).status, 200);
  await call('POST', '/run/api/chat', { ...chatHeaders, authorization: `Bearer ${token}x` }, { messages: [] });
  await call('POST', '/run/api/chat', chatHeaders, { messages: 'nope' });

  // Manage: apps, credential references, secrets written to the store, and refusals.
  assert.equal((await call('POST', `${manage}/apps`, admin(), { name: 'a', type: 'api', config: { type: 'api' } })).status, 201);
  await call('GET', `${manage}/apps`, admin());
  assert.equal((await call('POST', `${manage}/credentials`, admin(), { id: 'cred_s', name: 's', type: 'memory', credentialStoreId: 'memory-default' })).status, 201);
  await call('GET', `${manage}/credentials`, admin());
  await call('GET', `${manage}/credentials/cred_s`, admin());
  assert.equal((await call('POST', `${manage}/credential-stores/memory-default/credentials`, admin(), { key: 'cred_s', value: STORE_VALUE })).status, 201);
  await call('POST', `${manage}/credential-stores/memory-default/credentials`, admin(), { key: 'cred_s', value: STORE_VALUE, metadata: { bad: 1 } });
  await call('POST', `${manage}/credential-stores/memory-default/credentials`, admin(), { key: '', value: STORE_VALUE });
  await call('POST', `${manage}/credential-stores/nowhere/credentials`, admin(), { key: 'k', value: STORE_VALUE });
  await call('POST', `${manage}/credential-stores/memory-default/credentials`, admin(OTHER_TENANT_KEY), { key: 'k', value: OTHER_STORE_VALUE });
  await call('POST', `${manage}/credential-stores/memory-default/credentials`, admin(`${ADMIN_KEY}x`), { key: 'k', value: OTHER_STORE_VALUE });
  await call('GET', `${manage}/credential-stores`, admin());
  await call('GET', `${manage}/apps?key=${encodeURIComponent(ADMIN_KEY)}`, admin());
  await call('GET', `${manage}/apps`, { authorization: `Bearer ${JWT_SECRET}` });
  await call('DELETE', `${manage}/credentials/cred_s`, admin());
  assert.equal(h.memoryStore.size, 0, 'deleting the reference deleted the secret');

  // Pairing: a key is issued once (to its client), used, then revoked.
  const opened = await call('POST', '/v1/auth/challenges', { 'anytype-version': '2025-11-08', 'x-inkeep-app-id': APP_ID }, { app_name: 'secrets' });
  const { challenge_id: challengeId } = JSON.parse(opened.text) as { challenge_id: string };
  const code = h.pairingCodes.find((p) => p.challengeId === challengeId)?.code ?? '';
  const issued = await call('POST', '/v1/auth/api_keys', { 'anytype-version': '2025-11-08' }, { challenge_id: challengeId, code });
  assert.equal(issued.status, 201, issued.text);
  const { api_key: apiKey, key_id: keyId } = JSON.parse(issued.text) as { api_key: string; key_id: string };
  pairedKey = apiKey;
  transcript.pop(); // the one response that must carry the key
  await call('POST', '/run/api/chat', { authorization: `Bearer ${apiKey}`, 'x-inkeep-app-id': APP_ID }, { messages: [{ role: 'user', content: 'hi' }] });
  await call('DELETE', `/v1/auth/api_keys/${keyId}`, { 'anytype-version': '2025-11-08', authorization: `Bearer ${ADMIN_KEY}x` });
  assert.equal((await call('DELETE', `/v1/auth/api_keys/${keyId}`, { 'anytype-version': '2025-11-08', authorization: `Bearer ${apiKey}` })).status, 204);
  await call('POST', '/run/api/chat', { authorization: `Bearer ${apiKey}`, 'x-inkeep-app-id': APP_ID }, { messages: [{ role: 'user', content: 'hi' }] });
}

before(async () => {
  const capture = (...args: unknown[]) => void consoleLines.push(args.map(String).join(' '));
  const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) => mock.method(console, m, capture));
  try {
    h = await startSecurityServer({ pow: smallPow() });
    await exerciseEverything();
  } finally {
    for (const spy of spies) spy.mock.restore();
  }
});
after(() => h.close());

describe('secrets never leave the server', () => {
  const secrets = () => [
    ...forms('JWT secret', JWT_SECRET),
    ...forms('PoW HMAC secret', POW_SECRET),
    ...forms('admin key', ADMIN_KEY),
    ...forms("other tenant's admin key", OTHER_TENANT_KEY),
    ...forms('store value', STORE_VALUE),
    ...forms('refused store value', OTHER_STORE_VALUE),
  ];

  test('the walk-through exercised successes and failures (sanity)', () => {
    const statuses = transcript.map((t) => Number(t.slice(0, 3)));
    assert.ok(transcript.length >= 25, `${transcript.length} responses`);
    for (const s of [200, 201, 204, 400, 401, 403, 404]) assert.ok(statuses.includes(s), `no ${s} in the walk-through`);
    assert.ok(h.logs.length > transcript.length, 'request log captured');
  });

  test('no response body or header contains a secret', () => {
    for (const [name, value] of secrets()) {
      const hit = transcript.find((t) => t.includes(value));
      assert.equal(hit, undefined, `${name} found in a response: ${hit?.slice(0, 200)}`);
    }
  });

  test('no log line (server log, request log, console) contains a secret or a paired API key', () => {
    const lines = [...h.logs, ...consoleLines];
    const all = [...secrets(), ...forms('paired API key', pairedKey)];
    for (const [name, value] of all) {
      const hit = lines.find((l) => l.includes(value));
      assert.equal(hit, undefined, `${name} found in a log line: ${hit?.slice(0, 200)}`);
    }
  });
});
