import { spawn } from 'node:child_process';

/** Options of {@link runCommand}. */
export interface RunOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Killed (and failed) after this long. */
  timeoutMs: number;
}

/**
 * Runs a command to its end and resolves with its output; rejects with the output's tail when it
 * fails or outlives `timeoutMs`. Asynchronous, so servers in this process keep answering.
 */
export function runCommand(command: string, args: string[], options: RunOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve(output);
      const why = signal ? `killed by ${signal} (timeout ${options.timeoutMs} ms?)` : `exit ${code}`;
      reject(new Error(`${command} ${args.join(' ')} in ${options.cwd}: ${why}\n${output.slice(-4000)}`));
    });
  });
}
