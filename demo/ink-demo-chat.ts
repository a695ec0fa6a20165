import { LitElement, css, html, nothing } from 'lit';
import { ContextConsumer } from '@lit/context';
import type { UIMessage } from 'ai';
import { authContext, type AuthContextValue } from '../src/context.js';
import { InkAuthError } from '../src/errors.js';
import type { AuthProgress } from '../src/session/state.js';
import { listConversations, loadConversation, newConversationId, streamReply, textOf, type ConversationSummary } from './chat-api.js';

/** The provider, as far as this demo needs it. */
type ProviderElement = HTMLElement & { reset(): Promise<void> };

/**
 * A small chat element for the demo page (not part of the library). It gets everything from the
 * `<ink-auth-provider>` around it through the auth context — status, token, `anon_` id and an
 * authenticated `fetch` — and chats through the AI SDK's own client (`DefaultChatTransport` +
 * `readUIMessageStream`). It keeps a conversation id and shows the identity's past
 * conversations, so a returning visitor (same `anon_` from the cache) finds their history.
 */
export class InkDemoChat extends LitElement {
  static override properties = {
    progress: { state: true },
    messages: { state: true },
    conversations: { state: true },
    conversationId: { state: true },
    sending: { state: true },
    chatError: { state: true },
    source: { state: true },
  };

  declare progress: AuthProgress | null;
  declare messages: UIMessage[];
  declare conversations: ConversationSummary[];
  declare conversationId: string;
  declare sending: boolean;
  declare chatError: string | null;
  /** Where the current session came from, as this element saw it happen. */
  declare source: 'cache' | 'network' | null;

  private sawAcquire = false;
  /** The identity whose history is shown (history is reloaded when it changes). */
  private historyOf: string | null = null;
  private provider: ProviderElement | null = null;
  private readonly auth = new ContextConsumer(this, {
    context: authContext,
    subscribe: true,
    callback: (value) => this.onAuth(value),
  });

  constructor() {
    super();
    this.progress = null;
    this.messages = [];
    this.conversations = [];
    this.conversationId = newConversationId();
    this.sending = false;
    this.chatError = null;
    this.source = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.provider = this.closest<ProviderElement>('ink-auth-provider');
    this.provider?.addEventListener('ink-auth-progress', this.onProgress);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.provider?.removeEventListener('ink-auth-progress', this.onProgress);
  }

  private readonly onProgress = (event: Event): void => {
    this.progress = (event as CustomEvent<AuthProgress>).detail;
  };

  private onAuth(value: AuthContextValue | undefined): void {
    if (!value) return;
    if (value.status === 'solving' || value.status === 'requesting') this.sawAcquire = true;
    if (value.status === 'ready' && this.source === null) this.source = this.sawAcquire ? 'network' : 'cache';
    if (value.status !== 'solving') this.progress = null;
    // History is the identity's: a new anon_ id, or signing in and out, shows another one.
    if (value.status === 'ready' && value.identity !== this.historyOf) {
      this.historyOf = value.identity;
      this.messages = [];
      this.conversationId = newConversationId();
      void this.showHistory(value, true);
    }
    this.requestUpdate();
  }

  /** Lists the identity's conversations; `openLatest` also shows the most recent one. */
  private async showHistory(auth: AuthContextValue, openLatest: boolean): Promise<void> {
    try {
      this.conversations = await listConversations(auth.fetch, auth.baseUrl);
      const latest = this.conversations[0];
      if (openLatest && latest) await this.openConversation(latest.id);
    } catch (error) {
      this.chatError = `Could not load the history: ${describe(error)}`;
    }
  }

  private async openConversation(id: string): Promise<void> {
    const auth = this.auth.value;
    if (!auth || this.sending) return;
    this.chatError = null;
    this.conversationId = id;
    try {
      this.messages = await loadConversation(auth.fetch, auth.baseUrl, id);
    } catch (error) {
      this.chatError = `Could not open the conversation: ${describe(error)}`;
    }
  }

