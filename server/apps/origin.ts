interface HostPort {
  hostname: string;
  port: string | undefined;
}

const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443', 'ws:': '80', 'wss:': '443' };

/** Parses an `Origin` header value; `undefined` when missing, empty, opaque (`null`) or unparsable. */
function parseOrigin(origin: string | null | undefined): (HostPort & { port: string }) | undefined {
  if (!origin) return undefined;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return undefined;
  }
  if (!url.hostname) return undefined;
  return { hostname: url.hostname.toLowerCase(), port: url.port || DEFAULT_PORTS[url.protocol] || '' };
}

/**
 * Parses an allowlist entry: `example.com`, `localhost:5173`, `[::1]:8080`,
 * optionally with a scheme (ignored) or a trailing slash.
 */
function parseEntry(entry: string): HostPort | undefined {
  const bare = entry.trim().toLowerCase().replace(/^[a-z][a-z0-9+.-]*:\/\//, '').replace(/\/+$/, '');
  const match = /^(\[[0-9a-f:.]+\]|[^:/[\]]+)(?::(\d{1,5}))?$/.exec(bare);
  if (!match || match[1] === undefined) return undefined;
  return { hostname: match[1], port: match[2] };
}

function hostMatches(entryHost: string, originHost: string): boolean {
  if (entryHost.startsWith('*.')) {
    const base = entryHost.slice(2);
    return originHost === base || originHost.endsWith(`.${base}`);
  }
  return entryHost === originHost;
}

/**
 * Whether a request `Origin` is allowed by an app's `allowedDomains`, by the
 * hosted API's rules:
 * - a missing, empty or unparsable origin, or an empty list, is refused;
 * - `*` allows every origin;
 * - `*.example.com` matches every subdomain and the bare `example.com`;
 * - an entry with a port must match host and port exactly; without a port it
 *   matches the hostname on any port;
 * - the scheme is ignored.
 */
export function originAllowed(origin: string | null | undefined, allowedDomains: readonly string[]): boolean {
  const parsed = parseOrigin(origin);
  if (!parsed || allowedDomains.length === 0) return false;
  return allowedDomains.some((raw) => {
    if (raw.trim() === '*') return true;
    const entry = parseEntry(raw);
    if (!entry) return false;
    if (!hostMatches(entry.hostname, parsed.hostname)) return false;
    return entry.port === undefined || entry.port === parsed.port;
  });
}
