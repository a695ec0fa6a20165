import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer, type RunningServer } from '../../../server/index.js';

/** Sends raw bytes and returns the whole raw response (the server closes the connection). */
function rawExchange(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(bytes));
    let response = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => (response += chunk));
    socket.on('end', () => resolve(response));
    socket.on('error', reject);
    socket.setTimeout(5_000, () => reject(new Error('no answer within 5 s')));
  });
}

function parse(raw: string): { status: number; headers: string; body: Record<string, unknown> } {
  const [head = '', body = ''] = raw.split('\r\n\r\n');
  return { status: Number(head.split(' ')[1]), headers: head.toLowerCase(), body: JSON.parse(body) as Record<string, unknown> };
}

describe('transport errors Node rejects before the app', () => {
  let server: RunningServer;
  before(async () => {
    server = await startServer({ log: () => {} });
  });
  after(() => server.close());

  it('answers a malformed request line with problem+json 400', async () => {
    const { status, headers, body } = parse(await rawExchange(server.port, 'GARBAGE\r\n\r\n'));
    assert.equal(status, 400);
    assert.match(headers, /content-type: application\/problem\+json/);
    assert.match(headers, /x-request-id: req_/);
    assert.equal(body.code, 'bad_request');
    assert.equal(body.status, 400);
    assert.deepEqual(body.error, { code: 'bad_request', message: body.detail });
  });

  it('answers oversized headers with problem+json 431', async () => {
    const request = `GET /run/auth/pow/challenge HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`;
    const { status, body } = parse(await rawExchange(server.port, request));
    assert.equal(status, 431);
    assert.equal(body.code, 'request_header_fields_too_large');
    assert.equal(body.status, 431);
  });
});
