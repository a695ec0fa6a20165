import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { startServer, type RunningServer } from '../../../server/index.js';
import { encodePayload, JWT_SECRET, powSettings, requestSession, solvedV1Payload, webApp } from '../helpers.js';

const PAIRING = { 'anytype-version': '2025-11-08', 'content-type': 'application/json' };
const dir = mkdtempSync(join(tmpdir(), 'ink-auth-restart-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
/** Starts a server on `file`; `codes` collects the pairing codes it shows. */
function start(file: string, codes: Map<string, string> = new Map()): Promise<RunningServer> {
  return startServer({
    log: () => {},
    onPairingCode: (code, info) => codes.set(info.challengeId, code),
    config: { jwtSecret: JWT_SECRET, pow: powSettings('v1'), apps: [webApp()], state: { sqlitePath: file } },
  });
}

describe('a restart on the same SQLite file loses nothing', () => {
  test('a solution redeemed before the restart is refused after it', async () => {
    const file = join(dir, `state-${++files}.db`);
    const first = await start(file);
    const header = encodePayload(await solvedV1Payload(first));
    const accepted = await requestSession(first, { 'x-inkeep-challenge-solution': header });
    assert.equal(accepted.status, 200);
    await accepted.body?.cancel();
    await first.close();

    const second = await start(file);
    try {
      const replay = await requestSession(second, { 'x-inkeep-challenge-solution': header });
      assert.equal(replay.status, 400);
      assert.match(((await replay.json()) as { detail: string }).detail, /already been used/);
    } finally {
      await second.close();
    }
  });

  test('a paired key stays valid, and a pending challenge can be completed, after a restart', async () => {
    const file = join(dir, `state-${++files}.db`);
    const codes = new Map<string, string>();
    const first = await start(file, codes);
    const open = () =>
      fetch(`${first.url}/v1/auth/challenges`, {
        method: 'POST',
        headers: { ...PAIRING, 'x-inkeep-app-id': webApp().id },
        body: JSON.stringify({ app_name: 'Restart' }),
      }).then(async (res) => ((await res.json()) as { challenge_id: string }).challenge_id);
    const exchange = (server: RunningServer, challengeId: string) =>
      fetch(`${server.url}/v1/auth/api_keys`, {
        method: 'POST',
        headers: PAIRING,
        body: JSON.stringify({ challenge_id: challengeId, code: codes.get(challengeId) }),
      });
    const paired = await exchange(first, await open());
    assert.equal(paired.status, 201);
    const { api_key: apiKey } = (await paired.json()) as { api_key: string };
    const pending = await open();
    await first.close();

    const second = await start(file, codes);
    try {
      assert.equal((await second.pairing.verifyApiKey(apiKey))?.appId, webApp().id, 'the key survived');
      const completed = await exchange(second, pending);
      assert.equal(completed.status, 201, await completed.clone().text());
      await completed.body?.cancel();
    } finally {
      await second.close();
    }
  });
});
