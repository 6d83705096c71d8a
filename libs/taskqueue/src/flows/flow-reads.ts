import { NoNodeError, Stat } from '@shepherd/zk-protocol';
import { ReadResult, ZooKeeperClient } from '@shepherd/zk-client';
import { dataOf, readMany } from '../store/read-many';
import { paths } from '../layout/paths';
import { TASK_TYPE_PATTERN } from '../model/limits';
import { CorruptTaskRecordError, TaskRecord } from '../model/task-record';
import { decodeRecord } from '../model/record-codec';
import { FlowMarker, FlowRecord, decodeFlow, decodeFlowMarker } from './flow-record';

export interface StoredFlow {
  flow: FlowRecord;
  stat: Stat;
}

/** The flow record and its stat, or null when there is no such flow (or it is unreadable). */
export async function readFlow(
  client: ZooKeeperClient,
  flowId: string,
): Promise<StoredFlow | null> {
  let node;
  try {
    node = await client.getData(paths.flow(flowId));
  } catch (err) {
    if (err instanceof NoNodeError) return null;
    throw err;
  }
  const flow = decodeFlow(node.data);
  return flow === undefined ? null : { flow, stat: node.stat };
}

/** The markers of a flow's ended tasks, by key. */
export async function readMarkers(
  client: ZooKeeperClient,
  flowId: string,
): Promise<Map<string, FlowMarker>> {
  let keys: string[];
  try {
    keys = (await client.getChildren(paths.flow(flowId))).filter((k) => TASK_TYPE_PATTERN.test(k));
  } catch (err) {
    if (err instanceof NoNodeError) return new Map();
    throw err;
  }
  const results = await readMany(
    client,
    keys.map((k) => paths.flowMarker(flowId, k)),
  );
  const markers = new Map<string, FlowMarker>();
  keys.forEach((k, i) => {
    const node = dataOf(results[i]);
    const marker = node && decodeFlowMarker(node.data);
    if (marker) markers.set(k, marker);
  });
  return markers;
}

/** A record at `path` with its version, or undefined when it is gone or unreadable. */
export function recordOf(
  result: ReadResult,
  path: string,
): { record: TaskRecord; version: number } | undefined {
  const node = dataOf(result);
  if (node === undefined) return undefined;
  try {
    return { record: decodeRecord(node.data, path), version: node.stat.version };
  } catch (err) {
    if (err instanceof CorruptTaskRecordError) return undefined;
    throw err;
  }
}
