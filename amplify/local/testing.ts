/**
 * Test fixture: a real local stack per test file (in-memory dynalite + the local gateway running the real
 * handlers), a real JWT issuer (jose RS256 key pair served as a JWKS over HTTP; the gateway checks tokens with
 * `createJwtVerifier`, the same verifier `npm start` uses) and real `ws` clients. Nothing here is mocked; only
 * the signing key is made up.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { WebSocket } from 'ws';
import { PROTOCOL_QUERY, PROTOCOL_VERSION, roomKindOf, serverFrameSchema, type ServerFrame } from '../../lib/protocol';
import { CONNECTIONS_TABLE } from '../chat/tables';
import { tapMetrics } from '../chat/metrics';
import { resetActivityCache } from '../chat/rooms';
import { resetMessageIds } from '../chat/messages';
import { localDynamoClient, startDynamo, type LocalDynamo } from './dynamo';
import { startGateway, type LocalGateway } from './gateway';
import { createJwtVerifier } from './jwt';
import { closeServer, listen } from './net';

// Set on import, so test files import this fixture FIRST: Powertools reads its level when a logger is built.
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
// Metrics too: handlers hand their flushes to a no-op tap instead of printing EMF (amplify/chat/metrics.test.ts removes it).
tapMetrics(() => {});
// The SDK's Node 20 end-of-support notice would print once per test file; it says nothing about the code.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** A signed-in person as the ID token describes them. */
export interface TestUser {
  readonly sub: string;
  readonly preferred_username: string;
  readonly email: string;
}

/** A fresh user with a unique id. */
export function testUser(name = 'Tester'): TestUser {
  const sub = randomUUID();
  return { sub, preferred_username: name, email: `${sub}@example.test` };
}

const ISSUER = 'https://issuer.test/local_pool';
const AUDIENCE = 'test-client';
const KEY_ID = 'test-key';

/** A JSON HTTP reply. */
export interface Reply {
  readonly status: number;
  readonly headers: Headers;
  // Tests inspect arbitrary bodies; protocol schemas are applied where a shape is promised.
  readonly json: any;
}

/** The handshake ended with an HTTP status instead of an open socket. */
export class HandshakeRefused extends Error {
  constructor(readonly status: number) {
    super(`handshake refused with ${status}`);
    this.name = 'HandshakeRefused';
  }
}

/** A real WebSocket client that keeps every server frame for the test to pick from. */
export class TestSocket {
  private readonly frames: ServerFrame[] = [];
  private readonly waiters = new Set<() => void>();
  /** Resolves with the close code once the socket closes. */
  readonly closed: Promise<{ code: number; reason: string }>;

  constructor(readonly ws: WebSocket) {
    // Errors always end in 'close', which `closed` reports; an unhandled 'error' would crash the worker.
    ws.on('error', () => {});
    ws.on('message', (data) => {
      this.frames.push(serverFrameSchema.parse(JSON.parse(String(data))));
      for (const wake of this.waiters) wake();
    });
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  }

