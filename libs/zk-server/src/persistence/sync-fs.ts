import * as fs from 'fs';

/**
 * The few file-system calls persistence makes, behind an interface so tests can count or fail
 * fsyncs (group commit, fsync errors) without touching timing. Everything is async: the server
 * is single-threaded, and a blocking fsync would stall every connection (ZooKeeper gets the same
 * effect from its SyncRequestProcessor thread).
 */
export interface SyncFs {
  open(path: string, flags: string): Promise<number>;
  /** Positional gather-write (pwritev); may write fewer bytes than asked (disk full). */
  writev(fd: number, buffers: Buffer[], position: number): Promise<number>;
  fdatasync(fd: number): Promise<void>;
  fsync(fd: number): Promise<void>;
  ftruncate(fd: number, length: number): Promise<void>;
  close(fd: number): Promise<void>;
  /** Positional read into `buffer` at `offset`; resolves the bytes read, 0 at the end. */
  read(
    fd: number,
    buffer: Buffer,
    offset: number,
    length: number,
    position: number,
  ): Promise<number>;
  /** The size of an open file. */
  size(fd: number): Promise<number>;
  readFile(path: string): Promise<Buffer>;
  readdir(dir: string): Promise<string[]>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  mkdir(dir: string): Promise<void>;
  /** Makes a directory's entries (creates, renames, unlinks) durable. */
  syncDir(dir: string): Promise<void>;
  /**
   * Optional blocking forms of writev and fdatasync, for the txn log's small batches: on the
   * calling thread they save the two thread-pool round trips around every group commit (each
   * costs more than the write itself), at the price of blocking the event loop for one fsync.
   */
  writevBlocking?(fd: number, buffers: Buffer[], position: number): number;
  fdatasyncBlocking?(fd: number): void;
}

function cb<T>(run: (done: (err: NodeJS.ErrnoException | null, value?: T) => void) => void) {
  return new Promise<T>((resolve, reject) =>
    run((err, value) => (err ? reject(err) : resolve(value as T))),
  );
}

/** The real file system, through fs's callback API (no FileHandle objects per call). */
export const nodeSyncFs: SyncFs = {
  open: (path, flags) => cb<number>((d) => fs.open(path, flags, 0o644, d)),
  writev: (fd, buffers, position) => cb<number>((d) => fs.writev(fd, buffers, position, d)),
  fdatasync: (fd) => cb<void>((d) => fs.fdatasync(fd, d)),
  fsync: (fd) => cb<void>((d) => fs.fsync(fd, d)),
  ftruncate: (fd, length) => cb<void>((d) => fs.ftruncate(fd, length, d)),
  close: (fd) => cb<void>((d) => fs.close(fd, d)),
  read: (fd, buffer, offset, length, position) =>
    cb<number>((d) => fs.read(fd, buffer, offset, length, position, d)),
  size: (fd) => cb<fs.Stats>((d) => fs.fstat(fd, d)).then((st) => st.size),
  readFile: (path) => cb<Buffer>((d) => fs.readFile(path, d)),
  readdir: (dir) => cb<string[]>((d) => fs.readdir(dir, d)),
  rename: (from, to) => cb<void>((d) => fs.rename(from, to, d)),
  unlink: (path) => cb<void>((d) => fs.unlink(path, d)),
  mkdir: (dir) => cb<void>((d) => fs.mkdir(dir, { recursive: true }, (err) => d(err))),
  writevBlocking: (fd, buffers, position) => fs.writevSync(fd, buffers, position),
  fdatasyncBlocking: (fd) => fs.fdatasyncSync(fd),
  syncDir: async (dir) => {
    const fd = await cb<number>((d) => fs.open(dir, 'r', d));
    try {
      await cb<void>((d) => fs.fsync(fd, d));
    } finally {
      await cb<void>((d) => fs.close(fd, d));
    }
  },
};

/** Drops the first `written` bytes of `buffers` (after a short write). */
function rest(buffers: Buffer[], written: number): Buffer[] {
  let skip = written;
  const out: Buffer[] = [];
  for (const b of buffers) {
    if (skip >= b.length) {
      skip -= b.length;
      continue;
    }
    out.push(skip > 0 ? b.subarray(skip) : b);
    skip = 0;
  }
  return out;
}

/** writeFully with SyncFs.writevBlocking, on the calling thread. */
export function writeFullyBlocking(
  sfs: Required<Pick<SyncFs, 'writevBlocking'>>,
  fd: number,
  buffers: Buffer[],
  position: number,
): void {
  let pending = buffers;
  let pos = position;
  for (;;) {
    const total = pending.reduce((n, b) => n + b.length, 0);
    if (total === 0) {
      return;
    }
    const written = sfs.writevBlocking(fd, pending, pos);
    if (written <= 0) {
      throw new Error(`write made no progress at offset ${pos}`);
    }
    pos += written;
    if (written === total) {
      return;
    }
    pending = rest(pending, written);
  }
}

/** Writes all of `buffers` at `position`, resuming after short writes (pwritev semantics). */
export async function writeFully(
  sfs: SyncFs,
  fd: number,
  buffers: Buffer[],
  position: number,
): Promise<void> {
  let pending = buffers;
  let pos = position;
  for (;;) {
    const total = pending.reduce((n, b) => n + b.length, 0);
    if (total === 0) {
      return;
    }
    const written = await sfs.writev(fd, pending, pos);
    if (written <= 0) {
      throw new Error(`write made no progress at offset ${pos}`);
    }
    pos += written;
    if (written === total) {
      return;
    }
    pending = rest(pending, written);
  }
}
