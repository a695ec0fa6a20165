// `npx tsx bench/trace.ts`: Chromium Performance traces (CDP Tracing, what DevTools records) of
// the time-to-token warm-start page (bench/time-to-token/page.ts: the element in the page's first
// script, then ink-auth.min.js) against loopback reference servers, and a table of the page's
// main-thread tasks of at least --min ms with what is inside each (self time per kind of work).
//
// Per run, each in its own tab: a first visit (a fresh browser context: empty IndexedDB, storage
// and HTTP cache) with PoW at 50 000, a warm visit (a new tab of that context: the session in
// IndexedDB), the bare page without the bundle (its own IndexedDB read: what the browser costs
// alone), and a first visit at 1 000 000.
// Usage: tsx bench/trace.ts [--runs=5] [--min=16] [--samples] [--keep=DIR]
//   --samples  adds V8's CPU profiler and names the JavaScript inside each task by source file
//              (through dist/*.map); the profiler slows the page, so durations run higher
//   --keep     writes each trace as DIR/<scenario>-<run>.json (open it in DevTools › Performance)
// Needs dist/ (npm run build).
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { SourceMap } from 'node:module';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Browser, BrowserContext } from 'puppeteer-core';
import { launchBrowser } from './pow/browsers.js';
import { serveDirectory } from './pow/serve.js';
import { buildTimeToTokenPage } from './time-to-token/page.js';
import { startBenchServer, type BenchServer } from './time-to-token/servers.js';
import { findPageThread, mainThreadTasks, type MainTask, type SourceOf, type TraceEvent } from './trace/analyse.js';

const { values: args } = parseArgs({ options: { runs: { type: 'string', default: '5' }, min: { type: 'string', default: '16' }, samples: { type: 'boolean', default: false }, keep: { type: 'string' } } });
const RUNS = Number(args.runs);
const MIN_MS = Number(args.min);
const LONG_MS = 50;
/** After ready, the trace goes on this long (the cache write, the workers' end, an idle GC). */
const SETTLE_MS = 500;
const CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'v8.execute',
  'v8',
  'toplevel',
  'blink.user_timing',
  'blink',
  'fonts',
  'disabled-by-default-v8.gc',
  'disabled-by-default-v8.compile',
  ...(args.samples ? ['disabled-by-default-v8.cpu_profiler'] : []),
];

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const maps = new Map<string, SourceMap | null>();
/** The original source of a position in a dist/ file, as `src/…` or the npm package's name. */
const sourceOf: SourceOf = (url, line, column) => {
  const file = new URL(url).pathname.split('/').pop() ?? '';
  if (!maps.has(file)) maps.set(file, existsSync(join(dist, `${file}.map`)) ? new SourceMap(JSON.parse(readFileSync(join(dist, `${file}.map`), 'utf8'))) : null);
  const source = (maps.get(file)?.findEntry(line, column) as { originalSource?: string } | undefined)?.originalSource;
  if (!source) return null;
  const npm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source);
  return npm ? npm[1]! : source.replace(/^(\.\.\/)+/, '');
};

interface Scenario {
  name: 'first-50k' | 'warm' | 'bare' | 'first-1m';
  label: string;
}
const SCENARIOS: Scenario[] = [
  { name: 'first-50k', label: 'first visit, PoW 50 000' },
  { name: 'warm', label: 'warm visit (session in IndexedDB)' },
  { name: 'bare', label: 'bare page: its own IndexedDB read, no bundle' },
  { name: 'first-1m', label: 'first visit, PoW 1 000 000' },
];

interface Traced {
  scenario: Scenario;
  run: number;
  load: number;
  /** first script → ready (or → the bare page's IndexedDB read), ms */
  readyMs: number;
  tasks: MainTask[];
}

const fmt = (ms: number) => ms.toFixed(1);

