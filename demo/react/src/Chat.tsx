import { useState } from 'react';
import type { FormEvent } from 'react';
import { chatReply } from '../../shared/chat-reply.js';
import { useInkAuth } from './use-ink-auth.js';

/** A minimal chat: shows the session and sends one message at a time through the AI SDK's client. */
export function Chat() {
  const { state, provider } = useInkAuth();
  const [reply, setReply] = useState('');
  const [busy, setBusy] = useState(false);

  async function send(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const message = String(new FormData(form).get('message') ?? '').trim();
    if (!message || !state || !provider) return;
    setBusy(true);
    try {
      await chatReply(provider, state.baseUrl, message, setReply);
      form.reset();
    } catch (error) {
      setReply(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section>
      <p>
        Status: <strong data-testid="status">{state?.status ?? 'idle'}</strong>
      </p>
      <p>
        Identity: <code data-testid="anon-id">{state?.anonId ?? '—'}</code>
      </p>
      {state?.error && <p role="alert">{state.error.message}</p>}
      <form onSubmit={send}>
        <label>
          Message <input name="message" autoComplete="off" />
        </label>
        <button type="submit" disabled={busy || state?.status !== 'ready'}>
          Send
        </button>
      </form>
      <output data-testid="reply">{reply}</output>
    </section>
  );
}