  private newConversation(): void {
    if (this.sending) return;
    this.conversationId = newConversationId();
    this.messages = [];
    this.chatError = null;
  }

  private async newIdentity(): Promise<void> {
    this.messages = [];
    this.conversations = [];
    this.conversationId = newConversationId();
    this.source = null;
    this.sawAcquire = false;
    this.historyOf = null;
    await this.provider?.reset();
  }

  private async send(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const input = form.elements.namedItem('message') as HTMLInputElement;
    const auth = this.auth.value;
    const text = input.value.trim();
    if (!text || !auth || this.sending) return;
    input.value = '';
    const question: UIMessage = { id: `user_${crypto.randomUUID()}`, role: 'user', parts: [{ type: 'text', text }] };
    const history = [...this.messages, question];
    this.messages = history;
    this.sending = true;
    this.chatError = null;
    try {
      await streamReply({
        fetch: auth.fetch,
        baseUrl: auth.baseUrl,
        conversationId: this.conversationId,
        messages: history,
        onUpdate: (assistant) => {
          this.messages = [...history, assistant];
        },
      });
      await this.showHistory(auth, false);
    } catch (error) {
      this.chatError = `Chat failed: ${describe(error)}`;
    } finally {
      this.sending = false;
    }
  }

  override render() {
    const auth = this.auth.value;
    const status = auth?.status ?? 'idle';
    const ready = status === 'ready';
    return html`
      <section class="card" aria-labelledby="title">
        <div class="row">
          <h2 id="title">Chat</h2>
          <span class="badge ${status}" role="status" aria-live="polite">${statusText(status)}</span>
        </div>
        ${this.progress && status === 'solving'
          ? html`<label class="progress">
              Proof of work: ${this.progress.hashes.toLocaleString()} hashes
              <progress max="1" .value=${this.progress.fraction ?? 0}></progress>
            </label>`
          : nothing}
        <dl>
          <dt>Identity</dt>
          <dd><code data-testid="anon-id">${auth?.identity ?? '—'}</code>${auth?.kind === 'user' ? html` <span data-testid="signed-in">(signed in)</span>` : nothing}</dd>
          <dt>Session from</dt>
          <dd data-testid="source">${this.source ?? '—'}</dd>
          <dt>Expires</dt>
          <dd>${auth?.expiresAt ? auth.expiresAt.toLocaleString() : '—'}</dd>
          ${auth?.storageFallback ? html`<dt>Storage</dt><dd>memory only (IndexedDB unavailable)</dd>` : nothing}
        </dl>
        ${auth?.error ? html`<p class="error" role="alert">${auth.error.message} (${auth.error.code})</p>` : nothing}
        <nav aria-label="Past conversations">
          <div class="row">
            <h3>Past conversations</h3>
            <button class="secondary small" type="button" @click=${this.newConversation} ?disabled=${!ready || this.sending}>New conversation</button>
          </div>
          <ul class="history" data-testid="conversations">
            ${this.conversations.map(
              (c) => html`<li>
                <button type="button" class="link" aria-current=${c.id === this.conversationId ? 'true' : 'false'} @click=${() => this.openConversation(c.id)}>
                  ${c.title || c.id}
                </button>
              </li>`,
            )}
          </ul>
          ${ready && this.conversations.length === 0 ? html`<p class="hint">No conversations yet.</p>` : nothing}
        </nav>
        <ol class="log" aria-live="polite" aria-label="Conversation" data-conversation=${this.conversationId}>
          ${this.messages.map((m) => html`<li class=${m.role}>${textOf(m) || '…'}</li>`)}
        </ol>
        ${this.chatError ? html`<p class="error" role="alert">${this.chatError}</p>` : nothing}
        <form @submit=${this.send}>
          <label for="message" class="visually-hidden">Message</label>
          <input id="message" name="message" autocomplete="off" placeholder=${ready ? 'Say hello…' : 'Waiting for a session…'} ?disabled=${!ready} />
          <button type="submit" ?disabled=${!ready || this.sending}>Send</button>
        </form>
        <button class="secondary" type="button" @click=${this.newIdentity}>New identity</button>
      </section>
    `;
  }

