import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import net from 'node:net';
import { defaultConnectionLimits } from '../../server/http/connection-limits.js';
import { startServer, type RunningServer } from '../../server/index.js';

const MAIN = new URL('../../server/main.ts', import.meta.url).pathname;

/** Idle sockets (connected, never sending a byte) from `localAddress`; `open()` counts those the server has not closed. */
async function idleSockets(port: number, localAddress: string, count: number) {
  const sockets: net.Socket[] = [];
  const closed = new Set<net.Socket>();
  for (let i = 0; i < count; i++) {
    const socket = net.connect({ port, host: '127.0.0.1', localAddress });
    socket.on('error', () => {});
    socket.on('close', () => closed.add(socket));
    sockets.push(socket);
  }
  await Promise.all(sockets.map((s) => Promise.race([once(s, 'connect'), once(s, 'close')])));
  await new Promise((resolve) => setTimeout(resolve, 300)); // let the server refuse the extra ones
  return {
    open: () => sockets.filter((s) => !closed.has(s)).length,
    destroy: () => sockets.forEach((s) => s.destroy()),
  };
}

/** One request from `localAddress` over a fresh connection: its status, or 0 if the connection failed. */
function statusFrom(port: number, localAddress: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/nowhere', localAddress, agent: false, timeout: 5_000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

let server: RunningServer | undefined;
const cleanups: Array<() => void> = [];
afterEach(async () => {
  cleanups.splice(0).forEach((fn) => fn());
  await server?.close();
  server = undefined;
});

describe('idle sockets cannot exhaust the server', () => {
  test('one address holding idle sockets is capped per address; other clients are served', async () => {
    server = await startServer({ log: () => {}, transport: { maxConnectionsPerAddress: 5, maxConnections: 50 } });
    const flood = await idleSockets(server.port, '127.0.0.2', 40);
    cleanups.push(flood.destroy);
    assert.equal(flood.open(), 5, 'only the per-address cap of sockets stays open');
    assert.equal(await statusFrom(server.port, '127.0.0.3'), 404, 'another address is answered');
  });

  test('the global cap holds whatever the number of addresses, and idle sockets are closed after the headers timeout', async () => {
    server = await startServer({
      log: () => {},
      transport: { maxConnectionsPerAddress: 100, maxConnections: 8, headersTimeoutMs: 1_500, keepAliveTimeoutMs: 500 },
    });
    const flood = await idleSockets(server.port, '127.0.0.4', 20);
    cleanups.push(flood.destroy);
    assert.ok(flood.open() <= 8, `${flood.open()} idle sockets open, cap 8`);
    const deadline = Date.now() + 8_000;
    while (flood.open() > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(flood.open(), 0, 'idle sockets are closed once the headers timeout passes');
    assert.equal(await statusFrom(server.port, '127.0.0.5'), 404, 'a new client is served afterwards');
  });

  test('defaults derive from the open-file limit: 3/4 of it in total, an eighth of that per address', () => {
    assert.deepEqual(defaultConnectionLimits(1024), { maxConnections: 768, maxConnectionsPerAddress: 96, openFileLimit: 1024 });
    assert.deepEqual(defaultConnectionLimits(256), { maxConnections: 192, maxConnectionsPerAddress: 24, openFileLimit: 256 });
    assert.equal(defaultConnectionLimits(null).maxConnections, 768, 'unknown limit: 1024 assumed');
    assert.ok(defaultConnectionLimits(1_048_576).maxConnections <= 10_000);
  });

  test('npm run server under `ulimit -n 256` reports caps derived from it at start', { timeout: 30_000 }, async () => {
    const child = spawn('sh', ['-c', `ulimit -n 256 && exec "${process.execPath}" --import tsx "${MAIN}"`], {
      env: { PATH: process.env.PATH ?? '', PORT: '0', NODE_ENV: 'development', INK_AUTH_DB: ':memory:' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => (out += d));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no connections line: ${out}`)), 25_000);
        child.stdout.on('data', (d: string) => {
          out += d;
          if (/connections: .*\n/.test(out)) {
            clearTimeout(timer);
            resolve();
          }
        });
        child.on('exit', () => reject(new Error(`exited: ${out}`)));
      });
      assert.match(out, /connections: at most 192 in total and 24 per client address \(open-file limit 256\)/);
    } finally {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
    }
  });
});
