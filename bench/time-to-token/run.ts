import type { Page } from 'puppeteer-core';
import { launchBrowser, type BenchBrowser } from '../pow/browsers.js';
import type { BenchServer } from './servers.js';
import type { BaselineResult, BenchHarness, PhaseSplit, RunRequest, RunResult, V1ChallengeBody, WarmPageResult } from './protocol.js';

/** One scenario's raw samples. */
export interface ScenarioSamples {
  /** connect → ready, ms, one per run. */
  ms: number[];
  /** Requests the reference server answered per run (preflights included). */
  serverRequests: number[];
  /** Requests the page made per run, any origin (0 expected for a warm start). */
  pageRequests: number[];
  /** Long-task durations per run; null where the engine has none. */
  longTasks: (number[] | null)[];
  /** The hosted approach on the same challenges: altcha-lib v1 on the main thread (PoW only). */
  baseline: BaselineResult[];
  /** The server's paths of the last run, e.g. `GET /run/auth/pow/challenge`. */
  lastRequests: string[];
  /** Where each run's time went. */
  phases: PhaseSplit[];
  /** The hash kernel each run's progress named (null without proof of work). */
  kernels: (string | null)[];
  hashes: (number | null)[];
}

export interface ScenarioPlan {
  name: 'warm' | 'cold-off' | 'cold-50k' | 'cold-1m';
  server: BenchServer;
  runs: number;
  warm: boolean;
  baseline: boolean;
  observeLongTasks: boolean;
}

const TIMEOUT_MS = 120_000;

async function freshPage(page: Page, url: string, clearCache: boolean): Promise<void> {
  await page.goto(url);
  await page.waitForFunction('typeof globalThis.inkBench === "object"');
  if (clearCache) await page.evaluate(() => (globalThis as unknown as { inkBench: BenchHarness }).inkBench.clearCache());
}

function measure(page: Page, request: RunRequest): Promise<RunResult> {
  return page.evaluate((r) => (globalThis as unknown as { inkBench: BenchHarness }).inkBench.measureProvider(r), request);
}

function solveBaseline(page: Page, challenge: V1ChallengeBody, observeLongTasks: boolean): Promise<BaselineResult> {
  return page.evaluate(
    (c, o) => (globalThis as unknown as { inkBench: BenchHarness }).inkBench.solveOnMainThread(c, o),
    challenge,
    observeLongTasks,
  );
}

async function runScenario(page: Page, pageUrl: string, plan: ScenarioPlan, pageRequests: string[]): Promise<ScenarioSamples> {
  const samples: ScenarioSamples = { ms: [], serverRequests: [], pageRequests: [], longTasks: [], baseline: [], lastRequests: [], phases: [], kernels: [], hashes: [] };
  const request: RunRequest = {
    appId: plan.server.appId,
    baseUrl: plan.server.server.url,
    recordChallenge: plan.baseline,
    observeLongTasks: plan.observeLongTasks,
    timeoutMs: TIMEOUT_MS,
  };
  if (plan.warm) {
    // One cold start leaves a valid session in IndexedDB; every run then starts from a reload.
    await freshPage(page, pageUrl, true);
    await measure(page, { ...request, recordChallenge: false, observeLongTasks: false });
  }
  for (let run = 0; run < plan.runs; run++) {
    await freshPage(page, pageUrl, !plan.warm);
    plan.server.clear();
    pageRequests.length = 0;
    const result = await measure(page, request);
    samples.ms.push(result.ms);
    samples.serverRequests.push(plan.server.requests.length);
    samples.pageRequests.push(pageRequests.length);
    samples.longTasks.push(result.longTasks);
    samples.phases.push(result.phases);
    samples.kernels.push(result.kernel);
    samples.hashes.push(result.hashes);
    samples.lastRequests = [...plan.server.requests];
    if (plan.baseline) {
      if (!result.challenge) throw new Error(`${plan.name}: the provider fetched no challenge to compare with`);
      const baseline = await solveBaseline(page, result.challenge, plan.observeLongTasks);
      if (baseline.number === null) throw new Error(`${plan.name}: altcha-lib found no solution`);
      samples.baseline.push(baseline);
    }
  }
  return samples;
}

/** First script → ready on a warm page, and the same page's bare IndexedDB read, run after run. */
export interface WarmPageSamples {
  readyMs: number[];
  idbReadMs: number[];
}

async function loadAndRead(page: Page, url: string): Promise<WarmPageResult> {
  await page.goto(url);
  await page.waitForFunction('globalThis.inkWarm !== undefined', { timeout: TIMEOUT_MS });
  return page.evaluate(() => (globalThis as unknown as { inkWarm: WarmPageResult }).inkWarm);
}

/**
 * Warm start from the page's first script (bundle fetch and evaluation included), interleaved
 * with the floor: the page's own IndexedDB read of the same record, without the bundle.
 */
async function runWarmPages(page: Page, siteUrl: string, server: BenchServer, runs: number): Promise<WarmPageSamples> {
  const query = `app=${encodeURIComponent(server.appId)}&base=${encodeURIComponent(server.server.url)}`;
  const samples: WarmPageSamples = { readyMs: [], idbReadMs: [] };
  // The warm scenario before left a valid session in IndexedDB for this server.
  for (let run = 0; run < runs; run++) {
    const ready = await loadAndRead(page, new URL(`warm.html?mode=ready&${query}`, siteUrl).href);
    const floor = await loadAndRead(page, new URL(`floor.html?mode=idb&${query}`, siteUrl).href);
    if (ready.readyMs === null || floor.idbReadMs === null) throw new Error('warm page: no figure');
    samples.readyMs.push(ready.readyMs);
    samples.idbReadMs.push(floor.idbReadMs);
  }
  return samples;
}

/** Runs every scenario in one browser, each run on a freshly loaded page. */
export async function runTimeToToken(
  name: BenchBrowser,
  pageUrl: string,
  plans: ScenarioPlan[],
): Promise<{ scenarios: Partial<Record<ScenarioPlan['name'], ScenarioSamples>>; warmPages: WarmPageSamples | null }> {
  const browser = await launchBrowser(name);
  try {
    const page = await browser.newPage();
    page.setDefaultTimeout(TIMEOUT_MS * 2);
    const pageRequests: string[] = [];
    // The browser's own favicon probe is not the library's traffic.
    page.on('request', (r) => void (new URL(r.url()).pathname === '/favicon.ico' || pageRequests.push(r.url())));
    const out: Partial<Record<ScenarioPlan['name'], ScenarioSamples>> = {};
    let warmPages: WarmPageSamples | null = null;
    for (const plan of plans) {
      out[plan.name] = await runScenario(page, pageUrl, plan.name === 'cold-1m' && name !== 'chromium' ? { ...plan, observeLongTasks: false } : plan, pageRequests);
      if (plan.warm) warmPages = await runWarmPages(page, pageUrl, plan.server, plan.runs);
    }
    return { scenarios: out, warmPages };
  } finally {
    await browser.close();
  }
}
