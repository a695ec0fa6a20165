// <ink-pairing-code-form>: accessible 4-digit entry — typing, pasting, auto-submit on the 4th
// digit, errors announced through aria-live, "get a new code", overridable texts and parts.
import { sendKeys } from '@web/test-runner-commands';
import '../../src/pairing/code-form.js';
import type { InkPairingCodeForm } from '../../src/pairing/code-form.js';
import { equal, ok } from './helpers/harness.js';

const mounted: HTMLElement[] = [];
afterEach(() => {
  for (const el of mounted.splice(0)) el.remove();
});

async function mount(setup: (el: InkPairingCodeForm) => void = () => {}): Promise<{ el: InkPairingCodeForm; submits: string[]; newCodes: number[] }> {
  const el = document.createElement('ink-pairing-code-form');
  setup(el);
  const submits: string[] = [];
  const newCodes: number[] = [];
  // Listening on body proves the events bubble.
  const onSubmit = (e: CustomEvent<{ code: string }>) => submits.push(e.detail.code);
  const onNew = () => newCodes.push(1);
  document.body.addEventListener('ink-pairing-submit', onSubmit);
  document.body.addEventListener('ink-pairing-new-code', onNew);
  document.body.append(el);
  mounted.push(el);
  const remove = el.remove.bind(el);
  el.remove = () => {
    document.body.removeEventListener('ink-pairing-submit', onSubmit);
    document.body.removeEventListener('ink-pairing-new-code', onNew);
    remove();
  };
  await el.updateComplete;
  return { el, submits, newCodes };
}

