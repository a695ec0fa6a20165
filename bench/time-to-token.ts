// `npm run bench:ttt` (part of `npm run bench`): time to token of the built script-tag bundle in
// headless browsers, against real reference servers on another origin than the page.
// Usage: tsx bench/time-to-token.ts [--browsers=chromium,firefox] [--runs=15] [--runs-1m=7]
// Needs dist/ (npm run build). Writes bench/results.json key "timeToToken".
import { parseArgs } from 'node:util';
import { rm } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { BenchBrowser } from './pow/browsers.js';
import { mergeResults } from './pow/results.js';
import { serveDirectory } from './pow/serve.js';
import { buildTimeToTokenPage } from './time-to-token/page.js';
import { runTimeToToken, type ScenarioPlan } from './time-to-token/run.js';
import { startBenchServer, type BenchServer } from './time-to-token/servers.js';
import { formatBrowserTable, formatWarmPages, summariseScenario, summariseWarmPages } from './time-to-token/summary.js';
import type { ScenarioSummary, WarmPageSummary } from './time-to-token/summary.js';

const { values: args } = parseArgs({ options: { browsers: { type: 'string', default: 'chromium,firefox' }, runs: { type: 'string', default: '15' }, 'runs-1m': { type: 'string', default: '7' } } });

const browsers = args.browsers.split(',').map((b) => b.trim()) as BenchBrowser[];
const runs = Number(args.runs);
const runsBig = Number(args['runs-1m']);

const loadAverageAtStart = Math.round((loadavg()[0] ?? 0) * 100) / 100;
const outdir = await buildTimeToTokenPage();
const site = await serveDirectory(outdir);
const servers: BenchServer[] = [];
type BrowserResult = Partial<Record<ScenarioPlan['name'], ScenarioSummary>> & { warmFromFirstScript?: WarmPageSummary };
const results: Record<string, BrowserResult | { error: string }> = {};
try {
  const [off, small, big] = await Promise.all([startBenchServer(null), startBenchServer(50_000), startBenchServer(1_000_000)]);
  servers.push(off, small, big);
  const plans: ScenarioPlan[] = [
    { name: 'warm', server: off, runs, warm: true, baseline: false, observeLongTasks: false },
    { name: 'cold-off', server: off, runs, warm: false, baseline: false, observeLongTasks: false },
    { name: 'cold-50k', server: small, runs, warm: false, baseline: true, observeLongTasks: false },
    { name: 'cold-1m', server: big, runs: runsBig, warm: false, baseline: true, observeLongTasks: true },
  ];
  for (const name of browsers) {
    try {
      const { scenarios, warmPages } = await runTimeToToken(name, site.url, plans);
      const summary: Partial<Record<ScenarioPlan['name'], ScenarioSummary>> = {};
      for (const [key, value] of Object.entries(scenarios)) summary[key as ScenarioPlan['name']] = summariseScenario(value);
      const warm = warmPages ? summariseWarmPages(warmPages) : undefined;
      results[name] = warm ? { ...summary, warmFromFirstScript: warm } : summary;
      console.log(`\n${formatBrowserTable(name, summary)}`);
      if (warm) console.log(formatWarmPages(warm));
    } catch (error) {
      results[name] = { error: error instanceof Error ? error.message : String(error) };
      console.error(`\n${name}: ${results[name].error}`);
    }
  }
} finally {
  await Promise.all(servers.map((s) => s.server.close()));
  await site.close();
  await rm(outdir, { recursive: true, force: true });
}

const resultsFile = fileURLToPath(new URL('./results.json', import.meta.url));
await mergeResults(resultsFile, 'timeToToken', {
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version, loadAverageAtStart },
  pageOrigin: 'static loopback server; API: reference servers on other loopback ports (cross-origin)',
  browsers: results,
});
console.log(`\nwritten: ${resultsFile} (key "timeToToken")`);
if (loadAverageAtStart > cpus().length * 0.5) console.warn(`note: load average ${loadAverageAtStart} at start; cores are shared, figures are noisy`);
const chromium = results.chromium;
if (browsers.includes('chromium') && (chromium === undefined || 'error' in chromium)) process.exitCode = 1;
