// Public surface of flows (DAGs of tasks).
export { flowCreatedAt, newFlowId, isFlowId } from './flow-id';
export { FLOW_LIMITS } from './flow-limits';
export {
  DEPENDENCY_FAILURE_POLICIES,
  decodeFlow,
  decodeFlowMarker,
  encodeFlow,
  flowFinished,
  type DependencyFailurePolicy,
  type FlowMarker,
  type FlowRecord,
  type FlowTaskEntry,
} from './flow-record';
export {
  checkFlowSpec,
  findCycle,
  type CheckedFlowSpec,
  type CheckedFlowTask,
  type FlowSpec,
  type FlowTaskSpec,
} from './flow-spec';
export { decideFlow, dependencyReason, type FlowAction } from './flow-decision';
export * from './flow-transitions';
export { FlowRunner, type FlowRunnerTerm } from './flow-runner';
export { FlowRetention } from './flow-retention';
export {
  DEFAULT_FLOW_LIST_LIMIT,
  FLOW_STATES,
  MAX_FLOW_LIST_LIMIT,
  type FlowCreated,
  type FlowListQuery,
  type FlowState,
  type FlowTaskView,
  type FlowView,
} from './flow-client';
