/** A sink for one console line. */
export type LogSink = (line: string) => void;

// C0/C1 controls (CR, LF, NUL, ESC…), format controls (bidi overrides and isolates, zero-width
// characters, BOM), line/paragraph separators and lone surrogates: anything that can end a
// line, recolour or reorder the console, or hide text.
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;

const escapeOne = (char: string): string => `\\u{${(char.codePointAt(0) ?? 0).toString(16)}}`;

/**
 * Replaces every character that could forge, recolour or reorder a console line with a visible
 * `\u{…}` escape. Idempotent: its output contains no such character, so applying it twice
 * changes nothing. Every log line goes through it (see {@link escapingLog}).
 */
export function escapeControls(text: string): string {
  return text.replace(UNSAFE, escapeOne);
}

/**
 * A value quoted for a log line: `"…"` with `\` and `"` escaped, then controls. Whatever it holds,
 * the value ends at the closing quote, so text after it (a code, a key id) is always the server's.
 */
export function quoteForLog(value: string): string {
  return `"${escapeControls(value.replace(/[\\"]/g, (c) => `\\${c}`))}"`;
}

/** Wraps a sink so that every line it receives is passed through {@link escapeControls}. */
export function escapingLog(sink: LogSink): LogSink {
  return (line) => sink(escapeControls(line));
}
