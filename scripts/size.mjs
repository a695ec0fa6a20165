#!/usr/bin/env node
// `npm run size`: gzip and brotli sizes of what a script tag costs, checked against the budgets of
// issue 7 (script-tag bundle ≤ 15 KB gzip, its v1 worker ≤ 4 KB gzip; the v2 worker, started only
// for v2 challenges, is reported without a budget). Exits 1, loudly, when a budget
// is exceeded or a file is missing (run `npm run build` first). Prints the `altcha` package's own
// widget bundle for context and merges the figures into bench/results.json under "size".
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));
const KB = 1024;

/** What ships, with its gzip budget in bytes (`null`: reported, no budget). */
const budgets = [
  { name: 'dist/ink-auth.min.js', gzipBudget: 15 * KB },
  { name: 'dist/pow.worker.js', gzipBudget: 4 * KB },
  { name: 'dist/pow-v2.worker.js', gzipBudget: null },
];
/** For context only: the altcha widget and its SHA worker as published. */
const context = ['node_modules/altcha/dist/main/altcha.min.js', 'node_modules/altcha/dist/workers/sha.js'];

function measure(name) {
  const bytes = readFileSync(root + name);
  return {
    file: name,
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

const kb = (n) => `${(n / KB).toFixed(2)} KB`;
const row = (m, note = '') =>
  `${m.file.padEnd(46)} ${kb(m.raw).padStart(10)} ${kb(m.gzip).padStart(10)} ${kb(m.brotli).padStart(10)}  ${note}`;

const failures = [];
const shipped = [];
console.log(`${'file'.padEnd(46)} ${'raw'.padStart(10)} ${'gzip'.padStart(10)} ${'brotli'.padStart(10)}`);
for (const { name, gzipBudget } of budgets) {
  if (!existsSync(root + name)) {
    failures.push(`${name} is missing: run npm run build first`);
    continue;
  }
  const m = { ...measure(name), gzipBudget };
  shipped.push(m);
  if (gzipBudget === null) {
    console.log(row(m, 'no budget: loaded only for v2 challenges'));
    continue;
  }
  const over = m.gzip > gzipBudget;
  if (over) failures.push(`${name} is ${kb(m.gzip)} gzip, over its ${kb(gzipBudget)} budget by ${m.gzip - gzipBudget} bytes`);
  console.log(row(m, `budget ${kb(gzipBudget)} gzip: ${over ? 'OVER' : 'ok'}`));
}
const reference = context.filter((name) => existsSync(root + name)).map(measure);
for (const m of reference) console.log(row(m, '(altcha, for context)'));

const resultsFile = `${root}bench/results.json`;
const results = existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, 'utf8')) : {};
results.size = { date: new Date().toISOString(), shipped, context: reference, withinBudget: failures.length === 0 };
writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);

if (failures.length > 0) {
  console.error(`\nSIZE BUDGET FAILED:\n  ${failures.join('\n  ')}`);
  process.exitCode = 1;
}
