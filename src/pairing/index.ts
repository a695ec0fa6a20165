/**
 * Code pairing (seed 004) for the browser: typed calls and the code form. The provider's
 * `mode="pairing"` builds on these.
 */
export { PAIRING_API_VERSION, createPairingChallenge, exchangePairingCode, revokePairedKey } from './api.js';
export type { PairedKey, PairingClientOptions } from './api.js';
export { PairingRequestError, pairingErrorFromResponse } from './pairing-error.js';
export type { PairingFailureReason } from './pairing-error.js';
export { InkPairingCodeForm } from './code-form.js';
export type { InkPairingCodeFormEventMap, PairingSubmitDetail } from './code-form.js';
