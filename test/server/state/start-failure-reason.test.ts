// The reasons the server gives when its SQLite driver's native module does not load: real
// failures where Node can produce them here, Node's own message text where it cannot.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { startFailureReason } from '../../../server/state/start-failure.js';

const dir = mkdtempSync(join(tmpdir(), 'ink-auth-dlopen-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  assert.fail('expected a throw');
}

describe('startFailureReason: the SQLite driver does not load', () => {
  test('a native module that is not a library (real dlopen failure) names the driver and the rebuild', () => {
    const file = join(dir, 'better_sqlite3.node');
    writeFileSync(file, 'not an ELF file');
    const error = thrown(() => process.dlopen({ exports: {} }, file));
    assert.equal((error as { code?: string }).code, 'ERR_DLOPEN_FAILED');
    const reason = startFailureReason(error);
    assert.match(reason, /^the SQLite driver \(better-sqlite3\) could not be loaded .*npm rebuild better-sqlite3.*ERR_DLOPEN_FAILED$/);
    assert.ok(!reason.includes(dir), 'no path from the message');
  });

  test('a module built for another Node.js gives both ABI numbers and nothing else of the message', () => {
    // Node's text for an ABI mismatch (src/node_binding.cc); a real one needs a second Node's build.
    const error = Object.assign(
      new Error(
        `The module '${dir}/build/Release/better_sqlite3.node'\nwas compiled against a different Node.js version using\nNODE_MODULE_VERSION 115. This version of Node.js requires\nNODE_MODULE_VERSION 137. Please try re-compiling or re-installing\nthe module (for instance, using \`npm rebuild\` or \`npm install\`).`,
      ),
      { code: 'ERR_DLOPEN_FAILED' },
    );
    const reason = startFailureReason(error);
    assert.match(reason, /was built for another Node\.js \(NODE_MODULE_VERSION 115, this one needs 137\): run `npm rebuild better-sqlite3`/);
    assert.ok(!reason.includes(dir), 'no path from the message');
  });

  test('no build at all (the install script never ran: the real `bindings` error) says so', () => {
    const bindings = createRequire(createRequire(import.meta.url).resolve('better-sqlite3'))('bindings') as (options: object) => unknown;
    const error = thrown(() => bindings({ bindings: 'not-built.node', module_root: dir }));
    const reason = startFailureReason(error);
    assert.match(reason, /^the SQLite driver \(better-sqlite3\) is not built, its install script did not run: run `npm rebuild better-sqlite3`/);
    assert.ok(!reason.includes(dir), 'no path from the message');
  });

  test('other errors keep their codes', () => {
    assert.equal(startFailureReason(Object.assign(new Error('x'), { code: 'SQLITE_BUSY' })), 'the file is locked by another process, SQLITE_BUSY');
    assert.equal(startFailureReason(new TypeError('boom')), 'TypeError');
  });
});
