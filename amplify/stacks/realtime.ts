/**
 * The realtime backend in one nested stack: the chat tables, the WebSocket and HTTP APIs, and for each
 * function exactly the env vars and permissions its handler uses. Create it in the stack that holds
 * the functions (`Stack.of(backend.<fn>.resources.lambda)`): functions, APIs and tables then reference
 * each other inside one template, and the only cross-stack inputs are Cognito ids and the site URL.
 */
import { Grant } from 'aws-cdk-lib/aws-iam';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import {
  CALLBACK_URL_ENV,
  CONNECTIONS_TABLE,
  MEMBERSHIPS_TABLE,
  MESSAGES_TABLE,
  MESSAGE_CHANGES_TABLE,
  MENTIONS_TABLE,
  RATE_LIMITS_TABLE,
  ROOMS_TABLE,
  SEND_RECEIPTS_TABLE,
  SUBSCRIPTIONS_TABLE,
  TICKETS_TABLE,
} from '../chat/tables';
import type { ChatFunction, Throttle } from './chat-function';
import { createChatTables, type ChatTables } from './chat-tables';
import { dataRemovalPolicy } from './deployment';
import { ChatHttpApi } from './http-api';
import { ChatWebSocketApi } from './websocket-api';
import { HTTP_THROTTLE, WEBSOCKET_THROTTLE } from './throttles';

/** The eight chat functions, as `backend.<name>`. */
export interface RealtimeFunctions {
  readonly createTicket: ChatFunction;
  readonly getMessages: ChatFunction;
  readonly storeMessage: ChatFunction;
  readonly rooms: ChatFunction;
  readonly wsAuthorizer: ChatFunction;
  readonly wsConnect: ChatFunction;
  readonly wsDisconnect: ChatFunction;
  readonly wsMessage: ChatFunction;
}

/** Inputs of the realtime backend. */
export interface RealtimeProps {
  readonly functions: RealtimeFunctions;
  readonly userPool: IUserPool;
  readonly userPoolClient: IUserPoolClient;
  /** Browser origins allowed to call the HTTP API (the site, plus any developer origins). */
  readonly allowedOrigins: readonly string[];
  /** Per-route limits; defaults (throttles.ts) admit a 10,000-socket room's steady traffic. */
  readonly webSocketThrottle?: Throttle;
  readonly httpThrottle?: Throttle;
}

/** Tables, APIs, env vars and least-privilege grants of the chat. */
export class Realtime extends Construct {
  readonly tables: ChatTables;
  readonly webSocket: ChatWebSocketApi;
  readonly http: ChatHttpApi;

  constructor(scope: Construct, id: string, props: RealtimeProps) {
    super(scope, id);
    const fns = props.functions;
    const lambda = (fn: ChatFunction) => fn.resources.lambda;
    this.tables = createChatTables(this, dataRemovalPolicy(this));
    this.webSocket = new ChatWebSocketApi(this, 'WebSocket', {
      authorizer: lambda(fns.wsAuthorizer),
      connect: lambda(fns.wsConnect),
      disconnect: lambda(fns.wsDisconnect),
      message: lambda(fns.wsMessage),
      throttle: props.webSocketThrottle ?? WEBSOCKET_THROTTLE,
    });
    this.http = new ChatHttpApi(this, 'Http', {
      userPool: props.userPool,
      userPoolClient: props.userPoolClient,
      createTicket: lambda(fns.createTicket),
      getMessages: lambda(fns.getMessages),
      storeMessage: lambda(fns.storeMessage),
      rooms: lambda(fns.rooms),
      allowedOrigins: props.allowedOrigins,
      throttle: props.httpThrottle ?? HTTP_THROTTLE,
    });
    this.wire(fns);
  }

  /** wss:// URL of the WebSocket stage. */
  get webSocketUrl(): string {
    return this.webSocket.stage.url;
  }

  /** HTTP API base URL, no trailing slash. */
  get httpApiUrl(): string {
    return this.http.url;
  }

