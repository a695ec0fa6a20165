import { css } from 'lit';
import { pairingButtonLook, pairingFocusRing } from './button.styles.js';

/** Styles of the panel inside the provider's shadow root (nothing outside it is styled). */
export const pairingPanelStyles = css`
  .pairing {
    margin: var(--ink-pairing-margin, 0 0 1rem);
    font: var(--ink-pairing-font, inherit);
  }
  .pairing-error {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--ink-pairing-gap, 0.5rem);
    color: var(--ink-pairing-error-color, #b3261e);
  }
  .pairing-error p {
    margin: 0;
  }
  .pairing-error button {
    ${pairingButtonLook}
  }
  .pairing-error button:focus-visible {
    ${pairingFocusRing}
  }
`;
