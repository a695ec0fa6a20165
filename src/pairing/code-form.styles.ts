import { css } from 'lit';
import { pairingButtonLook, pairingFocusRing } from './button.styles.js';

/** Styles of `<ink-pairing-code-form>`; everything visual is reachable through custom properties or parts. */
export const codeFormStyles = css`
  :host {
    display: block;
    font: var(--ink-pairing-font, inherit);
    color: var(--ink-pairing-color, inherit);
  }
  :host([hidden]) {
    display: none;
  }
  form {
    display: flex;
    flex-direction: column;
    align-items: flex-start;
    gap: var(--ink-pairing-gap, 0.5rem);
  }
  label {
    font-weight: 600;
  }
  input {
    box-sizing: content-box;
    width: var(--ink-pairing-input-width, 4.5ch);
    padding: 0.4em 0.6em;
    font: inherit;
    font-size: var(--ink-pairing-input-font-size, 1.75rem);
    font-variant-numeric: tabular-nums;
    letter-spacing: var(--ink-pairing-letter-spacing, 0.4em);
    border: 2px solid var(--ink-pairing-border-color, #767676);
    border-radius: var(--ink-pairing-radius, 0.4rem);
    background: var(--ink-pairing-input-background, Field);
    color: var(--ink-pairing-input-color, FieldText);
  }
  input:focus-visible {
    ${pairingFocusRing}
  }
  input[aria-invalid='true'] {
    border-color: var(--ink-pairing-error-color, #b3261e);
  }
  .hint {
    margin: 0;
    color: var(--ink-pairing-hint-color, inherit);
  }
  .error {
    margin: 0;
    color: var(--ink-pairing-error-color, #b3261e);
  }
  .error:empty,
  .status:empty {
    display: none;
  }
  .status {
    margin: 0;
  }
  .actions {
    display: flex;
    gap: var(--ink-pairing-gap, 0.5rem);
  }
  button {
    ${pairingButtonLook}
  }
  button.secondary {
    background: var(--ink-pairing-secondary-background, transparent);
    color: var(--ink-pairing-secondary-color, inherit);
    border-color: var(--ink-pairing-border-color, #767676);
  }
  button:focus-visible {
    ${pairingFocusRing}
  }
`;