  /** Env vars and grants, one line per need of each handler (see amplify/chat/*.ts for the calls). */
  private wire(fns: RealtimeFunctions): void {
    const { messages, connections, tickets, sendReceipts, rateLimits, rooms, memberships, subscriptions, messageChanges, mentions } = this.tables;
    const allow = (fn: ChatFunction, actions: string[], resourceArns: string[]) =>
      Grant.addToPrincipal({ grantee: fn.resources.lambda, actions: actions.map((a) => `dynamodb:${a}`), resourceArns });
    const env = (fn: ChatFunction, name: string, table: Table) => fn.addEnvironment(name, table.tableName);
    const index = (table: Table, name: string) => `${table.tableArn}/index/${name}`;
    const subscriptionsByUser = index(subscriptions, SUBSCRIPTIONS_TABLE.indexes[0].indexName);
    const membershipsByUser = index(memberships, MEMBERSHIPS_TABLE.indexes[0].indexName);
    const roomsByActivity = index(rooms, ROOMS_TABLE.indexes[0].indexName);
    /**
     * Any post to a socket: on a 410 the socket's connection row and its subscriptions are deleted, and rooms where
     * it was the user's last socket hear `left` (a room fan-out: one Query per page of its subscriptions).
     */
    const post = (fn: ChatFunction) => {
      env(fn, CONNECTIONS_TABLE.envVar, connections);
      env(fn, SUBSCRIPTIONS_TABLE.envVar, subscriptions);
      fn.addEnvironment(CALLBACK_URL_ENV, this.webSocket.stage.callbackUrl);
      allow(fn, ['DeleteItem'], [connections.tableArn]); // removeGoneConnection
      allow(fn, ['Query'], [subscriptionsByUser]); // userSubscriptions (a user's sockets)
      allow(fn, ['BatchWriteItem'], [subscriptions.tableArn]); // deleteSubscriptions
      allow(fn, ['Query'], [subscriptions.tableArn]); // roomSubscriptionsPage (the `left` delta of a gone socket)
      this.webSocket.stage.grantManagementApiAccess(fn.resources.lambda);
    };
    /** Fan-out to a room: one Query per page of its subscriptions (granted with `post`), then posts. */
    const fanOut = post;
    /** Authorization of a room (membership, else a public room row). */
    const access = (fn: ChatFunction) => {
      env(fn, MEMBERSHIPS_TABLE.envVar, memberships);
      env(fn, ROOMS_TABLE.envVar, rooms);
      allow(fn, ['GetItem'], [memberships.tableArn, rooms.tableArn]); // getMembership, getRoom
    };
    /** Joining a public room (a first send, Join): room limit count, read position at the newest message, membership put, member count. */
    const join = (fn: ChatFunction) => {
      access(fn);
      env(fn, MESSAGES_TABLE.envVar, messages);
      allow(fn, ['Query'], [messages.tableArn]); // newestMessageId
      post(fn); // the joiner's sockets are told (membership frame)
      allow(fn, ['Query'], [membershipsByUser]); // countUserRooms
      allow(fn, ['PutItem'], [memberships.tableArn]); // addMembership
      allow(fn, ['UpdateItem'], [rooms.tableArn]); // addToMemberCount, touchRoomActivity
    };

    env(fns.createTicket, TICKETS_TABLE.envVar, tickets);
    allow(fns.createTicket, ['PutItem'], [tickets.tableArn]); // issueTicket
    env(fns.wsAuthorizer, TICKETS_TABLE.envVar, tickets);
    allow(fns.wsAuthorizer, ['DeleteItem'], [tickets.tableArn]); // consumeTicket (conditional delete)
    // $connect writes one row and posts nothing.
    env(fns.wsConnect, CONNECTIONS_TABLE.envVar, connections);
    allow(fns.wsConnect, ['PutItem'], [connections.tableArn]); // saveConnection
    // $disconnect: its row, its subscriptions, `left` deltas to rooms where it was the user's last socket.
    fanOut(fns.wsDisconnect);
    env(fns.getMessages, MESSAGES_TABLE.envVar, messages);
    access(fns.getMessages);
    allow(fns.getMessages, ['Query'], [messages.tableArn]); // listMessages, listAround, listFrom
    allow(fns.getMessages, ['BatchGetItem'], [messages.tableArn]); // withQuotes, listChanges (current states)
    env(fns.getMessages, MESSAGE_CHANGES_TABLE.envVar, messageChanges);
    allow(fns.getMessages, ['GetItem', 'Query'], [messageChanges.tableArn]); // currentChangeSeq, listChanges

    // Both run sendMessage: authorization (and a first send's join), receipt lookup/claim, the rate-limit counter,
    // the message put, then fan-out.
    for (const fn of [fns.wsMessage, fns.storeMessage]) {
      fanOut(fn);
      join(fn);
      env(fn, MESSAGES_TABLE.envVar, messages);
      env(fn, SEND_RECEIPTS_TABLE.envVar, sendReceipts);
      env(fn, RATE_LIMITS_TABLE.envVar, rateLimits);
      allow(fn, ['PutItem'], [messages.tableArn]); // putMessage
      allow(fn, ['GetItem', 'PutItem'], [sendReceipts.tableArn]); // findReceipt, claimReceipt
      allow(fn, ['UpdateItem'], [rateLimits.tableArn]); // consumeSendAllowance
      allow(fn, ['GetItem', 'BatchGetItem'], [messages.tableArn]); // reply quote, a retry's current message (withQuotes)
      env(fn, MENTIONS_TABLE.envVar, mentions);
      allow(fn, ['BatchWriteItem'], [messages.tableArn, mentions.tableArn]); // putFreshMessage (message + mention items), indexMentions
    }
    // Only the socket route edits, deletes and reacts: one conditional update of the message, the room's change
    // counter + entry, the receipt scrub of a deleted message; the edit/reaction allowances are RateLimits updates.
    env(fns.wsMessage, MESSAGE_CHANGES_TABLE.envVar, messageChanges);
    allow(fns.wsMessage, ['UpdateItem'], [messages.tableArn]); // editMessage, deleteMessage, react
    allow(fns.wsMessage, ['UpdateItem', 'PutItem'], [messageChanges.tableArn]); // recordChange
    allow(fns.wsMessage, ['UpdateItem'], [sendReceipts.tableArn]); // scrubReceipt
    // (edit/delete keep the mention index in step with BatchWriteItem on Mentions, granted with the send above.)
    // Only the socket route: its own row (who is acting; the ping heartbeat), subscribe/unsubscribe, presence
    // pages (liveness of connection rows, membership of the users), markRead.
    allow(fns.wsMessage, ['GetItem', 'UpdateItem', 'BatchGetItem'], [connections.tableArn]);
    allow(fns.wsMessage, ['BatchGetItem'], [memberships.tableArn, rooms.tableArn]); // subscribe's checks, presence
    allow(fns.wsMessage, ['BatchWriteItem'], [subscriptions.tableArn]); // putSubscriptions
    allow(fns.wsMessage, ['UpdateItem'], [memberships.tableArn]); // advanceReadPosition

    // The rooms routes: everything about rooms and memberships, read-time unread counts, creation rate.
    const r = fns.rooms;
    join(r); // (posts only to the people concerned: no room-wide fan-out here)
    env(r, MESSAGES_TABLE.envVar, messages);
    env(r, RATE_LIMITS_TABLE.envVar, rateLimits);
    // (Query on Messages comes with join: newestMessageId, and roomActivity for unread, mentions, preview.)
    allow(r, ['UpdateItem'], [rateLimits.tableArn]); // consumeCreateAllowance
    allow(r, ['PutItem', 'BatchGetItem'], [rooms.tableArn]); // createRoomRow, getRooms
    allow(r, ['Query'], [roomsByActivity]); // browsePublicRooms
    env(r, MENTIONS_TABLE.envVar, mentions);
    allow(r, ['Query'], [mentions.tableArn]); // countMentions (roomActivity above 99 unread)
    allow(r, ['DeleteItem', 'UpdateItem', 'BatchGetItem', 'Query'], [memberships.tableArn]); // leave/remove, read/mute, shared room, members
  }
}
