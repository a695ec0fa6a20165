/**
 * The state engines side by side: the same session-issuance and chat load against a server
 * whose apps live in memory (the baseline), in SQLite (a file) and in PostgreSQL, printed as
 * ratios to memory. PostgreSQL is `DATABASE_URL` when set, else a throwaway cluster started
 * like the tests do; without PostgreSQL binaries that row is skipped with a line saying so.
 * Each engine's server runs in its own child (this file with `--serve-state`).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MemoryAppRegistry, startServer, type AppRecord, type StartOptions } from '../server/index.js';
import { findPostgresBin, startPostgresCluster, type PostgresCluster } from './postgres-cluster.js';
import { CROWD_CHAT_RATE_LIMITS, scenario, type ScenarioResult } from './load-scenario.js';

const APP_ID = 'app_loadstate00000000000001';
const ORIGIN = 'http://localhost:5173';

type Engine = 'memory' | 'sqlite' | 'postgres';

/** One engine's figures for both scenarios. */
export interface EngineResult {
  engine: Engine;
  sessions: ScenarioResult;
  chat: ScenarioResult;
}

function app(): AppRecord {
  const now = new Date().toISOString();
  return {
    id: APP_ID, tenantId: 'tenant_load', projectId: 'project_load', name: 'load', description: null, type: 'web_client',
    defaultAgentId: 'agent_load', enabled: true, lastUsedAt: null, createdAt: now, updatedAt: now,
    config: { type: 'web_client', webClient: { allowedDomains: ['localhost'], allowAnonymous: true, publicKeys: [] } },
  };
}

/** Child side: one quiet server (PoW off) on the given engine. */
async function serveEngine(engine: Engine, where: string): Promise<void> {
  const apps = [app()];
  const options: StartOptions = { log: () => {}, host: '127.0.0.1', config: { apps, pow: null }, chat: { rateLimits: CROWD_CHAT_RATE_LIMITS } };
  if (engine === 'memory') options.registry = new MemoryAppRegistry(apps);
  if (engine === 'sqlite') options.config = { ...options.config, state: { sqlitePath: where } };
  if (engine === 'postgres') options.config = { ...options.config, state: { databaseUrl: where, sqlitePath: ':memory:' } };
  const server = await startServer(options);
  process.on('message', async (message: { type: string }) => {
    if (message.type !== 'stop') return;
    await server.close();
    process.exit(0);
  });
  process.send?.({ type: 'ready', url: server.url });
}

function ready(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('state load server did not start within 60 s')), 60_000);
    child.once('message', (message: { type: string; url: string }) => {
      clearTimeout(timer);
      resolve(message.url);
    });
    child.once('exit', (code) => reject(new Error(`state load server exited (${code})`)));
  });
}

async function measure(engine: Engine, where: string, seconds: number, connections: number): Promise<EngineResult> {
  const child = fork(fileURLToPath(import.meta.url), ['--serve-state', engine, where], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const url = await ready(child);
    const sessionUrl = `${url}/run/auth/apps/${APP_ID}/anonymous-session`;
    const first = await fetch(sessionUrl, { method: 'POST', headers: { origin: ORIGIN } });
    if (first.status !== 200) throw new Error(`${engine}: no session (${first.status})`);
    const { token } = (await first.json()) as { token: string };
    const common = { connections, duration: seconds };
    const sessions = await scenario(`${engine} sessions`, { ...common, url: sessionUrl, method: 'POST', headers: { origin: ORIGIN } });
    const chat = await scenario(`${engine} chat`, {
      ...common,
      url: `${url}/run/api/chat`,
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'x-inkeep-app-id': APP_ID, origin: ORIGIN, 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'load' }] }),
    });
    return { engine, sessions, chat };
  } finally {
    child.send({ type: 'stop' });
    await new Promise((resolve) => (child.exitCode !== null ? resolve(undefined) : child.once('exit', resolve)));
  }
}

const ratio = (value: number, base: number): string => (base > 0 ? `${Math.round((100 * value) / base)}%` : 'n/a');

/** Runs memory, SQLite and PostgreSQL one after another; prints a table; returns every failed check. */
export async function runStateComparison(options: { seconds: number; connections: number; log: (line: string) => void }): Promise<string[]> {
  const { log } = options;
  const dir = mkdtempSync(join(tmpdir(), 'ink-auth-load-state-'));
  let cluster: PostgresCluster | undefined;
  try {
    const engines: Array<[Engine, string]> = [['memory', ''], ['sqlite', join(dir, 'state.db')]];
    if (process.env.DATABASE_URL) engines.push(['postgres', process.env.DATABASE_URL]);
    else if (findPostgresBin()) {
      cluster = await startPostgresCluster();
      engines.push(['postgres', await cluster.createDatabase()]);
    } else log('state comparison: PostgreSQL skipped (no DATABASE_URL and no initdb in /usr/lib/postgresql/*/bin)');
    const results: EngineResult[] = [];
    for (const [engine, where] of engines) {
      log(`… state ${engine}: sessions, then chat, ${options.connections} connections for ${options.seconds} s each`);
      results.push(await measure(engine, where, options.seconds, options.connections));
    }
    const base = results[0] as EngineResult;
    log('state engine   sessions req/s (vs memory)   p99 ms   chat req/s (vs memory)   p99 ms');
    for (const r of results) {
      log(
        `${r.engine.padEnd(14)} ${String(r.sessions.reqPerSec).padStart(8)} (${ratio(r.sessions.reqPerSec, base.sessions.reqPerSec).padStart(4)})` +
          `           ${String(r.sessions.p99Ms).padStart(5)}   ${String(r.chat.reqPerSec).padStart(8)} (${ratio(r.chat.reqPerSec, base.chat.reqPerSec).padStart(4)})` +
          `           ${String(r.chat.p99Ms).padStart(5)}`,
      );
    }
    return results.flatMap((r) => [...r.sessions.unexpected, ...r.chat.unexpected]);
  } finally {
    await cluster?.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv.includes('--serve-state')) {
  const [engine, where] = process.argv.slice(process.argv.indexOf('--serve-state') + 1);
  await serveEngine(engine as Engine, where ?? '');
} else if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const failures = await runStateComparison({
    seconds: Number(process.env.LOAD_STATE_SECONDS ?? 10),
    connections: Number(process.env.LOAD_CONNECTIONS ?? 64),
    log: (line) => console.log(line),
  });
  for (const failure of failures) console.error(`FAIL ${failure}`);
  process.exitCode = failures.length === 0 ? 0 : 1;
}
