const KEY = 'shepherd.apiToken';

/**
 * The API token, kept in localStorage so a reload does not ask again. Storage can be disabled
 * (private windows, policies); the page then keeps the token for this visit only.
 */
export class TokenStore {
  private memory: string | undefined;

  get(): string | undefined {
    try {
      return localStorage.getItem(KEY) ?? this.memory;
    } catch {
      return this.memory;
    }
  }

  set(token: string | undefined): void {
    this.memory = token;
    try {
      if (token === undefined) localStorage.removeItem(KEY);
      else localStorage.setItem(KEY, token);
    } catch {
      // storage unavailable: the in-memory copy serves this visit
    }
  }
}