  static override styles = css`
    :host { display: block; }
    .card { border: 1px solid color-mix(in srgb, currentColor 18%, transparent); border-radius: 12px; padding: 1.25rem; }
    .row { display: flex; align-items: center; justify-content: space-between; gap: 1rem; }
    h2 { margin: 0; font-size: 1.2rem; }
    .badge { border-radius: 999px; padding: 0.15rem 0.7rem; font-size: 0.85rem; background: color-mix(in srgb, currentColor 10%, transparent); }
    .badge.ready { background: #16a34a22; color: #15803d; }
    .badge.error { background: #dc262622; color: #b91c1c; }
    .badge.solving, .badge.requesting { background: #4f46e522; color: #4338ca; }
    .progress { display: grid; gap: 0.25rem; margin-top: 0.75rem; font-size: 0.9rem; }
    progress { width: 100%; accent-color: #4f46e5; }
    dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; margin: 1rem 0; font-size: 0.92rem; }
    dt { opacity: 0.7; }
    dd { margin: 0; overflow-wrap: anywhere; }
    code { font-family: ui-monospace, Menlo, monospace; }
    h3 { margin: 0; font-size: 1rem; }
    nav { margin: 0 0 1rem; }
    .history { list-style: none; padding: 0; margin: 0.5rem 0 0; display: grid; gap: 0.25rem; }
    button.link { background: transparent; color: inherit; padding: 0.2rem 0; text-align: left; text-decoration: underline; }
    button.link[aria-current='true'] { font-weight: 600; }
    button.small { margin: 0; padding: 0.25rem 0.6rem; font-size: 0.85rem; }
    .hint { opacity: 0.7; font-size: 0.9rem; margin: 0.5rem 0 0; }
    .log { list-style: none; padding: 0; margin: 0 0 1rem; display: grid; gap: 0.5rem; }
    .log li { padding: 0.5rem 0.75rem; border-radius: 10px; max-width: 85%; white-space: pre-wrap; }
    .log .user { justify-self: end; background: #4f46e5; color: white; }
    .log .assistant { justify-self: start; background: color-mix(in srgb, currentColor 8%, transparent); }
    form { display: flex; gap: 0.5rem; }
    input { flex: 1; font: inherit; padding: 0.5rem 0.75rem; border-radius: 8px; border: 1px solid color-mix(in srgb, currentColor 30%, transparent); }
    button { font: inherit; padding: 0.5rem 1rem; border-radius: 8px; border: 0; background: #4f46e5; color: white; cursor: pointer; }
    button:disabled { opacity: 0.5; cursor: not-allowed; }
    button.secondary { margin-top: 0.75rem; background: transparent; color: inherit; border: 1px solid color-mix(in srgb, currentColor 30%, transparent); }
    :focus-visible { outline: 3px solid #4f46e5aa; outline-offset: 2px; }
    .error { color: #b91c1c; }
    .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
  `;
}

/** An `InkAuthError`'s detail and code, or any other error's message. */
function describe(error: unknown): string {
  if (error instanceof InkAuthError) return `${error.detail} (${error.code})`;
  return error instanceof Error ? error.message : String(error);
}

function statusText(status: string): string {
  switch (status) {
    case 'solving': return 'Solving proof of work…';
    case 'requesting': return 'Requesting session…';
    case 'ready': return 'Authenticated';
    case 'error': return 'Error';
    default: return 'Starting…';
  }
}

if (!customElements.get('ink-demo-chat')) customElements.define('ink-demo-chat', InkDemoChat);

declare global {
  interface HTMLElementTagNameMap {
    'ink-demo-chat': InkDemoChat;
  }
}
