import { readFileSync } from 'fs';

/** One line of the execution log that role-main.ts workers append: what a handler did. */
export interface Execution {
  event: string;
  task: string;
  worker: string;
  attempt: number;
}

/** Reads the execution log ("<event> <task> <worker> <attempt>" per line); [] before it exists. */
export function readExecutions(file: string): Execution[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [event, task, worker, attempt] = line.split(' ');
      return { event, task, worker, attempt: Number(attempt) };
    });
}
