/**
 * Typed helpers for the HTTP API. Every call carries the Cognito ID token (API Gateway's JWT
 * authorizer reads identity from it), every response is parsed with the protocol's schemas, and
 * every error body becomes a thrown ChatError.
 */
import { fetchAuthSession } from 'aws-amplify/auth';
import * as z from 'zod/mini';
import { ChatError, withRef } from './chat-error';
import {
  ErrorCode,
  Paths,
  PROTOCOL_QUERY,
  PROTOCOL_VERSION,
  addMemberResponseSchema,
  browseRoomsResponseSchema,
  changesResponseSchema,
  historyResponseSchema,
  httpErrorSchema,
  membersResponseSchema,
  membershipResponseSchema,
  myRoomsResponseSchema,
  roomInfoResponseSchema,
  roomWithMembershipResponseSchema,
  storeMessageResponseSchema,
  ticketResponseSchema,
  type BrowseRoomsResponse,
  type ChangesResponse,
  type ChatMessage,
  type CreateRoomRequest,
  type HistoryResponse,
  type Member,
  type MembersResponse,
  type MembershipResponse,
  type MyRoomsResponse,
  type RoomInfoResponse,
  type RoomWithMembershipResponse,
  type TicketResponse,
} from './protocol';

/** Returns the current ID token (JWT), or undefined when signed out; `forceRefresh` asks Cognito for a new one. */
export type IdTokenSource = (options?: { forceRefresh?: boolean }) => Promise<string | undefined>;

/** Amplify's session; it refreshes an expired token before answering (and on demand). */
export const amplifyIdToken: IdTokenSource = async (options) =>
  (await fetchAuthSession({ forceRefresh: options?.forceRefresh ?? false })).tokens?.idToken?.toString();

/** Which history page to read (see GET /rooms/{roomId}/messages in lib/protocol.ts). */
export interface HistoryOptions {
  before?: string;
  after?: string;
  around?: string;
  from?: string;
  limit?: number;
}

/** The calls the chat needs, bound to one HTTP API base URL. */
export interface ChatApi {
  createTicket(): Promise<TicketResponse>;
  /**
   * Newest first; `after` (exclusive) returns only messages newer than that id; `around` a message's
   * neighbourhood; `from` the page just newer than an id (continue with `nextAfter`).
   */
  getMessages(roomId: string, options?: HistoryOptions): Promise<HistoryResponse>;
  /** Messages changed (edited, deleted, reactions) after change `since` in a room, oldest change first. */
  getChanges(roomId: string, options: { since: number; limit?: number }): Promise<ChangesResponse>;
  postMessage(roomId: string, body: string, clientMessageId?: string): Promise<ChatMessage>;
  myRooms(): Promise<MyRoomsResponse>;
  browseRooms(options?: { cursor?: string; limit?: number }): Promise<BrowseRoomsResponse>;
  createRoom(request: CreateRoomRequest): Promise<RoomWithMembershipResponse>;
  /** NOT_FOUND for a missing room and for a private room / DM the caller is not in. */
  roomInfo(roomId: string): Promise<RoomInfoResponse>;
  joinRoom(roomId: string): Promise<RoomWithMembershipResponse>;
  leaveRoom(roomId: string): Promise<void>;
  members(roomId: string, options?: { cursor?: string; limit?: number }): Promise<MembersResponse>;
  addMember(roomId: string, userId: string): Promise<Member>;
  removeMember(roomId: string, userId: string): Promise<void>;
  markRead(roomId: string, messageId: string): Promise<MembershipResponse>;
  mute(roomId: string, muted: boolean): Promise<MembershipResponse>;
  openDm(userId: string): Promise<RoomWithMembershipResponse>;
}

/** Any JSON body (or none): for routes that answer 204 / an ignorable body. */
const anything = z.unknown();

