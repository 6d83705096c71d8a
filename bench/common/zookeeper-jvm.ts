/**
 * Apache ZooKeeper in a benchmark runs as the package's zkServer.sh starts it: no heap,
 * collector or compiler flags, so the JVM's own defaults (G1, a heap of up to a quarter of the
 * memory, the optimizing C2 compiler). The test harness's flags (a 256 MB heap, the serial
 * collector, the C1 compiler only) start a JVM quickly but run it slower: a peer measured
 * against Shepherd must run at its best documented settings.
 */
export const ZOOKEEPER_JVM_AS_PACKAGED: readonly string[] = [];
