// Starts PoW workers and explains why one failed to load. In the lazy acquisition chunk: a warm
// start never starts a worker. The page's settings are in worker-config.ts.
import { InkAuthError } from '../errors.js';
import { powWorkerSettings } from './worker-config.js';
import type { PowWorkerFormat } from './worker-config.js';


function workerUrlFor(format: PowWorkerFormat): URL {
  const { url: workerUrl, v2Url: workerV2Url } = powWorkerSettings();
  // In the dev server the .ts sources answer these .js URLs; in a build the workers sit beside us.
  // Both defaults are literal `new URL('./…', import.meta.url)` so bundlers can see the files.
  if (format === 'v1') {
    return workerUrl === null ? new URL('./pow.worker.js', import.meta.url) : new URL(String(workerUrl), location.href);
  }
  if (workerV2Url !== null) return new URL(String(workerV2Url), location.href);
  return workerUrl === null
    ? new URL('./pow-v2.worker.js', import.meta.url)
    : new URL('./pow-v2.worker.js', new URL(String(workerUrl), location.href));
}

/**
 * Starts a PoW worker for `format` (default `v1`). A module worker must be same-origin with the
 * page, so a script served from a CDN starts a tiny `blob:` module that imports the real worker
 * (needs `worker-src blob:` under a CSP and CORS on the CDN). If neither works the error names
 * the CSP directive.
 */
export function createPowWorker(format: PowWorkerFormat = 'v1'): Worker {
  const { factory } = powWorkerSettings();
  if (factory) return factory(format);
  recordCspRefusals();
  const url = workerUrlFor(format);
  if (url.origin === location.origin) return startModuleWorker(url.href);
  const blob = new Blob([`import ${JSON.stringify(url.href)};`], { type: 'text/javascript' });
  const blobUrl = URL.createObjectURL(blob);
  try {
    return startModuleWorker(blobUrl);
  } finally {
    // The worker has fetched (or queued) its script; the URL is no longer needed.
    setTimeout(() => URL.revokeObjectURL(blobUrl), 30_000);
  }
}

function startModuleWorker(href: string): Worker {
  try {
    return new Worker(href, { type: 'module' });
  } catch (error) {
    throw new InkAuthError(
      'pow_worker_failed',
      `Could not start the proof-of-work worker (${error instanceof Error ? error.message : String(error)}). ` +
        'Allow it with the CSP directive `worker-src` (self, or blob: for a CDN script) or call configurePowWorker().',
      { cause: error },
    );
  }
}

/** Worker URLs a CSP refused on this page (`securitypolicyviolation` reports them, asynchronously). */
const refusedByCsp = new Set<string>();
let recordingRefusals = false;

function recordCspRefusals(): void {
  if (recordingRefusals || typeof document === 'undefined') return;
  recordingRefusals = true;
  document.addEventListener('securitypolicyviolation', (event) => {
    if (/^(worker|script|child)-src/.test(event.effectiveDirective)) refusedByCsp.add(event.blockedURI);
  });
}

function refused(url: URL): boolean {
  // A cross-origin worker starts from a blob: module, which browsers report as "blob"; a
  // cross-origin URL may be reported as its origin only. ('inline', 'eval' and '' are not ours.)
  const viaBlob = url.origin !== location.origin;
  return [...refusedByCsp].some((blocked) =>
    blocked === 'blob' || blocked.startsWith('blob:') ? viaBlob : /^https?:\/\//.test(blocked) && url.href.startsWith(blocked),
  );
}

/**
 * The `detail` for a worker that fired `error` before it answered. A missing file (a 404, or a
 * dev server's HTML page instead, as Vite ≤ 7 serves from `.vite/deps` without
 * `optimizeDeps.exclude`) and a CSP refusal look the same from the error event, which carries
 * no reason: fetching the worker's URL and the page's CSP violation reports tell them apart.
 */
export async function explainWorkerFailure(format: PowWorkerFormat, fetcher: typeof fetch = fetch): Promise<string> {
  if (powWorkerSettings().factory) return 'The proof-of-work worker made by configurePowWorker({ factory }) could not load or run.';
  const url = workerUrlFor(format);
  let answer: { status: number; type: string } | null = null;
  try {
    const response = await fetcher(url.href, { cache: 'no-store', credentials: 'same-origin' });
    answer = { status: response.status, type: response.headers.get('content-type') ?? '' };
    void response.body?.cancel().catch(() => {});
  } catch {
    answer = null;
  }
  const cspHint = 'Allow it with the CSP directive `worker-src` (self, or blob: for a script on a CDN)';
  if (refused(url)) return `The page's Content-Security-Policy refused the proof-of-work worker ${url.href}. ${cspHint}.`;
  if (answer && (answer.status >= 400 || !/(java|ecma)script/i.test(answer.type))) {
    const got = answer.status >= 400 ? `HTTP ${answer.status}` : `${answer.type || 'no content type'} instead of JavaScript`;
    return (
      `The proof-of-work worker file was not found: ${url.href} answered ${got}. Serve ${url.pathname.split('/').pop()} beside the ` +
      "script, or point configurePowWorker({ url }) at it (Vite 7 and older in dev: add optimizeDeps: { exclude: ['ink-auth'] })."
    );
  }
  if (!answer) {
    return (
      `The proof-of-work worker ${url.href} could not be loaded: it is unreachable (a CDN must send CORS headers), ` +
      `or the page's CSP refused it. ${cspHint}, or call configurePowWorker({ url }).`
    );
  }
  return `The proof-of-work worker ${url.href} loaded but could not run. ${cspHint}, or call configurePowWorker({ factory }).`;
}
