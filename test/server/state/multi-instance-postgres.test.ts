import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { parseAdminKeys } from '../../../server/manage/admin-auth.js';
import { startServer, type RunningServer } from '../../../server/index.js';
import { CredentialStoreRegistry } from '../../../server/manage/credential-stores/credential-store.js';
import { MemoryCredentialStore } from '../../../server/manage/credential-stores/memory-credential-store.js';
import { openPostgres } from '../../../server/state/sql/connect.js';
import type { Challenge as V2Challenge } from 'altcha-lib';
import { APP_ID, encodePayload, JWT_SECRET, ORIGIN, powSettings, requestSession, solvedV1Payload, solveV2Payload, webApp } from '../helpers.js';
import { postgresSkipReason, startPostgresCluster, type PostgresCluster } from '../../../scripts/postgres-cluster.js';

const ADMIN_KEY = 'multi-instance-admin-key-0123456789';
const PAIRING = { 'anytype-version': '2025-11-08', 'content-type': 'application/json' };
const RACE_ROUNDS = 50;

interface Instance {
  server: RunningServer;
  codes: Map<string, string>;
}

async function startInstance(databaseUrl: string): Promise<Instance> {
  const codes = new Map<string, string>();
  const server = await startServer({
    log: () => {},
    onPairingCode: (code, info) => codes.set(info.challengeId, code),
    config: {
      jwtSecret: JWT_SECRET,
      // One test client plays 50 rounds of sessions: a budget above the per-address default (30).
      pow: powSettings('v1', { sessionsPerAddress: { burst: 200, perMinute: 200 } }),
      apps: [webApp()],
      manage: {
        dbPath: ':memory:',
        adminKeys: parseAdminKeys(`tenant_test:${ADMIN_KEY}`),
        stores: new CredentialStoreRegistry([new MemoryCredentialStore('memory-default')]),
      },
      state: { databaseUrl, sqlitePath: ':memory:' },
    },
  });
  return { server, codes };
}

const skip = postgresSkipReason();

