import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError } from '../../../server/core/config-error.js';
import { parseConfigFile } from '../../../server/config-file.js';
import { manageServerPerSuite, PROJECT, TENANT } from '../manage/manage-fixture.js';

// One app, two doors: the same app input must be accepted (with the same fields) or refused
// (naming the same field, for the same reason) by the apps file and by `POST …/apps`.

const web = (webClient: Record<string, unknown>) => ({ type: 'web_client', webClient });
const domains = (n: number) => Array.from({ length: n }, (_, i) => `d${i}.example`);
const nested = (depth: number): unknown => (depth === 0 ? 1 : { a: nested(depth - 1) });

type Case = [name: string, input: Record<string, unknown>, outcome: { accepted: Record<string, unknown> } | { refused: string }];

const cases: Case[] = [
  ['a minimal web client: type web_client, enabled, anonymous off', { name: 'n', config: web({ allowedDomains: ['localhost'] }) }, {
    accepted: { name: 'n', description: null, type: 'web_client', defaultAgentId: null, enabled: true, config: web({ allowedDomains: ['localhost'], allowAnonymous: false, publicKeys: [] }) },
  }],
  ['anonymous sessions on', { name: 'n', config: web({ allowedDomains: ['*', '*.example.com', 'localhost:5173'], allowAnonymous: true }) }, {
    accepted: { type: 'web_client', config: web({ allowedDomains: ['*', '*.example.com', 'localhost:5173'], allowAnonymous: true, publicKeys: [] }) },
  }],
  ['an api app', { name: 'n', type: 'api', config: { type: 'api' } }, { accepted: { type: 'api', config: { type: 'api', api: {} } } }],
  ['an api app with a setting it does not have', { name: 'n', type: 'api', config: { type: 'api', ignored: true } }, { refused: 'config.ignored is not a known setting' }],
  ['a support copilot, disabled', { name: 'n', type: 'support_copilot', enabled: false, config: { type: 'support_copilot' } }, {
    accepted: { type: 'support_copilot', enabled: false },
  }],
  ['all fields at their bounds', {
    name: 'n'.repeat(256), description: 'd'.repeat(2048), defaultAgentId: 'a'.repeat(256),
    config: web({ allowedDomains: [...domains(99), 'x'.repeat(260)], allowAnonymous: false }),
  }, { accepted: { name: 'n'.repeat(256), description: 'd'.repeat(2048), defaultAgentId: 'a'.repeat(256) } }],
  ['an empty description; null agent', { name: 'n', description: '', defaultAgentId: null, config: web({ allowedDomains: ['x'] }) }, {
    accepted: { description: '', defaultAgentId: null },
  }],
  // Top-level members the hosted API returns (lastUsedAt…) may come back in a PUT; config settings may not.
  ['unknown top-level members are ignored', { name: 'n', lastUsedAt: 'x', color: 'red', config: web({ allowedDomains: ['x'], publicKeys: [] }) }, {
    accepted: { config: web({ allowedDomains: ['x'], allowAnonymous: false, publicKeys: [] }) },
  }],
  ['an unknown webClient setting', { name: 'n', config: web({ allowedDomains: ['x'], theme: 'dark' }) }, { refused: 'config.webClient.theme is not a known setting' }],
  ['an id that is not app_…', { id: 'nope', name: 'n', config: web({ allowedDomains: ['x'] }) }, { refused: 'id must match ^app_[A-Za-z0-9_-]{1,64}$' }],
  ['an id with a dot', { id: 'app_a.b', name: 'n', config: web({ allowedDomains: ['x'] }) }, { refused: 'id must match ^app_[A-Za-z0-9_-]{1,64}$' }],
  ['an id too long', { id: `app_${'a'.repeat(65)}`, name: 'n', config: web({ allowedDomains: ['x'] }) }, { refused: 'id must match ^app_[A-Za-z0-9_-]{1,64}$' }],
  ['no name', { config: web({ allowedDomains: ['x'] }) }, { refused: 'name is required' }],
  ['an empty name', { name: '', config: web({ allowedDomains: ['x'] }) }, { refused: 'name must not be empty' }],
  ['a long name', { name: 'n'.repeat(257), config: web({ allowedDomains: ['x'] }) }, { refused: 'name must be at most 256 characters' }],
  ['a numeric name', { name: 42, config: web({ allowedDomains: ['x'] }) }, { refused: 'name must be a string' }],
  ['a long description', { name: 'n', description: 'd'.repeat(2049), config: web({ allowedDomains: ['x'] }) }, { refused: 'description must be at most 2048 characters' }],
  ['an empty agent id', { name: 'n', defaultAgentId: '', config: web({ allowedDomains: ['x'] }) }, { refused: 'defaultAgentId must not be empty' }],
  ['an unknown type', { name: 'n', type: 'desktop', config: { type: 'desktop' } }, { refused: 'type must be one of "web_client" | "api" | "support_copilot"' }],
  ['type and config.type differ', { name: 'n', type: 'api', config: web({ allowedDomains: ['x'] }) }, { refused: 'config.type must equal the app type "api"' }],
  ['no type, an api config (the type defaults to web_client)', { name: 'n', config: { type: 'api' } }, { refused: 'config.type must equal the app type "web_client"' }],
  ['enabled as a string', { name: 'n', enabled: 'true', config: web({ allowedDomains: ['x'] }) }, { refused: 'enabled must be a boolean' }],
  ['no config', { name: 'n' }, { refused: 'config is required' }],
  ['a null config', { name: 'n', config: null }, { refused: 'config must not be null' }],
  ['an array config', { name: 'n', config: [] }, { refused: 'config must be an object' }],
  ['a config nested too deep', { name: 'n', config: { ...web({ allowedDomains: ['x'] }), extra: nested(12) } }, { refused: 'config must be nested at most 10 levels deep' }],
  ['no config.type', { name: 'n', config: { webClient: { allowedDomains: ['x'] } } }, { refused: 'config.type is required' }],
  ['no webClient', { name: 'n', config: { type: 'web_client' } }, { refused: 'config.webClient is required for a web_client app' }],
  ['no domains', { name: 'n', config: web({ allowedDomains: [] }) }, { refused: 'config.webClient.allowedDomains must be a non-empty array of domains' }],
  ['101 domains', { name: 'n', config: web({ allowedDomains: domains(101) }) }, { refused: 'config.webClient.allowedDomains must have at most 100 entries' }],
  ...[' ', 'a b', 'x'.repeat(261), 42].map((domain): Case => [`the domain ${JSON.stringify(domain).slice(0, 12)}`, { name: 'n', config: web({ allowedDomains: ['ok.example', domain] }) }, {
    refused: 'config.webClient.allowedDomains[1] must be a non-empty domain without spaces, at most 260 characters',
  }]),
  ['allowAnonymous as a string', { name: 'n', config: web({ allowedDomains: ['x'], allowAnonymous: 'yes' }) }, { refused: 'config.webClient.allowAnonymous must be a boolean' }],
];

