#!/usr/bin/env node
// `npm test`: every suite, one after another, in the order below. Each suite's output is printed
// whole when it ends, with its duration; the first failure stops the run, which ends with a
// summary and exit code 1.
//
// The suites ran in two parallel lanes for a while (the browsers beside the package, e2e, server
// and load suites: 11 minutes instead of 16), but then the hosted widget's browser test timed out
// in 2 of 5 runs (most likely starved of CPU on 2 cores). PLAN is a list of phases, each a list of lanes
// run side by side, so the lanes can come back once the browser suite holds under load.
import { spawn } from 'node:child_process';

const PLAN = [
  [['typecheck', 'test:server', 'test:security', 'test:load', 'build:demos', 'size:check', 'test:package', 'test:e2e', 'test:browser']],
];

/** Runs `npm run <script>`, buffering its output; resolves with its exit code and duration. */
function runScript(script) {
  const started = performance.now();
  return new Promise((resolve) => {
    // build:demos runs scripts/build.mjs on this checkout before the package tests: dist/ is the
    // current source's, and the package tests need not rebuild it.
    const env = { ...process.env, INK_DIST_BUILT: '1' };
    const child = spawn('npm', ['run', script], { stdio: ['ignore', 'pipe', 'pipe'], env });
    const chunks = [];
    child.stdout.on('data', (chunk) => chunks.push(chunk));
    child.stderr.on('data', (chunk) => chunks.push(chunk));
    child.on('close', (code, signal) => {
      const seconds = Math.round((performance.now() - started) / 1000);
      process.stdout.write(`\n===== ${script} (${seconds} s, ${signal ?? `exit ${code}`}) =====\n`);
      process.stdout.write(Buffer.concat(chunks));
      resolve({ script, ok: code === 0, seconds });
    });
  });
}

async function runLane(scripts) {
  const results = [];
  for (const script of scripts) {
    const result = await runScript(script);
    results.push(result);
    if (!result.ok) break;
  }
  return results;
}

const started = performance.now();
const results = [];
for (const phase of PLAN) {
  const lanes = await Promise.all(phase.map(runLane));
  results.push(...lanes.flat());
  if (results.some((r) => !r.ok)) break;
}
const total = Math.round((performance.now() - started) / 1000);
console.log(`\n===== npm test: ${total} s =====`);
for (const r of results) console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.script.padEnd(14)} ${String(r.seconds).padStart(4)} s`);
if (results.some((r) => !r.ok)) process.exitCode = 1;
