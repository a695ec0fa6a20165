import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServer, type RunningServer } from '../../../server/index.js';
import { expectProblem, JWT_SECRET, requestSession, webApp } from '../helpers.js';
import { postgresSkipReason, startPostgresCluster, type PostgresCluster } from '../../../scripts/postgres-cluster.js';
import { runMain } from '../run-main.js';

const skip = postgresSkipReason();

/** Polls `probe` (bounded in count and time) until it yields a value. */
async function eventually<T>(probe: () => Promise<T | undefined>, attempts = 60, delayMs = 250): Promise<T> {
  for (let i = 0; i < attempts; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
  throw new Error(`no result after ${attempts} attempts`);
}

if (skip) {
  test('PostgreSQL outages', { skip }, () => {});
} else {
  describe('PostgreSQL: wrong credentials at start, an outage while running', { timeout: 120_000 }, () => {
    let cluster: PostgresCluster;
    before(async () => {
      cluster = await startPostgresCluster();
    });
    after(() => cluster.destroy());

    test('wrong credentials exit 1 naming DATABASE_URL, printing neither password', async () => {
      const good = new URL(await cluster.createDatabase());
      const wrong = 'not-the-password-4f1c9a';
      const url = new URL(good);
      url.password = wrong;
      const run = await runMain({ NODE_ENV: 'development', DATABASE_URL: url.toString() });
      await run.stop();
      assert.equal(run.code, 1, run.out);
      assert.match(run.err, /not started: DATABASE_URL: cannot use PostgreSQL at postgres:\/\/ink_auth_app@127\.0\.0\.1:\d+\/\w+ \(password authentication failed, 28P01\)/);
      const printed = `${run.out}${run.err}`;
      assert.ok(!printed.includes(wrong) && !printed.includes(decodeURIComponent(good.password)), 'no password is printed');
    });

    test('the database going away answers 503 + Retry-After (no hang, no 500), then recovers by itself', async () => {
      const logs: string[] = [];
      const databaseUrl = await cluster.createDatabase();
      const server: RunningServer = await startServer({
        log: (line) => logs.push(line),
        config: { jwtSecret: JWT_SECRET, pow: null, apps: [webApp()], state: { databaseUrl, sqlitePath: ':memory:' } },
      });
      try {
        const before = await requestSession(server);
        assert.equal(before.status, 200);
        await before.body?.cancel();

        await cluster.stopServer();
        const down = await requestSession(server);
        const body = await expectProblem(down, 503, 'service_unavailable');
        assert.equal(down.headers.get('retry-after'), '5');
        assert.doesNotMatch(body.detail, /ECONN|postgres|127\.0\.0\.1|password/i);
        const pairing = await fetch(`${server.url}/v1/auth/challenges`, {
          method: 'POST',
          headers: { 'anytype-version': '2025-11-08', 'content-type': 'application/json', 'x-inkeep-app-id': webApp().id },
          body: JSON.stringify({ app_name: 'During the outage' }),
        });
        await expectProblem(pairing, 503, 'service_unavailable');

        await cluster.startServer();
        const status = await eventually(async () => {
          const res = await requestSession(server);
          await res.body?.cancel();
          return res.status === 200 ? res.status : undefined;
        });
        assert.equal(status, 200);
        const password = new URL(databaseUrl).password;
        assert.ok(logs.every((line) => !line.includes(password)), 'no log line carries the password');
      } finally {
        await server.close();
      }
    });
  });
}
