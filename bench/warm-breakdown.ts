// `npx tsx bench/warm-breakdown.ts`: where a warm start's time goes, from the page's first script
// to `ready`, in headless Chromium and Firefox. The time-to-token warm page (the element in the
// page, then ink-auth.min.js; bench/time-to-token/page.ts) gets a first script that notes when the
// entry is fetched and evaluated, the element defined and upgraded, Lit's first update, the tab
// channel, the localStorage hint, the IndexedDB open and read, and `ink-auth-change`
// (bench/time-to-token/browser/probe.ts). Columns, loaded in turn in one tab, run after run:
//   floor     the same page without the bundle: its own bare IndexedDB read of the session
//   A         the entry as bench:ttt serves it (no cache headers: fetched and compiled every load)
//   A cached  the same files under /cached/, served with Cache-Control: max-age=3600 as a CDN
//             serves a versioned bundle (a returning visitor's HTTP and code caches apply)
//   B, B cached  with --alt-dist: the same for a second build, e.g. a patched copy's dist/;
//             --alt-dist=bench/warm-breakdown: a 10-line module that only reads the record (what
//             loading any module costs)
// Usage: tsx bench/warm-breakdown.ts [--browsers=chromium,firefox] [--runs=15] [--alt-dist=DIR] [--gecko-profile]
//   --gecko-profile  Firefox runs under its own profiler (markers and CPU, no stack sampling),
//                    which adds per load: the entry's download end, compile and evaluation
// Needs dist/ (npm run build). Loopback only; prints medians (Firefox with its timer precision
// reduction off, so its clock reads below 1 ms).
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Browser, Page } from 'puppeteer-core';
import { bundlePageScripts } from './page-bundle.js';
import { launchBrowser, type BenchBrowser } from './pow/browsers.js';
import { serveDirectory } from './pow/serve.js';
import { buildTimeToTokenPage } from './time-to-token/page.js';
import { startBenchServer } from './time-to-token/servers.js';
import { geckoLoads, geckoProfilerEnv, type GeckoLoad } from './trace/gecko.js';

const { values: args } = parseArgs({
  options: { browsers: { type: 'string', default: 'chromium,firefox' }, runs: { type: 'string', default: '15' }, 'alt-dist': { type: 'string' }, 'gecko-profile': { type: 'boolean', default: false } },
});
const browsers = args.browsers.split(',').map((b) => b.trim()) as BenchBrowser[];
const RUNS = Number(args.runs);
const here = fileURLToPath(new URL('.', import.meta.url));
const SHIPPED = /^(ink-auth[\w.-]*|pow(-v2)?\.worker)\.js$/;

/** One page load: the probe's marks (ms from the first script) and warm.js's own figure. */
interface Load {
  marks: Record<string, number>;
  entryBytesOverNetwork: number | null;
  readyMs: number | null;
  idbReadMs: number | null;
}
interface Variant {
  name: string;
  file: string;
  /** Path of the entry module this page loads (null: the floor page). */
  entry: string | null;
}

const html = (entry: string | null) =>
  '<!doctype html><meta charset="utf-8"><title>ink-auth warm breakdown</title><body>' +
  `<script src="/probe.js"></script><script src="/warm.js"></script>${entry ? `<script type="module" src="${entry}"></script>` : ''}\n`;

/** Copies the shipped files (entry, chunks, workers) of `from` into `to`. */
async function copyShipped(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const file of (await readdir(from)).filter((f) => SHIPPED.test(f))) await copyFile(join(from, file), join(to, file));
}

