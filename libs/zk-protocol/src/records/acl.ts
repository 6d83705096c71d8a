import { JuteReader } from '../jute-reader';
import { JuteWriter } from '../jute-writer';
import { Perms } from '../perms';
import { readRequiredString } from './required';

/** zookeeper.jute: org.apache.zookeeper.data.Id */
export interface Id {
  scheme: string;
  id: string;
}

/** zookeeper.jute: org.apache.zookeeper.data.ACL */
export interface ACL {
  perms: number;
  id: Id;
}

/** Writes an Id; a RequestACL's null scheme or id goes out as a null ustring. */
export function writeId(w: JuteWriter, id: Id | RequestACL['id']): void {
  w.writeString(id.scheme);
  w.writeString(id.id);
}

export function readId(r: JuteReader): Id {
  return { scheme: readRequiredString(r, 'Id.scheme'), id: readRequiredString(r, 'Id.id') };
}

export function writeACL(w: JuteWriter, acl: RequestACL): void {
  w.writeInt(acl.perms);
  writeId(w, acl.id);
}

export function readACL(r: JuteReader): ACL {
  const perms = r.readInt();
  return { perms, id: readId(r) };
}

/** vector<org.apache.zookeeper.data.ACL>, as embedded in create/setACL/getACL records. */
export function writeACLList(w: JuteWriter, acl: readonly RequestACL[]): void {
  w.writeVector(acl, writeACL);
}

export function readACLList(r: JuteReader): ACL[] {
  return r.readVector(readACL) ?? [];
}

/**
 * An ACL as a create or setACL request carries it. Jute ustrings are nullable and clients do
 * send null ids: kazoo writes every empty string as null, so its CREATOR_ALL_ACL
 * `Id('auth', '')` arrives with a null id. Whether that is fine is the server's call, made as
 * ZooKeeper's PrepRequestProcessor.fixupACL makes it (an `auth` entry ignores its id; a null
 * scheme has no provider), so the codec keeps the nulls instead of failing the request.
 * An ACL is a RequestACL, so clients pass their ACL lists unchanged.
 */
export interface RequestACL {
  perms: number;
  id: { scheme: string | null; id: string | null };
}

export function readRequestACL(r: JuteReader): RequestACL {
  const perms = r.readInt();
  return { perms, id: { scheme: r.readString(), id: r.readString() } };
}

/** A request's vector<ACL>; a null vector reads as empty, which the server refuses. */
export function readRequestACLList(r: JuteReader): RequestACL[] {
  return r.readVector(readRequestACL) ?? [];
}

// ZooDefs.Ids. Frozen so a shared constant can never be mutated by one caller for all others.

/** world:anyone, "This Id represents anyone." */
export const ANYONE_ID_UNSAFE: Readonly<Id> = Object.freeze({ scheme: 'world', id: 'anyone' });

/** auth:'' is only usable when setting ACLs; the server substitutes the caller's auth ids. */
export const AUTH_IDS: Readonly<Id> = Object.freeze({ scheme: 'auth', id: '' });

/** A completely open ACL. */
export const OPEN_ACL_UNSAFE: ACL[] = freezeAcl({ perms: Perms.ALL, id: ANYONE_ID_UNSAFE });

/** Gives the creator's authenticated ids all permissions. */
export const CREATOR_ALL_ACL: ACL[] = freezeAcl({ perms: Perms.ALL, id: AUTH_IDS });

/** Gives the world read access. */
export const READ_ACL_UNSAFE: ACL[] = freezeAcl({ perms: Perms.READ, id: ANYONE_ID_UNSAFE });

function freezeAcl(acl: ACL): ACL[] {
  // Typed as ACL[] (not readonly) so it can be passed straight into request records.
  return Object.freeze([Object.freeze(acl)]) as unknown as ACL[];
}
