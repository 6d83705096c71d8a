import type { TokenStore } from './token-store.js';

/** A non-2xx answer: its status and the server's message(s), joined. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Seconds, from Retry-After (a 503 while the coordination service is unreachable). */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Nest's error bodies carry `message` as a string or, for validation, a list of them. */
async function messageOf(res: Response): Promise<string> {
  const text = await res.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { message?: unknown; error?: unknown };
    const m = body.message;
    if (Array.isArray(m)) return m.map(String).join('; ');
    if (typeof m === 'string' && m) return m;
    if (typeof body.error === 'string') return body.error;
  } catch {
    // not JSON
  }
  return text.trim() || `${res.status} ${res.statusText}`;
}

/** The client app's REST API, same origin, with the bearer token when one is set. */
export class Api {
  /** Called on every 401, so the page can ask for a token. */
  onUnauthorized: () => void = () => undefined;

  constructor(private readonly tokens: TokenStore) {}

  get<T>(path: string, signal?: AbortSignal): Promise<T> {
    return this.request<T>('GET', path, undefined, signal);
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  /** EventSource cannot send headers, so the stream takes the token as a query parameter. */
  eventsUrl(): string {
    const token = this.tokens.get();
    return token ? `/events?access_token=${encodeURIComponent(token)}` : '/events';
  }

  private async request<T>(
    method: string,
    path: string,
    body?: unknown,
    signal?: AbortSignal,
  ): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    const token = this.tokens.get();
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
      cache: 'no-store',
    });
    if (!res.ok) {
      if (res.status === 401) this.onUnauthorized();
      const retry = Number(res.headers.get('Retry-After'));
      throw new ApiError(
        res.status,
        await messageOf(res),
        Number.isFinite(retry) ? retry : undefined,
      );
    }
    return (await res.json()) as T;
  }
}
