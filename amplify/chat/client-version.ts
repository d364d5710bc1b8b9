/** Refuses clients older than the protocol the server speaks (lib/protocol.ts: PROTOCOL_VERSION). */
import { ChatError } from '../../lib/chat-error';
import { ErrorCode, MIN_CLIENT_PROTOCOL_VERSION, PROTOCOL_QUERY } from '../../lib/protocol';

/** The sentence an outdated client shows (its UI offers a reload). */
export const CLIENT_OUTDATED_MESSAGE = 'A new version is available — reload';

/**
 * Throws CLIENT_OUTDATED when the request's `protocol` query is below MIN_CLIENT_PROTOCOL_VERSION.
 * Missing means version 1 (clients from before the parameter); anything not a positive integer is BAD_REQUEST.
 */
export function requireCurrentClient(query: Readonly<Record<string, string | undefined>> | undefined, min = MIN_CLIENT_PROTOCOL_VERSION): number {
  const raw = query?.[PROTOCOL_QUERY];
  const version = raw === undefined ? 1 : /^\d{1,6}$/.test(raw) ? Number(raw) : NaN;
  if (Number.isNaN(version)) throw new ChatError(ErrorCode.BadRequest, `${PROTOCOL_QUERY} must be a whole number`);
  if (version < min) throw new ChatError(ErrorCode.ClientOutdated, CLIENT_OUTDATED_MESSAGE);
  return version;
}
