import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ALLOWED_ORIGIN, APP_ID, OTHER_APP_ID, startSecurityServer, type SecurityServer } from './harness.js';
import { send, type Reply } from './http-client.js';

const VERSION = { 'anytype-version': '2025-11-08', 'content-type': 'application/json' };

describe('pairing: the app and the Origin are checked before the code, so a mismatch never burns the challenge', () => {
  let s: SecurityServer;
  before(async () => {
    s = await startSecurityServer({ pow: null });
  });
  after(() => s.close());

  async function openChallenge(): Promise<{ challengeId: string; code: string }> {
    const reply = await send(s.port, { method: 'POST', path: '/v1/auth/challenges', headers: { ...VERSION, 'x-inkeep-app-id': APP_ID }, body: JSON.stringify({ app_name: 'Chat' }) });
    assert.equal(reply.status, 201, reply.text);
    const { challenge_id: challengeId } = JSON.parse(reply.text) as { challenge_id: string };
    return { challengeId, code: s.pairingCodes.find((p) => p.challengeId === challengeId)!.code };
  }
  const exchange = (body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Reply> =>
    send(s.port, { method: 'POST', path: '/v1/auth/api_keys', headers: { ...VERSION, ...headers }, body: JSON.stringify(body) });
  const reason = (reply: Reply) => (JSON.parse(reply.text) as { reason: string }).reason;

  test('the right code with another app_id → 400 app_mismatch; the challenge still pairs for its app', async () => {
    const { challengeId, code } = await openChallenge();
    const wrongApp = await exchange({ challenge_id: challengeId, code, app_id: OTHER_APP_ID });
    assert.equal(wrongApp.status, 400, wrongApp.text);
    assert.equal(reason(wrongApp), 'app_mismatch');
    const wrongHeader = await exchange({ challenge_id: challengeId, code }, { 'x-inkeep-app-id': OTHER_APP_ID });
    assert.equal(reason(wrongHeader), 'app_mismatch');
    const paired = await exchange({ challenge_id: challengeId, code, app_id: APP_ID });
    assert.equal(paired.status, 201, paired.text);
  });

  test('the right code from a disallowed Origin → 403; the challenge still pairs from an allowed one', async () => {
    const { challengeId, code } = await openChallenge();
    const refused = await exchange({ challenge_id: challengeId, code }, { origin: 'https://evil.test' });
    assert.equal(refused.status, 403, refused.text);
    assert.equal(reason(refused), 'origin_not_allowed');
    const paired = await exchange({ challenge_id: challengeId, code }, { origin: ALLOWED_ORIGIN });
    assert.equal(paired.status, 201, paired.text);
  });

  test('a wrong code with a mismatched app is refused as a mismatch and costs no attempt', async () => {
    const { challengeId, code } = await openChallenge();
    const wrong = code === '0000' ? '0001' : '0000';
    for (let i = 0; i < 6; i++) assert.equal(reason(await exchange({ challenge_id: challengeId, code: wrong, app_id: OTHER_APP_ID })), 'app_mismatch');
    const paired = await exchange({ challenge_id: challengeId, code });
    assert.equal(paired.status, 201, paired.text);
  });
});
