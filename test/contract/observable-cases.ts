import { firstValueFrom, filter } from 'rxjs';
import { AsyncQueue } from './async-queue';
import { ContractContext } from './contract-context';

/** The rxjs helpers data$ / children$ re-arm their watches and track the node. */
export function observableCases(ctx: ContractContext): void {
  describe('data$ and children$', () => {
    it('data$ emits null while absent, every new value, and null after delete', async () => {
      const zk = await ctx.client();
      const writer = await ctx.client();
      const root = await ctx.root(zk);
      const path = `${root}/cfg`;
      const values = new AsyncQueue<string | null>();
      const sub = zk.data$(path).subscribe((v) => values.push(v === null ? null : String(v.data)));
      try {
        expect(await values.next('initial null')).toBeNull();
        await writer.create(path, 'v1');
        expect(await values.next('v1')).toBe('v1');
        await writer.setData(path, 'v2');
        expect(await values.next('v2')).toBe('v2');
        await writer.setData(path, 'v3');
        expect(await values.next('v3')).toBe('v3');
        await writer.delete(path);
        expect(await values.next('null after delete')).toBeNull();
        await writer.create(path, 'again');
        expect(await values.next('again')).toBe('again');
      } finally {
        sub.unsubscribe();
      }
    });

    it('children$ emits the child list on every change', async () => {
      const zk = await ctx.client();
      const writer = await ctx.client();
      const root = await ctx.root(zk);
      const lists = new AsyncQueue<string[]>();
      const sub = zk.children$(root).subscribe((c) => lists.push([...c].sort()));
      try {
        expect(await lists.next('[]')).toEqual([]);
        await writer.create(`${root}/a`);
        expect(await lists.next('[a]')).toEqual(['a']);
        await writer.create(`${root}/b`);
        expect(await lists.next('[a, b]')).toEqual(['a', 'b']);
        await writer.delete(`${root}/a`);
        expect(await lists.next('[b]')).toEqual(['b']);
      } finally {
        sub.unsubscribe();
      }
    });

    it('data$ works with rxjs operators', async () => {
      const zk = await ctx.client();
      const root = await ctx.root(zk);
      const ready = firstValueFrom(
        zk.data$(`${root}/flag`).pipe(filter((v) => v?.data?.toString() === 'ready')),
      );
      await zk.create(`${root}/flag`, 'starting');
      await zk.setData(`${root}/flag`, 'ready');
      expect((await ready)?.stat.version).toBe(1);
    });
  });
}
