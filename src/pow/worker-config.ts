// Where PoW workers come from, as the page configured it. Eager (configurePowWorker is public and
// may run before any session); worker-factory.ts, in the lazy acquisition chunk, reads it.

/** Which worker a challenge needs: `v1` is the small hash-kernel worker, `v2` carries altcha's solver. */
export type PowWorkerFormat = 'v1' | 'v2';

/**
 * Creates one PoW worker for a challenge format. Replace it with {@link configurePowWorker}
 * (bundlers, CSP, tests). A factory that ignores `format` must only ever see one format.
 */
export type PowWorkerFactory = (format: PowWorkerFormat) => Worker;

/** The page's worker settings; `null` fields mean the default. */
export interface PowWorkerSettings {
  readonly url: URL | string | null;
  readonly v2Url: URL | string | null;
  readonly factory: PowWorkerFactory | null;
}

let settings: PowWorkerSettings = { url: null, v2Url: null, factory: null };

/**
 * Overrides where the PoW workers come from.
 * - `url`: the built `pow.worker.js` (v1) when a bundler moved it (default: beside this module).
 * - `v2Url`: the built `pow-v2.worker.js` (default: beside `url`, or beside this module).
 * - `factory`: full control, e.g. a Trusted Types policy or a test spy; `null` restores the default.
 */
export function configurePowWorker(options: {
  url?: URL | string | null;
  v2Url?: URL | string | null;
  factory?: PowWorkerFactory | null;
}): void {
  settings = {
    url: options.url !== undefined ? options.url : settings.url,
    v2Url: options.v2Url !== undefined ? options.v2Url : settings.v2Url,
    factory: options.factory !== undefined ? options.factory : settings.factory,
  };
}

/** The settings now (a function, not a binding: the lazy chunk reads it through the entry's registry). */
export function powWorkerSettings(): PowWorkerSettings {
  return settings;
}
