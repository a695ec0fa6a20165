import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { completeConfig, createApp, MemoryAppRegistry, type AppRecord } from '../../../server/index.js';
import { PairingService } from '../../../server/pairing/pairing-service.js';
import { InMemoryApiKeyStore } from '../../../server/state/api-keys.js';
import { MemoryConversationStore } from '../../../server/state/memory/conversation-store.js';
import { MemoryServiceApiKeyStore } from '../../../server/state/memory/service-api-key-store.js';

// Every byte a pairing failure puts on the wire through the real app: status, every header but
// the random request id, and the body text as sent (member order included). These were recorded
// before pairing failures became ServerErrors and must never change by accident.

const APP_ID = 'app_pairingwire000000001';
const VERSION = '2025-11-08';

function app(): AppRecord {
  const at = '2026-01-01T00:00:00.000Z';
  return {
    id: APP_ID,
    tenantId: 'tenant_wire',
    projectId: 'project_wire',
    name: 'wire',
    description: null,
    type: 'web_client',
    defaultAgentId: 'agent_wire',
    enabled: true,
    config: { type: 'web_client', webClient: { allowedDomains: ['localhost'], allowAnonymous: true, publicKeys: [] } },
    lastUsedAt: null,
    createdAt: at,
    updatedAt: at,
  };
}

function wireApp(options: { maxChallenges?: number; maxKeys?: number } = {}) {
  const codes = new Map<string, string>();
  const now = 1_700_000_000_000;
  const config = completeConfig({ jwtSecret: 'pairing-wire-jwt-secret-0123456789abcdef', pow: null, apps: [app()] });
  const registry = new MemoryAppRegistry(config.apps);
  const pairing = new PairingService({
    apps: registry,
    log: () => {},
    now: () => now,
    creationLimit: { burst: 2, perMinute: 1 },
    failureLimit: { burst: 3, perMinute: 1 },
    challenges: { maxChallenges: options.maxChallenges ?? 1000 },
    keys: new InMemoryApiKeyStore({ now: () => now, maxKeys: options.maxKeys ?? 100 }),
    onPairingCode: (code, info) => codes.set(info.challengeId, code),
  });
  const hono = createApp({
    config,
    registry,
    log: () => {},
    pairing,
    now: () => now,
    conversations: new MemoryConversationStore(),
    serviceKeys: new MemoryServiceApiKeyStore(),
  });
  const send = (method: string, path: string, body?: string, headers: Record<string, string> = {}) =>
    hono.request(`/v1/auth${path}`, {
      method,
      headers: { 'content-type': 'application/json', 'anytype-version': VERSION, 'x-inkeep-app-id': APP_ID, ...headers },
      ...(body === undefined ? {} : { body }),
    });
  return { codes, send };
}

/** The response as it travels, with the request id (random) replaced in header and body. */
async function wire(res: Response): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  const requestId = res.headers.get('x-request-id') ?? '';
  assert.match(requestId, /^req_[0-9a-f]{32}$/);
  const headers: Record<string, string> = {};
  for (const [name, value] of res.headers) headers[name] = name === 'x-request-id' ? 'REQ' : value;
  return { status: res.status, headers, body: (await res.text()).replaceAll(requestId, 'REQ') };
}

const base = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'anytype-version, retry-after, x-request-id, content-type',
  'anytype-version': VERSION,
  'cache-control': 'no-store',
  'content-type': 'application/problem+json',
  'x-content-type-options': 'nosniff',
  'x-request-id': 'REQ',
  vary: 'Origin',
};

const body = (status: number, title: string, code: string, detail: string, instance: string, extra = '') =>
  `{"title":"${title}","status":${status},"detail":${JSON.stringify(detail)},"code":"${code}",${extra}"instance":"${instance}","requestId":"REQ","error":{"code":"${code}","message":${JSON.stringify(detail)}}}`;

