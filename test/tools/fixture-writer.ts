import { writeFileSync } from 'fs';
import { join } from 'path';
import { FIXTURE_DIR, WireFixture } from '../support/wire-fixture';
import { RecordedConnection } from './recording-proxy';

// Fixtures are committed and reviewed: keep them to a few KB each.
const MAX_FIXTURE_BYTES = 16 * 1024;

export function toWireFixture(
  meta: Omit<WireFixture, 'connections'>,
  connections: readonly RecordedConnection[],
): WireFixture {
  if (connections.length === 0) throw new Error(`${meta.description}: nothing was recorded`);
  // Times are rebased per fixture so that re-recording only changes what really changed.
  const t0 = connections[0].chunks[0]?.t ?? 0;
  return {
    ...meta,
    connections: connections.map((c) => ({
      chunks: c.chunks.map((ch) => ({ dir: ch.dir, t: ch.t - t0, hex: ch.data.toString('hex') })),
    })),
  };
}

/** Pretty JSON, but one chunk per line: diffs stay readable and files stay small. */
function formatFixture(fixture: WireFixture): string {
  const { connections, ...meta } = fixture;
  const head = JSON.stringify(meta, null, 2).replace(/\n}$/, '');
  const conns = connections.map((c) => {
    const chunks = c.chunks.map((ch) => `        ${JSON.stringify(ch)}`).join(',\n');
    return `    {\n      "chunks": [\n${chunks}\n      ]\n    }`;
  });
  return `${head},\n  "connections": [\n${conns.join(',\n')}\n  ]\n}\n`;
}

export function writeWireFixture(name: string, fixture: WireFixture): string {
  const text = formatFixture(fixture);
  if (text.length > MAX_FIXTURE_BYTES) {
    throw new Error(`fixture ${name} is ${text.length} bytes; keep it under ${MAX_FIXTURE_BYTES}`);
  }
  const file = join(FIXTURE_DIR, `${name}.json`);
  writeFileSync(file, text);
  return file;
}
