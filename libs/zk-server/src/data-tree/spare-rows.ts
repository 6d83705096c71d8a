import { PAGE_BITS, PAGE_MASK, PAGE_SIZE } from './pages';

/**
 * Rows of a few numbers that only some nodes need (node-store.ts: mzxid, pzxid, mtime once a
 * node changed; path-index.ts: first and last child and count while it has children), in paged
 * columns like the rest of the tree, handed out and taken back through a free list. A node
 * keeps the row's number in a column of its own.
 */
export class SpareRows<T extends Float64Array | Int32Array> {
  private readonly pages: T[] = [];
  private readonly free: number[] = [];
  private next = 0;

  constructor(
    private readonly fields: number,
    private readonly page: (length: number) => T,
  ) {}

  /** A row, its fields as the last user left them (the caller sets them all). */
  take(): number {
    if (this.free.length > 0) return this.free.pop() as number;
    const row = this.next++;
    if (row >>> PAGE_BITS === this.pages.length)
      this.pages.push(this.page(PAGE_SIZE * this.fields));
    return row;
  }

  give(row: number): void {
    this.free.push(row);
  }

  get(row: number, field: number): number {
    return this.pages[row >>> PAGE_BITS][(row & PAGE_MASK) * this.fields + field];
  }

  set(row: number, field: number, value: number): void {
    this.pages[row >>> PAGE_BITS][(row & PAGE_MASK) * this.fields + field] = value;
  }

  clear(): void {
    this.pages.length = 0;
    this.free.length = 0;
    this.next = 0;
  }
}
