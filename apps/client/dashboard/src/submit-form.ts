import { ApiError } from './api.js';
import { fill, h } from './dom.js';
import type { TaskView } from './wire.js';

/** Ready-made tasks for the worker app's sample handlers. */
const EXAMPLES: readonly { label: string; type: string; payload: unknown }[] = [
  { label: 'echo', type: 'echo', payload: { hello: 'world' } },
  { label: 'sleep 5 s', type: 'sleep', payload: { ms: 5000 } },
  { label: 'sha256', type: 'sha256', payload: { data: 'shepherd', rounds: 2000000 } },
  { label: 'fail twice', type: 'fail', payload: { times: 2 } },
];

export interface SubmitFormDeps {
  submit(type: string, payload: unknown): Promise<TaskView>;
  submitted(task: TaskView): void;
}

/** POST /tasks from a type and a JSON payload; the answer (or the 400's reasons) shows below. */
export class SubmitForm {
  private readonly type: HTMLInputElement;
  private readonly payload: HTMLTextAreaElement;
  private readonly message: HTMLElement;
  private readonly button: HTMLButtonElement;
  private readonly typeList: HTMLDataListElement;
  private knownTypes = '';

  constructor(
    form: HTMLFormElement,
    private readonly deps: SubmitFormDeps,
  ) {
    this.type = form.elements.namedItem('type') as HTMLInputElement;
    this.payload = form.elements.namedItem('payload') as HTMLTextAreaElement;
    this.message = form.querySelector('.message') as HTMLElement;
    this.button = form.querySelector('button[type=submit]') as HTMLButtonElement;
    this.typeList = form.querySelector('datalist') as HTMLDataListElement;
    const examples = form.querySelector('.examples') as HTMLElement;
    fill(
      examples,
      ...EXAMPLES.map((ex) => {
        const b = h('button', { class: 'link', attrs: { type: 'button' } }, ex.label);
        b.addEventListener('click', () => {
          this.type.value = ex.type;
          this.payload.value = JSON.stringify(ex.payload, null, 2);
          this.say('');
        });
        return b;
      }),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.send();
    });
  }

  /** The task types live workers handle, offered as suggestions. */
  setTypes(types: readonly string[]): void {
    const key = types.join('\n');
    if (key === this.knownTypes) return;
    this.knownTypes = key;
    fill(this.typeList, ...types.map((t) => h('option', { attrs: { value: t } })));
  }

  private async send(): Promise<void> {
    const type = this.type.value.trim();
    if (!type) return this.say('a task needs a type', 'bad');
    let payload: unknown;
    const text = this.payload.value.trim();
    if (text) {
      try {
        payload = JSON.parse(text);
      } catch (err) {
        return this.say(`the payload is not JSON: ${(err as Error).message}`, 'bad');
      }
    }
    this.button.disabled = true;
    this.say('submitting…');
    try {
      const task = await this.deps.submit(type, payload);
      this.say(`submitted ${task.id}`, 'good');
      this.deps.submitted(task);
    } catch (err) {
      const status = err instanceof ApiError ? `${err.status}: ` : '';
      this.say(`refused: ${status}${(err as Error).message}`, 'bad');
    } finally {
      this.button.disabled = false;
    }
  }

  private say(text: string, tone: 'good' | 'bad' | '' = ''): void {
    this.message.textContent = text;
    this.message.className = `message ${tone}`;
  }
}
