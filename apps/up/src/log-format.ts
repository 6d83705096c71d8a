/** pino's numeric levels. */
const LEVELS: Record<number, string> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};
export const WARN_LEVEL = 40;

/** Fields every line carries, or that the prefix already says. */
const HIDDEN = new Set(['level', 'time', 'pid', 'hostname', 'name', 'msg', 'context', 'component']);

/**
 * Nest's start-up chatter (one line per module and per route in every app): dropped at info
 * level, so the launcher's output shows what the cluster does. Warnings are always shown.
 */
const NOISY_CONTEXTS = new Set([
  'NestFactory',
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
]);

/** Values longer than this are cut on info lines and below (a coordinator's config summary). */
const MAX_VALUE_CHARS = 120;

export interface PinoLine {
  level: number;
  msg?: string;
  [key: string]: unknown;
}

/** A pino JSON line, or undefined for anything else (a stack trace, a banner). */
export function parsePinoLine(line: string): PinoLine | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const parsed: unknown = JSON.parse(line);
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const level = (parsed as { level?: unknown }).level;
    return typeof level === 'number' ? (parsed as PinoLine) : undefined;
  } catch {
    return undefined;
  }
}

export function levelName(level: number): string {
  return LEVELS[level] ?? String(level);
}

/** Whether a line is Nest bootstrap chatter (see NOISY_CONTEXTS). */
export function isNoise(line: PinoLine): boolean {
  return line.level < WARN_LEVEL && NOISY_CONTEXTS.has(String(line.context));
}

function formatValue(value: unknown, cut: boolean): string {
  let text: string;
  if (typeof value === 'string') text = /[\s"=]/.test(value) ? JSON.stringify(value) : value;
  else if (value instanceof Object && typeof (value as Error).message === 'string')
    // pino's error serializer: {type, message, stack}; the message says what went wrong.
    text = JSON.stringify((value as Error).message);
  else text = JSON.stringify(value) ?? String(value);
  return cut && text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

/**
 * One compact line: `info [Context] message key=value ...`. Errors and fatal lines keep an
 * error's stack, indented below.
 */
export function formatPinoLine(line: PinoLine): string {
  const cut = line.level < WARN_LEVEL;
  const parts = [levelName(line.level).padEnd(5)];
  if (line.context !== undefined && line.context !== null) parts.push(`[${String(line.context)}]`);
  if (line.msg !== undefined) parts.push(String(line.msg));
  for (const [key, value] of Object.entries(line)) {
    if (HIDDEN.has(key) || value === undefined) continue;
    parts.push(`${key}=${formatValue(value, cut)}`);
  }
  let text = parts.join(' ');
  const err = line.err as { stack?: unknown } | undefined;
  if (line.level >= 50 && typeof err?.stack === 'string')
    text += `\n${err.stack.replace(/^/gm, '    ')}`;
  return text;
}
