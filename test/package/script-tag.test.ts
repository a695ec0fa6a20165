// The script-tag build as a page loads it: dist/ink-auth.min.js and every chunk beside it are
// plain ES modules with relative imports only (no bare specifier a browser could not resolve, no
// blob: or data: module, no eval), the eager code is the entry plus the chunks it imports
// statically, pairing mode arrives through import() in a chunk of its own, and each chunk is
// packed. The import graph is read by esbuild from the emitted files, not by pattern matching.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { build } from 'esbuild';
import type { ImportKind } from 'esbuild';
import { buildOnce, root } from './build.js';

interface ImportEdge {
  importer: string;
  specifier: string;
  kind: ImportKind;
}

const ENTRY = 'dist/ink-auth.min.js';
const WORKERS = ['dist/pow.worker.js', 'dist/pow-v2.worker.js'];

/** Every import (static, dynamic, re-export) written in `file` and the files it reaches, as written. */
async function importsFrom(file: string): Promise<ImportEdge[]> {
  const edges: ImportEdge[] = [];
  await build({
    absWorkingDir: root,
    entryPoints: [file],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    logLevel: 'silent',
    plugins: [
      {
        name: 'record-imports',
        setup(builder) {
          builder.onResolve({ filter: /./ }, (args) => {
            if (args.kind === 'entry-point') return undefined;
            edges.push({ importer: path.relative(root, args.importer), specifier: args.path, kind: args.kind });
            // Follow relative imports into the emitted files; keep everything else out, recorded.
            return args.path.startsWith('./') || args.path.startsWith('../') ? undefined : { path: args.path, external: true };
          });
        },
      },
    ],
  });
  return edges;
}

/** The repository-relative file a relative specifier names from its importer. */
function target(edge: ImportEdge): string {
  return path.posix.join(path.posix.dirname(edge.importer), edge.specifier);
}

/** The files the entry runs before anything else: itself and its static imports, transitively. */
function eagerFiles(edges: ImportEdge[]): Set<string> {
  const eager = new Set([ENTRY]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const edge of edges) {
      if (edge.kind !== 'import-statement' || !eager.has(edge.importer) || eager.has(target(edge))) continue;
      eager.add(target(edge));
      grew = true;
    }
  }
  return eager;
}

let edges: ImportEdge[];
let scriptTagFiles: string[];

before(async () => {
  buildOnce();
  scriptTagFiles = readdirSync(path.join(root, 'dist'))
    .filter((name) => name.endsWith('.js'))
    .map((name) => `dist/${name}`)
    .sort();
  edges = await importsFrom(ENTRY);
});

describe('script-tag build', () => {
  it('has no bare import (nor blob:, data:, http:) in any emitted .js file beside the entry', async () => {
    for (const file of scriptTagFiles) {
      for (const edge of await importsFrom(file)) {
        assert.ok(
          edge.specifier.startsWith('./') || edge.specifier.startsWith('../'),
          `${edge.importer} imports ${JSON.stringify(edge.specifier)} (${edge.kind}): a page cannot resolve it`,
        );
      }
    }
  });

  it('imports only files that exist in dist/ and are packed with it', () => {
    const files = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { files: string[] }).files;
    assert.ok(edges.length > 0, 'the entry imports nothing: was the build split?');
    for (const edge of edges) {
      const file = target(edge);
      assert.ok(file.startsWith('dist/') && !file.startsWith('dist/lib/'), `${edge.importer} reaches outside the script-tag build: ${file}`);
      assert.ok(existsSync(path.join(root, file)), `${edge.importer} imports ${edge.specifier}, which was not emitted`);
      assert.ok(files.some((entry) => file === entry || file.startsWith(`${entry.replace(/\/$/, '')}/`)), `${file} is not in package.json "files"`);
    }
  });

  it('loads pairing mode lazily: its code is only in a chunk reached through import()', () => {
    const eager = eagerFiles(edges);
    const lazy = edges.filter((edge) => edge.kind === 'dynamic-import').map(target);
    assert.ok(lazy.length > 0, 'no import() in the eager code');
    for (const file of lazy) assert.ok(!eager.has(file), `${file} is loaded both eagerly and lazily`);
    const pairingChunk = lazy.find((file) => readFileSync(path.join(root, file), 'utf8').includes('ink-pairing-code-form'));
    assert.ok(pairingChunk, 'no lazy chunk defines <ink-pairing-code-form>');
    for (const file of eager) {
      const code = readFileSync(path.join(root, file), 'utf8');
      assert.ok(!code.includes('customElements.define("ink-pairing-code-form"'), `${file} (eager) defines the pairing form`);
    }
  });

  it('keeps the eager code whole: the anonymous page loads the entry and one chunk, not a pile', () => {
    const eager = eagerFiles(edges);
    assert.ok(eager.size <= 2, `the anonymous page loads ${eager.size} files: ${[...eager].join(', ')}`);
  });

  it('uses no eval or Function constructor, so a CSP without unsafe-eval runs it', () => {
    for (const file of [...scriptTagFiles]) {
      const code = readFileSync(path.join(root, file), 'utf8');
      assert.doesNotMatch(code, /\beval\s*\(|\bnew Function\s*\(/, `${file} evaluates strings`);
    }
  });

  it('keeps the licence notices of what it bundles, in the files its chunks name', () => {
    for (const file of scriptTagFiles) {
      const code = readFileSync(path.join(root, file), 'utf8');
      for (const [, notice] of code.matchAll(/For license information please see (\S+) \*\//g)) {
        const legal = path.join(root, 'dist', notice!);
        assert.ok(existsSync(legal), `${file} names ${notice}, which was not emitted`);
        assert.match(readFileSync(legal, 'utf8'), /@license/, `${notice} holds no licence`);
      }
    }
    const core = scriptTagFiles.map((file) => readFileSync(path.join(root, file), 'utf8')).find((code) => code.includes('reactiveElementVersions'));
    assert.ok(core, 'no chunk bundles Lit');
    assert.match(core, /For license information please see /, 'the chunk bundling Lit names no licence file');
  });

  it('the workers import nothing', async () => {
    for (const file of WORKERS) assert.deepEqual(await importsFrom(file), [], `${file} imports other modules`);
  });
});
