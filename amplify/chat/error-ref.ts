/**
 * A short reference for every error a person sees: it travels in the error frame / HTTP error body (`ref`), the UI
 * shows it in the error text, and the same line in the logs carries it, so a support ticket quoting "ref 7KQ2M9XD"
 * leads to `filter ref = "7KQ2M9XD"` in Logs Insights (docs/operations.md).
 */
import { randomInt } from 'node:crypto';
import { ChatError } from '../../lib/chat-error';
import { ErrorCode } from '../../lib/protocol';
import { logger } from './logger';
import { count } from './metrics';

/** Crockford base32 without look-alikes (no I, L, O, U): easy to read out over the phone. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** Length of a reference: 32^8 ≈ 10^12, unique enough within a log retention window. */
export const ERROR_REF_LENGTH = 8;

/** A new random reference. */
export function newErrorRef(): string {
  let ref = '';
  for (let i = 0; i < ERROR_REF_LENGTH; i++) ref += ALPHABET[randomInt(ALPHABET.length)];
  return ref;
}

/** Logs an error about to be shown to a person (code + ref, never its input) and returns the ref to send with it. */
export function referenceError(error: unknown): string {
  const ref = newErrorRef();
  const code = error instanceof ChatError ? error.code : ErrorCode.Internal;
  count('ErrorsAnswered');
  if (code === ErrorCode.Internal) {
    count('InternalErrors');
    logger.error('error answered', { errorCode: code, ref, error: error as Error });
  } else {
    logger.info('error answered', { errorCode: code, ref });
  }
  return ref;
}
