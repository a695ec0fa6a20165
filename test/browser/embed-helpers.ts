// Shared by test/browser/embed-*.test.ts: open a fixture page (test/fixtures/**) in an iframe and
// read what its page script recorded on <body> (see test/fixtures/embed/page.js). The fixture
// closes after the test (the shared harness's cleanup).
import { onCleanup, waitFor as waitUntil } from './helpers/harness.js';

/** What a fixture page records in `document.body.dataset`. */
export interface FixtureReport {
  status?: string;
  anonId?: string;
  errorCode?: string;
  errorMessage?: string;
  errors?: string;
  bundlesLoaded?: string;
  violations?: string;
  evalBlocked?: string;
  kernel?: string;
}

export interface OpenFixture {
  frame: HTMLIFrameElement;
  report(): FixtureReport;
  close(): void;
}

/** Opens `path` (e.g. `/test/fixtures/embed/plain.html`) with query parameters in an iframe. */
export async function openFixture(path: string, params: Record<string, string | string[]>): Promise<OpenFixture> {
  const url = new URL(path, location.origin);
  for (const [name, value] of Object.entries(params)) {
    for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(name, item);
  }
  const frame = document.createElement('iframe');
  const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  frame.src = url.href;
  document.body.append(frame);
  await loaded;
  onCleanup(() => frame.remove());
  return {
    frame,
    report: () => ({ ...(frame.contentDocument?.body.dataset ?? {}) }) as FixtureReport,
    close: () => frame.remove(),
  };
}

/** Polls `read` until it returns a value; fails with `what` and the page's report on timeout. */
export function waitFor<T>(read: () => T | undefined, what: string, fixture: OpenFixture, timeoutMs = 20_000): Promise<T> {
  return waitUntil(read, () => `${what}; page reported ${JSON.stringify(fixture.report())}`, timeoutMs, 50);
}

/** This dev server under its other loopback name: another origin, as a CDN would be. */
export function otherOriginOfThisServer(): string {
  const other = location.hostname === 'localhost' ? '127.0.0.1' : 'localhost';
  return `${location.protocol}//${other}:${location.port}`;
}
