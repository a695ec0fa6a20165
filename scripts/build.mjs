#!/usr/bin/env node
// `npm run build`: everything that ships, into dist/ (plus custom-elements.json at the root).
//   dist/ink-auth.min.js   ES module for <script type="module">: Lit and every dependency bundled,
//                          minified, no bare import; everything a returning visitor runs, in this
//   dist/ink-auth-*.js     one file (scripts/script-tag-build.mjs); the network acquisition
//                          (preloaded while the cache is read) and pairing mode in lazy files
//                          beside it, found relative to the entry's URL (a CDN path works; no
//                          blob:, no eval)
//   dist/pow.worker.js     its PoW worker (v1, the hash kernel only), found beside it via
//                          new URL(…, import.meta.url); dist/pow-v2.worker.js for v2 challenges
//   dist/lib/**            the npm package: one ESM file per source file, dependencies external,
//                          .d.ts beside each; dist/lib/pow/pow*.worker.js are self-contained
//                          because bundlers copy it as an asset without resolving its imports
//   dist/types/*.d.ts      JSX/template typings for React and Vue generated from the manifest
//                          (scripts/framework-typings.mjs; exports ./react, ./vue)
//   custom-elements.json   Custom Elements Manifest from the element's JSDoc
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { generateFrameworkTypings } from './framework-typings.mjs';
import { buildWasmKernel } from './build-wasm.mjs';
import { buildScriptTag as buildScriptTagFiles } from './script-tag-build.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = path.join(root, 'src');
const dist = path.join(root, 'dist');
const WORKERS = { 'pow.worker': 'pow/pow.worker.ts', 'pow-v2.worker': 'pow/pow-v2.worker.ts' };

const common = {
  absWorkingDir: root,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  tsconfig: path.join(root, 'tsconfig.browser.json'),
  logLevel: 'warning',
};

/** Every library source file (relative to src/), declarations excluded. */
function librarySources() {
  return readdirSync(src, { recursive: true, encoding: 'utf8' })
    .map((file) => file.split(path.sep).join('/'))
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
    .sort();
}

/** The script-tag build: one minified entry, lazy chunks and workers beside it. */
async function buildScriptTag() {
  await buildScriptTagFiles({ root, outdir: dist, common });
  await buildWorker(dist, true);
}

/** A self-contained module worker: a Worker's bare imports are never resolved for it. */
async function buildWorker(outdir, minify, sourcemap = minify) {
  await build({
    ...common,
    entryPoints: Object.fromEntries(Object.entries(WORKERS).map(([name, file]) => [name, `src/${file}`])),
    outdir,
    bundle: true,
    minify,
    sourcemap: sourcemap ? 'linked' : false,
  });
}

/** The npm package: ESM per source file, bare imports left for the user's bundler. */
async function buildLibrary(files) {
  const lib = path.join(dist, 'lib');
  await build({
    ...common,
    entryPoints: files.filter((file) => !Object.values(WORKERS).includes(file)).map((file) => `src/${file}`),
    outbase: 'src',
    outdir: lib,
    bundle: false,
  });
  // Minified like the script-tag workers (bundlers copy them as assets and do not minify them),
  // without a source map: a bundler that copies the worker would leave its .map behind.
  await buildWorker(path.join(lib, 'pow'), true, false);
}

function run(label, command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`build: ${label} failed (exit ${result.status ?? result.signal})`);
}

async function main() {
  const started = performance.now();
  rmSync(dist, { recursive: true, force: true });
  // The v1 worker embeds the WebAssembly SIMD kernel: compile it from its AssemblyScript source first.
  await buildWasmKernel();
  await buildScriptTag();
  await buildLibrary(librarySources());
  run('declarations (tsc -p tsconfig.build.json)', process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json']);
  run('custom-elements.json (cem analyze)', process.execPath, [
    path.join(root, 'node_modules/@custom-elements-manifest/analyzer/cem.js'),
    'analyze',
    '--config',
    'custom-elements-manifest.config.mjs',
  ]);
  generateFrameworkTypings(root);
  console.log(`build: dist/ and custom-elements.json in ${Math.round(performance.now() - started)} ms`);
}

main().catch((error) => {
  // esbuild and tsc have already printed the details.
  console.error(`build failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  process.exit(1);
});
