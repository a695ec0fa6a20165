// Page harness for bench/time-to-token.ts. The page loads the built dist/ink-auth.min.js itself;
// this script only creates elements, times them and runs the main-thread baseline.
import { solveChallenge } from 'altcha-lib/v1';
import type { BaselineResult, BenchHarness, RunRequest, RunResult, V1ChallengeBody } from '../protocol.js';

// bench/ is type-checked without DOM libs (tsconfig.server.json): declare the little DOM used here.
interface BenchEvent {
  detail: unknown;
}
interface ProviderElement {
  setAttribute(name: string, value: string): void;
  addEventListener(type: string, listener: (event: BenchEvent) => void): void;
  remove(): void;
}
interface PerformanceEntryLike {
  duration: number;
}
interface LongTaskObserver {
  observe(options: { type: string }): void;
  takeRecords(): PerformanceEntryLike[];
  disconnect(): void;
}
interface OpenRequest {
  onsuccess: (() => void) | null;
  onerror: (() => void) | null;
  onblocked: (() => void) | null;
  error: Error | null;
}
interface PageGlobals {
  document: { createElement(tag: string): ProviderElement; body: { append(node: ProviderElement): void } };
  customElements: { whenDefined(tag: string): Promise<unknown> };
  indexedDB: { deleteDatabase(name: string): OpenRequest };
  PerformanceObserver: {
    new (callback: (list: { getEntries(): PerformanceEntryLike[] }) => void): LongTaskObserver;
    supportedEntryTypes?: readonly string[];
  };
}
const page = globalThis as unknown as PageGlobals;

/** Collects `longtask` durations until stopped; null where the engine lacks the entry type. */
function watchLongTasks(enabled: boolean): () => Promise<number[] | null> {
  if (!enabled || !page.PerformanceObserver.supportedEntryTypes?.includes('longtask')) return async () => null;
  const durations: number[] = [];
  const observer = new page.PerformanceObserver((list) => {
    for (const entry of list.getEntries()) durations.push(Math.round(entry.duration));
  });
  observer.observe({ type: 'longtask' });
  return async () => {
    // Entries are delivered after the task ends: give the last one time to arrive.
    await new Promise((resolve) => setTimeout(resolve, 100));
    for (const entry of observer.takeRecords()) durations.push(Math.round(entry.duration));
    observer.disconnect();
    return durations;
  };
}

/** Wraps fetch to keep a copy of the first challenge body the provider receives. */
function recordChallenges(): { restore(): void; challenge(): V1ChallengeBody | null } {
  const original = globalThis.fetch;
  let seen: V1ChallengeBody | null = null;
  globalThis.fetch = async (input, init) => {
    const response = await original(input, init);
    const url = input instanceof Request ? input.url : String(input);
    if (seen === null && response.ok && url.includes('/pow/challenge')) seen = (await response.clone().json()) as V1ChallengeBody;
    return response;
  };
  return { restore: () => (globalThis.fetch = original), challenge: () => seen };
}

async function measureProvider(request: RunRequest): Promise<RunResult> {
  await page.customElements.whenDefined('ink-auth-provider');
  const recorder = request.recordChallenge ? recordChallenges() : null;
  const element = page.document.createElement('ink-auth-provider');
  element.setAttribute('app-id', request.appId);
  element.setAttribute('base-url', request.baseUrl);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const at: Partial<Record<'requesting' | 'solving' | 'solved', number>> = {};
  let kernel: string | null = null;
  let hashes: number | null = null;
  element.addEventListener('ink-auth-progress', (event) => {
    const progress = event.detail as { phase: string; kernel: string | null; hashes: number };
    if (progress.kernel) kernel = progress.kernel;
    hashes = progress.hashes;
    if (progress.phase === 'solved') at.solved ??= performance.now();
  });
  const ready = new Promise<number>((resolve, reject) => {
    element.addEventListener('ink-auth-change', (event) => {
      const status = (event.detail as { status: string }).status;
      if (status === 'requesting' || status === 'solving') at[status] ??= performance.now();
      if (status === 'ready') resolve(performance.now());
    });
    element.addEventListener('ink-auth-error', (event) => {
      const { error } = event.detail as { error: { code: string; detail: string } };
      reject(new Error(`ink-auth-error ${error.code}: ${error.detail}`));
    });
    timer = setTimeout(() => reject(new Error(`no ready within ${request.timeoutMs} ms`)), request.timeoutMs);
  });
  const stopWatching = watchLongTasks(request.observeLongTasks);
  const connected = performance.now();
  page.document.body.append(element);
  try {
    const readyAt = await ready;
    const span = (from: number | undefined, to: number | undefined) => (from === undefined || to === undefined ? null : to - from);
    const phases = {
      cache: span(connected, at.requesting ?? readyAt),
      // Without proof of work this is the 404 and the session request together.
      challenge: span(at.requesting, at.solving ?? readyAt),
      solve: span(at.solving, at.solved),
      session: span(at.solved, readyAt),
    };
    return { ms: readyAt - connected, challenge: recorder?.challenge() ?? null, longTasks: await stopWatching(), phases, kernel, hashes };
  } finally {
    clearTimeout(timer);
    recorder?.restore();
    element.remove();
  }
}

async function solveOnMainThread(challenge: V1ChallengeBody, observeLongTasks: boolean): Promise<BaselineResult> {
  const stopWatching = watchLongTasks(observeLongTasks);
  const started = performance.now();
  const solution = await solveChallenge(challenge.challenge, challenge.salt, challenge.algorithm, challenge.maxnumber).promise;
  const ms = performance.now() - started;
  return { ms, number: solution?.number ?? null, longTasks: await stopWatching() };
}

function clearCache(): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = page.indexedDB.deleteDatabase('ink-auth');
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error ?? new Error('deleteDatabase failed'));
    // A connection still open elsewhere delays deletion; it completes once that closes.
    request.onblocked = () => undefined;
  });
}

const harness: BenchHarness = { measureProvider, solveOnMainThread, clearCache };
(globalThis as unknown as { inkBench: BenchHarness }).inkBench = harness;
