/** The `mode` of AddWatchRequest (AddWatchMode.java, ZooDefs.AddWatchModes). */
export enum AddWatchMode {
  PERSISTENT = 0,
  PERSISTENT_RECURSIVE = 1,
}
