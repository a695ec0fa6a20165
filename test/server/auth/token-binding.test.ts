import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryAppRegistry, type RunningServer } from '../../../server/index.js';
import { decodeJwt, expectProblem, startTestServer, webApp } from '../helpers.js';
import { aiSdkChat, runCall, sessionToken, userMessage } from '../chat/chat-client.js';

const MOVED = 'app_movingapp00000000000001';

/**
 * Finding 8 of the hostile review: after an app id was deleted and re-created in another tenant
 * or project, the old tenant's tokens must neither work there nor keep their anon_ identity.
 */
describe("session tokens are bound to the app's current tenant and project", () => {
  let server: RunningServer;
  let oldToken: string;
  // The test's own registry, so it can re-create the app behind the server's back.
  const registry = new MemoryAppRegistry([webApp({ id: MOVED })]);

  before(async () => {
    server = await startTestServer({ apps: [webApp({ id: MOVED })], registry });
    oldToken = await sessionToken(server, MOVED);
    await aiSdkChat({ server, token: oldToken, appId: MOVED }, [userMessage('before the move')], { chatId: 'conv_before_move' });
    await registry.put(webApp({ id: MOVED, tenantId: 'tenant_newowner', projectId: 'project_newowner' }));
  });
  after(() => server.close());

  test('chat, completions and conversation routes answer 401 to the old token', async () => {
    const caller = { server, token: oldToken, appId: MOVED };
    for (const [method, path, body] of [
      ['POST', '/run/api/chat', { messages: [{ role: 'user', content: 'x' }] }],
      ['POST', '/run/v1/chat/completions', { messages: [{ role: 'user', content: 'x' }] }],
      ['GET', '/run/v1/conversations', undefined],
      ['GET', '/run/v1/conversations/conv_before_move', undefined],
      ['POST', '/run/v1/feedback', { conversationId: 'conv_before_move', type: 'positive' }],
      ['POST', '/run/v1/events', { type: 'opened' }],
    ] as const) {
      await expectProblem(await runCall(caller, method, path, body), 401, 'unauthorized');
    }
  });

  test('refreshing with the old token yields a new anon_ identity with the new tenant and project, and no history', async () => {
    const fresh = await sessionToken(server, MOVED, oldToken);
    const { payload } = decodeJwt(fresh);
    assert.notEqual(payload.sub, decodeJwt(oldToken).payload.sub);
    assert.deepEqual([payload.tid, payload.pid], ['tenant_newowner', 'project_newowner']);
    const listing = (await (await runCall({ server, token: fresh, appId: MOVED }, 'GET', '/run/v1/conversations')).json()) as { data: unknown[] };
    assert.deepEqual(listing.data, []);
    // A token of the app's current tenant keeps its identity on refresh.
    assert.equal(decodeJwt(await sessionToken(server, MOVED, fresh)).payload.sub, payload.sub);
  });
});