  /** Sends a frame (objects are JSON-encoded, strings sent as-is). */
  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** Removes and returns the first received frame matching `match`, waiting for it if needed. */
  async next(match: (frame: ServerFrame) => boolean = () => true, timeoutMs = 5000): Promise<ServerFrame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.frames.findIndex(match);
      if (index >= 0) return this.frames.splice(index, 1)[0]!;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching frame within ${timeoutMs} ms; have ${JSON.stringify(this.frames)}`);
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.waiters.delete(wake);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.waiters.add(wake);
      });
    }
  }

  /** Subscribes this socket to `roomIds`; resolves with the `subscribed` answer (refusals included). */
  async subscribe(roomIds: readonly string[]): Promise<Extract<ServerFrame, { type: 'subscribed' }>> {
    this.send({ action: 'subscribe', roomIds });
    return (await this.next((f) => f.type === 'subscribed')) as Extract<ServerFrame, { type: 'subscribed' }>;
  }

  /** Frames received and not yet taken by `next`. */
  pending(): readonly ServerFrame[] {
    return [...this.frames];
  }

  /**
   * Proves nothing else is on its way: the gateway writes every frame for this socket in order, so once
   * our own pong arrives, any frame posted before the ping has arrived too.
   */
  async settle(): Promise<void> {
    this.send({ action: 'ping' });
    await this.next((f) => f.type === 'pong');
  }

  /** Closes the socket and waits until it is closed. */
  async close(): Promise<void> {
    if (this.ws.readyState !== WebSocket.CLOSED) this.ws.close();
    await this.closed;
  }
}

/** Polls `check` until it returns true: for effects that follow an event asynchronously ($disconnect after a close). */
export async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A real local stack for one test file. */
export interface TestStack {
  readonly dynamo: LocalDynamo;
  /** The running gateway (a new object after `restartGateway`). */
  readonly gateway: LocalGateway;
  readonly docClient: DynamoDBDocumentClient;
  /** A signed ID token for `user` (RS256, our issuer and audience). */
  tokenFor(user: TestUser, overrides?: { expiresIn?: string }): Promise<string>;
  /** Calls the HTTP API; `token` becomes `Authorization: Bearer …`. */
  api(path: string, init?: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> }): Promise<Reply>;
  /** POST /tickets as `user`; returns the ticket. */
  ticketFor(user: TestUser): Promise<string>;
  /** Opens a socket with these query parameters; rejects with HandshakeRefused on a refused handshake. */
  openSocket(query: Record<string, string>): Promise<TestSocket>;
  /** Ticket + socket for `user`, subscribed to `room` when given (refusals throw). */
  connect(user: TestUser, room?: string): Promise<TestSocket>;
  /** Makes public room `roomId` exist (created by `owner` when missing); returns it. */
  publicRoom(owner: TestUser, roomId: string): Promise<string>;
  /** Creates a private room owned by `owner`; returns its id. */
  privateRoom(owner: TestUser, name?: string): Promise<string>;
  /** Calls the HTTP API as `user` (token minted on the fly). */
  as(user: TestUser, path: string, init?: { method?: string; body?: unknown }): Promise<Reply>;
  /** Every item in a table (by env var name, e.g. CONNECTIONS_TABLE). */
  scan(envVar: string): Promise<Record<string, unknown>[]>;
  /** The connection id of `user`'s only socket (the client never learns it, the table knows it). */
  connectionIdOf(user: TestUser): Promise<string>;
  /**
   * Stops the gateway (every socket drops, running handlers finish) and starts it again on the SAME port
   * with the same DynamoDB, as an API Gateway deployment or outage would look to clients. The handler
   * modules (and their cached SDK clients) stay loaded, which is why the DynamoDB endpoint must not change.
   */
  restartGateway(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * What outlives one test file in a worker process. The unit projects run without isolation (vitest.config.ts: one
 * module graph per worker, so the SDK, dynalite and the handlers load once, not once per file), and like a Lambda
 * container the handler modules keep their clients, bound to the endpoints they saw first. So each file gets a FRESH
 * in-memory DynamoDB and gateway, started on the ports the process's first stack chose, signed for with one key pair.
 */
// On globalThis, not in this module: a file's `vi.resetModules()` makes the next file load this module afresh, while
// clients made before (bound to these ports) may live on.
const perProcess = ((globalThis as Record<symbol, unknown>)[Symbol.for('chat.testStack.perProcess')] ??= {}) as {
  dynamoPort?: number;
  gatewayPort?: number;
  keys?: ReturnType<typeof generateKeyPair>;
};

/** Spends idle keep-alive connections to a server that stopped, until a request goes through a fresh one. */
async function freshConnection(url: string): Promise<void> {
  for (let i = 0; i < 10; i++) if (await fetch(`${url}/`).then((r) => r.arrayBuffer().then(() => true), () => false)) return;
}

/** Starts dynalite and the gateway for one test file; call `stop()` in afterAll. */
export async function startTestStack(options: { idleTimeoutMs?: number } = {}): Promise<TestStack> {
  perProcess.keys ??= generateKeyPair('RS256');
  const { publicKey, privateKey } = await perProcess.keys;
  // A worker's previous file left per-container state: activity stamps of rooms in its (gone) tables, and an id
  // factory that may have made ids at a test's made-up time (monotonic, it would go on from there).
  resetActivityCache();
  resetMessageIds();
  // The issuer's JWKS, served over HTTP like Cognito's, for the production-local verifier to fetch.
  const jwk = { ...(await exportJWK(publicKey)), kid: KEY_ID, alg: 'RS256', use: 'sig' };
  const jwksServer = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })));
  const jwksUrl = `http://127.0.0.1:${await listen(jwksServer, 0, '127.0.0.1')}/.well-known/jwks.json`;
  const verifyJwt = createJwtVerifier({ issuer: ISSUER, audience: AUDIENCE, jwksUrl });
  let dynamo: LocalDynamo;
  try {
    dynamo = await startDynamo({ port: perProcess.dynamoPort });
    perProcess.dynamoPort ??= Number(new URL(dynamo.endpoint).port);
  } catch (error) {
    await closeServer(jwksServer);
    throw error;
  }
  const launch = (port?: number) =>
    startGateway({
      port,
      verifyJwt,
      allowedOrigins: ['http://127.0.0.1:3000'],
      handlerEnv: dynamo.handlerEnv,
      idleTimeoutMs: options.idleTimeoutMs,
    });
  let gateway: LocalGateway;
  try {
    gateway = await launch(perProcess.gatewayPort);
    if (perProcess.gatewayPort === undefined) perProcess.gatewayPort = gateway.port;
    else await freshConnection(gateway.httpUrl);
  } catch (error) {
    await dynamo.stop();
    await closeServer(jwksServer);
    throw error;
  }
  const docClient = DynamoDBDocumentClient.from(localDynamoClient(dynamo.endpoint));

