import { aclCases } from './acl-cases';
import { chrootCases } from './chroot-cases';
import { connectionCases } from './connection-cases';
import { ContractContext } from './contract-context';
import { ContractTarget } from './contract-target';
import { createModeCases } from './create-mode-cases';
import { crudCases } from './crud-cases';
import { miscOpCases } from './misc-op-cases';
import { multiCases } from './multi-cases';
import { observableCases } from './observable-cases';
import { persistentWatchCases } from './persistent-watch-cases';
import { sessionCases } from './session-cases';
import { watchCases } from './watch-cases';

export type { ContractTarget, ContractFeatures } from './contract-target';

/**
 * The client contract: one suite of client-level cases, run against every server we support
 * (Apache ZooKeeper standalone and ensemble now, an embedded server next). `target` is read
 * lazily, inside each case, so the caller can start its server in beforeAll. Cases only need a
 * connect string; each works under its own root znode, so they are independent.
 */
export function describeClientContract(name: string, target: () => ContractTarget): void {
  describe(`client contract: ${name}`, () => {
    const ctx = new ContractContext(target);
    afterEach(() => ctx.closeAll());

    crudCases(ctx);
    createModeCases(ctx);
    watchCases(ctx);
    persistentWatchCases(ctx);
    multiCases(ctx);
    aclCases(ctx);
    chrootCases(ctx);
    sessionCases(ctx);
    connectionCases(ctx);
    miscOpCases(ctx);
    observableCases(ctx);
  });
}
