import type { MasterCandidateView, MastersView, WorkerView } from '@shepherd/taskqueue';
import { isoTime } from '../iso-time';
import type { MasterCandidateResponse, MastersResponse, WorkerResponse } from './cluster.schema';

export function toWorkerResponse(w: WorkerView): WorkerResponse {
  return {
    id: w.id,
    ...(w.host !== undefined && { host: w.host }),
    ...(w.pid !== undefined && { pid: w.pid }),
    concurrency: w.concurrency,
    prefetch: w.prefetch,
    types: w.types,
    running: w.running,
    ...(w.since !== undefined && { since: isoTime(w.since) }),
    draining: w.draining,
  };
}

function toCandidate(c: MasterCandidateView): MasterCandidateResponse {
  return {
    id: c.id,
    node: c.node,
    ...(c.host !== undefined && { host: c.host }),
    ...(c.pid !== undefined && { pid: c.pid }),
    ...(c.since !== undefined && { since: isoTime(c.since) }),
  };
}

export function toMastersResponse(m: MastersView): MastersResponse {
  return { leader: m.leader, candidates: m.candidates.map(toCandidate) };
}