  const tokenFor: TestStack['tokenFor'] = (user, overrides = {}) =>
    new SignJWT({ ...user, token_use: 'id' })
      .setProtectedHeader({ alg: 'RS256', kid: KEY_ID })
      .setSubject(user.sub)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(overrides.expiresIn ?? '1h')
      .sign(privateKey);

  const api: TestStack['api'] = async (path, init = {}) => {
    const headers: Record<string, string> = { ...init.headers };
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${gateway.httpUrl}${path}`, {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, json: text ? JSON.parse(text) : undefined };
  };

  const ticketFor: TestStack['ticketFor'] = async (user) => {
    const reply = await api(`/tickets?${PROTOCOL_QUERY}=${PROTOCOL_VERSION}`, { method: 'POST', token: await tokenFor(user) });
    if (reply.status !== 201) throw new Error(`POST /tickets answered ${reply.status}`);
    return reply.json.ticket as string;
  };

  const openSocket: TestStack['openSocket'] = (query) =>
    new Promise((resolve, reject) => {
      const ws = new WebSocket(`${gateway.webSocketUrl}/?${new URLSearchParams(query)}`);
      const socket = new TestSocket(ws);
      ws.once('open', () => resolve(socket));
      ws.once('unexpected-response', (_req, res) => {
        res.resume();
        ws.terminate();
        reject(new HandshakeRefused(res.statusCode ?? 0));
      });
      ws.once('error', reject);
    });

  /** Rooms this stack already made sure of (a test file reuses a few names). */
  const known = new Set<string>();
  const ensurePublic = async (owner: TestUser, roomId: string) => {
    if (known.has(roomId)) return;
    const reply = await api('/rooms', { method: 'POST', token: await tokenFor(owner), body: { name: roomId, visibility: 'public' } });
    if (reply.status !== 201 && reply.json?.error?.code !== 'NAME_TAKEN') throw new Error(`POST /rooms answered ${reply.status} ${JSON.stringify(reply.json)}`);
    known.add(roomId);
  };

  const scan: TestStack['scan'] = async (envVar) =>
    (await docClient.send(new ScanCommand({ TableName: dynamo.tableNames[envVar], ConsistentRead: true }))).Items ?? [];

  return {
    dynamo,
    get gateway() {
      return gateway;
    },
    docClient,
    tokenFor,
    api,
    ticketFor,
    openSocket,
    connect: async (user, room) => {
      // A public room named by a test exists first (rooms are created now, not conjured by a URL), made by this user.
      if (room && roomKindOf(room) === 'public') await ensurePublic(user, room);
      const socket = await openSocket({ ticket: await ticketFor(user) });
      if (room) {
        const answer = await socket.subscribe([room]);
        if (answer.refused.length) throw new Error(`subscribe refused: ${JSON.stringify(answer.refused)}`);
      }
      return socket;
    },
    publicRoom: async (owner, roomId) => {
      await ensurePublic(owner, roomId);
      return roomId;
    },
    privateRoom: async (owner, name = 'secret plans') => {
      const reply = await api('/rooms', { method: 'POST', token: await tokenFor(owner), body: { name, visibility: 'private' } });
      if (reply.status !== 201) throw new Error(`POST /rooms answered ${reply.status} ${JSON.stringify(reply.json)}`);
      return String(reply.json.room.roomId);
    },
    as: async (user, path, init = {}) => api(path, { ...init, token: await tokenFor(user) }),
    scan,
    connectionIdOf: async (user) => {
      const rows = (await scan(CONNECTIONS_TABLE.envVar)).filter((row) => row.userId === user.sub);
      if (rows.length !== 1) throw new Error(`expected one connection for the user, found ${rows.length}`);
      return String(rows[0]!.connectionId);
    },
    async restartGateway() {
      const port = gateway.port;
      await gateway.stop();
      gateway = await launch(port);
      // Node's fetch may still hold idle keep-alive connections to the old gateway, and a request sent on one fails
      // ("other side closed").
      await freshConnection(gateway.httpUrl);
    },
    async stop() {
      docClient.destroy();
      await gateway.stop();
      await dynamo.stop();
      await closeServer(jwksServer);
    },
  };
}

/**
 * An error answer (HTTP body or socket frame) with its support reference checked and taken out: every refusal gets
 * a fresh reference, so two refusals that must read the same are compared without it.
 */
export function withoutRef<T>(answer: T): T {
  const copy = JSON.parse(JSON.stringify(answer)) as { error?: { ref?: unknown }; ref?: unknown };
  const holder = (copy.error ?? copy) as { ref?: unknown };
  if (holder && typeof holder === 'object' && 'ref' in holder) {
    if (typeof holder.ref !== 'string' || !/^[A-Za-z0-9]{6,12}$/.test(holder.ref)) throw new Error(`bad error reference: ${String(holder.ref)}`);
    delete holder.ref;
  }
  return copy as T;
}
