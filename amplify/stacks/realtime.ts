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
import { CALLBACK_URL_ENV, CONNECTIONS_TABLE, MESSAGES_TABLE, RATE_LIMITS_TABLE, SEND_RECEIPTS_TABLE, TICKETS_TABLE } from '../chat/tables';
import type { ChatFunction, Throttle } from './chat-function';
import { createChatTables, type ChatTables } from './chat-tables';
import { dataRemovalPolicy } from './deployment';
import { ChatHttpApi } from './http-api';
import { ChatWebSocketApi } from './websocket-api';
import { HTTP_THROTTLE, WEBSOCKET_THROTTLE } from './throttles';

/** The seven chat functions, as `backend.<name>`. */
export interface RealtimeFunctions {
  readonly createTicket: ChatFunction;
  readonly getMessages: ChatFunction;
  readonly storeMessage: ChatFunction;
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
    const { messages, connections, tickets, sendReceipts, rateLimits } = this.tables;
    const allow = (fn: ChatFunction, actions: string[], resourceArns: string[]) =>
      Grant.addToPrincipal({ grantee: fn.resources.lambda, actions: actions.map((a) => `dynamodb:${a}`), resourceArns });
    const env = (fn: ChatFunction, name: string, table: Table) => fn.addEnvironment(name, table.tableName);
    const byRoom = `${connections.tableArn}/index/${CONNECTIONS_TABLE.indexes[0].indexName}`;
    /** Fan-out to a room (broadcast, presence): query the room, post, drop rows of gone sockets. */
    const fanOut = (fn: ChatFunction) => {
      env(fn, CONNECTIONS_TABLE.envVar, connections);
      fn.addEnvironment(CALLBACK_URL_ENV, this.webSocket.stage.callbackUrl);
      allow(fn, ['Query'], [byRoom]);
      allow(fn, ['DeleteItem'], [connections.tableArn]); // removeConnection / removeGoneConnection
      this.webSocket.stage.grantManagementApiAccess(fn.resources.lambda);
    };

    env(fns.createTicket, TICKETS_TABLE.envVar, tickets);
    allow(fns.createTicket, ['PutItem'], [tickets.tableArn]); // issueTicket
    env(fns.wsAuthorizer, TICKETS_TABLE.envVar, tickets);
    allow(fns.wsAuthorizer, ['DeleteItem'], [tickets.tableArn]); // consumeTicket (conditional delete)
    fanOut(fns.wsConnect); // announcePresence to the others
    allow(fns.wsConnect, ['PutItem'], [connections.tableArn]); // saveConnection
    fanOut(fns.wsDisconnect); // removeConnection, then announcePresence to who is left
    env(fns.getMessages, MESSAGES_TABLE.envVar, messages);
    allow(fns.getMessages, ['Query'], [messages.tableArn]); // listMessages

    // Both run sendMessage: receipt lookup/claim, the rate-limit counter, the message put, then fan-out.
    for (const fn of [fns.wsMessage, fns.storeMessage]) {
      fanOut(fn);
      env(fn, MESSAGES_TABLE.envVar, messages);
      env(fn, SEND_RECEIPTS_TABLE.envVar, sendReceipts);
      env(fn, RATE_LIMITS_TABLE.envVar, rateLimits);
      allow(fn, ['PutItem'], [messages.tableArn]); // putMessage
      allow(fn, ['GetItem', 'PutItem'], [sendReceipts.tableArn]); // findReceipt, claimReceipt
      allow(fn, ['UpdateItem'], [rateLimits.tableArn]); // consumeSendAllowance
    }
    // Only the socket route: getConnection (who is sending / asking presence) and the ping heartbeat.
    allow(fns.wsMessage, ['GetItem', 'UpdateItem'], [connections.tableArn]);
  }
}
