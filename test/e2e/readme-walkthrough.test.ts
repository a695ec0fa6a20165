import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { freePort } from './free-port.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RUN_LIMIT_MS = 90_000;

/** The first ```sh block after the "Walk-through with curl" heading of README.md, as written. */
async function walkThroughBlock(): Promise<string> {
  const readme = await readFile(new URL('README.md', `file://${ROOT}`), 'utf8');
  const section = readme.split('### Walk-through with curl')[1];
  assert.ok(section, 'README has a "Walk-through with curl" section');
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(block, 'the section has a sh block');
  return block;
}

/** Runs the block the way a paste into an interactive shell does: line by line, no `set -e`. */
async function runPasted(block: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  // Its own process group, so the server it starts in the background dies with it even on failure.
  const shell = spawn('bash', ['-c', block], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  shell.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  shell.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => process.kill(-shell.pid!, 'SIGKILL'), RUN_LIMIT_MS);
  const code = await new Promise<number | null>((resolve) => shell.once('exit', resolve));
  clearTimeout(timer);
  try {
    process.kill(-shell.pid!, 'SIGKILL'); // whatever the block left behind (nothing, when `kill $SERVER` ran)
  } catch {
    // the group is already gone
  }
  return { code, output };
}

describe('README walk-through with curl', () => {
  it('works when pasted as one block: challenge, solution, session, streamed chat', { timeout: RUN_LIMIT_MS + 10_000 }, async () => {
    const port = await freePort();
    const { code, output } = await runPasted(await walkThroughBlock(), {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: String(port),
      INK_AUTH_DB: ':memory:', // not the repository's .data/
    });
    assert.equal(code, 0, output);
    assert.match(output, /"algorithm":"SHA-256"/, `the challenge was printed:\n${output}`);
    assert.match(output, /^data: /m, `the chat reply was streamed:\n${output}`);
    assert.match(output, /\bhi\b/, `the reply echoes the message:\n${output}`);
    assert.doesNotMatch(output, /problem\+json|"status":4\d\d/, output);
  });
});
