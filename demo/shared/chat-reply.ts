// Shared by the React, Vue and hosted-widget demos (each a Vite project importing this folder).

import { DefaultChatTransport, readUIMessageStream, type UIMessage } from 'ai';
import { authFetch, type InkAuthProvider } from 'ink-auth';

/**
 * Sends one message through the AI SDK's own client (`DefaultChatTransport` with ink-auth's
 * `authFetch`, so the token, the app id and the one renewal on a 401 come from the provider)
 * and reads the streamed reply with `readUIMessageStream`; `onText` sees it grow.
 */
export async function chatReply(provider: InkAuthProvider, baseUrl: string, text: string, onText: (reply: string) => void): Promise<string> {
  const transport = new DefaultChatTransport<UIMessage>({
    api: `${baseUrl}/run/api/chat`,
    fetch: ((input, init) => authFetch(input, { ...init, provider })) as typeof fetch,
  });
  const stream = await transport.sendMessages({
    trigger: 'submit-message',
    chatId: `framework-demo-${crypto.randomUUID()}`,
    messageId: undefined,
    messages: [{ id: crypto.randomUUID(), role: 'user', parts: [{ type: 'text', text }] }],
    abortSignal: undefined,
  });
  let reply = '';
  for await (const message of readUIMessageStream<UIMessage>({ stream, terminateOnError: true })) {
    reply = message.parts.map((part) => (part.type === 'text' ? part.text : '')).join('');
    onText(reply);
  }
  return reply;
}
