import { LitElement, html, type PropertyValues } from 'lit';
import { codeFormStyles } from './code-form.styles.js';

/** Detail of `ink-pairing-submit`. */
export interface PairingSubmitDetail {
  /** Exactly 4 ASCII digits. */
  code: string;
}

/** Events of `<ink-pairing-code-form>`, with their detail types. */
export interface InkPairingCodeFormEventMap {
  /** The user entered 4 digits (typed, pasted or submitted). */
  'ink-pairing-submit': CustomEvent<PairingSubmitDetail>;
  /** The user asked for a new code. */
  'ink-pairing-new-code': CustomEvent<Record<string, never>>;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface HTMLElementEventMap extends InkPairingCodeFormEventMap {}
  interface HTMLElementTagNameMap {
    'ink-pairing-code-form': InkPairingCodeForm;
  }
}

const DIGITS = 4;

/** Keeps ASCII digits only (pasted codes often come as "12 34" or "Code: 1234"). */
function digitsOf(text: string): string {
  return text.replace(/[^0-9]/g, '');
}

/**
 * An accessible form for the 4-digit pairing code: one labelled numeric field that accepts
 * typing and pasting and submits by itself on the 4th digit. Errors are announced through an
 * `aria-live` region and the field stays usable, so the user can simply retype.
 *
 * The element only collects the code: whoever listens to `ink-pairing-submit` checks it and
 * sets `error` (wrong code) or `busy` (checking). Setting `error` clears the field and moves
 * focus back to it.
 *
 * @summary The pairing-code form shown while pairing mode awaits a code.
 * @fires {PairingSubmitDetail} ink-pairing-submit - 4 digits were entered; `detail` is `{ code }`.
 * @fires {Record<string, never>} ink-pairing-new-code - The user asked for a new code.
 * @slot hint - Replaces the hint text under the label.
 * @csspart form - The `<form>`.
 * @csspart label - The field's label.
 * @csspart input - The code field.
 * @csspart hint - The hint paragraph.
 * @csspart error - The error message (an `aria-live="assertive"` region).
 * @csspart status - The busy message (an `aria-live="polite"` region).
 * @csspart submit - The submit button.
 * @csspart new-code - The "get a new code" button.
 * @cssproperty --ink-pairing-font - Font shorthand of the whole form.
 * @cssproperty --ink-pairing-gap - Space between rows and buttons.
 * @cssproperty --ink-pairing-input-width - Width of the code field (default 4.5ch).
 * @cssproperty --ink-pairing-input-font-size - Size of the digits.
 * @cssproperty --ink-pairing-letter-spacing - Space between digits.
 * @cssproperty --ink-pairing-border-color - Field and secondary button border.
 * @cssproperty --ink-pairing-focus-color - Focus ring.
 * @cssproperty --ink-pairing-error-color - Error text and invalid field border.
 * @cssproperty --ink-pairing-radius - Corner radius.
 * @cssproperty --ink-pairing-button-background - Submit button background.
 * @cssproperty --ink-pairing-button-color - Submit button text.
 */
export class InkPairingCodeForm extends LitElement {
  static override styles = codeFormStyles;

  static override properties = {
    error: { type: String },
    busy: { type: Boolean, reflect: true },
    appName: { type: String, attribute: 'app-name' },
    labelText: { type: String, attribute: 'label-text' },
    hintText: { type: String, attribute: 'hint-text' },
    submitText: { type: String, attribute: 'submit-text' },
    newCodeText: { type: String, attribute: 'new-code-text' },
    busyText: { type: String, attribute: 'busy-text' },
    incompleteText: { type: String, attribute: 'incomplete-text' },
    _value: { state: true },
  };

  /** Error to announce (e.g. "Wrong code, 4 tries left"); empty for none. Setting it clears the field. */
  declare error: string;
  /** True while the code is being checked: the field is read-only and `busyText` is announced. */
  declare busy: boolean;
  /** Name of the client being paired, used in the default hint. */
  declare appName: string;
  /** Label of the field. Default "Pairing code". */
  declare labelText: string;
  /** Hint under the label; `{app}` is replaced by `appName`. */
  declare hintText: string;
  /** Submit button text. Default "Connect". */
  declare submitText: string;
  /** "Get a new code" button text. */
  declare newCodeText: string;
  /** Announced while `busy`. Default "Checking the code…". */
  declare busyText: string;
  /** Shown when the form is submitted with fewer than 4 digits. */
  declare incompleteText: string;
  declare private _value: string;

  #lastSubmitted: string | null = null;
  #localError = '';

