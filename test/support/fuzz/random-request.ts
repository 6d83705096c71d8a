import {
  ACL,
  AddWatchMode,
  ConnectRequest,
  MultiOp,
  OpCode,
  Perms,
  ReadOp,
  Request,
  WatcherType,
} from '@shepherd/zk-protocol';
import { Prng } from './prng';

/**
 * Random but well-formed requests for every op the codec can encode, with fields drawn from
 * values that exercise the server's validation (PathUtils.validatePath, ACL checks, versions,
 * create flags) rather than uniformly random ones.
 */

/** The subtree fuzz writes go to; the well-behaved client works elsewhere. */
export const FUZZ_ROOT = '/fz';

const NAMES = ['a', 'b', 'c', 'd', 'seq-', 'x'.repeat(40), 'ü', '🙂', 'n0000000001'];

const BAD_PATHS = [
  '',
  'relative',
  '/trailing/',
  '//double',
  '/fz/./a',
  '/fz/../a',
  '/fz/.',
  '/nul\u0000byte',
  '/ctl\u0001',
  '/\ufffe',
  '/\ud800lone',
  '/zookeeper',
  '/zookeeper/quota',
  '/zookeeper/config',
  '/',
];

export function randomPath(rng: Prng): string {
  const roll = rng.next();
  if (roll < 0.15) return rng.pick(BAD_PATHS);
  if (roll < 0.155) return `${FUZZ_ROOT}/${'p'.repeat(rng.range(200, 60000))}`;
  if (roll < 0.16) return FUZZ_ROOT + '/d'.repeat(rng.range(10, 300));
  let path = FUZZ_ROOT;
  const depth = rng.int(4);
  for (let i = 0; i < depth; i++) path += `/${rng.pick(NAMES)}`;
  return path;
}

function randomData(rng: Prng): Buffer | null {
  const roll = rng.next();
  if (roll < 0.1) return null;
  if (roll < 0.6) return rng.bytes(rng.int(16));
  if (roll < 0.995) return rng.bytes(rng.int(1024));
  return Buffer.alloc(rng.range(100_000, 900_000));
}

const SCHEMES = ['world', 'auth', 'digest', 'ip', 'x509', 'sasl', 'bogus', ''];

function randomAcl(rng: Prng): ACL[] {
  const roll = rng.next();
  if (roll < 0.6) return [{ perms: Perms.ALL, id: { scheme: 'world', id: 'anyone' } }];
  if (roll < 0.7) return [];
  const n = rng.chance(0.005) ? rng.range(100, 2000) : rng.range(1, 4);
  const acl: ACL[] = [];
  for (let i = 0; i < n; i++) {
    acl.push({
      perms: rng.chance(0.8) ? rng.int(32) : rng.int32(),
      id: {
        scheme: rng.pick(SCHEMES),
        id: rng.pick(['anyone', 'user:hash', '127.0.0.1', '10.0.0.0/8', '1.2.3.4/99', '', 'x:y:z']),
      },
    });
  }
  return acl;
}

function randomFlags(rng: Prng): number {
  return rng.chance(0.85) ? rng.int(7) : rng.int32();
}

function randomVersion(rng: Prng): number {
  return rng.chance(0.5) ? -1 : rng.chance(0.8) ? rng.int(5) : rng.int32();
}

function randomPaths(rng: Prng): string[] {
  const n = rng.chance(0.005) ? rng.range(100, 3000) : rng.int(4);
  return Array.from({ length: n }, () => randomPath(rng));
}

function randomMultiOp(rng: Prng): MultiOp {
  const path = randomPath(rng);
  switch (rng.int(6)) {
    case 0:
      return {
        op: OpCode.create,
        path,
        data: randomData(rng),
        acl: randomAcl(rng),
        flags: randomFlags(rng),
      };
    case 1:
      return { op: OpCode.create2, path, data: null, acl: randomAcl(rng), flags: randomFlags(rng) };
    case 2:
      return { op: OpCode.delete, path, version: randomVersion(rng) };
    case 3:
      return { op: OpCode.setData, path, data: randomData(rng), version: randomVersion(rng) };
    case 4:
      return { op: OpCode.check, path, version: randomVersion(rng) };
    default:
      return {
        op: OpCode.createTTL,
        path,
        data: null,
        acl: randomAcl(rng),
        flags: rng.pick([5, 6, 0, 1]),
        ttl: rng.int64(),
      };
  }
}

function multiSize(rng: Prng): number {
  return rng.chance(0.01) ? rng.range(200, 5000) : rng.int(6);
}

