import { css } from 'lit';

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
    font: inherit;
    padding: 0.4em 0.9em;
    border-radius: var(--ink-pairing-radius, 0.4rem);
    border: 1px solid var(--ink-pairing-button-border-color, transparent);
    background: var(--ink-pairing-button-background, #1a73e8);
    color: var(--ink-pairing-button-color, #fff);
    cursor: pointer;
  }
  .pairing-error button:focus-visible {
    outline: 3px solid var(--ink-pairing-focus-color, #1a73e8);
    outline-offset: 2px;
  }
`;
