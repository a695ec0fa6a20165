import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { expectProblem, webAppBody, type ManageHarness, manageServerPerSuite } from './manage-fixture.js';

const DEMO_APP = 'app_inkauthdemo0000000000';

async function requestSession(h: ManageHarness, appId: string): Promise<number> {
  const res = await fetch(`${h.server.url}/run/auth/apps/${appId}/anonymous-session`, {
    method: 'POST',
    headers: { origin: 'http://localhost:5173' },
  });
  await res.body?.cancel();
  return res.status;
}

describe('manage API: apps', () => {
  const h = manageServerPerSuite();

  test('a body that is not JSON, or not an object → 400 in the manage API\'s words', async () => {
    for (const [body, detail] of [['{nope', 'Request body must be valid JSON'], ['', 'Request body must be valid JSON'], ['[1]', 'Request body must be a JSON object'], ['"app"', 'Request body must be a JSON object']]) {
      const res = await h.call('POST', '/apps', body);
      assert.equal(res.status, 400, `${JSON.stringify(body)}: ${res.text}`);
      assert.equal(res.body.detail, detail, JSON.stringify(body));
    }
  });

  test('seeded demo app is listed and readable', async () => {
    const list = await h.call('GET', '/apps');
    assert.equal(list.status, 200);
    assert.ok(list.body.data.some((a: { id: string }) => a.id === DEMO_APP));
    const one = await h.call('GET', `/apps/${DEMO_APP}`);
    assert.equal(one.status, 200);
    assert.equal(one.body.data.name, 'ink-auth demo');
    assert.equal(one.body.data.tenantId, 'tenant_demo');
  });

  test('create → 201 with a generated app_ id and defaults; it can get a session at once', async () => {
    const created = await h.call('POST', '/apps', webAppBody({ description: 'docs', defaultAgentId: 'agent_docs' }));
    assert.equal(created.status, 201);
    assert.deepEqual(Object.keys(created.body.data), ['app'], 'the hosted shape: the app under data.app');
    const app = created.body.data.app;
    assert.match(app.id, /^app_[a-z0-9]{21}$/);
    assert.equal(app.enabled, true);
    assert.equal(app.tenantId, 'tenant_demo');
    assert.equal(app.projectId, 'project_demo');
    assert.equal(app.lastUsedAt, null);
    assert.equal(app.createdAt, app.updatedAt);
    assert.deepEqual(app.config, { type: 'web_client', webClient: { allowedDomains: ['localhost'], allowAnonymous: true, publicKeys: [] } });
    assert.equal(await requestSession(h, app.id), 200);
    assert.equal((await h.call('GET', `/apps/${app.id}`)).body.data.description, 'docs');
  });

  test('create with an explicit id; the same id again → 409 conflict', async () => {
    const first = await h.call('POST', '/apps', webAppBody({ id: 'app_explicit_1' }));
    assert.equal(first.status, 201);
    assert.equal(first.body.data.app.id, 'app_explicit_1');
    expectProblem(await h.call('POST', '/apps', webAppBody({ id: 'app_explicit_1' })), 409, 'conflict');
  });

  test('disable via PATCH → sessions refused at once; enable again → allowed', async () => {
    const app = (await h.call('POST', '/apps', webAppBody())).body.data.app;
    const disabled = await h.call('PATCH', `/apps/${app.id}`, { enabled: false });
    assert.equal(disabled.status, 200);
    assert.equal(disabled.body.data.enabled, false);
    assert.equal(disabled.body.data.name, 'Docs widget');
    assert.equal(await requestSession(h, app.id), 404);
    assert.equal((await h.call('PUT', `/apps/${app.id}`, { enabled: true })).status, 200);
    assert.equal(await requestSession(h, app.id), 200);
  });

  test('PUT replaces config and name; updatedAt moves, createdAt stays', async () => {
    const app = (await h.call('POST', '/apps', webAppBody())).body.data.app;
    await new Promise((r) => setTimeout(r, 5));
    const put = await h.call('PUT', `/apps/${app.id}`, {
      name: 'Renamed',
      config: { type: 'web_client', webClient: { allowedDomains: ['example.com'], allowAnonymous: false } },
    });
    assert.equal(put.status, 200);
    assert.equal(put.body.data.name, 'Renamed');
    assert.equal(put.body.data.createdAt, app.createdAt);
    assert.notEqual(put.body.data.updatedAt, app.updatedAt);
    assert.deepEqual(put.body.data.config.webClient, { allowedDomains: ['example.com'], allowAnonymous: false, publicKeys: [] });
    assert.equal(await requestSession(h, app.id), 401, 'anonymous sessions now off');
  });

  test('delete → 204, then 404 everywhere and no session', async () => {
    const app = (await h.call('POST', '/apps', webAppBody())).body.data.app;
    assert.equal(await requestSession(h, app.id), 200);
    const del = await h.call('DELETE', `/apps/${app.id}`);
    assert.equal(del.status, 204);
    assert.equal(del.text, '');
    assert.equal(del.headers.get('content-type'), null, 'no content, so no content type');
    expectProblem(await h.call('GET', `/apps/${app.id}`), 404, 'not_found');
    expectProblem(await h.call('DELETE', `/apps/${app.id}`), 404, 'not_found');
    expectProblem(await h.call('PATCH', `/apps/${app.id}`, { name: 'x' }), 404, 'not_found');
    assert.equal(await requestSession(h, app.id), 404);
  });

  test('apps of another project are invisible', async () => {
    const other = `${h.server.url}/manage/tenants/tenant_demo/projects/project_other/apps`;
    const list = await h.call('GET', other);
    assert.deepEqual(list.body, { data: [], pagination: { page: 1, limit: 10, total: 0, pages: 0 } });
    expectProblem(await h.call('GET', `${other}/${DEMO_APP}`), 404, 'not_found');
    expectProblem(await h.call('DELETE', `${other}/${DEMO_APP}`), 404, 'not_found');
  });

  test('list filters by type and paginates', async () => {
    const api = await h.call('POST', '/apps', { name: 'Backend', type: 'api', config: { type: 'api' } });
    assert.equal(api.status, 201);
    const onlyApi = await h.call('GET', '/apps?type=api');
    assert.deepEqual(onlyApi.body.data.map((a: { id: string }) => a.id), [api.body.data.app.id]);
    const all = await h.call('GET', '/apps?limit=100');
    const total = all.body.pagination.total;
    assert.ok(total >= 5);
    const pageTwo = await h.call('GET', '/apps?page=2&limit=2');
    assert.deepEqual(pageTwo.body.pagination, { page: 2, limit: 2, total, pages: Math.ceil(total / 2) });
    assert.deepEqual(pageTwo.body.data, all.body.data.slice(2, 4));
    expectProblem(await h.call('GET', '/apps?type=desktop'), 400, 'bad_request');
    expectProblem(await h.call('GET', '/apps?limit=101'), 400, 'bad_request');
  });

  const invalidCreates: Array<[string, Record<string, unknown>, string]> = [
    ['missing name', webAppBody({ name: undefined }), "'name' is required"],
    ['empty name', webAppBody({ name: '' }), "'name' must not be empty"],
    ['long name', webAppBody({ name: 'n'.repeat(257) }), "'name' must be at most 256 characters"],
    ['null type', webAppBody({ type: null }), "'type' must be one of"],
    ['missing type with a non-web config', webAppBody({ type: undefined, config: { type: 'api' } }), "'config.type' must equal the app type \"web_client\""],
    ['bad type', webAppBody({ type: 'desktop' }), "'type' must be one of"],
    ['missing config', webAppBody({ config: undefined }), "'config' is required"],
    ['config type mismatch', webAppBody({ config: { type: 'api' } }), "'config.type' must equal the app type"],
    ['no webClient', webAppBody({ config: { type: 'web_client' } }), "'config.webClient' is required"],
    ['empty domains', webAppBody({ config: { type: 'web_client', webClient: { allowedDomains: [], allowAnonymous: true } } }), "'config.webClient.allowedDomains' must be a non-empty array"],
    ['bad domain', webAppBody({ config: { type: 'web_client', webClient: { allowedDomains: ['ok.test', ' '], allowAnonymous: true } } }), "'config.webClient.allowedDomains[1]'"],
    ['bad allowAnonymous', webAppBody({ config: { type: 'web_client', webClient: { allowedDomains: ['a.test'], allowAnonymous: 'yes' } } }), "'config.webClient.allowAnonymous' must be a boolean"],
    ['bad enabled', webAppBody({ enabled: 'true' }), "'enabled' must be a boolean"],
    ['bad id', webAppBody({ id: 'app bad' }), "'id' must match"],
    ['bad description', webAppBody({ description: 42 }), "'description' must be a string"],
  ];
  for (const [name, body, detail] of invalidCreates) {
    test(`create rejects ${name} → 400 naming the field`, async () => {
      const problem = expectProblem(await h.call('POST', '/apps', body), 400, 'bad_request');
      assert.ok(problem.detail.includes(detail), problem.detail);
    });
  }

  test('malformed bodies → 400', async () => {
    expectProblem(await h.call('POST', '/apps', '{not json'), 400, 'bad_request');
    expectProblem(await h.call('POST', '/apps', [1, 2]), 400, 'bad_request');
  });

  test('update rejects an id change and a type/config mismatch', async () => {
    const app = (await h.call('POST', '/apps', webAppBody())).body.data.app;
    assert.ok(expectProblem(await h.call('PATCH', `/apps/${app.id}`, { id: 'app_other' }), 400, 'bad_request').detail.includes("'id' cannot be changed"));
    assert.ok(expectProblem(await h.call('PATCH', `/apps/${app.id}`, { type: 'api' }), 400, 'bad_request').detail.includes("'config.type'"));
    const switched = await h.call('PATCH', `/apps/${app.id}`, { type: 'api', config: { type: 'api' } });
    assert.equal(switched.status, 200);
    assert.equal(await requestSession(h, app.id), 400, 'an api app cannot issue web sessions');
  });
});
