/**
 * `npm run docs:trace-picture`: the README's picture of a trace. Runs `shepherd up --otel`
 * against an OTLP/HTTP receiver, submits a task over REST with a traceparent, kills its worker
 * with SIGKILL while it runs, and draws the task's trace, as exported by the client app, the
 * master and the workers, into docs/trace-reassigned.svg.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { OtlpReceiver } from '../support/otel/otlp-receiver';
import { STORY_TRACE_ID, runReassignedTask } from '../support/otel/reassigned-task';
import { traceWaterfallSvg } from '../support/otel/trace-waterfall';

const OUT = resolve(__dirname, '../../docs/trace-reassigned.svg');

async function main(): Promise<void> {
  const receiver = new OtlpReceiver();
  const dir = mkdtempSync(join(tmpdir(), 'shepherd-trace-picture-'));
  try {
    process.stderr.write('starting shepherd up --otel (1 master, 2 workers)...\n');
    const story = await runReassignedTask(receiver, dir);
    process.stderr.write(
      `task ${story.taskId}: ${story.killed} killed, ${story.finishedBy} finished it ` +
        `(${story.spans.length} spans exported)\n`,
    );
    const svg = traceWaterfallSvg(story.spans, {
      title: `One task's trace: its worker killed mid-run (kill -9), the task reassigned`,
      subtitle:
        `trace ${STORY_TRACE_ID}, continued from the caller's traceparent; ` +
        'exported over OTLP by the client app, the master and the workers (shepherd up --otel)',
      lostAttempt: { worker: story.killed, label: 'process sleep' },
    });
    writeFileSync(OUT, svg);
    process.stdout.write(`wrote ${OUT}\n`);
  } finally {
    await receiver.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
