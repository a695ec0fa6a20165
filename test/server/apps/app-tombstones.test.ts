import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { manageServerPerSuite, OTHER_TENANT_KEY, PROJECT, webAppBody } from '../manage/manage-fixture.js';

describe('deleted app ids (issue #13, finding 8)', () => {
  const h = manageServerPerSuite();
  const otherProject = () => `${h.server.url}/manage/tenants/tenant_other/projects/${PROJECT}`;

  test('a deleted id is refused to its own tenant with 409, and to another tenant exactly as a live one', async () => {
    const created = await h.call('POST', '/apps', webAppBody({ id: 'app_tombstoned_1' }));
    assert.equal(created.status, 201, created.text);
    const whileLive = await h.call('POST', `${otherProject()}/apps`, webAppBody({ id: 'app_tombstoned_1' }), OTHER_TENANT_KEY);
    assert.equal((await h.call('DELETE', '/apps/app_tombstoned_1')).status, 204);

    const own = await h.call('POST', '/apps', webAppBody({ id: 'app_tombstoned_1' }));
    assert.equal(own.status, 409);
    const afterDelete = await h.call('POST', `${otherProject()}/apps`, webAppBody({ id: 'app_tombstoned_1' }), OTHER_TENANT_KEY);
    assert.equal(afterDelete.status, 409);
    assert.equal(afterDelete.body.detail, whileLive.body.detail, 'live and deleted ids answer alike');
    assert.ok(!afterDelete.text.includes('tenant_demo') && !/already exists|deleted/.test(afterDelete.body.detail));
    const session = await fetch(`${h.server.url}/run/auth/apps/app_tombstoned_1/anonymous-session`, {
      method: 'POST',
      headers: { origin: 'http://localhost' },
    });
    assert.equal(session.status, 404, 'nobody owns the id any more');
    await session.body?.cancel();
  });
});
