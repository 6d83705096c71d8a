import type { LinkState } from './live-events.js';
import type { TokenStore } from './token-store.js';

/**
 * The header: the event stream's state, the event rate, a banner for trouble (no token, the
 * coordination service unreachable) and the token form, shown when the API asks for one.
 */
export class StatusBar {
  private events = 0;
  private windowStart = Date.now();

  constructor(
    private readonly link: HTMLElement,
    private readonly rate: HTMLElement,
    private readonly banner: HTMLElement,
    private readonly tokenForm: HTMLFormElement,
    private readonly tokens: TokenStore,
    tokenChanged: () => void,
  ) {
    const input = tokenForm.elements.namedItem('token') as HTMLInputElement;
    tokenForm.addEventListener('submit', (e) => {
      e.preventDefault();
      this.tokens.set(input.value.trim() || undefined);
      input.value = '';
      this.tokenForm.hidden = true;
      tokenChanged();
    });
    const toggle = document.getElementById('token-toggle');
    toggle?.addEventListener('click', () => {
      this.tokenForm.hidden = !this.tokenForm.hidden;
      if (!this.tokenForm.hidden) input.focus();
    });
  }

  setLink(state: LinkState): void {
    this.link.dataset.state = state;
    this.link.textContent =
      state === 'live' ? 'live' : state === 'connecting' ? 'connecting…' : 'event stream down';
  }

  countEvent(): void {
    this.events++;
  }

  /** Events per second since the last call (about every two seconds). */
  showRate(now: number): void {
    const seconds = Math.max(0.001, (now - this.windowStart) / 1000);
    this.rate.textContent = `${(this.events / seconds).toFixed(this.events / seconds >= 10 ? 0 : 1)} events/s`;
    this.events = 0;
    this.windowStart = now;
  }

  needToken(): void {
    this.tokenForm.hidden = false;
    this.warn(
      this.tokens.get()
        ? 'The API refused the token: enter the right API_TOKEN.'
        : 'The API wants a token: enter its API_TOKEN.',
    );
  }

  warn(text: string | undefined): void {
    this.banner.hidden = !text;
    this.banner.textContent = text ?? '';
  }
}
