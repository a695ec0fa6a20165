// `npm run bench:pow`: proof-of-work solver throughput in headless browsers, beside Node's native SHA-256.
// Usage: tsx bench/pow.ts [--browsers=chromium,firefox] [--seconds=1.5] [--runs=5]
import { parseArgs } from 'node:util';
import { createHash, randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { rm } from 'node:fs/promises';
import { buildBenchPage } from './pow/build.js';
import { runInBrowser, type BenchBrowser } from './pow/browsers.js';
import { measureNativeCompressionRate, measureNativeRate } from './pow/native.js';
import { mergeResults } from './pow/results.js';
import { serveDirectory } from './pow/serve.js';
import { summarise, formatTable } from './pow/summary.js';
import type { BenchPlan, BrowserReport } from './pow/protocol.js';

const { values: args } = parseArgs({ options: { browsers: { type: 'string', default: 'chromium,firefox' }, seconds: { type: 'string', default: '1.5' }, runs: { type: 'string', default: '5' } } });

const browsers = args.browsers.split(',').map((b) => b.trim()) as BenchBrowser[];
const secondsPerRun = Number(args.seconds);
const runs = Number(args.runs);

// A hosted-style v1 salt: 12 random bytes as hex plus the expiry parameter.
const salt = `${randomBytes(12).toString('hex')}?expires=${Math.floor(Date.now() / 1000) + 3600}&`;
const start = 10_000;
const hitNumber = start + 777_777;
const hex = (s: string): string => createHash('sha256').update(s).digest('hex');
const plan: BenchPlan = {
  salt,
  missChallenge: hex(`${salt}miss`),
  hitChallenge: hex(salt + hitNumber),
  hitNumber,
  start,
  secondsPerRun,
  runs,
};

const loadAverageAtStart = Math.round((loadavg()[0] ?? 0) * 100) / 100;
// Node's rates before and after the browsers; the better of the two is the reference (on a busy
// machine this favours Node, so the browsers' ratios to it are conservative).
const nativeBefore = { perCall: measureNativeRate(salt, start, secondsPerRun), compressions: measureNativeCompressionRate(secondsPerRun) };
const outdir = await buildBenchPage();
const server = await serveDirectory(outdir);
const reports: Partial<Record<BenchBrowser, BrowserReport | { error: string }>> = {};
try {
  for (const name of browsers) {
    try {
      reports[name] = await runInBrowser(name, server.url, plan);
      const { hitFound, hitFoundJs } = reports[name] as BrowserReport;
      if (hitFound !== hitNumber) throw new Error(`${name}: the WebAssembly SIMD pool found ${hitFound}, expected ${hitNumber}`);
      if (hitFoundJs !== hitNumber) throw new Error(`${name}: the JS kernel pool found ${hitFoundJs}, expected ${hitNumber}`);
    } catch (error) {
      reports[name] = { error: error instanceof Error ? error.message : String(error) };
    }
  }
} finally {
  await server.close();
  await rm(outdir, { recursive: true, force: true });
}
const native = {
  perCall: Math.max(nativeBefore.perCall, measureNativeRate(salt, start, secondsPerRun)),
  compressions: Math.max(nativeBefore.compressions, measureNativeCompressionRate(secondsPerRun)),
};

const summary = summarise(reports, native, {
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model ?? 'unknown',
  node: process.version,
  saltBytes: Buffer.byteLength(salt),
  loadAverageAtStart,
});
console.log(formatTable(summary));
const resultsFile = fileURLToPath(new URL('./results.json', import.meta.url));
await mergeResults(resultsFile, 'pow', summary);
console.log(`\nwritten: ${resultsFile} (key "pow")`);
const failed = Object.entries(reports).filter(([, r]) => r !== undefined && 'error' in r);
if (failed.some(([name]) => name === 'chromium')) process.exitCode = 1;
