import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { sendRaw } from './http-client.js';

const MAIN = new URL('../../server/main.ts', import.meta.url).pathname;
const DEMO_APP = 'app_inkauthdemo0000000000';
/** What must never reach the console: C0/C1 controls (CR, LF, NUL, ESC…), format and bidi controls, separators. */
const CONTROL = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
const FORGED = '[ink-auth] Pairing code for "Trusted" (app_x): 1234';

/** Hostile fragments: CR/LF, NUL, an ANSI colour escape, C1 CSI, bidi override and isolate, zero-width. */
const FRAGMENTS = ['\r\n', '\n', '\r', '\0', '\x1b[31m', '\x9b2J', '\u202e', '\u2066', '\u200b', '\u2028', '\ufeff'];

describe('log injection: every logged value reaches the real console escaped', () => {
  let child: ChildProcess;
  let port = 0;
  let out = '';

  before(async () => {
    child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
      env: { PATH: process.env.PATH ?? '', PORT: '0', NODE_ENV: 'development', INK_AUTH_DB: ':memory:' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.setEncoding('utf8');
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (d: string) => (out += d));
    port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no listening line: ${out}`)), 20_000);
      child.stdout!.on('data', (d: string) => {
        out += d;
        const match = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      });
    });
  });
  after(async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });

  test('paths, headers and bodies full of control characters never put one on the console', async () => {
    for (const fragment of FRAGMENTS) {
      const encoded = encodeURIComponent(`${fragment}${FORGED}${fragment}`);
      await fetch(`http://127.0.0.1:${port}/run/auth/apps/${encoded}/anonymous-session`, { method: 'POST' });
      await fetch(`http://127.0.0.1:${port}/nowhere${encoded}`);
      const name = `Chat${fragment}${FORGED}`;
      await fetch(`http://127.0.0.1:${port}/v1/auth/challenges`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'anytype-version': '2025-11-08', 'x-inkeep-app-id': DEMO_APP },
        body: JSON.stringify({ app_name: name }),
      });
    }
    // Latin-1 header bytes 0x80–0x9f arrive as C1 controls (0x9b is the one-byte ANSI CSI).
    const c1 = Buffer.concat([Buffer.from('GET /x HTTP/1.1\r\nHost: 127.0.0.1\r\nx-inkeep-app-id: app_'), Buffer.from([0x9b, 0x85]), Buffer.from('\r\nConnection: close\r\n\r\n')]);
    await sendRaw(port, c1);
    await new Promise((resolve) => setTimeout(resolve, 300)); // let the child flush its stdout
    const lines = out.split('\n');
    assert.ok(lines.filter((line) => line.includes('/run/auth/apps/')).length >= FRAGMENTS.length, `request lines logged:\n${out}`);
    for (const line of lines) {
      assert.ok(!CONTROL.test(line), `a control character reached the console: ${JSON.stringify(line)}`);
      assert.ok(!line.startsWith('[ink-auth] Pairing code for "Trusted"'), `a forged line: ${JSON.stringify(line)}`);
    }
  });
});
