import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { APP_ID, startSecurityServer, type SecurityServer } from './harness.js';
import { send } from './http-client.js';
import { problemViolations } from './problem-shape.js';

const HEADERS = { 'anytype-version': '2025-11-08', 'content-type': 'application/json', 'x-inkeep-app-id': APP_ID };

function openChallenge(s: SecurityServer, appName: string) {
  return send(s.port, { method: 'POST', path: '/v1/auth/challenges', headers: HEADERS, body: JSON.stringify({ app_name: appName }) });
}

describe('app_name spoofing on the operator console', () => {
  let s: SecurityServer;
  before(async () => {
    s = await startSecurityServer({ pow: null });
  });
  after(() => s.close());

  const controls: Array<[string, string]> = [
    ['right-to-left override U+202E', 'Chat\u202e4321 :edoc'],
    ['left-to-right isolate U+2066', 'Chat\u2066 code 1234\u2069'],
    ['first strong isolate U+2068', 'Chat\u2068x'],
    ['zero-width space U+200B', 'Ch\u200bat'],
    ['zero-width joiner U+200D', 'Ch\u200dat'],
    ['byte order mark U+FEFF', '\ufeffChat'],
    ['Arabic letter mark U+061C', 'Chat\u061c'],
  ];
  for (const [what, name] of controls) {
    test(`a name with a ${what} → 400 invalid_app_name with a clear detail`, async () => {
      const reply = await openChallenge(s, name);
      assert.equal(reply.status, 400, reply.text);
      assert.deepEqual(problemViolations(reply), [], reply.text);
      const body = JSON.parse(reply.text) as { reason: string; detail: string };
      assert.equal(body.reason, 'invalid_app_name');
      assert.match(body.detail, /invisible or direction-changing/);
    });
  }

  test('a name with quotes and a fake code is printed quoted, after the real code', async () => {
    const before = s.logs.length;
    const fake = 'Chat" (app_evil): 0000 — valid until 2099 "';
    const reply = await openChallenge(s, fake);
    assert.equal(reply.status, 201, reply.text);
    const { challenge_id: challengeId } = JSON.parse(reply.text) as { challenge_id: string };
    const code = s.pairingCodes.find((p) => p.challengeId === challengeId)?.code;
    assert.ok(code);
    const line = s.logs.slice(before).find((l) => l.startsWith('[ink-auth] Pairing code'));
    assert.ok(line, 'the code line was printed');
    const firstCode = /\b\d{4}\b/.exec(line)?.[0];
    assert.equal(firstCode, code, `the first code on the line is the real one: ${line}`);
    assert.ok(line.includes('"Chat\\" (app_evil): 0000 — valid until 2099 \\""'), `the name is quoted whole: ${line}`);
  });
});