if (skip) {
  test('two instances on one PostgreSQL', { skip }, () => {});
} else {
  describe('two instances on one PostgreSQL behave as one server', () => {
    let cluster: PostgresCluster;
    let a: Instance;
    let b: Instance;
    before(async () => {
      cluster = await startPostgresCluster();
    });
    after(() => cluster.destroy());

    // Each test gets its own database, so budgets spent by one test never leak into the next.
    const pair = async (): Promise<() => Promise<void>> => {
      const url = await cluster.createDatabase();
      [a, b] = await Promise.all([startInstance(url), startInstance(url)]);
      return async () => {
        await Promise.all([a.server.close(), b.server.close()]);
      };
    };

    test('two instances starting at the same moment apply each migration once', async () => {
      const url = await cluster.createDatabase();
      const instances = await Promise.all([startInstance(url), startInstance(url), startInstance(url)]);
      await Promise.all(instances.map((i) => i.server.close()));
      const probe = await openPostgres(url);
      try {
        const { rows } = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(probe.db);
        assert.deepEqual(rows.map((r) => r.name), ['0001_apps_and_credential_references', '0002_shared_state']);
      } finally {
        await probe.close();
      }
    });

    test('a solution redeemed on A is refused on B', async () => {
      const close = await pair();
      try {
        const header = encodePayload(await solvedV1Payload(a.server));
        const first = await requestSession(a.server, { 'x-inkeep-challenge-solution': header });
        assert.equal(first.status, 200);
        await first.body?.cancel();
        const replay = await requestSession(b.server, { 'x-inkeep-challenge-solution': header });
        assert.equal(replay.status, 400);
        assert.match(((await replay.json()) as { detail: string }).detail, /already been used/);
      } finally {
        await close();
      }
    });

    test("the hosted widget's v2 solution, fetched from and redeemed on A, is refused on B; a manage session signed out on B is over on A", async () => {
      const close = await pair();
      try {
        const res = await fetch(`${a.server.url}/run/auth/challenge?appId=${APP_ID}`, { headers: { origin: ORIGIN } });
        assert.equal(res.status, 200);
        const payload = await solveV2Payload((await res.json()) as V2Challenge);
        const header = { 'x-inkeep-challenge-solution': encodePayload({ payload: encodePayload(payload) }) };
        const first = await requestSession(a.server, header);
        assert.equal(first.status, 200, await first.clone().text());
        await first.body?.cancel();
        const replay = await requestSession(b.server, header);
        assert.equal(replay.status, 400);
        assert.equal(((await replay.json()) as { reason: string }).reason, 'pow_replayed');

        const signIn = await fetch(`${a.server.url}/manage/tenants/tenant_test/session`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_KEY}` } });
        assert.equal(signIn.status, 201);
        const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0]!;
        const apps = `/manage/tenants/tenant_test/projects/project_test/apps`;
        assert.equal((await fetch(`${b.server.url}${apps}`, { headers: { cookie } })).status, 200);
        assert.equal((await fetch(`${b.server.url}/manage/tenants/tenant_test/session`, { method: 'DELETE', headers: { cookie } })).status, 204);
        const signedOut = await fetch(`${a.server.url}${apps}`, { headers: { cookie } });
        assert.equal(signedOut.status, 401);
        assert.equal(((await signedOut.json()) as { reason: string }).reason, 'session_revoked');
      } finally {
        await close();
      }
    });

    test('an app created through the manage API on A issues sessions on B at once', async () => {
      const close = await pair();
      try {
        const created = await fetch(`${a.server.url}/manage/tenants/tenant_test/projects/project_test/apps`, {
          method: 'POST',
          headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            id: 'app_created_on_a',
            name: 'Made on A',
            type: 'web_client',
            config: { type: 'web_client', webClient: { allowedDomains: ['localhost'], allowAnonymous: true } },
          }),
        });
        assert.equal(created.status, 201, await created.text());
        const header = encodePayload(await solvedV1Payload(b.server));
        const session = await requestSession(b.server, { 'x-inkeep-challenge-solution': header }, 'app_created_on_a');
        assert.equal(session.status, 200, await session.clone().text());
        await session.body?.cancel();
      } finally {
        await close();
      }
    });

    test('a pairing challenge created on A is completed on B, and the key works on A', async () => {
      const close = await pair();
      try {
        const opened = await fetch(`${a.server.url}/v1/auth/challenges`, {
          method: 'POST',
          headers: { ...PAIRING, 'x-inkeep-app-id': webApp().id },
          body: JSON.stringify({ app_name: 'Two instances' }),
        });
        assert.equal(opened.status, 201);
        const { challenge_id: challengeId } = (await opened.json()) as { challenge_id: string };
        const code = a.codes.get(challengeId);
        assert.ok(code, 'A showed the code');
        const exchanged = await fetch(`${b.server.url}/v1/auth/api_keys`, {
          method: 'POST',
          headers: PAIRING,
          body: JSON.stringify({ challenge_id: challengeId, code }),
        });
        assert.equal(exchanged.status, 201, await exchanged.clone().text());
        const { api_key: apiKey } = (await exchanged.json()) as { api_key: string };
        assert.equal((await a.server.pairing.verifyApiKey(apiKey))?.appId, webApp().id);
        const again = await fetch(`${a.server.url}/v1/auth/api_keys`, {
          method: 'POST',
          headers: PAIRING,
          body: JSON.stringify({ challenge_id: challengeId, code }),
        });
        assert.equal(again.status, 409, 'the challenge is spent on every instance');
        await again.body?.cancel();
      } finally {
        await close();
      }
    });

    test('rate limits count across both instances', async () => {
      const close = await pair();
      try {
        const create = (instance: Instance) =>
          fetch(`${instance.server.url}/v1/auth/challenges`, {
            method: 'POST',
            headers: { ...PAIRING, 'x-inkeep-app-id': webApp().id },
            body: JSON.stringify({ app_name: 'Limit' }),
          });
        const statuses: number[] = [];
        // The creation budget is 5 per address: 3 on A and 2 on B spend it; the 6th is refused anywhere.
        for (const instance of [a, a, a, b, b, b, a]) {
          const res = await create(instance);
          statuses.push(res.status);
          await res.body?.cancel();
        }
        assert.deepEqual(statuses, [201, 201, 201, 201, 201, 429, 429]);
      } finally {
        await close();
      }
    });

    test(`the same solution sent to A and B at the same moment is accepted exactly once (${RACE_ROUNDS} rounds)`, async () => {
      const close = await pair();
      try {
        for (let round = 0; round < RACE_ROUNDS; round++) {
          const header = encodePayload(await solvedV1Payload(a.server));
          const replies = await Promise.all(
            [a, b].map((instance) => requestSession(instance.server, { 'x-inkeep-challenge-solution': header, origin: ORIGIN })),
          );
          const statuses = replies.map((r) => r.status).sort();
          await Promise.all(replies.map((r) => r.body?.cancel()));
          assert.deepEqual(statuses, [200, 400], `round ${round}`);
        }
      } finally {
        await close();
      }
    });
  });
}
