/**
 * `npm run load`: autocannon against the reference server on loopback, one scenario at a
 * time — PoW challenges, anonymous sessions (PoW off) and protected chat — then an attack
 * scenario (one address flooding while a well-behaved client asks for sessions, see
 * load-flood.ts) and a slow-reader attack (40 never-reading chat sockets while a well-behaved client
 * chats, see load-slow-readers.ts), then the server's memory beside its baseline. `LOAD_SECONDS` (default 30) and
 * `LOAD_CONNECTIONS` (default 64) override the run. Then the same session and chat load on
 * memory, SQLite and PostgreSQL state side by side (`scripts/load-state.ts`,
 * `LOAD_STATE_SECONDS`, default 10). Exits 1 when a check fails.
 *
 * The server runs in a child process (this file with `--serve`) so its RSS is its own.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type autocannon from 'autocannon';
import { startServer, type AppRecord, type RunningServer } from '../server/index.js';
import { floodVersusWellBehaved, type FloodResult } from './load-flood.js';
import { slowReadersVersusWellBehaved, type SlowReadersResult } from './load-slow-readers.js';
import { CROWD_CHAT_RATE_LIMITS, scenario, type ScenarioResult } from './load-scenario.js';
import { runStateComparison } from './load-state.js';

const APP_ID = 'app_loadtest000000000000001';
const ORIGIN = 'http://localhost:5173';

/** Server memory in MiB after a forced collection. */
export interface ServerMemory {
  rssMiB: number;
  heapUsedMiB: number;
}

export type { ScenarioResult } from './load-scenario.js';

export interface LoadReport {
  scenarios: ScenarioResult[];
  /** Attack scenarios: what a well-behaved client sees while another address floods. */
  attacks: FloodResult[];
  /** What a well-behaved client sees (a session and a chat a second) while 40 sockets never read their chats. */
  slowReaders: SlowReadersResult;
  baseline: ServerMemory;
  after: ServerMemory;
  /** Every failed check across the run; empty means pass. */
  failures: string[];
}

export interface LoadOptions {
  seconds: number;
  connections: number;
  log?: (line: string) => void;
}

/** Heap growth after a forced GC that counts as a leak; generous, load allocates a lot transiently. */
const HEAP_GROWTH_LIMIT_MIB = 128;

type ChildMessage = { type: 'ready'; powUrl: string; plainUrl: string; guardedUrl: string } | { type: 'memory'; memory: ServerMemory };

/** The slow readers' write timeout: short, so the run shows answers being cut. */
const SLOW_READERS_WRITE_TIMEOUT_MS = 2_000;

function loadApp(): AppRecord {
  const now = new Date().toISOString();
  return {
    id: APP_ID, tenantId: 'tenant_load', projectId: 'project_load', name: 'load', description: null, type: 'web_client',
    defaultAgentId: 'agent_load', enabled: true, lastUsedAt: null, createdAt: now, updatedAt: now,
    config: { type: 'web_client', webClient: { allowedDomains: ['localhost'], allowAnonymous: true, publicKeys: [] } },
  };
}

/**
 * Child side: three quiet servers on 127.0.0.1 — PoW on for challenges; PoW off for sessions and
 * chat; PoW off with the default chat budgets for the slow readers.
 */
async function serveForLoad(): Promise<void> {
  const quiet = { log: () => {}, host: '127.0.0.1' };
  const apps = [loadApp()];
  const servers: RunningServer[] = [
    await startServer({ ...quiet, config: { apps, pow: { hmacSecret: 'load-pow-secret-0123456789abcdef0123456789', difficulty: 50_000, ttlSeconds: 600, format: 'v1' } } }),
    // One token stands for the whole crowd of chat visitors here, so its per-identity conversation
    // cap (tested on its own) is lifted; each request starts a conversation, as a new visitor does.
    await startServer({ ...quiet, config: { apps, pow: null }, chat: { limits: { maxConversationsPerOwner: Number.MAX_SAFE_INTEGER }, rateLimits: CROWD_CHAT_RATE_LIMITS } }),
    await startServer({ ...quiet, config: { apps, pow: null }, chat: { writeTimeoutMs: SLOW_READERS_WRITE_TIMEOUT_MS } }),
  ];
  const gc = (globalThis as { gc?: () => void }).gc;
  process.on('message', async (message: { type: string }) => {
    if (message.type === 'memory') {
      gc?.();
      const { rss, heapUsed } = process.memoryUsage();
      process.send?.({ type: 'memory', memory: { rssMiB: Math.round(rss / 2 ** 20), heapUsedMiB: Math.round(heapUsed / 2 ** 20) } });
    } else if (message.type === 'stop') {
      await Promise.all(servers.map((s) => s.close()));
      process.exit(0);
    }
  });
  process.send?.({ type: 'ready', powUrl: servers[0]?.url, plainUrl: servers[1]?.url, guardedUrl: servers[2]?.url });
}

function nextMessage<T extends ChildMessage['type']>(child: ChildProcess, type: T): Promise<Extract<ChildMessage, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`load server sent no '${type}' within 30 s`)), 30_000);
    const onMessage = (message: ChildMessage) => {
      if (message.type !== type) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(message as Extract<ChildMessage, { type: T }>);
    };
    child.on('message', onMessage);
    child.once('exit', (code) => reject(new Error(`load server exited (${code})`)));
  });
}

/** A session token from a server with PoW off. */
async function sessionToken(sessionUrl: string): Promise<string> {
  const session = await fetch(sessionUrl, { method: 'POST', headers: { origin: ORIGIN } });
  if (session.status !== 200) throw new Error(`could not get a session token: ${session.status}`);
  return ((await session.json()) as { token: string }).token;
}