const median = (xs: (number | null | undefined)[]) => {
  const s = xs.filter((x): x is number => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const fmt = (ms: number) => (Number.isFinite(ms) ? ms.toFixed(1) : '–');
const load1 = () => Math.round(loadavg()[0]! * 100) / 100;

/** Spans of a warm start, each from one mark to another (ms); '' is the first script. */
const SPANS: [string, string, string][] = [
  ['first script → entry evaluation starts (download, compile)', '', 'entry evaluation starts'],
  ['  the entry download ends (negative: before the first script)', '', 'entry fetched'],
  ['entry evaluation (Lit, the library) up to customElements.define', 'entry evaluation starts', 'define + upgrade called'],
  ['define + upgrade (constructor, connectedCallback)', 'define + upgrade called', 'define + upgrade returned'],
  ['→ Lit first update (<slot>)', 'define + upgrade returned', 'first update (<slot>)'],
  ['→ indexedDB.open called (session built: tab channel, hint read)', 'first update (<slot>)', 'indexedDB.open called'],
  ['indexedDB.open → success', 'indexedDB.open called', 'indexedDB.open success'],
  ['open success → store.get called', 'indexedDB.open success', 'store.get called'],
  ['store.get → success', 'store.get called', 'store.get success'],
  ['get success → ready (token decoded, hint written, event)', 'store.get success', 'ink-auth-change ready'],
  ['first script → ready', '', 'ink-auth-change ready'],
  ['first script → the bare read done (floor)', '', 'store.get success'],
];

const GECKO_ROWS: [string, (g: GeckoLoad) => number | null][] = [
  ['entry download ends', (g) => g.entryFetched],
  ['compile starts', (g) => g.compileStart],
  ['compile ends', (g) => g.compileEnd],
  ['compile (ms)', (g) => (g.compileEnd === null || g.compileStart === null ? null : g.compileEnd - g.compileStart)],
  ['module evaluation starts', (g) => g.evaluationStart],
  ['module evaluation (ms)', (g) => (g.evaluationEnd === null || g.evaluationStart === null ? null : g.evaluationEnd - g.evaluationStart)],
  ['ready (last ink-auth-change)', (g) => g.ready],
  ['main-thread CPU, first script → ready (ms)', (g) => g.mainCpuMs],
];

async function closeGracefully(browser: Browser): Promise<void> {
  // browser.close() kills Firefox once its BiDi close returns, before the profile is written:
  // ask Firefox itself to quit, and wait for it.
  const process = browser.process();
  const exited = process ? new Promise((resolve) => process.once('exit', resolve)) : Promise.resolve();
  await (browser as unknown as { connection: { send(method: string, params: object): Promise<unknown> } }).connection.send('browser.close', {}).catch(() => undefined);
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 120_000))]);
  await browser.close().catch(() => undefined);
}

