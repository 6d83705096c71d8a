/** Number and verdict formatting shared by the sections, so the page reads the same throughout. */
import type { Status } from './types';

export const status = (met: boolean): Status => (met ? 'met' : 'missed');

/** 1234567 -> "1,234,567"; fractions keep `digits` decimals. */
export const num = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

export const ratio = (n: number): string => n.toFixed(2);

export const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

/** "3 of 4" style counts for the prose ("all 4" when every one). */
export const countOf = (part: number, whole: number): string =>
  part === whole && whole > 1 ? `all ${whole}` : `${part} of ${whole}`;
