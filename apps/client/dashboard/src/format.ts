/** Display helpers: short, stable strings for numbers, times and values. */

export function clock(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  const d = new Date(ms);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** 950 ms, 12.3 s, 4 min 5 s, 3 h 2 min. */
export function duration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  const s = Math.floor(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

export function ago(ms: number, now = Date.now()): string {
  return Number.isFinite(ms) ? `${duration(Math.max(0, now - ms))} ago` : '—';
}

/** 1234567 -> "1,234,567"; undefined -> "—". */
export function count(n: number | undefined): string {
  return n === undefined || !Number.isFinite(n) ? '—' : Math.round(n).toLocaleString('en-US');
}

export function rate(perSecond: number): string {
  if (!Number.isFinite(perSecond)) return '—';
  return perSecond >= 100 ? count(perSecond) : perSecond.toFixed(perSecond >= 10 ? 1 : 2);
}

/** A value as compact JSON, cut to `max` characters (payloads can be half a megabyte). */
export function preview(value: unknown, max = 2000): string {
  let text: string;
  try {
    text = JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > max
    ? `${text.slice(0, max)}\n… (${count(text.length - max)} more characters)`
    : text;
}

/**
 * A progress value as a fraction from 0 to 1 when it reads as one: a number, or an object with
 * a numeric `fraction`, `done` or `progress` field (what handlers tend to report).
 */
export function fractionOf(progress: unknown): number | undefined {
  const inRange = (v: unknown) => (typeof v === 'number' && v >= 0 && v <= 1 ? v : undefined);
  if (typeof progress === 'number') return inRange(progress);
  if (progress !== null && typeof progress === 'object') {
    const p = progress as Record<string, unknown>;
    return inRange(p.fraction) ?? inRange(p.done) ?? inRange(p.progress);
  }
  return undefined;
}

/** A task id without its constant prefix, for narrow cells (the full id is in the title). */
export function shortId(id: string): string {
  return id.startsWith('task-') ? id.slice(5) : id;
}