const outdir = await buildTimeToTokenPage();
const scratch = await mkdtemp(join(tmpdir(), 'ink-auth-profile-'));
const site = await serveDirectory(outdir, 'cached');
const server = await startBenchServer(null);
try {
  await bundlePageScripts({ probe: join(here, 'time-to-token/browser/probe.ts') }, outdir);
  await copyShipped(outdir, join(outdir, 'cached'));
  const variants: Variant[] = [
    { name: 'floor', file: 'p-floor.html', entry: null },
    { name: 'A', file: 'p-a.html', entry: '/ink-auth.min.js' },
    { name: 'A cached', file: 'p-a-cached.html', entry: '/cached/ink-auth.min.js' },
  ];
  if (args['alt-dist']) {
    await copyShipped(args['alt-dist'], join(outdir, 'b'));
    await copyShipped(args['alt-dist'], join(outdir, 'cached', 'b'));
    variants.push({ name: 'B', file: 'p-b.html', entry: '/b/ink-auth.min.js' }, { name: 'B cached', file: 'p-b-cached.html', entry: '/cached/b/ink-auth.min.js' });
  }
  for (const v of variants) await writeFile(join(outdir, v.file), html(v.entry));

  const open = async (tab: Page, v: Variant): Promise<Load> => {
    const query = `mode=${v.entry ? 'ready' : 'idb'}&app=${encodeURIComponent(server.appId)}&base=${encodeURIComponent(server.server.url)}`;
    await tab.goto(new URL(`${v.file}?${query}`, site.url).href);
    await tab.waitForFunction('globalThis.inkWarm !== undefined', { timeout: 60_000 });
    return tab.evaluate(() => {
      const g = globalThis as unknown as { inkProbe(): Omit<Load, 'readyMs' | 'idbReadMs'>; inkWarm: { readyMs: number | null; idbReadMs: number | null } };
      return { ...g.inkProbe(), ...g.inkWarm };
    });
  };

  for (const name of browsers) {
    const profileFile = join(scratch, `${name}.json`);
    const profiling = args['gecko-profile'] && name === 'firefox';
    const browser = await launchBrowser(name, {
      firefoxPrefs: { 'privacy.reduceTimerPrecision': false },
      ...(profiling ? { env: { ...process.env, ...geckoProfilerEnv(profileFile) } } : {}),
    });
    const loads: Record<string, Load[]> = Object.fromEntries(variants.map((v) => [v.name, []]));
    const atStart = load1();
    try {
      const tab = await browser.newPage();
      // One cold start (PoW off) leaves the session in IndexedDB; one load of each page fills
      // the caches; every load after that is a returning visitor's.
      for (const v of [variants[1]!, ...variants]) await open(tab, v);
      for (let run = 0; run < RUNS; run++) {
        // Rotated, so no column always follows the same one.
        for (let i = 0; i < variants.length; i++) {
          const v = variants[(run + i) % variants.length]!;
          loads[v.name]!.push(await open(tab, v));
        }
      }
    } finally {
      if (profiling) await closeGracefully(browser);
      else await browser.close();
    }
    console.log(`\n${name} · ${RUNS} loads per column · medians, ms from the page's first script · load average ${atStart} → ${load1()}`);
    console.log(`  ${''.padEnd(66)}${variants.map((v) => v.name.padStart(10)).join('')}`);
    for (const [label, from, to] of SPANS) {
      const cells = variants.map((v) => median(loads[v.name]!.map((l) => (l.marks[to] ?? NaN) - (from ? (l.marks[from] ?? NaN) : 0))));
      console.log(`  ${label.padEnd(66)}${cells.map((c) => fmt(c).padStart(10)).join('')}`);
    }
    const bytes = variants.map((v) => median(loads[v.name]!.map((l) => l.entryBytesOverNetwork)));
    console.log(`  ${'entry bytes over the network (0: from the HTTP cache)'.padEnd(66)}${bytes.map((b) => (Number.isFinite(b) ? String(b) : '–').padStart(10)).join('')}`);
    const warmJs = variants.map((v) => median(loads[v.name]!.map((l) => (v.entry ? l.readyMs : l.idbReadMs))));
    console.log(`  ${'warm.js, second script: → ready / → bare read (as bench:ttt)'.padEnd(66)}${warmJs.map((c) => fmt(c).padStart(10)).join('')}`);
    if (profiling) {
      const profile = JSON.parse(await readFile(profileFile, 'utf8')) as Parameters<typeof geckoLoads>[0];
      const all = geckoLoads(profile, 'ink-auth.min.js');
      // The measured loads are the last ones of each page (the first were the warm-up).
      const per = (v: Variant) => all.filter((g) => g.entry === v.entry).slice(-RUNS);
      console.log(`  Firefox profiler, per load (${variants.map((v) => `${v.name}: ${per(v).length}`).join(', ')} loads):`);
      for (const [label, pick] of GECKO_ROWS) {
        console.log(`    ${label.padEnd(64)}${variants.map((v) => fmt(median(per(v).map(pick))).padStart(10)).join('')}`);
      }
      const kinds = variants.filter((v) => v.entry).map((v) => {
        const counts = new Map<string, number>();
        for (const g of per(v)) counts.set(g.compileKind ?? 'no compile marker', (counts.get(g.compileKind ?? 'no compile marker') ?? 0) + 1);
        return `${v.name}: ${[...counts].map(([kind, n]) => `${kind} ×${n}`).join(', ')}`;
      });
      console.log(`    compile markers: ${kinds.join(' · ')}`);
    }
  }
} finally {
  await server.server.close();
  await site.close();
  await rm(outdir, { recursive: true, force: true });
  await rm(scratch, { recursive: true, force: true });
}
