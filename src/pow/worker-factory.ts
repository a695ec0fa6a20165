import { InkAuthError } from '../errors.js';

/** Creates one PoW worker. Replace it with {@link configurePowWorker} (bundlers, CSP, tests). */
export type PowWorkerFactory = () => Worker;

let workerUrl: URL | string | null = null;
let customFactory: PowWorkerFactory | null = null;

/**
 * Overrides where the PoW worker comes from.
 * - `url`: the built `pow.worker.js` when a bundler moved it (default: beside this module).
 * - `factory`: full control, e.g. a Trusted Types policy or a test spy; `null` restores the default.
 */
export function configurePowWorker(options: { url?: URL | string | null; factory?: PowWorkerFactory | null }): void {
  if (options.url !== undefined) workerUrl = options.url;
  if (options.factory !== undefined) customFactory = options.factory;
}

function defaultWorkerUrl(): URL {
  // In the dev server the .ts source answers this .js URL; in a build the worker sits beside us.
  return workerUrl === null ? new URL('./pow.worker.js', import.meta.url) : new URL(String(workerUrl), location.href);
}

/**
 * Starts a PoW worker. A module worker must be same-origin with the page, so a script served
 * from a CDN starts a tiny `blob:` module that imports the real worker (needs `worker-src blob:`
 * under a CSP and CORS on the CDN). If neither works the error names the CSP directive.
 */
export function createPowWorker(): Worker {
  if (customFactory) return customFactory();
  const url = defaultWorkerUrl();
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
