import type { InkAuthError } from '../errors.js';
import { PairingRequestError } from './pairing-error.js';

/**
 * Every text `<ink-auth-provider mode="pairing">` shows. Override any subset through the
 * provider's `pairingTexts` property (e.g. for another language).
 */
export interface PairingTexts {
  /** Label of the code field. */
  label: string;
  /** Hint under the label; `{app}` is replaced by the app name. */
  hint: string;
  /** Submit button. */
  submit: string;
  /** "Get a new code" button. */
  newCode: string;
  /** Announced while a code is checked. */
  checking: string;
  /** Shown when fewer than 4 digits are submitted. */
  incomplete: string;
  /** Announced while a challenge is being opened. */
  requesting: string;
  /** A wrong code; `{attempts}` is replaced by `attemptsLeft` when the server said, else by nothing. */
  wrongCode: string;
  /** Appended to `wrongCode`; `{n}` is the number of attempts left. */
  attemptsLeft: string;
  /** The old challenge is dead (expired, used, too many wrong codes) and a new one was opened. */
  newCodeIssued: string;
  /** Too many wrong codes from this address for now. */
  tooManyAttempts: string;
  /** The pairing server cannot be reached (the trusted app is not running). */
  unreachable: string;
  /** Any other failure; `{detail}` is the error's detail. */
  failed: string;
  /** The retry button of the error state. */
  retry: string;
}

/** The English defaults. */
export const DEFAULT_PAIRING_TEXTS: Readonly<PairingTexts> = Object.freeze({
  label: 'Pairing code',
  hint: 'Enter the 4-digit code shown by the trusted app to connect {app}.',
  submit: 'Connect',
  newCode: 'Get a new code',
  checking: 'Checking the code…',
  incomplete: 'Enter all 4 digits of the code.',
  requesting: 'Asking the trusted app for a code…',
  wrongCode: 'That code is not right. Try again.{attempts}',
  attemptsLeft: ' {n} attempts left.',
  newCodeIssued: 'That code can no longer be used. Enter the new code shown by the trusted app.',
  tooManyAttempts: 'Too many wrong codes. Wait a moment, then try again.',
  unreachable: 'The pairing server is not reachable. Is the trusted app running?',
  failed: 'Pairing failed: {detail}',
  retry: 'Try again',
});

/** Defaults overlaid with the non-empty string overrides of `overrides`. */
export function pairingTexts(overrides: Partial<PairingTexts> | null | undefined): PairingTexts {
  const texts: PairingTexts = { ...DEFAULT_PAIRING_TEXTS };
  for (const [name, value] of Object.entries(overrides ?? {})) {
    if (name in texts && typeof value === 'string') texts[name as keyof PairingTexts] = value;
  }
  return texts;
}

/** The message the code form shows after `submitCode` rejected with `error`. */
export function codeErrorMessage(error: InkAuthError, texts: PairingTexts): string {
  if (error instanceof PairingRequestError) {
    if (error.reason === 'code_incorrect' || error.reason === 'invalid_code_format') {
      const n = error.attemptsRemaining;
      return texts.wrongCode.replace('{attempts}', n === null ? '' : texts.attemptsLeft.replace('{n}', String(n)));
    }
    if (error.reason === 'too_many_failures') return texts.tooManyAttempts;
    if (error.needsNewCode) return texts.newCodeIssued;
  }
  return stateErrorMessage(error, texts);
}

/** The message of the provider's `error` state. */
export function stateErrorMessage(error: InkAuthError, texts: PairingTexts): string {
  if (error.code === 'network_error') return texts.unreachable;
  return texts.failed.replace('{detail}', error.detail);
}
