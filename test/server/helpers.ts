import assert from 'node:assert/strict';
import { createChallenge as createV1Challenge, solveChallenge as solveV1 } from 'altcha-lib/v1';
import { solveChallenge as solveV2 } from 'altcha-lib';
import type { Challenge as V2Challenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/sha';
import { startServer, type AppRecord, type PowSettings, type RunningServer, type StartOptions } from '../../server/index.js';

export const APP_ID = 'app_testapp000000000000001';
export const OTHER_APP_ID = 'app_testapp000000000000002';
export const ORIGIN = 'http://localhost:5173';
export const JWT_SECRET = 'test-jwt-secret-0123456789abcdef0123456789';
export const POW_SECRET = 'test-pow-secret-0123456789abcdef0123456789';

/** A web-client app record for tests, with overrides. */
export function webApp(overrides: Partial<AppRecord> = {}, web: Partial<{ allowedDomains: string[]; allowAnonymous: boolean }> = {}): AppRecord {
  const now = new Date().toISOString();
  return {
    id: APP_ID,
    tenantId: 'tenant_test',
    projectId: 'project_test',
    name: 'test app',
    description: null,
    type: 'web_client',
    defaultAgentId: 'agent_test',
    enabled: true,
    config: {
      type: 'web_client',
      webClient: { allowedDomains: web.allowedDomains ?? ['localhost'], allowAnonymous: web.allowAnonymous ?? true, publicKeys: [] },
    },
    lastUsedAt: null,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

export function powSettings(format: 'v1' | 'v2' = 'v1', overrides: Partial<PowSettings> = {}): PowSettings {
  return { hmacSecret: POW_SECRET, difficulty: 1000, ttlSeconds: 600, format, ...overrides };
}

/** Starts a quiet server with the two test apps (PoW off unless `pow` is given). */
export function startTestServer(options: { pow?: PowSettings | null; apps?: AppRecord[]; lifetime?: number } & Omit<StartOptions, 'config'> = {}): Promise<RunningServer> {
  const { pow = null, apps, lifetime, ...rest } = options;
  return startServer({
    log: () => {},
    ...rest,
    config: {
      jwtSecret: JWT_SECRET,
      pow,
      apps: apps ?? [webApp(), webApp({ id: OTHER_APP_ID, projectId: 'project_other' })],
      ...(lifetime !== undefined ? { sessionLifetimeSeconds: lifetime } : {}),
    },
  });
}

/** Base64 of a JSON payload, as the `x-inkeep-challenge-solution` header carries it. */
export function encodePayload(payload: unknown): string {
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64');
}

/** Fetches a v1 challenge and solves it with altcha-lib's own v1 solver; returns the payload object. */
export async function solvedV1Payload(server: RunningServer): Promise<Record<string, unknown>> {
  const res = await fetch(`${server.url}/run/auth/pow/challenge`);
  assert.equal(res.status, 200);
  const ch = (await res.json()) as { algorithm: string; challenge: string; maxnumber: number; salt: string; signature: string };
  return solveV1Payload(ch);
}

export async function solveV1Payload(ch: { algorithm: string; challenge: string; maxnumber?: number; salt: string; signature: string }) {
  const solution = await solveV1(ch.challenge, ch.salt, ch.algorithm, ch.maxnumber).promise;
  assert.ok(solution, 'altcha-lib v1 solver found no number');
  return { algorithm: ch.algorithm, challenge: ch.challenge, number: solution.number, salt: ch.salt, signature: ch.signature, took: solution.took };
}

/** A v1 challenge signed with the test secret but already expired. */
export async function expiredV1Payload(): Promise<Record<string, unknown>> {
  const ch = await createV1Challenge({ hmacKey: POW_SECRET, maxnumber: 1000, expires: new Date(Date.now() - 60_000) });
  return solveV1Payload(ch);
}

/** Fetches a v2 challenge and solves it with altcha-lib's own v2 solver; returns the payload object. */
export async function solvedV2Payload(server: RunningServer): Promise<{ challenge: V2Challenge; solution: { counter: number; derivedKey: string; time?: number } }> {
  const res = await fetch(`${server.url}/run/auth/pow/challenge`);
  assert.equal(res.status, 200);
  const challenge = (await res.json()) as V2Challenge;
  return solveV2Payload(challenge);
}

export async function solveV2Payload(challenge: V2Challenge) {
  const solution = await solveV2({ challenge, deriveKey });
  assert.ok(solution, 'altcha-lib v2 solver found no counter');
  return { challenge: { parameters: challenge.parameters, signature: challenge.signature }, solution };
}

/** POSTs anonymous-session with the given headers (Origin defaults to the allowed test origin). */
export function requestSession(server: RunningServer, headers: Record<string, string> = {}, appId = APP_ID): Promise<Response> {
  const merged: Record<string, string> = { origin: ORIGIN, ...headers };
  for (const [k, v] of Object.entries(merged)) if (v === '') delete merged[k];
  return fetch(`${server.url}/run/auth/apps/${appId}/anonymous-session`, { method: 'POST', headers: merged });
}

/** Asserts a problem+json response in the hosted shape and returns its body. */
/**
 * Asserts a problem+json response with exactly the standard members, plus exactly the
 * `extensions` given (e.g. `{ reason: 'pow_expired' }`), each with its value.
 */
export async function expectProblem(
  res: Response,
  status: number,
  code: string,
  extensions: Record<string, string | number> = {},
): Promise<{ detail: string; instance?: string; requestId: string }> {
  assert.equal(res.status, status, `expected ${status}, got ${res.status}`);
  assert.equal(res.headers.get('content-type'), 'application/problem+json');
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  const requestId = res.headers.get('x-request-id');
  assert.match(requestId ?? '', /^req_[0-9a-f]{32}$/);
  const body = (await res.json()) as Record<string, unknown>;
  const standard = ['code', 'detail', 'error', 'instance', 'requestId', 'status', 'title'];
  assert.deepEqual(Object.keys(body).sort(), [...standard, ...Object.keys(extensions)].sort());
  for (const [name, value] of Object.entries(extensions)) assert.equal(body[name], value, name);
  assert.equal(body.status, status);
  assert.equal(body.code, code);
  assert.equal(typeof body.title, 'string');
  assert.equal(typeof body.detail, 'string');
  assert.equal(body.requestId, requestId);
  assert.deepEqual(body.error, { code, message: body.detail });
  return body as { detail: string; instance?: string; requestId: string };
}

/** Decodes a JWT's header and payload without verifying (tests verify separately). */
export function decodeJwt(token: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const [h, p] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(h ?? '', 'base64url').toString('utf8')) as Record<string, unknown>,
    payload: JSON.parse(Buffer.from(p ?? '', 'base64url').toString('utf8')) as Record<string, unknown>,
  };
}
