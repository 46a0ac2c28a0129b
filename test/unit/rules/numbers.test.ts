import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { low32, readSigned, readUnsigned } from '../../../server/src/rules/checks/numbers';

// strtoul(text, NULL, 0) written out the long way, as the reference: the base from the
// prefix, then the longest run of digits of that base, saturated at 2^64 - 1.
function strtoul(text: string): { value: bigint; length: number; overflow: boolean } {
  let base = 10;
  let index = 0;
  if (text[0] === '0') {
    if (/^0[xX][0-9a-fA-F]/.test(text)) {
      base = 16;
      index = 2;
    } else {
      base = 8;
    }
  }
  const digits = base === 16 ? /[0-9a-fA-F]/ : base === 8 ? /[0-7]/ : /[0-9]/;
  let value = 0n;
  let read = 0;
  while (index < text.length && digits.test(text[index])) {
    value = value * BigInt(base) + BigInt(parseInt(text[index], base));
    index++;
    read++;
  }
  if (base === 8 && read === 0) index = 1;
  const max = (1n << 64n) - 1n;
  return { value: value > max ? max : value, length: index, overflow: value > max };
}

test('readUnsigned reads as strtoul does, short decimals and long ones alike', () => {
  const cases = ['1', '9', '1000', '4294967295', '4294967296', '123456789012345',
    '1234567890123456', '99999999999999999999999', '18446744073709551615',
    '18446744073709551616', '15x', '1000abc', '0', '010', '08', '0x1f', '0xg', '7 '];
  for (const text of cases) assert.deepEqual(readUnsigned(text), strtoul(text), text);

  const word = fc.stringMatching(/^[1-9][0-9]{0,24}[a-z0-9]{0,3}$/);
  fc.assert(fc.property(word, (text) => {
    assert.deepEqual(readUnsigned(text), strtoul(text));
  }), { numRuns: 5000 });
});

test('low32 keeps the low 32 bits, as the kernel\'s __u32 receives them', () => {
  assert.equal(low32(0n), 0);
  assert.equal(low32(4294967295n), 4294967295);
  assert.equal(low32(4294967296n), 0);
  assert.equal(low32(4294967298n), 2);
  assert.equal(low32(-1n), 4294967295);
  assert.equal(low32(readSigned('-2').value), 4294967294);
});
