import { isIP } from 'node:net';

/**
 * Parses `INK_AUTH_TRUSTED_PROXIES`: comma-separated IP addresses of the reverse proxies in front
 * of the server. Only a request whose socket peer is one of them may name its client in
 * `X-Forwarded-For`. A malformed entry is returned as `invalid`, for the config error to name.
 */
export function parseTrustedProxies(value: string | undefined): { proxies: string[] } | { invalid: string } {
  const proxies: string[] = [];
  for (const raw of (value ?? '').split(',')) {
    const entry = raw.trim();
    if (!entry) continue;
    if (isIP(entry) === 0) return { invalid: entry };
    proxies.push(normalizeAddress(entry));
  }
  return { proxies };
}

/** `::ffff:127.0.0.2` → `127.0.0.2`; IPv6 in lower case; anything else as given. */
export function normalizeAddress(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return mapped?.[1] ?? address.toLowerCase();
}

/**
 * The client a request comes from. The socket peer, unless that peer is a trusted proxy: then
 * `X-Forwarded-For` is read from the right, skipping trusted proxies, and the first address
 * that is not one is the client (an address the client wrote itself further left is never
 * believed). An unparsable entry stops the walk at the proxy that added it.
 */
export function clientAddressOf(peer: string, forwardedFor: string | undefined, trustedProxies: readonly string[]): string {
  let client = normalizeAddress(peer);
  if (!forwardedFor || !trustedProxies.includes(client)) return client;
  const hops = forwardedFor.split(',').map((hop) => hop.trim());
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i] ?? '';
    if (isIP(hop) === 0) break;
    client = normalizeAddress(hop);
    if (!trustedProxies.includes(client)) break;
  }
  return client;
}

/**
 * The key a per-client limit counts under: the IPv4 address, or the /64 prefix of an IPv6 one
 * (one subscriber usually holds a whole /64, so counting single IPv6 addresses would let it
 * rotate through 2^64 of them).
 */
export function rateKeyOf(address: string): string {
  if (isIP(address) !== 6) return address;
  const [head = '', tail = ''] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}
