import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { ZooKeeperConnection } from '@shepherd/coordination';
import {
  Master,
  SubmitOptions,
  TaskContext,
  TaskQueueClient,
  Worker,
  WorkerLogger,
  decodeRecord,
  paths,
} from '@shepherd/taskqueue';
import { InMemoryOtel, parentSpanId } from '../support/otel/in-memory-otel';
import { createChroot } from '../support/taskqueue/chroot';
import { waitFor } from '../support/wait-for';

/** Where the tracing cases run: the embedded coordinator or Apache ZooKeeper. */
export interface TracingTarget {
  connectString: string;
}

interface LogLine {
  level: string;
  fields: Record<string, unknown>;
  msg?: string;
}

/** A worker logger that keeps every line. */
function recordingLogger(lines: LogLine[]): WorkerLogger {
  const at =
    (level: string) =>
    (fields: object, msg?: string): void => {
      lines.push({ level, fields: { ...fields } as Record<string, unknown>, msg });
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

const id = (s: ReadableSpan) => s.spanContext().spanId;
const only = (spans: ReadableSpan[], name: string): ReadableSpan => {
  const found = spans.filter((s) => s.name === name);
  if (found.length !== 1)
    throw new Error(`${found.length} spans named ${name}: ${spans.map((s) => s.name).join(', ')}`);
  return found[0];
};

let chroots = 0;

/**
 * One trace per task, checked span by span with the SDK's in-memory exporter: master, workers
 * and client run in this process, but every span after the submit continues the context in the
 * task record (as it does across processes), never this process's active context.
 */
export function describeTaskQueueTracing(name: string, target: () => TracingTarget): void {
  describe(`OpenTelemetry traces of tasks (${name})`, () => {
    const otel = new InMemoryOtel();
    const tracer = trace.getTracer('test');
    const connections: ZooKeeperConnection[] = [];
    const workers: Worker[] = [];
    const workerConnections = new Map<string, ZooKeeperConnection>();
    let master: Master;
    let client: TaskQueueClient;
    let connectString: string;
    const lines: LogLine[] = [];
    let attemptsOfFlaky = 0;
    let hang: Promise<void> | undefined;
    let releaseHang: (() => void) | undefined;

    const connect = (): ZooKeeperConnection => {
      const c = new ZooKeeperConnection({ connectString, sessionTimeoutMs: 4000 });
      connections.push(c);
      return c;
    };
    const handlers = {
      work: async (t: TaskContext) => {
        // The handler's own spans nest under the attempt's span.
        await tracer.startActiveSpan('user work', async (span) => {
          await new Promise((r) => setTimeout(r, 5));
          span.end();
        });
        return t.payload;
      },
      flaky: (t: TaskContext) => {
        attemptsOfFlaky++;
        if (t.attempt === 1) throw new Error('first attempt fails');
        return 'ok';
      },
      /** Throws what is not an Error and has no toString: the span must still end, as an error. */
      weird: () => {
        throw Object.create(null) as unknown;
      },
      slow: async (t: TaskContext) => {
        await Promise.race([
          hang,
          new Promise((r) => t.signal.addEventListener('abort', r, { once: true })),
        ]);
        return 'done';
      },
    };
    const startWorker = async (
      workerId: string,
      own: Record<string, (t: TaskContext) => unknown> = handlers,
    ): Promise<Worker> => {
      const connection = connect();
      workerConnections.set(workerId, connection);
      const w = new Worker({
        id: workerId,
        connection,
        handlers: own,
        concurrency: 2,
        logger: recordingLogger(lines),
      });
      workers.push(w);
      await w.start();
      return w;
    };

    beforeAll(async () => {
      otel.register();
      const chroot = `/tracing-${process.pid}-${++chroots}`;
      await createChroot(target().connectString, chroot);
      connectString = `${target().connectString}${chroot}`;
      const clientConnection = connect();
      await clientConnection.connect();
      client = new TaskQueueClient({ connection: clientConnection });
      master = new Master({ id: 'm1', connection: connect() });
      await master.start();
      await startWorker('w1');
    });

    afterAll(async () => {
      releaseHang?.();
      for (const w of workers) await w.stop({ graceMs: 100 }).catch(() => undefined);
      await master?.stop();
      client?.close();
      for (const c of connections) await c.close().catch(() => undefined);
      await otel.shutdown();
    });

    /** Submits inside a span of its own, as a traced web handler would. */
    const submitInRequest = (type: string, payload: unknown, options?: SubmitOptions) =>
      tracer.startActiveSpan('request', async (span) => {
        const view = await client.submit(type, payload, options);
        span.end();
        return { view, traceId: span.spanContext().traceId, request: span };
      });

    /** The ended spans of a task's trace, once `names` are all there. */
    const spansOf = async (traceId: string, names: string[]): Promise<ReadableSpan[]> => {
      await waitFor(`spans ${names.join(', ')}`, () => {
        const have = otel.traceOf(traceId).map((s) => s.name);
        return names.every((n) => have.filter((h) => h === n).length >= count(names, n));
      });
      return otel.traceOf(traceId);
    };

    it('a plain task: send, assign and process continue the submitter, the handler nests under process', async () => {
      const { view, request, traceId } = await submitInRequest('work', { n: 1 });
      const done = await client.wait(view.id, 20_000);
      expect(done.state).toBe('done');
      const spans = await spansOf(traceId, [
        'request',
        'send work',
        'assign work',
        'process work',
        'user work',
      ]);
      const send = only(spans, 'send work');
      const assign = only(spans, 'assign work');
      const process = only(spans, 'process work');
      const user = only(spans, 'user work');
      expect(parentSpanId(send)).toBe(id(request as unknown as ReadableSpan));
      expect(send.kind).toBe(SpanKind.PRODUCER);
      expect(parentSpanId(assign)).toBe(id(send));
      expect(parentSpanId(process)).toBe(id(send));
      expect(process.kind).toBe(SpanKind.CONSUMER);
      expect(parentSpanId(user)).toBe(id(process));
      for (const s of [send, assign, process])
        expect(s.attributes).toMatchObject({
          'messaging.system': 'shepherd',
          'messaging.destination.name': 'work',
          'messaging.message.id': view.id,
        });
      expect(send.attributes['messaging.operation.type']).toBe('send');
      expect(process.attributes).toMatchObject({
        'messaging.operation.type': 'process',
        'shepherd.worker.id': 'w1',
        'shepherd.task.attempt': 1,
        'shepherd.task.outcome': 'done',
      });
      expect(assign.attributes['shepherd.worker.id']).toBe('w1');
      expect(typeof assign.attributes['shepherd.task.wait_ms']).toBe('number');
      // The record carries the send span's context, W3C form.
      const stored = await client.get(view.id);
      expect(stored.state).toBe('done');
      expect(stored.traceId).toBe(traceId);
      const data = await connections[0].client.getData(paths.status(view.id));
      const record = decodeRecord(data.data, paths.status(view.id));
      expect(record.trace?.traceparent).toBe(`00-${traceId}-${id(send)}-01`);
      // Every log line about the task carries the attempt's trace and span ids.
      const about = lines.filter((l) => l.fields.taskId === view.id);
      expect(about.map((l) => l.msg)).toEqual(
        expect.arrayContaining(['task started', 'task outcome stored']),
      );
      for (const l of about)
        expect(l.fields).toMatchObject({ trace_id: traceId, span_id: id(process) });
    });

    it('a retried task: one process span per attempt, the second linked to the first', async () => {
      const { view, traceId } = await submitInRequest('flaky', null, { backoffMs: 10 });
      expect((await client.wait(view.id, 20_000)).state).toBe('done');
      const spans = await spansOf(traceId, ['process flaky', 'process flaky']);
      const send = only(spans, 'send flaky');
      const attempts = spans
        .filter((s) => s.name === 'process flaky')
        .sort(
          (a, b) =>
            Number(a.attributes['shepherd.task.attempt']) -
            Number(b.attributes['shepherd.task.attempt']),
        );
      expect(attempts.map((s) => s.attributes['shepherd.task.attempt'])).toEqual([1, 2]);
      for (const s of attempts) expect(parentSpanId(s)).toBe(id(send));
      expect(attempts[0].status.code).toBe(SpanStatusCode.ERROR);
      expect(attempts[0].attributes['shepherd.task.outcome']).toBe('retry');
      expect(attempts[0].events.map((e) => e.name)).toContain('exception');
      expect(attempts[1].status.code).not.toBe(SpanStatusCode.ERROR);
      expect(attempts[1].attributes['shepherd.task.outcome']).toBe('done');
      expect(attempts[1].links.map((l) => l.context.spanId)).toEqual([id(attempts[0])]);
      expect(spans.filter((s) => s.name === 'assign flaky')).toHaveLength(2);
      expect(attemptsOfFlaky).toBe(2);
    });

    it('a flow: one trace, every task continuing the flow span', async () => {
      const { created, traceId, request } = await tracer.startActiveSpan(
        'request',
        async (span) => {
          const flow = await client.submitFlow({
            tasks: [
              { key: 'a', type: 'work', payload: 1 },
              { key: 'b', type: 'work', payload: 2, dependsOn: ['a'] },
            ],
          });
          span.end();
          return { created: flow, traceId: span.spanContext().traceId, request: span };
        },
      );
      for (const taskId of Object.values(created.tasks))
        expect((await client.wait(taskId, 20_000)).state).toBe('done');
      const spans = await spansOf(traceId, ['send flow', 'process work', 'process work']);
      const flow = only(spans, 'send flow');
      expect(parentSpanId(flow)).toBe(id(request as unknown as ReadableSpan));
      expect(flow.attributes).toMatchObject({
        'shepherd.flow.id': created.id,
        'messaging.batch.message_count': 2,
      });
      const processed = spans.filter((s) => s.name === 'process work');
      expect(processed.map((s) => s.attributes['messaging.message.id']).sort()).toEqual(
        Object.values(created.tasks).sort(),
      );
      for (const s of processed) expect(parentSpanId(s)).toBe(id(flow));
      // The flow's edge: b's attempt links to a's, the attempt whose result it received.
      const [a, b] = ['a', 'b'].map((key) =>
        processed.find((s) => s.attributes['messaging.message.id'] === created.tasks[key])!,
      );
      expect(a.links).toEqual([]);
      expect(b.links.map((l) => [l.context.spanId, l.attributes?.['shepherd.link.kind']])).toEqual([
        [id(a), 'dependency'],
      ]);
    });

    it('a scheduled task: a root span per fire, the task continuing it', async () => {
      await client.createSchedule({ name: 'tick', every: 400, task: { type: 'work', payload: 0 } });
      await waitFor('a fire processed', () =>
        otel
          .named('fire tick')
          .some((fire) =>
            otel.traceOf(fire.spanContext().traceId).some((s) => s.name === 'process work'),
          ),
      );
      await client.deleteSchedule('tick');
      const fire = otel
        .named('fire tick')
        .find((f) => otel.traceOf(f.spanContext().traceId).some((s) => s.name === 'process work'))!;
      expect(parentSpanId(fire)).toBeUndefined();
      expect(fire.kind).toBe(SpanKind.PRODUCER);
      expect(fire.attributes['shepherd.schedule.name']).toBe('tick');
      const process = only(otel.traceOf(fire.spanContext().traceId), 'process work');
      expect(parentSpanId(process)).toBe(id(fire));
    });

    it('a reassigned task: the loss is an event on its trace, the next attempt linked to the lost one', async () => {
      hang = new Promise<void>((r) => (releaseHang = r));
      // w1 alone serves "slow"; the task hangs there until w1's session ends.
      const { view, traceId } = await submitInRequest('slow', null, { maxAttempts: 3 });
      await waitFor('running on w1', async () => (await client.get(view.id)).state === 'running');
      // Its session closed under it, as when the process is killed: /workers/w1 goes at once.
      await workerConnections.get('w1')?.close();
      releaseHang?.();
      await startWorker('w2');
      expect((await client.wait(view.id, 30_000)).state).toBe('done');
      const spans = await spansOf(traceId, ['reassign slow', 'process slow']);
      const send = only(spans, 'send slow');
      const reassign = only(spans, 'reassign slow');
      expect(parentSpanId(reassign)).toBe(id(send));
      expect(reassign.attributes).toMatchObject({
        'shepherd.worker.lost': 'w1',
        'shepherd.reassign.reason': 'worker lost',
      });
      expect(reassign.events.map((e) => e.name)).toEqual(['worker lost']);
      const second = spans.find(
        (s) => s.name === 'process slow' && s.attributes['shepherd.worker.id'] === 'w2',
      )!;
      expect(second.attributes['shepherd.task.attempt']).toBe(2);
      // Both link to the attempt that was lost (its own span ended without an outcome stored).
      const firstId = reassign.links[0]?.context.spanId;
      expect(firstId).toMatch(/^[0-9a-f]{16}$/);
      expect(second.links.map((l) => l.context.spanId)).toEqual([firstId]);
      expect(
        spans
          .filter((s) => s.name === 'assign slow')
          .map((s) => s.attributes['shepherd.worker.id'])
          .sort(),
      ).toEqual(['w1', 'w2']);
    });

    it('submissions: no span for a refused batch; a duplicate names the task that answered it', async () => {
      const sends = () => otel.spans.getFinishedSpans().filter((s) => s.name.startsWith('send '));
      const before = sends().length;
      await expect(
        client.submitMany([
          { type: 'work', payload: 1 },
          { type: 'not a type!', payload: 2 },
        ]),
      ).rejects.toThrow(/items\[1\]/);
      expect(sends()).toHaveLength(before);
      const first = await client.submit('work', 1, { idempotencyKey: 'once' });
      const again = await submitInRequest('work', 1, { idempotencyKey: 'once' });
      expect(again.view.id).toBe(first.id);
      const duplicate = only(otel.traceOf(again.traceId), 'send work');
      expect(duplicate.attributes).toMatchObject({
        'messaging.message.id': first.id,
        'shepherd.task.duplicate': true,
      });
      await client.wait(first.id, 20_000);
    });

    it('a task whose last attempt is lost: a dead span, an error, on its trace', async () => {
      // Its own worker, the only one serving "doomed": the task hangs there until it is lost.
      await startWorker('w3', {
        doomed: (t: TaskContext) =>
          new Promise((r) => t.signal.addEventListener('abort', r, { once: true })),
      });
      const { view, traceId } = await submitInRequest('doomed', null, { maxAttempts: 1 });
      await waitFor('running on w3', async () => (await client.get(view.id)).state === 'running');
      await workerConnections.get('w3')?.close();
      expect((await client.wait(view.id, 30_000)).state).toBe('dead');
      const spans = await spansOf(traceId, ['dead doomed']);
      const dead = only(spans, 'dead doomed');
      expect(parentSpanId(dead)).toBe(id(only(spans, 'send doomed')));
      expect(dead.status.code).toBe(SpanStatusCode.ERROR);
      expect(dead.events.map((e) => e.name)).toEqual(['worker lost']);
      expect(dead.attributes).toMatchObject({
        'shepherd.task.outcome': 'dead',
        'shepherd.worker.lost': 'w3',
      });
      expect(spans.filter((s) => s.name.startsWith('reassign '))).toEqual([]);
    });

    it('a handler that throws what is not an Error: the attempt ends as an error all the same', async () => {
      const { view, traceId } = await submitInRequest('weird', null, { maxAttempts: 1 });
      // Its only attempt failed: dead.
      expect((await client.wait(view.id, 20_000)).state).toBe('dead');
      const process = only(await spansOf(traceId, ['process weird']), 'process weird');
      expect(process.status.code).toBe(SpanStatusCode.ERROR);
      expect(process.attributes['shepherd.task.outcome']).toBe('dead');
    });

    it('metrics through the OpenTelemetry API: wait, run, outcomes, reassignments, queue depth', async () => {
      const outcomes = await otel.points('shepherd.task.outcomes');
      const byOutcome = (type: string, outcome: string) =>
        outcomes.find(
          (p) =>
            p.attributes['messaging.destination.name'] === type &&
            p.attributes['shepherd.task.outcome'] === outcome,
        )?.value;
      expect(byOutcome('flaky', 'retry')).toBe(1);
      expect(byOutcome('flaky', 'done')).toBe(1);
      expect(byOutcome('work', 'done')).toBeGreaterThanOrEqual(3);
      // Dead because the worker holding its last attempt was lost: counted by the master.
      expect(byOutcome('doomed', 'dead')).toBe(1);
      const reassigned = await otel.points('shepherd.task.reassignments');
      expect(reassigned).toEqual([
        expect.objectContaining({
          attributes: {
            'messaging.destination.name': 'slow',
            'shepherd.reassign.reason': 'worker lost',
          },
          value: 1,
        }),
      ]);
      const waits = await otel.points('shepherd.task.wait.duration');
      expect(waits.map((p) => p.attributes['messaging.destination.name'])).toEqual(
        expect.arrayContaining(['work', 'flaky', 'slow']),
      );
      const runs = await otel.points('shepherd.task.run.duration');
      expect(runs.length).toBeGreaterThan(0);
      // The leader's gauge: one queued and one running point per type it knows, and a type
      // that drained stays at 0 (a series that vanished would keep showing its last depth).
      const depth = async (value: number) =>
        (await otel.points('shepherd.queue.depth')).some(
          (p) =>
            p.attributes['messaging.destination.name'] === 'nobody-serves-this' &&
            p.attributes['shepherd.task.state'] === 'queued' &&
            p.value === value,
        );
      const unserved = await client.submit('nobody-serves-this', null);
      await waitFor('depth of the unserved type', () => depth(1));
      await client.cancel(unserved.id);
      await waitFor('the drained type at 0', () => depth(0));
      expect(
        (await otel.points('shepherd.queue.depth')).find(
          (p) => p.attributes['shepherd.task.state'] === 'unclassified',
        )?.value,
      ).toBe(0);
    });
  });
}

function count(names: string[], name: string): number {
  return names.filter((n) => n === name).length;
}