const part = (el: InkPairingCodeForm, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`)!;
const input = (el: InkPairingCodeForm) => part(el, 'input') as HTMLInputElement;

function typeValue(el: InkPairingCodeForm, value: string): void {
  const field = input(el);
  field.value = value;
  field.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
}

/**
 * Pastes `text` at the caret. Engines that expose clipboard data on a scripted paste event
 * (Chromium, WebKit) exercise the form's paste handler; where it reads as empty (Firefox
 * protects it), the handler must leave the paste to the browser, so the test then performs
 * the native insertion itself and the field's input handling does the rest.
 */
function paste(el: InkPairingCodeForm, text: string): void {
  const field = input(el);
  const data = new DataTransfer();
  data.setData('text/plain', text);
  const event = new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true, composed: true });
  const readable = event.clipboardData?.getData('text/plain') === text;
  field.dispatchEvent(event);
  equal(event.defaultPrevented, readable && !el.busy, 'the form handles readable pastes itself');
  if (event.defaultPrevented || el.busy) return;
  const start = field.selectionStart ?? field.value.length;
  const end = field.selectionEnd ?? field.value.length;
  field.value = field.value.slice(0, start) + text + field.value.slice(end);
  field.dispatchEvent(new InputEvent('input', { inputType: 'insertFromPaste', bubbles: true, composed: true }));
}

describe('<ink-pairing-code-form>', () => {
  it('renders one labelled numeric field described by the hint and the error region', async () => {
    const { el } = await mount((e) => (e.appName = 'My Chat'));
    const field = input(el);
    const label = el.shadowRoot!.querySelector('label')!;
    equal(label.htmlFor, field.id, 'label is tied to the field');
    equal(label.textContent?.trim(), 'Pairing code', 'default label');
    equal(field.inputMode, 'numeric', 'numeric keyboard');
    equal(field.getAttribute('autocomplete'), 'one-time-code', 'OTP autofill');
    equal(field.getAttribute('aria-describedby'), 'hint error', 'described by hint and error');
    ok(part(el, 'hint').textContent!.includes('My Chat'), 'hint names the app');
    const error = part(el, 'error');
    equal(error.getAttribute('aria-live'), 'assertive', 'errors are announced');
    equal(error.getAttribute('role'), 'alert', 'error region role');
  });

  it('submits once on the 4th typed digit (real key presses), ignoring non-digits', async () => {
    const { el, submits } = await mount();
    el.focus();
    await sendKeys({ type: '1a2' });
    await el.updateComplete;
    equal(el.value, '12', 'letters are dropped');
    equal(submits.length, 0, 'no submit before 4 digits');
    await sendKeys({ type: '34' });
    await el.updateComplete;
    equal(submits.join(), '1234', 'submitted on the 4th digit');
    await sendKeys({ type: '5' });
    await el.updateComplete;
    equal(el.value, '1234', 'at most 4 digits');
    equal(submits.length, 1, 'the same code is not submitted twice');
  });

  it('accepts a pasted code with separators and submits it', async () => {
    const { el, submits } = await mount();
    paste(el, ' 12-34 ');
    await el.updateComplete;
    equal(input(el).value, '1234', 'field shows the digits');
    equal(submits.join(), '1234', 'pasting 4 digits submits');
  });

  it('merges a pasted part with what was typed', async () => {
    const { el, submits } = await mount();
    typeValue(el, '9');
    input(el).setSelectionRange(1, 1);
    paste(el, '876543');
    await el.updateComplete;
    equal(el.value, '9876', 'pasted digits fill the rest');
    equal(submits.join(), '9876', 'submitted');
  });

  it('an error is announced, clears the field, refocuses it, and the form stays usable', async () => {
    const { el, submits } = await mount();
    typeValue(el, '1111');
    el.error = 'Wrong code. 4 tries left.';
    await el.updateComplete;
    equal(part(el, 'error').textContent, 'Wrong code. 4 tries left.', 'error text in the live region');
    equal(input(el).getAttribute('aria-invalid'), 'true', 'field marked invalid');
    equal(input(el).value, '', 'field cleared for retyping');
    equal(el.shadowRoot!.activeElement, input(el), 'focus back on the field');
    typeValue(el, '1111');
    equal(submits.join(), '1111,1111', 'the same code can be sent again after an error');
    await el.showError('Wrong code. 4 tries left.');
    equal(part(el, 'error').textContent, 'Wrong code. 4 tries left.', 'showError keeps the message');
    equal(input(el).value, '', 'showError clears the field');
  });

  it('submitting fewer than 4 digits explains instead of sending', async () => {
    const { el, submits } = await mount((e) => (e.incompleteText = 'Vier Ziffern eingeben.'));
    typeValue(el, '12');
    part(el, 'submit').click();
    await el.updateComplete;
    equal(submits.length, 0, 'nothing submitted');
    equal(part(el, 'error').textContent, 'Vier Ziffern eingeben.', 'overridable incomplete text');
  });

  it('"get a new code" fires its event and clears the field', async () => {
    const { el, newCodes } = await mount();
    typeValue(el, '12');
    part(el, 'new-code').click();
    await el.updateComplete;
    equal(newCodes.length, 1, 'ink-pairing-new-code fired');
    equal(input(el).value, '', 'field cleared');
  });

  it('while busy the field is read-only, nothing is submitted and the status is announced', async () => {
    const { el, submits } = await mount((e) => (e.busyText = 'Prüfe…'));
    el.busy = true;
    await el.updateComplete;
    ok(input(el).readOnly, 'read-only while checking');
    equal(input(el).getAttribute('aria-busy'), 'true', 'aria-busy');
    equal(part(el, 'status').textContent, 'Prüfe…', 'status announced');
    equal(part(el, 'status').getAttribute('aria-live'), 'polite', 'polite region');
    paste(el, '1234');
    part(el, 'submit').click();
    equal(submits.length, 0, 'no submit while busy');
  });

  it('texts are overridable through attributes, and the hint through a slot', async () => {
    const { el } = await mount((e) => {
      e.setAttribute('label-text', 'Code de jumelage');
      e.setAttribute('submit-text', 'Connecter');
      e.setAttribute('new-code-text', 'Nouveau code');
      const hint = document.createElement('span');
      hint.slot = 'hint';
      hint.textContent = 'Saisissez le code affiché.';
      e.append(hint);
    });
    equal(el.shadowRoot!.querySelector('label')!.textContent?.trim(), 'Code de jumelage', 'label');
    equal(part(el, 'submit').textContent?.trim(), 'Connecter', 'submit');
    equal(part(el, 'new-code').textContent?.trim(), 'Nouveau code', 'new code');
    const slot = part(el, 'hint').querySelector('slot')!;
    equal(slot.assignedNodes()[0]?.textContent, 'Saisissez le code affiché.', 'slotted hint');
  });

  it('is stylable through custom properties', async () => {
    const { el } = await mount();
    el.style.setProperty('--ink-pairing-error-color', 'rgb(1, 2, 3)');
    await el.updateComplete;
    equal(getComputedStyle(part(el, 'error')).color, 'rgb(1, 2, 3)', 'error color from the custom property');
  });
});
