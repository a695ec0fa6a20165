// Loads the acquisition chunk (acquisition.ts) on the first network session, and preloads it
// while the cache is read so a cold start pays no extra round trip for it. A warm start does not
// preload: the preloaded module's compile lands on the main thread before the cache answers
// (about 11 ms of warm ready in Chromium, measured). Which start is which is guessed, before the
// cache answers, from a hint in localStorage: the expiry of the session this page last held.
import { loadOnce } from './lazy-chunk.js';

/** The acquisition chunk's exports. */
export type AcquisitionModule = typeof import('./acquisition.js');

/**
 * The chunk's file beside the script-tag entry: defined by scripts/script-tag-build.mjs only. In
 * the npm build and the dev server it is undefined, and the page's bundler handles preloading.
 */
declare const __INK_AUTH_ACQUISITION_CHUNK__: string | undefined;

const importAcquisition = loadOnce('session', (): Promise<AcquisitionModule> => import('./acquisition.js'));
/** Whether the chunk was asked for (preloaded or loaded): the preload is then of no use. */
let requested = false;

/** The acquisition chunk; a failed load is tried again by the next call. */
export function loadAcquisition(): Promise<AcquisitionModule> {
  requested = true;
  return importAcquisition();
}

/**
 * The hint of `key`: reads it (no `expiresAt`), writes it (epoch ms) or clears it (`null`), and
 * returns the expiry it holds. It only guides the preload: any failure (no localStorage, quota,
 * privacy mode) reads as 0, "cold".
 */
export function sessionHint(key: string, expiresAt?: number | null): number {
  try {
    const name = `ink-auth:expires:${key}`;
    if (expiresAt === null) localStorage.removeItem(name);
    else if (expiresAt !== undefined) localStorage.setItem(name, String(expiresAt));
    return Number(localStorage.getItem(name));
  } catch {
    return 0;
  }
}

/** Starts fetching the chunk without running it (`<link rel="modulepreload">`), once per page. */
export function preloadAcquisition(): void {
  if (requested || typeof __INK_AUTH_ACQUISITION_CHUNK__ === 'undefined') return;
  requested = true;
  // The constant exists only in the script-tag build, which runs in pages: a document is there.
  const link = document.createElement('link');
  link.rel = 'modulepreload';
  link.href = new URL(__INK_AUTH_ACQUISITION_CHUNK__, import.meta.url).href;
  document.head.append(link);
}
