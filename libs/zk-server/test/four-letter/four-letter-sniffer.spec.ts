import { FourLetterSniffer, fourLetterWordOf } from '@shepherd/zk-server';

describe('FourLetterSniffer', () => {
  it('recognises a word split over several chunks', () => {
    const s = new FourLetterSniffer();
    expect(s.push(Buffer.from('mn')).kind).toBe('more');
    expect(s.push(Buffer.from('tr'))).toEqual({ kind: 'word', word: 'mntr' });
  });

  it('hands a ConnectRequest on unchanged, held bytes included', () => {
    const s = new FourLetterSniffer();
    const frame = Buffer.from([0, 0, 0, 44, 1, 2, 3]);
    expect(s.push(frame.subarray(0, 2)).kind).toBe('more');
    expect(s.push(frame.subarray(2))).toEqual({ kind: 'frames', bytes: frame });
    // Decided once: later bytes are never taken for a word.
    expect(s.push(Buffer.from('ruok'))).toEqual({ kind: 'frames', bytes: Buffer.from('ruok') });
  });

  it('knows the words of FourLetterCommands and nothing else', () => {
    expect(fourLetterWordOf(Buffer.from('ruok').readInt32BE(0))).toBe('ruok');
    expect(fourLetterWordOf(Buffer.from('abcd').readInt32BE(0))).toBeUndefined();
    expect(fourLetterWordOf(44)).toBeUndefined();
  });
});
