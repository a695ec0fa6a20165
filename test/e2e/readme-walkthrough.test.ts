import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { freePort } from './free-port.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RUN_LIMIT_MS = 90_000;

/** The first ```sh block after the "Walk-through with curl" heading of docs/server.md, as written. */
async function walkThroughBlock(): Promise<string> {
  const page = await readFile(new URL('docs/server.md', `file://${ROOT}`), 'utf8');
  const section = page.split('\n## Walk-through with curl\n')[1];
  assert.ok(section, 'docs/server.md has a "Walk-through with curl" section');
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

interface StoredHistory {
  id: string;
  messages: Array<{ role: string; content: string }>;
}

/** The `GET /run/v1/conversations/conv_curl` body among the block's output lines, if printed. */
function storedHistory(output: string): StoredHistory | undefined {
  for (const line of output.split('\n')) {
    if (!line.startsWith('{"data":')) continue;
    const { data } = JSON.parse(line) as { data: StoredHistory };
    if (data.id === 'conv_curl') return data;
  }
  return undefined;
}

describe('the walk-through with curl (docs/server.md)', () => {
  it('works when pasted as one block: challenge, solution, session, streamed chat, stored history', { timeout: RUN_LIMIT_MS + 10_000 }, async () => {
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
    // The history step asks the server on $PORT (not a fixed port) for the conversation just held.
    const history = storedHistory(output);
    assert.ok(history, `the history step printed conv_curl:\n${output}`);
    assert.deepEqual(history.messages.map((m) => m.role), ['user', 'assistant'], output);
    assert.equal(history.messages[0]!.content, 'hi');
    assert.match(history.messages[1]!.content, /\bhi\b/, 'the stored reply is the streamed one');
  });
});