/** One random request of any encodable op. */
export function randomRequest(rng: Prng): Request {
  const path = randomPath(rng);
  const watch = rng.chance(0.3);
  switch (rng.int(26)) {
    case 0:
      return {
        op: OpCode.create,
        path,
        data: randomData(rng),
        acl: randomAcl(rng),
        flags: randomFlags(rng),
      };
    case 1:
      return {
        op: OpCode.create2,
        path,
        data: randomData(rng),
        acl: randomAcl(rng),
        flags: randomFlags(rng),
      };
    case 2:
      return { op: OpCode.createContainer, path, data: null, acl: randomAcl(rng), flags: 4 };
    case 3:
      return {
        op: OpCode.createTTL,
        path,
        data: randomData(rng),
        acl: randomAcl(rng),
        flags: rng.pick([5, 6, 0]),
        ttl: rng.int64(),
      };
    case 4:
      return { op: OpCode.delete, path, version: randomVersion(rng) };
    case 5:
      return { op: OpCode.exists, path, watch };
    case 6:
      return { op: OpCode.getData, path, watch };
    case 7:
      return { op: OpCode.getChildren, path, watch };
    case 8:
      return { op: OpCode.getChildren2, path, watch };
    case 9:
      return { op: OpCode.setData, path, data: randomData(rng), version: randomVersion(rng) };
    case 10:
      return { op: OpCode.getACL, path };
    case 11:
      return { op: OpCode.setACL, path, acl: randomAcl(rng), version: randomVersion(rng) };
    case 12:
      return { op: OpCode.sync, path };
    case 13:
      return { op: OpCode.ping };
    case 14:
      // Rare: it ends the session (and the connection).
      return rng.chance(0.1) ? { op: OpCode.closeSession } : { op: OpCode.ping };
    case 15:
      return { op: OpCode.check, path, version: randomVersion(rng) };
    case 16:
      return {
        op: OpCode.multi,
        ops: Array.from({ length: multiSize(rng) }, () => randomMultiOp(rng)),
      };
    case 17:
      return {
        op: OpCode.multiRead,
        ops: Array.from({ length: multiSize(rng) }, (): ReadOp => ({
          op: rng.pick([OpCode.getData, OpCode.getChildren]),
          path: randomPath(rng),
          watch: rng.chance(0.1),
        })),
      };
    case 18:
      return {
        op: rng.pick([OpCode.checkWatches, OpCode.removeWatches]),
        path,
        type: rng.chance(0.8) ? (rng.pick([1, 2, 3, 4, 5]) as WatcherType) : rng.int32(),
      };
    case 19:
      return {
        op: OpCode.addWatch,
        path,
        mode: rng.chance(0.8) ? (rng.int(2) as AddWatchMode) : rng.int32(),
      };
    case 20:
      return {
        op: OpCode.setWatches,
        relativeZxid: rng.int64(),
        dataWatches: randomPaths(rng),
        existWatches: randomPaths(rng),
        childWatches: randomPaths(rng),
      };
    case 21:
      return {
        op: OpCode.setWatches2,
        relativeZxid: rng.int64(),
        dataWatches: randomPaths(rng),
        existWatches: randomPaths(rng),
        childWatches: randomPaths(rng),
        persistentWatches: randomPaths(rng),
        persistentRecursiveWatches: randomPaths(rng),
      };
    case 22:
      // Unknown schemes get AuthFailed and a closed connection; keep them rare.
      return {
        op: OpCode.auth,
        type: rng.chance(0.9) ? 0 : rng.int32(),
        scheme: rng.chance(0.8) ? 'digest' : rng.pick(SCHEMES),
        auth: rng.chance(0.5) ? Buffer.from('user:pass') : rng.bytes(rng.int(64)),
      };
    case 23:
      return { op: OpCode.getEphemerals, prefixPath: path };
    case 24:
      return { op: OpCode.getAllChildrenNumber, path };
    default:
      return { op: OpCode.whoAmI };
  }
}

/** A ConnectRequest a real client could send (new session), or a hostile variant of one. */
export function randomConnectRequest(rng: Prng, valid: boolean): ConnectRequest {
  if (valid) {
    return {
      protocolVersion: 0,
      lastZxidSeen: 0n,
      timeOut: rng.pick([4000, 10000, 30000]),
      sessionId: 0n,
      passwd: Buffer.alloc(16),
      readOnly: rng.chance(0.5) ? false : undefined,
    };
  }
  return {
    protocolVersion: rng.int32(),
    lastZxidSeen: rng.chance(0.5) ? 0n : rng.int64(),
    timeOut: rng.int32(),
    sessionId: rng.chance(0.5) ? 0n : rng.int64(),
    passwd: rng.bytes(rng.chance(0.8) ? 16 : rng.int(300)),
    readOnly: rng.chance(0.5) ? rng.chance(0.5) : undefined,
  };
}
