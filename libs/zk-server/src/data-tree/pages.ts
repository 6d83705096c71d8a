/**
 * Rows per page of the tree's typed-array columns (node-store.ts, path-index.ts): columns grow a
 * page at a time, so growing never copies what exists and leaves at most one page unused.
 */
export const PAGE_BITS = 13;
export const PAGE_SIZE = 1 << PAGE_BITS;
export const PAGE_MASK = PAGE_SIZE - 1;
