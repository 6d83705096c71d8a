import { TaskState, isTaskState } from '../model/task-state';

/** What happens to a task when one of its dependencies ends dead, failed or cancelled. */
export type DependencyFailurePolicy = 'cancel' | 'run';
export const DEPENDENCY_FAILURE_POLICIES: readonly DependencyFailurePolicy[] = ['cancel', 'run'];

/** One task of a flow, as the flow record keeps it. */
export interface FlowTaskEntry {
  id: string;
  type: string;
  dependsOn: string[];
}

/**
 * The JSON document of /flows/<flowId>. Written once by the submitter; only `cancelled` is
 * ever added (a versioned setData), so its version tells a FlowRunner pass that read it whether
 * the flow was cancelled since.
 */
export interface FlowRecord {
  v: 1;
  id: string;
  createdAt: number;
  onDependencyFailure: DependencyFailurePolicy;
  cancelled?: { at: number; reason?: string };
  /** By key. */
  tasks: Record<string, FlowTaskEntry>;
}

/** The data of /flows/<flowId>/<key>: the flow task ended, in this state. */
export interface FlowMarker {
  state: TaskState;
  taskId: string;
}

export function encodeFlow(flow: FlowRecord): Buffer {
  return Buffer.from(JSON.stringify(flow));
}

/** A flow record, or undefined for data that is not one (written by another tool). */
export function decodeFlow(data: Buffer | null): FlowRecord | undefined {
  if (data === null) return undefined;
  try {
    const f = JSON.parse(data.toString('utf8')) as Partial<FlowRecord> | null;
    if (f === null || typeof f !== 'object' || f.v !== 1 || typeof f.id !== 'string')
      return undefined;
    if (f.tasks === null || typeof f.tasks !== 'object') return undefined;
    if (f.onDependencyFailure !== 'run') f.onDependencyFailure = 'cancel';
    return f as FlowRecord;
  } catch {
    return undefined;
  }
}

export function decodeFlowMarker(data: Buffer | null): FlowMarker | undefined {
  if (data === null) return undefined;
  try {
    const m = JSON.parse(data.toString('utf8')) as Partial<FlowMarker> | null;
    if (m === null || typeof m !== 'object' || !isTaskState(m.state)) return undefined;
    if (typeof m.taskId !== 'string') return undefined;
    return { state: m.state, taskId: m.taskId };
  } catch {
    return undefined;
  }
}

/** Every task of the flow has its marker: nothing is left to release or cancel. */
export function flowFinished(flow: FlowRecord, markers: number): boolean {
  return markers >= Object.keys(flow.tasks).length;
}