async function memoryOf(child: ChildProcess): Promise<ServerMemory> {
  const reply = nextMessage(child, 'memory');
  child.send({ type: 'memory' });
  return (await reply).memory;
}

/** Runs the three scenarios against a fresh server child and returns the figures and failed checks. */
export async function runLoad(options: LoadOptions): Promise<LoadReport> {
  const log = options.log ?? (() => {});
  const child = fork(fileURLToPath(import.meta.url), ['--serve'], { execArgv: ['--expose-gc', '--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const { powUrl, plainUrl, guardedUrl } = await nextMessage(child, 'ready');
    const baseline = await memoryOf(child);
    const sessionUrl = `${plainUrl}/run/auth/apps/${APP_ID}/anonymous-session`;
    const token = await sessionToken(sessionUrl);
    const common = { connections: options.connections, duration: options.seconds };
    const scenarios: ScenarioResult[] = [];
    const plan: Array<[string, autocannon.Options]> = [
      ['challenges', { ...common, url: `${powUrl}/run/auth/pow/challenge` }],
      ['sessions', { ...common, url: sessionUrl, method: 'POST', headers: { origin: ORIGIN } }],
      ['chat', {
        ...common,
        url: `${plainUrl}/run/api/chat`,
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'x-inkeep-app-id': APP_ID, origin: ORIGIN, 'content-type': 'application/json' },
        body: JSON.stringify({ messages: [{ role: 'user', content: 'load' }] }),
      }],
    ];
    for (const [name, opts] of plan) {
      log(`… ${name}: ${options.connections} connections for ${options.seconds} s`);
      const result = await scenario(name, opts);
      scenarios.push(result);
      log(`${name.padEnd(10)} ${String(result.requests).padStart(8)} req  ${String(result.reqPerSec).padStart(6)} req/s  p50 ${result.p50Ms} ms  p99 ${result.p99Ms} ms  non-2xx ${result.non2xx}  errors ${result.errors}`);
    }
    log(`… flood: one address floods PoW challenges and bogus sessions for ${options.seconds} s while a client on another address asks for a session a second`);
    const flood = await floodVersusWellBehaved({ url: powUrl, appId: APP_ID, origin: ORIGIN, seconds: options.seconds });
    const { client } = flood;
    log(
      `${flood.name}: client ${client.successes}/${client.attempts} sessions (${Math.round(client.successRate * 100)} %)  p50 ${client.p50Ms} ms  p99 ${client.p99Ms} ms; ` +
        `flood ${flood.flood.requests} req ${JSON.stringify(flood.flood.statusCounts)}, its maxnumber now ${flood.flood.lastMaxnumber}`,
    );
    log(`… slow readers: 40 sockets from two addresses pipeline chats and never read, for ${options.seconds} s, while a client on another address gets a session and chats once a second`);
    const attackerTokens = await Promise.all(Array.from({ length: 40 }, () => sessionToken(`${guardedUrl}/run/auth/apps/${APP_ID}/anonymous-session`)));
    const slowReaders = await slowReadersVersusWellBehaved({ url: guardedUrl, appId: APP_ID, origin: ORIGIN, seconds: options.seconds, attackerTokens });
    const turns = slowReaders.client;
    log(
      `${slowReaders.name}: client ${turns.successes}/${turns.attempts} session+chat turns (${Math.round(turns.successRate * 100)} %)  p50 ${turns.p50Ms} ms  p99 ${turns.p99Ms} ms ${JSON.stringify(turns.statusCounts)} while ${slowReaders.attack.sockets} sockets never read`,
    );
    const after = await memoryOf(child);
    const failures = [...scenarios.flatMap((s) => s.unexpected), ...flood.unexpected, ...slowReaders.unexpected];
    if (after.heapUsedMiB - baseline.heapUsedMiB > HEAP_GROWTH_LIMIT_MIB) {
      failures.push(`server heap grew ${after.heapUsedMiB - baseline.heapUsedMiB} MiB after GC (limit ${HEAP_GROWTH_LIMIT_MIB})`);
    }
    log(`server memory after forced GC: rss ${baseline.rssMiB} → ${after.rssMiB} MiB, heap ${baseline.heapUsedMiB} → ${after.heapUsedMiB} MiB`);
    // The replay memory and the pairing rate-limit tables are private to the server
    // (no size getter reaches RunningServer), so their bound shows up as the heap figure above.
    return { scenarios, attacks: [flood], slowReaders, baseline, after, failures };
  } finally {
    child.send({ type: 'stop' });
    await new Promise((resolve) => (child.exitCode !== null ? resolve(undefined) : child.once('exit', resolve)));
  }
}

async function main(): Promise<void> {
  const seconds = Number(process.env.LOAD_SECONDS ?? 30);
  const connections = Number(process.env.LOAD_CONNECTIONS ?? 64);
  const report = await runLoad({ seconds, connections, log: (line) => console.log(line) });
  const stateSeconds = Number(process.env.LOAD_STATE_SECONDS ?? 10);
  const failures = [...report.failures, ...(await runStateComparison({ seconds: stateSeconds, connections, log: (line) => console.log(line) }))];
  for (const failure of failures) console.error(`FAIL ${failure}`);
  console.log(failures.length === 0 ? 'load: all checks passed' : `load: ${failures.length} check(s) failed`);
  process.exitCode = failures.length === 0 ? 0 : 1;
}

if (process.argv.includes('--serve')) await serveForLoad();
else if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
