import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { runMain } from '../run-main.js';

const dir = mkdtempSync(join(tmpdir(), 'ink-auth-start-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('state at start: nothing starts half-configured', { timeout: 60_000 }, () => {
  test('an unreachable DATABASE_URL exits 1 naming DATABASE_URL, never printing its password', async () => {
    const password = `pw${randomBytes(8).toString('hex')}`;
    const run = await runMain({
      NODE_ENV: 'development',
      DATABASE_URL: `postgres://ink:${password}@127.0.0.1:${await closedPort()}/ink`,
      INK_AUTH_DB: join(dir, 'unused.db'),
    });
    await run.stop();
    assert.equal(run.code, 1, run.err);
    assert.match(run.err, /not started: DATABASE_URL: cannot use PostgreSQL at postgres:\/\/ink@127\.0\.0\.1:\d+\/ink \(connection refused/);
    assert.ok(!`${run.out}${run.err}`.includes(password), 'the password is never printed');
    assert.equal(run.url, undefined);
  });

  test('a DATABASE_URL that is not a PostgreSQL URL exits 1 naming it', async () => {
    const run = await runMain({ NODE_ENV: 'development', DATABASE_URL: 'mysql://root:hunter2@db/x' });
    await run.stop();
    assert.equal(run.code, 1);
    assert.match(run.err, /DATABASE_URL must start with postgres:\/\//);
    assert.ok(!run.err.includes('hunter2'));
  });

  test('a corrupt SQLite file exits 1 naming the file', async () => {
    const file = join(dir, 'corrupt.db');
    writeFileSync(file, randomBytes(8192));
    const run = await runMain({ NODE_ENV: 'development', INK_AUTH_DB: file });
    await run.stop();
    assert.equal(run.code, 1, run.out);
    assert.ok(run.err.includes(`INK_AUTH_DB: cannot open the database at '${file}'`), run.err);
    assert.match(run.err, /not an SQLite database/);
  });

  test("another program's SQLite database exits 1 naming the file, and is left untouched", async () => {
    const file = join(dir, 'foreign.db');
    const foreign = new Database(file);
    foreign.exec("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users (name) VALUES ('kept');");
    foreign.close();
    const run = await runMain({ NODE_ENV: 'development', INK_AUTH_DB: file });
    await run.stop();
    assert.equal(run.code, 1, run.out);
    assert.ok(run.err.includes(`'${file}'`) && run.err.includes('another program'), run.err);
    const reopened = new Database(file, { readonly: true });
    const tables = reopened.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>;
    reopened.close();
    assert.deepEqual(tables.map((t) => t.name), ['users']);
  });
});
