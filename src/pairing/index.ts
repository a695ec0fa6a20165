/**
 * Code pairing (seed 004) for the browser: typed calls, the code form, and the lifecycle
 * behind `<ink-auth-provider mode="pairing">` for use without the element.
 */
export { PAIRING_API_VERSION, createPairingChallenge, exchangePairingCode, revokePairedKey } from './api.js';
export type { PairedKey, PairingClientOptions } from './api.js';
export { PairingRequestError, pairingErrorFromResponse } from './pairing-error.js';
export type { PairingFailureReason } from './pairing-error.js';
export { InkPairingCodeForm } from './code-form.js';
export type { InkPairingCodeFormEventMap, PairingSubmitDetail } from './code-form.js';
export { PairingSession } from './pairing-session.js';
export type { PairingSessionOptions } from './pairing-session.js';
export { indexedDbPairedKeyStore, memoryPairedKeyStore, pairedKeyCacheKey } from './key-cache.js';
export type { CachedPairedKey } from './key-cache.js';
export { DEFAULT_PAIRING_TEXTS } from './pairing-texts.js';
export type { PairingTexts } from './pairing-texts.js';
