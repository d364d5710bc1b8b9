/**
 * Typed helpers for the HTTP API. Every call carries the Cognito ID token (API Gateway's JWT
 * authorizer reads identity from it), every response is parsed with the protocol's schemas, and
 * every error body becomes a thrown ChatError.
 */
import { fetchAuthSession } from 'aws-amplify/auth';
import type { z } from 'zod';
import { ChatError } from './chat-error';
import {
  ErrorCode,
  Paths,
  PROTOCOL_QUERY,
  PROTOCOL_VERSION,
  historyResponseSchema,
  httpErrorSchema,
  storeMessageResponseSchema,
  ticketResponseSchema,
  type ChatMessage,
  type HistoryResponse,
  type TicketResponse,
} from './protocol';

/** Returns the current ID token (JWT), or undefined when signed out; `forceRefresh` asks Cognito for a new one. */
export type IdTokenSource = (options?: { forceRefresh?: boolean }) => Promise<string | undefined>;

/** Amplify's session; it refreshes an expired token before answering (and on demand). */
export const amplifyIdToken: IdTokenSource = async (options) =>
  (await fetchAuthSession({ forceRefresh: options?.forceRefresh ?? false })).tokens?.idToken?.toString();

/** The calls the chat needs, bound to one HTTP API base URL. */
export interface ChatApi {
  createTicket(): Promise<TicketResponse>;
  getMessages(roomId: string, options?: { before?: string; limit?: number }): Promise<HistoryResponse>;
  postMessage(roomId: string, body: string, clientMessageId?: string): Promise<ChatMessage>;
}

/** Builds the API client. `fetchFn` and `idToken` are injectable for tests. */
export function createChatApi(httpApiUrl: string, idToken: IdTokenSource = amplifyIdToken, fetchFn: typeof fetch = fetch): ChatApi {
  const base = httpApiUrl.replace(/\/+$/, '');

  async function send(path: string, init: { method?: string; body?: string }, forceRefresh: boolean): Promise<Response> {
    const token = await idToken(forceRefresh ? { forceRefresh } : undefined);
    if (!token) throw new ChatError(ErrorCode.Unauthorized, 'Sign in again: your session is missing or expired');
    try {
      return await fetchFn(`${base}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${token}`, ...(init.body ? { 'content-type': 'application/json' } : {}) },
      });
    } catch {
      // There is no "network" code in the protocol; INTERNAL with an honest sentence is the closest.
      throw new ChatError(ErrorCode.Internal, 'The chat server could not be reached; check your connection');
    }
  }

  async function call<S extends z.ZodType>(schema: S, path: string, init: { method?: string; body?: string } = {}): Promise<z.infer<S>> {
    let response = await send(path, init, false);
    // A token the session still thought valid was refused (expired in between, revoked, clock skew):
    // ask Cognito for a fresh one ONCE before telling the person to sign in again.
    if (response.status === 401) {
      await response.body?.cancel();
      response = await send(path, init, true);
    }
    const json: unknown = await response.json().catch(() => undefined);
    if (!response.ok) throw errorFrom(response.status, json);
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new ChatError(ErrorCode.Internal, 'The chat server sent an unexpected answer');
    return parsed.data;
  }

  return {
    createTicket: () => call(ticketResponseSchema, `${Paths.tickets}?${PROTOCOL_QUERY}=${PROTOCOL_VERSION}`, { method: 'POST' }),
    getMessages: (roomId, options = {}) => {
      const query = new URLSearchParams();
      if (options.limit) query.set('limit', String(options.limit));
      if (options.before) query.set('before', options.before);
      const suffix = query.size ? `?${query}` : '';
      return call(historyResponseSchema, `${Paths.roomMessages(roomId)}${suffix}`);
    },
    postMessage: async (roomId, body, clientMessageId) => {
      const init = { method: 'POST', body: JSON.stringify({ body, ...(clientMessageId ? { clientMessageId } : {}) }) };
      return (await call(storeMessageResponseSchema, Paths.roomMessages(roomId), init)).message;
    },
  };
}

const KNOWN_CODES: ReadonlySet<string> = new Set(Object.values(ErrorCode));

/** Turns an error response into a ChatError; API Gateway's own 401 body (`{"message":…}`) is handled too. */
function errorFrom(status: number, json: unknown): ChatError {
  const parsed = httpErrorSchema.safeParse(json);
  if (parsed.success && KNOWN_CODES.has(parsed.data.error.code)) {
    return new ChatError(parsed.data.error.code as ErrorCode, parsed.data.error.message);
  }
  if (status === 401 || status === 403) return new ChatError(ErrorCode.Unauthorized, 'Sign in again: your session is missing or expired');
  if (status === 404) return new ChatError(ErrorCode.NotFound, 'The chat server does not know this address');
  return new ChatError(ErrorCode.Internal, parsed.success ? parsed.data.error.message : `The chat server failed (HTTP ${status}); try again`);
}
