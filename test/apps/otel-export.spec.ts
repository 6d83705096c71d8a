import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { OtlpReceiver, ReceivedSpan, attributesOf } from '../support/otel/otlp-receiver';
import { STORY_PARENT_SPAN_ID, runReassignedTask } from '../support/otel/reassigned-task';
import { waitFor } from '../support/wait-for';

// `shepherd up --otel` as a user runs it, exporting to an OTLP/HTTP receiver: a task submitted
// over REST with a traceparent, its worker killed with SIGKILL while it runs, and the whole
// story in one trace across the client app, the master and the workers.
jest.setTimeout(300_000);

describe('shepherd up --otel', () => {
  const receiver = new OtlpReceiver();
  const dir = mkdtempSync(join(tmpdir(), 'shepherd-otel-'));

  afterAll(async () => {
    await receiver.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('exports one trace of a task reassigned after its worker was killed, from every process', async () => {
    const story = await runReassignedTask(receiver, dir);
    expect(story.launcherOutput).toContain(
      `  Telemetry      traces and metrics over OTLP to ${story.endpoint}`,
    );
    expect(story).toMatchObject({ state: 'done', attempts: 2 });
    expect(story.finishedBy).not.toBe(story.killed);

    const { spans } = story;
    const one = (name: string): ReceivedSpan => {
      const found = spans.filter((s) => s.name === name);
      expect(found).toHaveLength(1);
      return found[0];
    };
    const send = one('send sleep');
    expect(send.service).toBe('shepherd-client');
    expect(send.parentSpanId).toBe(STORY_PARENT_SPAN_ID);
    const reassign = one('reassign sleep');
    expect(reassign.service).toBe('shepherd-master');
    expect(reassign.parentSpanId).toBe(send.spanId);
    expect(reassign.events?.map((e) => e.name)).toEqual(['worker lost']);
    expect(attributesOf(reassign.attributes)).toMatchObject({
      'shepherd.worker.lost': story.killed,
    });
    const assigns = spans.filter((s) => s.name === 'assign sleep');
    expect(assigns.map((s) => s.service)).toEqual(['shepherd-master', 'shepherd-master']);
    expect(assigns.map((s) => attributesOf(s.attributes)['shepherd.worker.id']).sort()).toEqual(
      [story.killed, story.finishedBy].sort(),
    );
    // The killed worker's attempt never ended, so only the second one is exported; it is
    // linked to the first, as the reassignment is.
    const second = one('process sleep');
    expect(second.service).toBe('shepherd-worker');
    expect(second.parentSpanId).toBe(send.spanId);
    expect(attributesOf(second.attributes)).toMatchObject({
      'shepherd.task.attempt': 2,
      'shepherd.worker.id': story.finishedBy,
      'shepherd.task.outcome': 'done',
    });
    expect(second.links).toHaveLength(1);
    expect(second.links?.map((l) => l.spanId)).toEqual(reassign.links?.map((l) => l.spanId));

    // The metrics came over OTLP too: the master counted the reassignment.
    await waitFor('the reassignment counted', () =>
      receiver.points.some(
        (p) =>
          p.metric === 'shepherd.task.reassignments' &&
          p.service === 'shepherd-master' &&
          p.value === 1,
      ),
    );
  });
});
