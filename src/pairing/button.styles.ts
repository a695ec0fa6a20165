import { css } from 'lit';

/** The look of every pairing button (the code form's and the error panel's retry), one declaration block. */
export const pairingButtonLook = css`
  font: inherit;
  padding: 0.4em 0.9em;
  border-radius: var(--ink-pairing-radius, 0.4rem);
  border: 1px solid var(--ink-pairing-button-border-color, transparent);
  background: var(--ink-pairing-button-background, #1a73e8);
  color: var(--ink-pairing-button-color, #fff);
  cursor: pointer;
`;

/** The keyboard focus ring of the pairing controls. */
export const pairingFocusRing = css`
  outline: 3px solid var(--ink-pairing-focus-color, #1a73e8);
  outline-offset: 2px;
`;
