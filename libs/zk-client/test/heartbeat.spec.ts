import { Heartbeat } from '@shepherd/zk-client';
import { FakeClock } from './fakes';

describe('Heartbeat (ClientCnxn: ping at 1/3, lost at 2/3 of the session timeout)', () => {
  function setup() {
    const clock = new FakeClock();
    const pings: number[] = [];
    const timeouts: number[] = [];
    const hb = new Heartbeat(clock, {
      sendPing: () => pings.push(clock.now()),
      onReadTimeout: () => timeouts.push(clock.now()),
    });
    return { clock, pings, timeouts, hb };
  }

  it('pings after a third of the timeout when idle', () => {
    const { clock, pings, hb } = setup();
    hb.start(30000);
    clock.advance(9999);
    expect(pings).toEqual([]);
    clock.advance(1);
    expect(pings).toEqual([10000]);
  });

  it('declares the connection lost at two thirds without hearing from the server', () => {
    const { clock, pings, timeouts, hb } = setup();
    hb.start(30000);
    clock.advance(19999);
    expect(timeouts).toEqual([]);
    clock.advance(1);
    expect(pings).toEqual([10000]);
    expect(timeouts).toEqual([20000]);
    expect(hb.running).toBe(false);
  });

  it('keeps the connection while replies arrive, and postpones pings while sending', () => {
    const { clock, pings, timeouts, hb } = setup();
    hb.start(30000);
    clock.advance(8000);
    hb.sent();
    clock.advance(8000); // 16000: last send at 8000, no ping due until 18000
    expect(pings).toEqual([]);
    hb.received();
    clock.advance(2000);
    expect(pings).toEqual([18000]);
    clock.advance(15000); // 33000: received at 16000, lost at 36000
    expect(timeouts).toEqual([]);
    clock.advance(3000);
    expect(timeouts).toEqual([36000]);
  });

  it('stop() cancels the timer', () => {
    const { clock, pings, hb } = setup();
    hb.start(3000);
    hb.stop();
    clock.advance(10000);
    expect(pings).toEqual([]);
    expect(clock.pending).toBe(0);
  });
});
