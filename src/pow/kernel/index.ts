/**
 * The proof-of-work hash kernel: pure, synchronous, free of DOM and Node APIs,
 * so the same code runs in a browser Worker and in Node tests.
 */
export { createV1Search } from './v1-search.js';
export type { V1Search } from './v1-search.js';
export { sha256 } from './sha256.js';