  constructor() {
    super();
    this.error = '';
    this.busy = false;
    this.appName = '';
    this.labelText = 'Pairing code';
    this.hintText = 'Enter the 4-digit code shown by the trusted app to connect {app}.';
    this.submitText = 'Connect';
    this.newCodeText = 'Get a new code';
    this.busyText = 'Checking the code…';
    this.incompleteText = 'Enter all 4 digits of the code.';
    this._value = '';
  }

  /** The digits entered so far. */
  get value(): string {
    return this._value;
  }

  /** Empties the field (and forgets the last submitted code so the same code may be sent again). */
  clear(): void {
    this._value = '';
    this.#lastSubmitted = null;
  }

  /**
   * Shows and announces `message`, clears the field and focuses it. Unlike setting `error`,
   * this re-announces a message identical to the current one.
   */
  async showError(message: string): Promise<void> {
    if (message === this.error) {
      this.error = '';
      await this.updateComplete;
    }
    this.error = message;
    await this.updateComplete;
  }

  /** Moves focus to the code field. */
  override focus(options?: FocusOptions): void {
    this.#input?.focus(options);
  }

  get #input(): HTMLInputElement | null {
    return this.renderRoot.querySelector('input');
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // A new error means the last code was refused: start over on an empty field.
    if (changed.has('error') && this.error) this.clear();
  }

  protected override updated(changed: PropertyValues<this>): void {
    const input = this.#input;
    if (input && input.value !== this._value) input.value = this._value;
    if (changed.has('error') && this.error && changed.get('error') !== undefined) this.focus();
  }

  #accept(raw: string): void {
    const digits = digitsOf(raw).slice(0, DIGITS);
    this._value = digits;
    this.#localError = '';
    const input = this.#input;
    if (input && input.value !== digits) input.value = digits;
    if (digits.length < DIGITS) {
      this.#lastSubmitted = null;
      return;
    }
    if (digits !== this.#lastSubmitted) this.#submit();
  }

  #submit(): void {
    if (this.busy) return;
    if (this._value.length !== DIGITS) {
      this.#localError = this.incompleteText;
      this.requestUpdate();
      return;
    }
    this.#lastSubmitted = this._value;
    this.#localError = '';
    this.dispatchEvent(
      new CustomEvent<PairingSubmitDetail>('ink-pairing-submit', { detail: { code: this._value }, bubbles: true, composed: true }),
    );
  }

  readonly #onInput = (event: Event): void => {
    this.#accept((event.target as HTMLInputElement).value);
  };

  readonly #onPaste = (event: ClipboardEvent): void => {
    const pasted = digitsOf(event.clipboardData?.getData('text/plain') ?? '');
    const input = event.target as HTMLInputElement;
    // Without readable clipboard data the native paste runs and #onInput cleans it up.
    if (this.busy || pasted === '') return;
    event.preventDefault();
    const start = input.selectionStart ?? input.value.length;
    const end = input.selectionEnd ?? input.value.length;
    this.#accept(input.value.slice(0, start) + pasted + input.value.slice(end));
  };

  readonly #onFormSubmit = (event: SubmitEvent): void => {
    event.preventDefault();
    this.#submit();
  };

  readonly #onNewCode = (): void => {
    this.clear();
    this.#localError = '';
    this.dispatchEvent(new CustomEvent('ink-pairing-new-code', { detail: {}, bubbles: true, composed: true }));
    this.focus();
  };

  protected override render() {
    const error = this.#localError || this.error;
    const hint = this.hintText.replace('{app}', this.appName || 'this app');
    return html`
      <form part="form" novalidate @submit=${this.#onFormSubmit}>
        <label part="label" for="code">${this.labelText}</label>
        <p part="hint" class="hint" id="hint"><slot name="hint">${hint}</slot></p>
        <input
          part="input"
          id="code"
          name="code"
          type="text"
          inputmode="numeric"
          autocomplete="one-time-code"
          pattern="[0-9]{4}"
          spellcheck="false"
          aria-describedby="hint error"
          aria-invalid=${error ? 'true' : 'false'}
          ?readonly=${this.busy}
          aria-busy=${this.busy ? 'true' : 'false'}
          .value=${this._value}
          @input=${this.#onInput}
          @paste=${this.#onPaste}
        />
        <p part="error" class="error" id="error" role="alert" aria-live="assertive">${error}</p>
        <p part="status" class="status" role="status" aria-live="polite">${this.busy ? this.busyText : ''}</p>
        <div class="actions">
          <button part="submit" type="submit" ?disabled=${this.busy}>${this.submitText}</button>
          <button part="new-code" class="secondary" type="button" @click=${this.#onNewCode}>${this.newCodeText}</button>
        </div>
      </form>
    `;
  }
}

if (typeof customElements !== 'undefined' && !customElements.get('ink-pairing-code-form')) {
  customElements.define('ink-pairing-code-form', InkPairingCodeForm);
}
