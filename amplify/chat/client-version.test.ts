/** The protocol-version gate on its own: which query values pass, which are outdated, which are malformed. */
import { describe, expect, it } from 'vitest';
import { ErrorCode, PROTOCOL_QUERY } from '../../lib/protocol';
import { CLIENT_OUTDATED_MESSAGE, requireCurrentClient } from './client-version';

const codeOf = (raw: string | undefined, min = 2) => {
  try {
    return requireCurrentClient(raw === undefined ? {} : { [PROTOCOL_QUERY]: raw }, min);
  } catch (error) {
    return error as { code: string; message: string };
  }
};

describe('requireCurrentClient', () => {
  it('passes a whole number at or above the minimum, and tells which', () => {
    expect(codeOf('2')).toBe(2);
    expect(codeOf('12')).toBe(12);
    expect(codeOf('999999', 999_999)).toBe(999_999);
    expect(codeOf(undefined, 1)).toBe(1); // no parameter: a client from before it, version 1
  });

  it('an older client is CLIENT_OUTDATED with the reload words', () => {
    expect(codeOf('1')).toMatchObject({ code: ErrorCode.ClientOutdated, message: CLIENT_OUTDATED_MESSAGE });
    expect(codeOf(undefined)).toMatchObject({ code: ErrorCode.ClientOutdated });
  });

  it('anything but 1-6 digits is BAD_REQUEST naming the parameter', () => {
    for (const raw of ['-5', '1e3', '5x', 'x5', '', ' 3', '1234567', '2.0']) {
      expect(codeOf(raw)).toMatchObject({ code: ErrorCode.BadRequest, message: `${PROTOCOL_QUERY} must be a whole number` });
    }
  });
});
