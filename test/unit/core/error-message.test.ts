// errorMessage and errnoCode read any caught value without a cast.
import { describe, expect, it } from 'vitest';
import { errnoCode, errorMessage } from '../../../agent/core/error-message.js';

describe('errorMessage', () => {
  it('is the message of an Error', () => {
    expect(errorMessage(new TypeError('bad type'))).toBe('bad type');
  });

  it('is the message of an error-like object', () => {
    expect(errorMessage({ message: 'from elsewhere' })).toBe('from elsewhere');
  });

  it('is the thrown value as text otherwise', () => {
    expect(errorMessage('plain string')).toBe('plain string');
    expect(errorMessage(42)).toBe('42');
    expect(errorMessage(undefined)).toBe('undefined');
    expect(errorMessage(null)).toBe('null');
  });
});

describe('errnoCode', () => {
  it('is the code of a failed system call', () => {
    expect(errnoCode(Object.assign(new Error('no such file'), { code: 'ENOENT' }))).toBe('ENOENT');
  });

  it('is undefined when there is no string code', () => {
    expect(errnoCode(new Error('plain'))).toBeUndefined();
    expect(errnoCode({ code: 2 })).toBeUndefined();
    expect(errnoCode('ENOENT')).toBeUndefined();
    expect(errnoCode(undefined)).toBeUndefined();
  });
});
