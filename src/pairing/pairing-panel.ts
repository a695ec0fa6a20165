import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import type { InkAuthError } from '../errors.js';
import type { AuthStatus } from '../session/state.js';
import { InkPairingCodeForm } from './code-form.js';
import { stateErrorMessage } from './pairing-texts.js';
import type { PairingTexts } from './pairing-texts.js';

/** What the provider's pairing panel shows. */
export interface PairingPanelInput {
  status: AuthStatus;
  error: InkAuthError | null;
  appName: string;
  texts: PairingTexts;
  /** Whether the error state offers a retry (not for configuration errors). */
  canRetry: boolean;
  onRetry: () => void;
}

// The inner form's parts, re-exported under a `pairing-` prefix so page CSS can reach them.
const EXPORTED_PARTS = [
  'form: pairing-form',
  'label: pairing-label',
  'input: pairing-input',
  'hint: pairing-hint',
  'error: pairing-code-error',
  'status: pairing-status',
  'submit: pairing-submit',
  'new-code: pairing-new-code',
].join(', ');


/** Registers the code form if no copy did (a real reference, so bundlers keep the module). */
function defineCodeForm(): void {
  if (typeof customElements !== 'undefined' && !customElements.get('ink-pairing-code-form')) {
    customElements.define('ink-pairing-code-form', InkPairingCodeForm);
  }
}

/** Finds the code form an `ink-pairing-submit` came from (ours or a slotted one), by tag name. */
export function codeFormOf(event: Event): InkPairingCodeForm | null {
  const origin = event.composedPath()[0];
  const isForm = origin instanceof HTMLElement && origin.localName === 'ink-pairing-code-form' && 'showError' in origin;
  return isForm ? (origin as InkPairingCodeForm) : null;
}

/**
 * The pairing UI of `<ink-auth-provider mode="pairing">`: the code form while a challenge is
 * being opened (read-only) or awaits its code, the error with a retry action in `error`,
 * nothing otherwise. The form is replaceable through the `pairing-form` slot.
 */
export function renderPairingPanel(input: PairingPanelInput): TemplateResult | typeof nothing {
  const { status, texts } = input;
  defineCodeForm();
  if (status === 'requesting' || status === 'awaiting-code') {
    const hint = texts.hint.replace('{app}', input.appName);
    return html`
      <div part="pairing" class="pairing">
        <slot name="pairing-form">
          <ink-pairing-code-form
            exportparts=${EXPORTED_PARTS}
            .appName=${input.appName}
            .labelText=${texts.label}
            .submitText=${texts.submit}
            .newCodeText=${texts.newCode}
            .incompleteText=${texts.incomplete}
            .busyText=${status === 'requesting' ? texts.requesting : texts.checking}
            .busy=${status === 'requesting'}
          >
            <slot name="pairing-hint" slot="hint">${hint}</slot>
          </ink-pairing-code-form>
        </slot>
      </div>
    `;
  }
  if (status === 'error' && input.error) {
    return html`
      <div part="pairing pairing-error" class="pairing pairing-error" role="alert">
        <p part="pairing-error-text">${stateErrorMessage(input.error, texts)}</p>
        ${input.canRetry ? html`<button part="pairing-retry" type="button" @click=${input.onRetry}>${texts.retry}</button>` : nothing}
      </div>
    `;
  }
  return nothing;
}