describe('pairing failures on the wire', () => {
  it('an unknown Anytype-Version', async () => {
    const { send } = wireApp();
    const detail = 'Anytype-Version "2020-01-01" is not supported; send "2025-11-08".';
    assert.deepEqual(await wire(await send('POST', '/challenges', '{"app_name":"x"}', { 'anytype-version': '2020-01-01' })), {
      status: 400,
      headers: base,
      body: body(400, 'Bad Request', 'bad_request', detail, '/v1/auth/challenges', '"reason":"version_unsupported",'),
    });
  });

  it('a body that is not JSON', async () => {
    const { send } = wireApp();
    assert.deepEqual(await wire(await send('POST', '/challenges', 'nope')), {
      status: 400,
      headers: base,
      body: body(400, 'Bad Request', 'bad_request', 'The request body must be JSON.', '/v1/auth/challenges', '"reason":"invalid_body",'),
    });
  });

  it('an unknown challenge', async () => {
    const { send } = wireApp();
    const detail = 'No such pairing challenge; request a new code.';
    assert.deepEqual(await wire(await send('POST', '/api_keys', JSON.stringify({ challenge_id: 'a'.repeat(24), code: '1234' }))), {
      status: 404,
      headers: base,
      body: body(404, 'Not Found', 'not_found', detail, '/v1/auth/api_keys', '"reason":"challenge_not_found",'),
    });
  });

  it('a wrong code says how many attempts remain', async () => {
    const { send, codes } = wireApp();
    const created = (await (await send('POST', '/challenges', '{"app_name":"x"}')).json()) as { challenge_id: string };
    const code = codes.get(created.challenge_id) === '0000' ? '0001' : '0000';
    const detail = 'The code is not correct; check it and try again.';
    assert.deepEqual(await wire(await send('POST', '/api_keys', JSON.stringify({ challenge_id: created.challenge_id, code }))), {
      status: 401,
      headers: base,
      body: body(401, 'Unauthorized', 'unauthorized', detail, '/v1/auth/api_keys', '"reason":"code_incorrect","attemptsRemaining":4,'),
    });
  });

  it('too many challenges from one address: 429 with Retry-After', async () => {
    const { send } = wireApp();
    for (let i = 0; i < 2; i++) assert.equal((await send('POST', '/challenges', '{"app_name":"x"}')).status, 201);
    const detail = 'Too many pairing challenges from this address; wait and try again.';
    assert.deepEqual(await wire(await send('POST', '/challenges', '{"app_name":"x"}')), {
      status: 429,
      headers: { ...base, 'retry-after': '60' },
      body: body(429, 'Too Many Requests', 'too_many_requests', detail, '/v1/auth/challenges', '"reason":"rate_limited",'),
    });
  });

  it('a full challenge store: 503 with its own detail and Retry-After', async () => {
    const { send } = wireApp({ maxChallenges: 1 });
    assert.equal((await send('POST', '/challenges', '{"app_name":"x"}')).status, 201);
    const detail = 'Too many pairing challenges are open; try again later.';
    assert.deepEqual(await wire(await send('POST', '/challenges', '{"app_name":"x"}')), {
      status: 503,
      headers: { ...base, 'retry-after': '300' },
      body: body(503, 'Service Unavailable', 'service_unavailable', detail, '/v1/auth/challenges', '"reason":"capacity_exhausted",'),
    });
  });

  it('revoking without a key: 401 with a Bearer challenge', async () => {
    const { send } = wireApp();
    const detail = 'Send the key itself or an admin key as Authorization: Bearer.';
    assert.deepEqual(await wire(await send('DELETE', '/api_keys/key_0000000000000000')), {
      status: 401,
      headers: { ...base, 'www-authenticate': 'Bearer realm="ink-auth pairing"' },
      body: body(401, 'Unauthorized', 'unauthorized', detail, '/v1/auth/api_keys/key_0000000000000000', '"reason":"api_key_missing",'),
    });
  });

  it('revoking with an unknown key: 401 with a Bearer challenge', async () => {
    const { send } = wireApp();
    assert.deepEqual(await wire(await send('DELETE', '/api_keys/key_0000000000000000', undefined, { authorization: 'Bearer nope' })), {
      status: 401,
      headers: { ...base, 'www-authenticate': 'Bearer realm="ink-auth pairing"' },
      body: body(401, 'Unauthorized', 'unauthorized', 'The presented key is not valid.', '/v1/auth/api_keys/key_0000000000000000', '"reason":"api_key_invalid",'),
    });
  });
});
