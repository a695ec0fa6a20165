import { DefaultChatTransport, readUIMessageStream, type UIMessage, type UIMessageChunk } from 'ai';
import type { RunningServer } from '../../../server/index.js';
import { APP_ID, ORIGIN, requestSession } from '../helpers.js';

/** How a test calls the run API: whose token, which app, from where. */
export interface ChatCaller {
  server: RunningServer;
  /** A session token, a service key or a paired key. */
  token: string;
  /** `x-inkeep-app-id`; `null` sends none. Default the test app. */
  appId?: string | null;
  /** `Origin`; `null` sends none. Default the allowed test origin. */
  origin?: string | null;
  headers?: Record<string, string>;
}

/** The run-API headers of a caller. */
export function callerHeaders(caller: ChatCaller): Record<string, string> {
  const headers: Record<string, string> = { authorization: `Bearer ${caller.token}`, ...caller.headers };
  const appId = caller.appId === undefined ? APP_ID : caller.appId;
  const origin = caller.origin === undefined ? ORIGIN : caller.origin;
  if (appId !== null) headers['x-inkeep-app-id'] = appId;
  if (origin !== null) headers.origin = origin;
  return headers;
}

/** A fresh anonymous session token for an app. */
export async function sessionToken(server: RunningServer, appId = APP_ID, previous?: string): Promise<string> {
  const res = await requestSession(server, previous ? { authorization: `Bearer ${previous}` } : {}, appId);
  if (res.status !== 200) throw new Error(`session: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

/** A user message as the AI SDK's client builds it. */
export function userMessage(text: string, id = `user-${Math.random().toString(36).slice(2)}`): UIMessage {
  return { id, role: 'user', parts: [{ type: 'text', text }] };
}

/** What one chat turn streamed back, read by the AI SDK's own client. */
export interface StreamedReply {
  /** The final assistant message as `readUIMessageStream` assembled it. */
  message: UIMessage;
  text: string;
  /** Every UI message chunk the transport parsed, in order. */
  chunks: UIMessageChunk[];
}

/**
 * Sends a chat turn exactly as the AI SDK's `DefaultChatTransport` does (its own body and
 * headers, `body` merged in) and reads the answer with `readUIMessageStream`.
 * Failures reject with the SDK's `APICallError` (`statusCode`, `responseBody`).
 */
export async function aiSdkChat(
  caller: ChatCaller,
  messages: UIMessage[],
  options: { chatId?: string; body?: Record<string, unknown>; path?: string; trigger?: 'submit-message' | 'regenerate-message' } = {},
): Promise<StreamedReply> {
  const transport = new DefaultChatTransport<UIMessage>({
    api: `${caller.server.url}${options.path ?? '/run/api/chat'}`,
    headers: callerHeaders(caller),
    body: options.body,
  });
  const stream = await transport.sendMessages({
    trigger: options.trigger ?? 'submit-message',
    chatId: options.chatId ?? `chat-${Math.random().toString(36).slice(2)}`,
    messageId: undefined,
    messages,
    abortSignal: undefined,
  });
  const chunks: UIMessageChunk[] = [];
  const recorded = stream.pipeThrough(
    new TransformStream<UIMessageChunk, UIMessageChunk>({
      transform(chunk, controller) {
        chunks.push(chunk);
        controller.enqueue(chunk);
      },
    }),
  );
  let message: UIMessage | undefined;
  for await (const state of readUIMessageStream<UIMessage>({ stream: recorded, terminateOnError: true })) message = state;
  if (!message) throw new Error('the stream carried no message');
  return { message, text: textOf(message), chunks };
}

/** The text parts of a UI message, joined. */
export function textOf(message: Pick<UIMessage, 'parts'>): string {
  return message.parts.map((part) => (part.type === 'text' ? part.text : '')).join('');
}

/** A run-API call with the caller's headers and a JSON body (or none). */
export function runCall(caller: ChatCaller, method: string, path: string, body?: unknown): Promise<Response> {
  const headers = callerHeaders(caller);
  if (body !== undefined) headers['content-type'] = 'application/json';
  return fetch(`${caller.server.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
}