/** Loads `url` in a new tab of `context` under a trace; the page sets globalThis.inkWarm when done. */
async function traceLoad(context: BrowserContext, url: string, keepAs: string): Promise<{ events: TraceEvent[]; readyMs: number }> {
  const page = await context.newPage();
  let done: { readyMs: number | null; idbReadMs: number | null } | null = null;
  await page.tracing.start({ categories: CATEGORIES });
  try {
    await page.goto(url);
    await page.waitForFunction('globalThis.inkWarm !== undefined', { timeout: 60_000 });
    done = await page.evaluate(() => (globalThis as unknown as { inkWarm: { readyMs: number | null; idbReadMs: number | null } }).inkWarm);
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  } finally {
    const trace = await page.tracing.stop();
    await page.close();
    if (trace && args.keep) await writeFile(join(args.keep, `${keepAs}.json`), trace);
    if (trace && done) return { events: (JSON.parse(Buffer.from(trace).toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents, readyMs: done.readyMs ?? done.idbReadMs ?? NaN };
  }
  throw new Error(`${url}: no trace`);
}

function printRun(t: Traced): void {
  console.log(`\n${t.scenario.label} · run ${t.run} · ready ${fmt(t.readyMs)} ms after the first script · load average ${t.load}`);
  if (t.tasks.length === 0) return console.log(`  no main-thread task ≥ ${MIN_MS} ms`);
  console.log(`  ${'at'.padStart(6)} ${'task'.padStart(6)} ${'cpu'.padStart(5)}     ${'from'.padEnd(26)} inside: self time ms (cpu ms), parts ≥ 0.5 ms`);
  for (const task of t.tasks) {
    const parts = task.parts.filter((p) => p.ms >= 0.5).map((p) => `${p.what} ${fmt(p.ms)} (${fmt(p.cpu)})`).join(' · ');
    const flag = task.ms >= LONG_MS ? '≥50' : '';
    console.log(`  ${fmt(task.start).padStart(6)} ${fmt(task.ms).padStart(6)} ${fmt(task.cpu).padStart(5)} ${flag.padEnd(3)} ${task.from.slice(0, 26).padEnd(26)} ${parts}`);
    if (task.js && task.js.length > 0) console.log(`  ${''.padStart(50)} JS samples: ${task.js.filter((j) => j.ms >= 0.5).slice(0, 6).map((j) => `${j.source} ${fmt(j.ms)}`).join(' · ')}`);
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const outdir = await buildTimeToTokenPage();
const site = await serveDirectory(outdir);
const servers: BenchServer[] = [];
const traced: Traced[] = [];
let browser: Browser | null = null;
try {
  if (args.keep) await mkdir(args.keep, { recursive: true });
  const [small, big] = await Promise.all([startBenchServer(50_000), startBenchServer(1_000_000)]);
  servers.push(small, big);
  const pageUrl = (file: string, mode: string, server: BenchServer) =>
    new URL(`${file}?mode=${mode}&app=${encodeURIComponent(server.appId)}&base=${encodeURIComponent(server.server.url)}`, site.url).href;
  browser = await launchBrowser('chromium');
  console.log(`${(await browser.version())}, ${RUNS} runs, tasks ≥ ${MIN_MS} ms of the page's renderer main thread${args.samples ? ', with CPU samples' : ''}`);
  for (let run = 1; run <= RUNS; run++) {
    const visited = await browser.createBrowserContext();
    const fresh = await browser.createBrowserContext();
    try {
      const loads: [Scenario, BrowserContext, string][] = [
        [SCENARIOS[0]!, visited, pageUrl('warm.html', 'ready', small)],
        [SCENARIOS[1]!, visited, pageUrl('warm.html', 'ready', small)],
        [SCENARIOS[2]!, visited, pageUrl('floor.html', 'idb', small)],
        [SCENARIOS[3]!, fresh, pageUrl('warm.html', 'ready', big)],
      ];
      for (const [scenario, context, url] of loads) {
        const load = Math.round(loadavg()[0]! * 100) / 100;
        const { events, readyMs } = await traceLoad(context, url, `${scenario.name}-${run}`);
        const thread = findPageThread(events, url, 'warm.js');
        const t: Traced = { scenario, run, load, readyMs, tasks: mainThreadTasks(events, thread, MIN_MS, args.samples ? sourceOf : undefined) };
        traced.push(t);
        printRun(t);
      }
    } finally {
      await visited.close();
      await fresh.close();
    }
  }
} finally {
  await browser?.close();
  await Promise.all(servers.map((s) => s.server.close()));
  await site.close();
  await rm(outdir, { recursive: true, force: true });
}

console.log(`\nSummary (${RUNS} runs; main-thread tasks of the page's renderer; wall ms, cpu = the thread's CPU time):`);
for (const scenario of SCENARIOS) {
  const runs = traced.filter((t) => t.scenario === scenario);
  const all = runs.flatMap((t) => t.tasks);
  const top = (key: 'ms' | 'cpu') => all.reduce<MainTask | null>((a, b) => (a && a[key] >= b[key] ? a : b), null);
  const describe = (t: MainTask | null) => (t ? `${fmt(t.ms)} ms, cpu ${fmt(t.cpu)} (${t.from}: ${t.parts.slice(0, 3).map((p) => `${p.what} ${fmt(p.ms)}`).join(', ')})` : '–');
  console.log(`  ${scenario.label}: ready median ${fmt(median(runs.map((t) => t.readyMs)))} ms · tasks ≥ ${MIN_MS} ms per run: ${runs.map((t) => t.tasks.length).join(', ')} · ≥ ${LONG_MS} ms: ${all.filter((t) => t.ms >= LONG_MS).length} (cpu ≥ ${LONG_MS} ms: ${all.filter((t) => t.cpu >= LONG_MS).length})`);
  console.log(`    longest ${describe(top('ms'))}`);
  console.log(`    most CPU ${describe(top('cpu'))}`);
}
