import { randomUUID } from 'node:crypto';
import { JsonToSseTransformStream, createUIMessageStream, createUIMessageStreamResponse } from 'ai';
import type { ChatTurn } from '../chat-exchange.js';
import { chunkByBytes } from '../chat-reply.js';

/** The model name answers carry: the caller's agent, or the deterministic assistant's own name. */
export function modelName(agentId: string | null): string {
  return agentId ?? 'ink-auth-echo';
}

/**
 * The reply as the AI SDK UI message stream (SSE `data: <chunk>` frames, then `data: [DONE]`),
 * built by the `ai` package itself: `start` (the stored reply's id), `text-start`, a bounded
 * number of `text-delta`s, `text-end`, `finish`. The hosted server's `x-vercel-ai-data-stream`
 * header is added beside the SDK's own.
 */
export function uiMessageStreamResponse(turn: ChatTurn): Response {
  const textId = `text_${turn.replyId}`;
  const stream = createUIMessageStream({
    execute({ writer }) {
      writer.write({ type: 'start', messageId: turn.replyId });
      writer.write({ type: 'text-start', id: textId });
      for (const delta of chunkByBytes(turn.replyText)) writer.write({ type: 'text-delta', id: textId, delta });
      writer.write({ type: 'text-end', id: textId });
      writer.write({ type: 'finish', finishReason: 'stop' });
    },
  });
  return createUIMessageStreamResponse({ stream, headers: { 'x-vercel-ai-data-stream': 'v2' } });
}

/** One OpenAI `chat.completion.chunk`. */
interface CompletionChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  choices: [{ index: 0; delta: { role?: 'assistant'; content?: string }; finish_reason: 'stop' | null }];
}

/**
 * The reply as OpenAI-compatible SSE: a `{role:'assistant'}` delta, the `content` pieces, a last
 * chunk with `finish_reason:'stop'`, then `data: [DONE]` — framed by the `ai` package's
 * `JsonToSseTransformStream`, whose output is exactly that wire format.
 */
export function completionStreamResponse(turn: ChatTurn, model: string, now: Date = new Date()): Response {
  const id = `chatcmpl-${randomUUID().replaceAll('-', '')}`;
  const created = Math.floor(now.getTime() / 1000);
  const chunk = (delta: CompletionChunk['choices'][0]['delta'], finish: 'stop' | null = null): CompletionChunk => ({
    id,
    object: 'chat.completion.chunk',
    created,
    model,
    choices: [{ index: 0, delta, finish_reason: finish }],
  });
  const chunks = [chunk({ role: 'assistant' }), ...chunkByBytes(turn.replyText).map((content) => chunk({ content })), chunk({}, 'stop')];
  let next = 0;
  // Pulled one chunk at a time, so the stream is produced no faster than the client reads it.
  const objects = new ReadableStream<CompletionChunk>(
    {
      pull(controller) {
        const value = chunks[next++];
        if (value) controller.enqueue(value);
        else controller.close();
      },
    },
    { highWaterMark: 0 },
  );
  const body = objects.pipeThrough(new JsonToSseTransformStream()).pipeThrough(new TextEncoderStream());
  return new Response(body, {
    headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' },
  });
}

/** The `stream: false` answer: one OpenAI `chat.completion` object. */
export function chatCompletion(turn: ChatTurn, model: string, now: Date = new Date()) {
  return {
    id: `chatcmpl-${randomUUID().replaceAll('-', '')}`,
    object: 'chat.completion' as const,
    created: Math.floor(now.getTime() / 1000),
    model,
    choices: [{ index: 0, message: { role: 'assistant' as const, content: turn.replyText }, finish_reason: 'stop' as const }],
    // The deterministic assistant runs no model, so no tokens are consumed.
    usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
  };
}
