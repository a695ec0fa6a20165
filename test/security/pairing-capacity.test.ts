import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type RunningServer, type StartOptions } from '../../server/index.js';
import { APP_ID, JWT_SECRET, OTHER_APP_ID, securityApps } from './harness.js';
import { send, type Reply } from './http-client.js';

const VERSION = { 'anytype-version': '2025-11-08', 'content-type': 'application/json' };
const addresses = (count: number, from: number) => Array.from({ length: count }, (_, i) => `127.0.0.${from + i}`);

let server: RunningServer | undefined;
const codes = new Map<string, string>();
afterEach(async () => {
  await server?.close();
  server = undefined;
  codes.clear();
});

async function start(pairing?: StartOptions['pairing']): Promise<RunningServer> {
  server = await startServer({
    log: () => {},
    onPairingCode: (code, info) => codes.set(info.challengeId, code),
    config: { jwtSecret: JWT_SECRET, pow: null, apps: securityApps() },
    ...(pairing ? { pairing } : {}),
  });
  return server;
}

const open = (s: RunningServer, from: string, appId = APP_ID): Promise<Reply> =>
  send(s.port, { method: 'POST', path: '/v1/auth/challenges', localAddress: from, headers: { ...VERSION, 'x-inkeep-app-id': appId }, body: JSON.stringify({ app_name: 'Chat' }) });
const idOf = (reply: Reply): string => (JSON.parse(reply.text) as { challenge_id: string }).challenge_id;
const reasonOf = (reply: Reply): string => (JSON.parse(reply.text) as { reason: string }).reason;

async function redeem(s: RunningServer, challengeId: string): Promise<Reply> {
  return send(s.port, { method: 'POST', path: '/v1/auth/api_keys', headers: VERSION, body: JSON.stringify({ challenge_id: challengeId, code: codes.get(challengeId) }) });
}

describe('pairing challenge store: per-address and per-app quotas under the global bound', () => {
  test('20 addresses fill one app’s quota, never the store: other apps still pair, and the app again once challenges are used', async () => {
    const s = await start();
    const opened: string[] = [];
    for (const from of addresses(20, 30)) {
      for (let i = 0; i < 5; i++) {
        const reply = await open(s, from);
        assert.equal(reply.status, 201, reply.text);
        opened.push(idOf(reply));
      }
      const sixth = await open(s, from);
      assert.equal(sixth.status, 429, 'an address gets 5 at once');
      assert.equal(reasonOf(sixth), 'rate_limited');
    }
    const full = await open(s, '127.0.0.60');
    assert.equal(full.status, 503, `the app's quota of 100 live challenges: ${full.text}`);
    assert.equal(reasonOf(full), 'capacity_exhausted');
    assert.ok(Number(full.headers['retry-after']) <= 300);
    const otherApp = await open(s, '127.0.0.61', OTHER_APP_ID);
    assert.equal(otherApp.status, 201, `another app is not affected: ${otherApp.text}`);
    assert.equal((await redeem(s, opened[0]!)).status, 201);
    const again = await open(s, '127.0.0.60');
    assert.equal(again.status, 201, `a used challenge frees its slot: ${again.text}`);
  });

  test('tombstones of used challenges never count against newcomers', async () => {
    const s = await start({ challenges: { maxChallenges: 10 } });
    for (const from of addresses(2, 70)) {
      for (let i = 0; i < 5; i++) {
        const reply = await open(s, from);
        assert.equal(reply.status, 201, reply.text);
        assert.equal((await redeem(s, idOf(reply))).status, 201);
      }
    }
    const newcomer = await open(s, '127.0.0.72');
    assert.equal(newcomer.status, 201, `ten tombstones, no live challenge: ${newcomer.text}`);
    const late = await redeem(s, [...codes.keys()][0]!);
    assert.equal(reasonOf(late), 'challenge_used', 'a tombstone still explains a late attempt');
  });
});
