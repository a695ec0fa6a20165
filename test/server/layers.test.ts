import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { browserProblems, readImports, serverProblems } from '../../scripts/import-layers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('import layers', () => {
  it('the server imports one way: core ← state ← rules ← routes ← root, http/ only from routes and the root', () => {
    assert.deepEqual(serverProblems(readImports(root, 'server')), []);
  });

  it('the browser library has no import cycle between its folders and never imports the server', () => {
    assert.deepEqual(browserProblems(readImports(root, 'src')), []);
  });

  it('names a store that throws an HTTP problem, a rule that imports hono and a rule that reaches a route', () => {
    const problems = serverProblems({
      'server/state/x-store.ts': ['server/http/problem.ts'],
      'server/chat/rule.ts': ['hono', 'server/chat/routes/chat.ts'],
      'server/chat/routes/chat.ts': ['hono', 'server/chat/rule.ts', 'server/http/env.ts'],
      'server/http/env.ts': ['hono'],
      'server/http/problem.ts': [],
    });
    assert.deepEqual(problems.slice(0, 3), [
      'server/state/x-store.ts (state) imports server/http/problem.ts (http)',
      'server/chat/rule.ts (rules) imports hono: only http/, routes and the root know HTTP',
      'server/chat/rule.ts (rules) imports server/chat/routes/chat.ts (routes)',
    ]);
    assert.match(problems[3] ?? '', /^server: chat ⇄ chat\/routes import each other/);
    assert.equal(problems.length, 4);
  });

  it('names a cycle between two features and one between two browser folders', () => {
    const server = serverProblems({ 'server/chat/a.ts': ['server/auth/b.ts'], 'server/auth/b.ts': ['server/chat/a.ts'] });
    assert.deepEqual(server, ['server: auth ⇄ chat import each other (server/chat/a.ts → server/auth/b.ts; server/auth/b.ts → server/chat/a.ts)']);
    const browser = browserProblems({ 'src/session/a.ts': ['src/pairing/b.ts'], 'src/pairing/b.ts': ['src/session/a.ts'], 'src/index.ts': ['src/session/a.ts'] });
    assert.equal(browser.length, 1);
    assert.match(browser[0] ?? '', /^src: src\/pairing ⇄ src\/session import each other/);
    assert.deepEqual(browserProblems({ 'src/a/x.ts': ['server/app.ts'] }), ['src/a/x.ts imports the server: server/app.ts']);
  });
});
