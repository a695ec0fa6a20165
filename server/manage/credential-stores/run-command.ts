import { spawn } from 'node:child_process';

/** Outcome of a helper process; `exitCode` is null when it could not start or timed out. */
export interface CommandResult {
  exitCode: number | null;
  stdout: string;
}

/** Runs a helper program; `input` goes to stdin so secrets never appear in argv. */
export type RunCommand = (
  file: string,
  args: readonly string[],
  options?: { input?: string; timeoutMs?: number },
) => Promise<CommandResult>;

const MAX_STDOUT = 64 * 1024;

/** Default `RunCommand` on `child_process.spawn`, bounded in time and output size. */
export const runCommand: RunCommand = (file, args, options = {}) =>
  new Promise((resolve) => {
    let stdout = '';
    let settled = false;
    const finish = (result: CommandResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'ignore'] });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish({ exitCode: null, stdout });
    }, options.timeoutMs ?? 3000);
    child.on('error', () => finish({ exitCode: null, stdout: '' }));
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      if (stdout.length < MAX_STDOUT) stdout += chunk;
    });
    child.on('close', (code) => finish({ exitCode: code, stdout }));
    child.stdin.on('error', () => {}); // the child may exit before reading stdin
    child.stdin.end(options.input ?? '');
  });
