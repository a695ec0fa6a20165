import { useState } from 'react';
import type { FormEvent } from 'react';
import { authFetch } from 'ink-auth';
import { useInkAuth } from './use-ink-auth.js';

/** Reads the chat endpoint's event stream and returns the concatenated `delta` texts. */
async function streamReply(response: Response): Promise<string> {
  const text = await response.text();
  let reply = '';
  for (const block of text.split(/\r?\n\r?\n/)) {
    const lines = block.split(/\r?\n/);
    if (!lines.includes('event: delta')) continue;
    const data = lines.find((line) => line.startsWith('data:'));
    if (data) reply += (JSON.parse(data.slice(5)) as { text: string }).text;
  }
  return reply;
}

/** A minimal chat: shows the session and sends one message at a time to the protected endpoint. */
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
      const response = await authFetch(`${state.baseUrl}/run/api/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ messages: [{ role: 'user', content: message }] }),
        provider,
      });
      setReply(response.ok ? await streamReply(response) : `HTTP ${response.status}`);
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
