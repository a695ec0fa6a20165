import { pairingProblem } from '../core/pairing-errors.js';
import type { ServerError } from '../core/errors.js';

/** Name of the request/response header that selects the pairing API version (seed 004). */
export const PAIRING_VERSION_HEADER = 'Anytype-Version';

/** The pairing API version this server speaks; every pairing response carries it. */
export const PAIRING_API_VERSION = '2025-11-08';

const SUPPORTED_VERSIONS: ReadonlySet<string> = new Set([PAIRING_API_VERSION]);

/**
 * Checks the version header of a pairing request. Seed 004 marks the version as required with a
 * default of 2025-11-08, i.e. its generated clients fill it in: a missing (or blank) header
 * therefore means that default. An unknown version is rejected rather than guessed at, so a
 * client built for another version fails loudly, not subtly.
 * Returns the error to answer with, or `null` when the version is supported.
 */
export function checkPairingVersion(header: string | undefined | null): ServerError | null {
  const value = header?.trim() || PAIRING_API_VERSION;
  if (!SUPPORTED_VERSIONS.has(value)) {
    // The rejected value is echoed only after bounding it: it is client input, not a secret.
    const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    return pairingProblem(
      'version_unsupported',
      `${PAIRING_VERSION_HEADER} "${shown}" is not supported; send "${PAIRING_API_VERSION}".`,
    );
  }
  return null;
}
