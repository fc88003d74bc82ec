import { describe, expect, it } from 'vitest';
import { OutputTail } from '../../../agent/helper/output-tail.js';

describe('OutputTail', () => {
  it('keeps everything under the limit, unmarked', () => {
    const tail = new OutputTail(16);
    tail.push(Buffer.from('abc\n'));
    tail.push(Buffer.from('def\n'));
    expect(tail.text()).toBe('abc\ndef\n');
  });

  it('keeps only the last bytes of a long output and marks the cut', () => {
    const tail = new OutputTail(8);
    for (let i = 0; i < 1000; i++) tail.push(Buffer.from(`line ${i}\n`));
    expect(tail.text()).toBe('…ine 999\n');
    const big = new OutputTail(4);
    big.push(Buffer.from('0123456789'));
    expect(big.text()).toBe('…6789');
  });

  it('escapes control characters but keeps line breaks', () => {
    const tail = new OutputTail(64);
    tail.push(Buffer.from('\u001b[31mred\r\nnext\u009b'));
    expect(tail.text()).toBe('\\x1b[31mred\\r\nnext\\x9b');
  });
});
