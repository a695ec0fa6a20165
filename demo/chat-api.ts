import './zod-jitless.js';
import { DefaultChatTransport, readUIMessageStream, type UIMessage } from 'ai';
import { errorFromResponse } from '../src/errors.js';

/** The provider's authenticated fetch (Bearer + `x-inkeep-app-id`, one renewal on a 401). */
export type AuthFetch = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

/** A past conversation, as `GET /run/v1/conversations` lists it. */
export interface ConversationSummary {
  id: string;
  title: string;
  updatedAt: string;
}

/** A new client-chosen conversation id, in the hosted widget's `conv_…` style. */
export function newConversationId(): string {
  return `conv_${crypto.randomUUID().replaceAll('-', '')}`;
}

/** The JSON body of a successful answer; a failed one rejects with the library's `InkAuthError`. */
async function readJson<T>(response: Response): Promise<T> {
  if (!response.ok) throw await errorFromResponse(response);
  return (await response.json()) as T;
}

/** The identity's conversations, most recent first. */
export async function listConversations(fetch: AuthFetch, baseUrl: string): Promise<ConversationSummary[]> {
  const body = await readJson<{ data: ConversationSummary[] }>(await fetch(`${baseUrl}/run/v1/conversations?limit=20`));
  return body.data;
}

/** The messages of one of the identity's conversations, as AI SDK UI messages. */
export async function loadConversation(fetch: AuthFetch, baseUrl: string, id: string): Promise<UIMessage[]> {
  const url = `${baseUrl}/run/v1/conversations/${encodeURIComponent(id)}?format=vercel`;
  const body = await readJson<{ data: { messages: Array<Pick<UIMessage, 'id' | 'role' | 'parts'>> } }>(await fetch(url));
  return body.data.messages.map(({ id: messageId, role, parts }) => ({ id: messageId, role, parts }));
}

/**
 * Sends the last message of `messages` to `/run/api/chat` through the AI SDK's own
 * `DefaultChatTransport` (with the provider's fetch) and reads the streamed answer with
 * `readUIMessageStream`, reporting each state of the assistant message as it grows. Like the
 * hosted widget, only the new message travels: the server keeps the history.
 */
export async function streamReply(options: {
  fetch: AuthFetch;
  baseUrl: string;
  conversationId: string;
  messages: UIMessage[];
  onUpdate: (assistant: UIMessage) => void;
  signal?: AbortSignal;
}): Promise<UIMessage | undefined> {
  const transport = new DefaultChatTransport<UIMessage>({
    api: `${options.baseUrl}/run/api/chat`,
    fetch: options.fetch as typeof globalThis.fetch,
    prepareSendMessagesRequest: ({ id, messages, trigger, messageId }) => ({
      body: { id, conversationId: options.conversationId, messages: messages.slice(-1), trigger, messageId },
    }),
  });
  let stream;
  try {
    stream = await transport.sendMessages({
      trigger: 'submit-message',
      chatId: options.conversationId,
      messageId: undefined,
      messages: options.messages,
      abortSignal: options.signal,
    });
  } catch (error) {
    throw await asInkAuthError(error);
  }
  let last: UIMessage | undefined;
  for await (const message of readUIMessageStream<UIMessage>({ stream, terminateOnError: true })) {
    last = message;
    options.onUpdate(message);
  }
  return last;
}

/** The AI SDK reports a refused request with its status and body: read them as the library does. */
async function asInkAuthError(error: unknown): Promise<unknown> {
  const { statusCode, responseBody } = (error ?? {}) as { statusCode?: number; responseBody?: string };
  if (typeof statusCode !== 'number') return error;
  return errorFromResponse(new Response(responseBody ?? '', { status: statusCode }));
}

/** The text of a UI message (its text parts). */
export function textOf(message: Pick<UIMessage, 'parts'>): string {
  return message.parts.map((part) => (part.type === 'text' ? part.text : '')).join('');
}