/** The apps file's answer: the app's fields, or `field reason` of the ConfigError. */
function throughFile(input: Record<string, unknown>): { app: Record<string, unknown> } | { refused: string } {
  try {
    const { apps } = parseConfigFile(JSON.stringify({ apps: [{ projectId: PROJECT, ...input }] }), 'apps.json');
    return { app: apps[0] as unknown as Record<string, unknown> };
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    const match = /^Invalid app configuration in apps\.json: apps\[0\]\.(.*)\.$/s.exec(error.message);
    assert.ok(match, error.message);
    return { refused: match[1]! };
  }
}

describe('app rules: the apps file and the manage API accept and refuse the same apps', () => {
  const h = manageServerPerSuite();

  cases.forEach(([name, input, outcome], i) => {
    test(name, async () => {
      // The file names every app's id; the manage API takes one when given.
      const body = { id: `app_rules${i}`, ...input };
      const file = throughFile(body);
      const reply = await h.call('POST', '/apps', body);
      if ('refused' in outcome) {
        assert.deepEqual(file, { refused: outcome.refused }, 'apps file');
        assert.equal(reply.status, 400, reply.text);
        const [field, ...reason] = outcome.refused.split(' ');
        assert.equal(reply.body.detail, `Validation failed: '${field}' ${reason.join(' ')}`, 'manage API');
        return;
      }
      assert.equal(reply.status, 201, reply.text);
      assert.ok('app' in file, JSON.stringify(file));
      const created = reply.body.data.app as Record<string, unknown>;
      for (const key of ['id', 'name', 'description', 'type', 'defaultAgentId', 'enabled', 'config']) {
        assert.deepEqual(file.app[key], created[key], `${key}: the same app through both doors`);
      }
      for (const [key, value] of Object.entries(outcome.accepted)) assert.deepEqual(created[key], value, key);
      assert.equal(created.tenantId, TENANT);
    });
  });

  test('an update may name the app\'s own id, never another one', async () => {
    const created = (await h.call('POST', '/apps', { name: 'n', config: web({ allowedDomains: ['x'] }) })).body.data.app;
    assert.equal((await h.call('PATCH', `/apps/${created.id}`, { id: created.id, name: 'm' })).status, 200);
    const other = await h.call('PATCH', `/apps/${created.id}`, { id: 'app_someoneelse' });
    assert.equal(other.body.detail, "Validation failed: 'id' cannot be changed");
    const bad = await h.call('PATCH', `/apps/${created.id}`, { id: 'not an id' });
    assert.equal(bad.body.detail, "Validation failed: 'id' must match ^app_[A-Za-z0-9_-]{1,64}$");
  });
});
