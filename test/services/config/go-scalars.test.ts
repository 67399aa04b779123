import { describe, it, expect } from 'vitest';
import { GoNumberError, parseGoBool, parseGoInt, parseGoUint } from '../../../services/config/go-scalars.ts';

describe('parseGoBool (strconv.ParseBool)', () => {
  it.each(['1', 't', 'T', 'TRUE', 'true', 'True'])('%j is true', (text) => expect(parseGoBool(text)).toBe(true));
  it.each(['0', 'f', 'F', 'FALSE', 'false', 'False'])('%j is false', (text) => expect(parseGoBool(text)).toBe(false));
  it.each(['', 'yes', 'no', 'tRUE', ' true', 'on'])('%j is rejected', (text) => expect(parseGoBool(text)).toBeUndefined());
});

describe('parseGoUint (strconv.ParseUint(s, 0, 64))', () => {
  it.each([
    ['0', 0n],
    ['9999', 9999n],
    ['0x270F', 9999n],
    ['0X270f', 9999n],
    ['023417', 9999n],
    ['0o23417', 9999n],
    ['0b11', 3n],
    ['9_999', 9999n],
    ['0x_27_0F', 9999n],
    ['18446744073709551615', 18446744073709551615n],
  ])('%j = %s', (text, value) => expect(parseGoUint(text)).toBe(value));

  it.each([
    ['', 'syntax'],
    ['-1', 'syntax'],
    ['+1', 'syntax'],
    ['abc', 'syntax'],
    ['1.5', 'syntax'],
    ['0x', 'syntax'],
    ['09', 'syntax'],
    ['_1', 'syntax'],
    ['1__0', 'syntax'],
    ['1_', 'syntax'],
    [' 1', 'syntax'],
    ['18446744073709551616', 'range'],
  ])('%j is rejected (%s)', (text, problem) => {
    let caught: unknown;
    try {
      parseGoUint(text);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(GoNumberError);
    expect((caught as GoNumberError).problem).toBe(problem);
  });
});

describe('parseGoInt (strconv.ParseInt(s, 0, 64))', () => {
  it.each([
    ['401', 401n],
    ['-5', -5n],
    ['+7', 7n],
    ['-0x10', -16n],
    ['9223372036854775807', 9223372036854775807n],
    ['-9223372036854775808', -9223372036854775808n],
  ])('%j = %s', (text, value) => expect(parseGoInt(text)).toBe(value));

  it.each([
    ['', 'syntax'],
    ['-', 'syntax'],
    ['--1', 'syntax'],
    ['4O1', 'syntax'],
    ['9223372036854775808', 'range'],
    ['-9223372036854775809', 'range'],
  ])('%j is rejected (%s)', (text, problem) => {
    expect(() => parseGoInt(text)).toThrow(GoNumberError);
    try {
      parseGoInt(text);
    } catch (error) {
      expect((error as GoNumberError).problem).toBe(problem);
      expect((error as GoNumberError).text).toBe(text);
    }
  });
});
