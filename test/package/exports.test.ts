// The package as a user's tooling resolves it: `ink-auth` and its subpaths through the exports
// map (the repository imports itself by name), and the entry imports without a DOM, as it does
// during server-side rendering in Next.js or Nuxt.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { before, describe, it } from 'node:test';
import { buildOnce, root } from './build.js';

before(() => buildOnce());

function resolved(specifier: string): string {
  return fileURLToPath(import.meta.resolve(specifier));
}

describe('package exports', () => {
  it('resolves the entry and the subpaths to built files', () => {
    assert.equal(resolved('ink-auth'), `${root}dist/lib/index.js`);
    assert.equal(resolved('ink-auth/ink-auth.min.js'), `${root}dist/ink-auth.min.js`);
    assert.equal(resolved('ink-auth/pow.worker.js'), `${root}dist/lib/pow/pow.worker.js`);
    assert.equal(resolved('ink-auth/pow-v2.worker.js'), `${root}dist/lib/pow/pow-v2.worker.js`);
    assert.equal(resolved('ink-auth/custom-elements.json'), `${root}custom-elements.json`);
    for (const specifier of ['ink-auth', 'ink-auth/ink-auth.min.js', 'ink-auth/pow.worker.js', 'ink-auth/pow-v2.worker.js']) {
      assert.ok(existsSync(resolved(specifier)), `${specifier} resolves to a missing file`);
    }
  });

  it('resolves every documented subpath to a built module with its declarations', () => {
    const documented: Record<string, string> = {
      'ink-auth/react': 'dist/lib/react/index.js',
      'ink-auth/pairing': 'dist/lib/pairing/index.js',
      'ink-auth/manage': 'dist/lib/manage/index.js',
    };
    for (const [specifier, file] of Object.entries(documented)) {
      assert.equal(resolved(specifier), `${root}${file}`, specifier);
      assert.ok(existsSync(`${root}${file.replace(/\.js$/, '.d.ts')}`), `${specifier} has no declarations`);
    }
  });

  it('does not expose internal modules', () => {
    assert.throws(() => import.meta.resolve('ink-auth/dist/lib/session/session.js'), { code: 'ERR_PACKAGE_PATH_NOT_EXPORTED' });
    assert.throws(() => import.meta.resolve('ink-auth/src/index.ts'), { code: 'ERR_PACKAGE_PATH_NOT_EXPORTED' });
  });

  it('imports without a DOM and exposes the public API', async () => {
    assert.equal(typeof (globalThis as { customElements?: unknown }).customElements, 'undefined');
    // A variable specifier: the type checker runs before the build, when dist/ may not exist yet.
    const packageName: string = 'ink-auth';
    const api = (await import(packageName)) as Record<string, unknown>;
    for (const name of ['InkAuthProvider', 'InkAuthError', 'authContext', 'AuthController', 'authFetch', 'configurePowWorker']) {
      assert.ok(name in api, `ink-auth does not export ${name}`);
    }
    const { InkAuthError } = api as { InkAuthError: new (code: string, detail: string) => Error & { code: string } };
    const error = new InkAuthError('missing_app_id', 'The app-id attribute is required.');
    assert.equal(error.code, 'missing_app_id');
    assert.ok(error instanceof Error);
  });

  it('imports ink-auth/pairing, ink-auth/manage and ink-auth/react without a DOM', async () => {
    // Last: Lit's Node build (which the pairing form loads) installs a customElements shim.
    const expected: Record<string, string[]> = {
      'ink-auth/pairing': ['InkPairingCodeForm', 'createPairingChallenge', 'exchangePairingCode', 'PairingSession'],
      'ink-auth/manage': ['createManageClient', 'paginate', 'InkAuthError'],
      'ink-auth/react': ['InkAuthProvider', 'InkPairingCodeForm'],
    };
    for (const [specifier, names] of Object.entries(expected)) {
      const api = (await import(specifier)) as Record<string, unknown>;
      for (const name of names) assert.ok(name in api, `${specifier} does not export ${name}`);
    }
  });
});
