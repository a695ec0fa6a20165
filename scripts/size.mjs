#!/usr/bin/env node
// `npm run size`: gzip and brotli sizes of what a script tag costs, checked against the budgets of
// issues 7 and 22. The budgeted figure is what a returning visitor's page runs: the entry
// dist/ink-auth.min.js plus every chunk it imports statically, transitively (each file is its own
// response, so each is compressed on its own and the sizes add up), ≤ 12.5 KB gzip. Reported beside
// it without a budget: each lazy chunk (the acquisition a cold start adds, preloaded while the cache
// is read; what `mode="pairing"` adds), the v2 worker (started only for v2 challenges); the v1 worker (the WebAssembly SIMD kernel embedded, the JS kernel as
// its fallback) has its own ≤ 6 KB gzip budget. The module graph comes from esbuild parsing the emitted files, so a new chunk is counted where the page actually loads it.
// Exits 1, loudly, when a budget is exceeded or a file is missing (run `npm run build` first). Prints
// the `altcha` package's own widget bundle for context and merges the figures into
// bench/results.json under "size". `--check` (what `npm test` runs, as `npm run size:check`) checks
// the same budgets and writes no file.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const KB = 1024;
const ENTRY = 'dist/ink-auth.min.js';
const EAGER_GZIP_BUDGET = 12.5 * KB;
/** What each lazy chunk is for, by the source name in its file name (dist/ink-auth-<name>-<hash>.js). */
const LAZY_ROLES = {
  acquisition: 'a cold start adds (preloaded)',
  'user-session': 'a signed-in user adds',
  'pairing-mode': 'pairing mode adds',
};
/** The workers, with their gzip budget in bytes (`null`: reported, no budget). */
const workers = [
  { name: 'dist/pow.worker.js', gzipBudget: 6 * KB, note: 'WebAssembly SIMD kernel embedded, JS kernel as its fallback' },
  { name: 'dist/pow-v2.worker.js', gzipBudget: null, note: 'no budget: loaded only for v2 challenges' },
];
/** For context only: the altcha widget and its SHA worker as published. */
const context = ['node_modules/altcha/dist/main/altcha.min.js', 'node_modules/altcha/dist/workers/sha.js'];

function measure(name) {
  const bytes = readFileSync(path.join(root, name));
  return {
    file: name,
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

function total(label, measured) {
  const sum = (key) => measured.reduce((n, m) => n + m[key], 0);
  return { file: label, raw: sum('raw'), gzip: sum('gzip'), brotli: sum('brotli') };
}

/**
 * The emitted module graph from `entry`: every file reached, each with the repository-relative
 * files it imports and how (`import-statement` runs before the importer; `dynamic-import` on demand).
 */
async function moduleGraph(entry) {
  const result = await build({
    absWorkingDir: root,
    entryPoints: [entry],
    bundle: true,
    write: false,
    metafile: true,
    format: 'esm',
    platform: 'browser',
    logLevel: 'silent',
  });
  const graph = new Map();
  for (const [file, input] of Object.entries(result.metafile.inputs)) {
    graph.set(file, input.imports.filter((i) => !i.external).map((i) => ({ file: i.path, kind: i.kind })));
  }
  return graph;
}

/** `from` and everything it imports statically, transitively. */
function staticClosure(graph, from) {
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const edge of graph.get(file) ?? []) if (edge.kind === 'import-statement') visit(edge.file);
  };
  for (const file of from) visit(file);
  return seen;
}

const kb = (n) => `${(n / KB).toFixed(2)} KB`;
const row = (m, note = '') =>
  `${m.file.padEnd(46)} ${kb(m.raw).padStart(10)} ${kb(m.gzip).padStart(10)} ${kb(m.brotli).padStart(10)}  ${note}`;

const failures = [];
console.log(`${'file'.padEnd(46)} ${'raw'.padStart(10)} ${'gzip'.padStart(10)} ${'brotli'.padStart(10)}`);

let eager = null;
let lazy = null;
if (!existsSync(path.join(root, ENTRY))) {
  failures.push(`${ENTRY} is missing: run npm run build first`);
} else {
  const graph = await moduleGraph(ENTRY);
  const eagerFiles = staticClosure(graph, [ENTRY]);
  const dynamicTargets = [...new Set([...eagerFiles].flatMap((file) => (graph.get(file) ?? []).filter((e) => e.kind === 'dynamic-import').map((e) => e.file)))];

  const eagerMeasured = [...eagerFiles].map(measure);
  eager = { ...total('eager: a returning visitor runs', eagerMeasured), gzipBudget: EAGER_GZIP_BUDGET, files: eagerMeasured };
  for (const m of eagerMeasured) console.log(row(m, m.file === ENTRY ? 'entry' : 'imported by the entry'));
  const over = eager.gzip > EAGER_GZIP_BUDGET;
  if (over) failures.push(`the script tag's eager load is ${kb(eager.gzip)} gzip, over its ${kb(EAGER_GZIP_BUDGET)} budget by ${eager.gzip - EAGER_GZIP_BUDGET} bytes`);
  console.log(row(eager, `budget ${kb(EAGER_GZIP_BUDGET)} gzip: ${over ? 'OVER' : 'ok'}`));

  lazy = {};
  for (const target of dynamicTargets.sort()) {
    const name = path.basename(target).replace(/^ink-auth-/, '').replace(/-[A-Z0-9]+\.js$/, '');
    const role = LAZY_ROLES[name];
    if (!role) failures.push(`${target} is a lazy chunk size.mjs does not know (add it to LAZY_ROLES)`);
    const measured = [...staticClosure(graph, [target])].filter((file) => !eagerFiles.has(file)).map(measure);
    for (const m of measured) console.log(row(m, 'lazy (import())'));
    const chunk = { ...total(`lazy: ${role ?? name}`, measured), files: measured };
    console.log(row(chunk, 'no budget'));
    lazy[name] = chunk;
  }
}

const shippedWorkers = [];
for (const { name, gzipBudget, note } of workers) {
  if (!existsSync(path.join(root, name))) {
    failures.push(`${name} is missing: run npm run build first`);
    continue;
  }
  const m = { ...measure(name), gzipBudget };
  shippedWorkers.push(m);
  if (gzipBudget === null) {
    console.log(row(m, note));
    continue;
  }
  const over = m.gzip > gzipBudget;
  if (over) failures.push(`${name} is ${kb(m.gzip)} gzip, over its ${kb(gzipBudget)} budget by ${m.gzip - gzipBudget} bytes`);
  console.log(row(m, `budget ${kb(gzipBudget)} gzip: ${over ? 'OVER' : 'ok'}`));
}
const reference = context.filter((name) => existsSync(path.join(root, name))).map(measure);
for (const m of reference) console.log(row(m, '(altcha, for context)'));

// --check (CI) only judges the budgets; a full run records its figures in bench/results.json.
if (!process.argv.includes('--check')) {
  const resultsFile = path.join(root, 'bench/results.json');
  const results = existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, 'utf8')) : {};
  results.size = {
    date: new Date().toISOString(),
    eager,
    lazy,
    workers: shippedWorkers,
    context: reference,
    withinBudget: failures.length === 0,
  };
  writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
}

if (failures.length > 0) {
  console.error(`\nSIZE BUDGET FAILED:\n  ${failures.join('\n  ')}`);
  process.exitCode = 1;
}
