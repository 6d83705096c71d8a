import { JuteReader } from '../jute-reader';
import { JuteWriter } from '../jute-writer';
import { readRequiredString } from './required';

/** zookeeper.jute: org.apache.zookeeper.data.ClientInfo, the element of WhoAmIResponse. */
export interface ClientInfo {
  authScheme: string;
  user: string;
}

export function writeClientInfo(w: JuteWriter, c: ClientInfo): void {
  w.writeString(c.authScheme);
  w.writeString(c.user);
}

export function readClientInfo(r: JuteReader): ClientInfo {
  return {
    authScheme: readRequiredString(r, 'ClientInfo.authScheme'),
    user: readRequiredString(r, 'ClientInfo.user'),
  };
}