function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') q.set(key, String(value));
  return q.size ? `?${q}` : '';
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

  async function call<S extends z.ZodMiniType>(schema: S, path: string, init: { method?: string; body?: string } = {}): Promise<z.infer<S>> {
    let response = await send(path, init, false);
    // A token the session still thought valid was refused (expired in between, revoked, clock skew):
    // ask Cognito for a fresh one ONCE before telling the person to sign in again.
    if (response.status === 401) {
      await response.body?.cancel();
      response = await send(path, init, true);
    }
    const json: unknown = response.status === 204 ? undefined : await response.json().catch(() => undefined);
    if (!response.ok) throw errorFrom(response.status, json);
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new ChatError(ErrorCode.Internal, 'The chat server sent an unexpected answer');
    return parsed.data;
  }

  return {
    createTicket: () => call(ticketResponseSchema, `${Paths.tickets}?${PROTOCOL_QUERY}=${PROTOCOL_VERSION}`, { method: 'POST' }),
    getMessages: (roomId, options = {}) =>
      call(
        historyResponseSchema,
        `${Paths.roomMessages(roomId)}${query({ limit: options.limit, before: options.before, after: options.after, around: options.around, from: options.from })}`,
      ),
    getChanges: (roomId, options) => call(changesResponseSchema, `${Paths.roomChanges(roomId)}${query({ since: options.since, limit: options.limit })}`),
    postMessage: async (roomId, body, clientMessageId) => {
      const init = { method: 'POST', body: JSON.stringify({ body, ...(clientMessageId ? { clientMessageId } : {}) }) };
      return (await call(storeMessageResponseSchema, Paths.roomMessages(roomId), init)).message;
    },
    myRooms: () => call(myRoomsResponseSchema, Paths.myRooms),
    browseRooms: (options = {}) => call(browseRoomsResponseSchema, `${Paths.rooms}${query({ limit: options.limit, cursor: options.cursor })}`),
    createRoom: (request) => call(roomWithMembershipResponseSchema, Paths.rooms, { method: 'POST', body: JSON.stringify(request) }),
    roomInfo: (roomId) => call(roomInfoResponseSchema, Paths.room(roomId)),
    joinRoom: (roomId) => call(roomWithMembershipResponseSchema, Paths.membership(roomId), { method: 'PUT' }),
    leaveRoom: async (roomId) => void (await call(anything, Paths.membership(roomId), { method: 'DELETE' })),
    members: (roomId, options = {}) => call(membersResponseSchema, `${Paths.members(roomId)}${query({ limit: options.limit, cursor: options.cursor })}`),
    addMember: async (roomId, userId) =>
      (await call(addMemberResponseSchema, Paths.members(roomId), { method: 'POST', body: JSON.stringify({ userId }) })).member,
    removeMember: async (roomId, userId) => void (await call(anything, Paths.member(roomId, userId), { method: 'DELETE' })),
    markRead: (roomId, messageId) => call(membershipResponseSchema, Paths.read(roomId), { method: 'PUT', body: JSON.stringify({ messageId }) }),
    mute: (roomId, muted) => call(membershipResponseSchema, Paths.mute(roomId), { method: 'PUT', body: JSON.stringify({ muted }) }),
    openDm: (userId) => call(roomWithMembershipResponseSchema, Paths.dms, { method: 'POST', body: JSON.stringify({ userId }) }),
  };
}

const KNOWN_CODES: ReadonlySet<string> = new Set(Object.values(ErrorCode));

/** Turns an error response into a ChatError; API Gateway's own 401 body (`{"message":…}`) is handled too. */
function errorFrom(status: number, json: unknown): ChatError {
  const parsed = httpErrorSchema.safeParse(json);
  if (parsed.success && KNOWN_CODES.has(parsed.data.error.code)) {
    return new ChatError(parsed.data.error.code as ErrorCode, withRef(parsed.data.error.message, parsed.data.error.ref));
  }
  if (status === 401 || status === 403) return new ChatError(ErrorCode.Unauthorized, 'Sign in again: your session is missing or expired');
  if (status === 404) return new ChatError(ErrorCode.NotFound, 'The chat server does not know this address');
  return new ChatError(ErrorCode.Internal, parsed.success ? withRef(parsed.data.error.message, parsed.data.error.ref) : `The chat server failed (HTTP ${status}); try again`);
}
