import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

/** Where `initdb` lives: `PG_BIN`, the newest `/usr/lib/postgresql/<n>/bin`, `PATH`, or `undefined`. */
export function findPostgresBin(): string | undefined {
  const candidates = process.env.PG_BIN ? [process.env.PG_BIN] : [];
  if (existsSync('/usr/lib/postgresql')) {
    const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => `/usr/lib/postgresql/${v}/bin`));
  }
  candidates.push(...(process.env.PATH ?? '').split(delimiter).filter(Boolean));
  return candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')));
}

/**
 * Why the PostgreSQL suites cannot run here, or `undefined` when they can. Under `CI=true` a
 * missing PostgreSQL is a failure, never a skip: this throws instead of returning a reason.
 */
export function postgresSkipReason(
  { bin, ci }: { bin: string | undefined; ci: string | undefined } = { bin: findPostgresBin(), ci: process.env.CI },
): string | undefined {
  if (bin) return undefined;
  const reason = 'PostgreSQL binaries not found (no initdb in PG_BIN, /usr/lib/postgresql/*/bin or PATH): PostgreSQL suites skipped';
  if (ci === 'true') throw new Error(`${reason} — but CI=true requires them; install the postgresql package.`);
  return reason;
}

/** A throwaway PostgreSQL cluster on a loopback port, owned by the `postgres` OS user when run as root. */
export interface PostgresCluster {
  port: number;
  /** A URL for the non-superuser role that owns `database` (created with {@link createDatabase}). */
  url(database: string, password?: string): string;
  /** Creates a fresh database owned by the application role; returns its URL. */
  createDatabase(): Promise<string>;
  /** Stops the server (fast), keeping its data. */
  stopServer(): Promise<void>;
  /** Starts it again on the same port and data. */
  startServer(): Promise<void>;
  /** Stops the server and removes every file. */
  destroy(): Promise<void>;
}

const ROLE = 'ink_auth_app';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * `initdb` into a temp dir, then `pg_ctl start` on a free loopback port with the unix socket in
 * that dir; creates the role {@link ROLE} (LOGIN, no superuser) with a random password. As root
 * every PostgreSQL binary runs as the `postgres` user (`runuser`), since initdb refuses root.
 */
export async function startPostgresCluster(): Promise<PostgresCluster> {
  const bin = findPostgresBin();
  if (!bin) throw new Error('PostgreSQL binaries not found');
  const dir = mkdtempSync(join(tmpdir(), 'ink-auth-pg-'));
  const data = join(dir, 'data');
  const socketDir = join(dir, 'socket');
  mkdirSync(socketDir);
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim());
    const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
    chownSync(dir, uid, gid);
    chownSync(socketDir, uid, gid);
  }
  const pgRun = (tool: string, args: string[]) =>
    asRoot
      ? run('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args], { timeout: 60_000 })
      : run(join(bin, tool), args, { timeout: 60_000 });
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  await pgRun('initdb', ['-D', data, '-U', 'postgres', '--auth-local=trust', '--auth-host=scram-sha-256', '--no-sync', '-E', 'UTF8']);
  // Durability is irrelevant for a throwaway cluster; these make it start and write fast.
  const options = [`-p ${port}`, `-k ${socketDir}`, "-c listen_addresses=127.0.0.1", '-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off', '-c max_connections=200'];
  const startServer = async () => {
    await pgRun('pg_ctl', ['-D', data, '-o', options.join(' '), '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']);
  };
  const stopServer = async () => {
    await pgRun('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop']);
  };
  await startServer();
  const admin = async <T>(body: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ host: socketDir, port, user: 'postgres', database: 'postgres' });
    await client.connect();
    try {
      return await body(client);
    } finally {
      await client.end();
    }
  };
  await admin((c) => c.query(`CREATE ROLE ${ROLE} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '${password}'`));
  let databases = 0;
  const url = (database: string, pw = password) => `postgres://${ROLE}:${pw}@127.0.0.1:${port}/${database}`;
  return {
    port,
    url,
    async createDatabase() {
      const name = `ink_auth_${process.pid}_${++databases}`;
      await admin((c) => c.query(`CREATE DATABASE ${name} OWNER ${ROLE}`));
      return url(name);
    },
    stopServer,
    startServer,
    async destroy() {
      await stopServer().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
