/**
 * The variants of bench:features: what each submits with its tasks and what queue settings it
 * runs under. Shepherd's variants share one cluster, so each one sets the type's queue settings
 * in full (clearing what it does not use) before its run starts.
 */
import type { QueueSettingsPatch } from '@shepherd/taskqueue';
import type { TaskOptions } from '../throughput/run';

/** The task type the throughput peers' workers run as a no-op. */
export const TASK_TYPE = 'noop';

export type VariantName =
  'plain' | 'priorities' | 'limits' | 'groups' | 'all' | 'bullmq' | 'bullmq-priorities';

export const VARIANT_NAMES: VariantName[] = [
  'plain',
  'priorities',
  'limits',
  'groups',
  'all',
  'bullmq',
  'bullmq-priorities',
];

/** Variants that add a feature to Shepherd plain (the ones the 10% target is about). */
export const FEATURE_VARIANTS: VariantName[] = ['priorities', 'limits', 'groups', 'all'];

export interface Variant {
  name: VariantName;
  peer: 'shepherd' | 'bullmq';
  label: string;
  /** What it sets on the task type (Shepherd), shown in the table note. */
  settings?: QueueSettingsPatch;
  options?: (i: number) => TaskOptions;
}

export interface VariantSizes {
  /** Worker processes x concurrency: the slots a concurrency limit must stay well above. */
  slots: number;
  /** Distinct groups (task i is in group g<i % groups>). */
  groups: number;
}

/** Priorities in [-PRIORITY_SPREAD, PRIORITY_SPREAD]. */
export const PRIORITY_SPREAD = 10;
/** The rate limit's window, and its max (far above any tasks/s this machine reaches). */
export const RATE_WINDOW_MS = 1000;
export const RATE_MAX = 1_000_000;

/**
 * A fixed pseudo-random priority per task index (a 32-bit integer hash), so every round and
 * both peers get the same spread, uniform over -PRIORITY_SPREAD..PRIORITY_SPREAD.
 */
export function priorityOf(i: number): number {
  let h = Math.imul(i ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  return ((h >>> 0) % (2 * PRIORITY_SPREAD + 1)) - PRIORITY_SPREAD;
}

const NO_LIMITS: QueueSettingsPatch = {
  paused: false,
  concurrency: null,
  rateLimit: null,
  groupConcurrency: null,
};

export function variants(sizes: VariantSizes): Record<VariantName, Variant> {
  const group = (i: number) => `g${i % sizes.groups}`;
  // Ten times the slots (and at least 1000), so the cap is checked on every task but never hit.
  const limits: QueueSettingsPatch = {
    concurrency: Math.max(1000, 10 * sizes.slots),
    rateLimit: { max: RATE_MAX, perMs: RATE_WINDOW_MS },
  };
  return {
    plain: { name: 'plain', peer: 'shepherd', label: 'plain', settings: NO_LIMITS },
    priorities: {
      name: 'priorities',
      peer: 'shepherd',
      label: `priorities (random ${-PRIORITY_SPREAD}..${PRIORITY_SPREAD})`,
      settings: NO_LIMITS,
      options: (i) => ({ priority: priorityOf(i) }),
    },
    limits: {
      name: 'limits',
      peer: 'shepherd',
      label: 'limits (concurrency + rate, not binding)',
      settings: { ...NO_LIMITS, ...limits },
    },
    groups: {
      name: 'groups',
      peer: 'shepherd',
      label: `groups (${sizes.groups.toLocaleString('en-US')}, groupConcurrency 1)`,
      settings: { ...NO_LIMITS, groupConcurrency: 1 },
      options: (i) => ({ group: group(i) }),
    },
    all: {
      name: 'all',
      peer: 'shepherd',
      label: 'all three',
      settings: { ...NO_LIMITS, ...limits, groupConcurrency: 1 },
      options: (i) => ({ priority: priorityOf(i), group: group(i) }),
    },
    bullmq: { name: 'bullmq', peer: 'bullmq', label: 'plain' },
    'bullmq-priorities': {
      name: 'bullmq-priorities',
      peer: 'bullmq',
      label: `priorities (random ${-PRIORITY_SPREAD}..${PRIORITY_SPREAD})`,
      options: (i) => ({ priority: priorityOf(i) }),
    },
  };
}
