import { JuteReader } from '../jute-reader';
import { JuteWriter } from '../jute-writer';
import { EventType, KeeperState } from '../watcher-constants';
import { readRequiredString } from './required';

/** zookeeper.jute: WatcherEvent, the body of a reply with xid -1 (a notification). */
export interface WatcherEvent {
  type: EventType;
  state: KeeperState;
  path: string;
}

export function writeWatcherEvent(w: JuteWriter, e: WatcherEvent): void {
  w.writeInt(e.type);
  w.writeInt(e.state);
  w.writeString(e.path);
}

/** Unknown type/state numbers are passed through: a newer server must not break decoding. */
export function readWatcherEvent(r: JuteReader): WatcherEvent {
  const type: EventType = r.readInt();
  const state: KeeperState = r.readInt();
  return { type, state, path: readRequiredString(r, 'WatcherEvent.path') };
}
