/**
 * Local DynamoDB: dynalite on 127.0.0.1 with every table from amplify/chat/tables.ts, created from the
 * same definitions the CDK stack uses so the two cannot drift. Local-only; deployed code never imports it.
 */
import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  type AttributeDefinition,
  type KeySchemaElement,
} from '@aws-sdk/client-dynamodb';
import { ALL_TABLES, type IndexDefinition, type TableDefinition } from '../chat/tables';
import { closeServer, listen } from './net';

/** dynalite ships no types; this is the part of its factory we use. */
type DynaliteFactory = (options: {
  path?: string;
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
}) => Server;

const dynalite = createRequire(import.meta.url)('dynalite') as DynaliteFactory;

/** Region and dummy credentials: the SDK insists on both, dynalite checks neither. */
export const LOCAL_AWS_ENV = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  // Keeps the SDK's credential chain from probing an EC2 metadata endpoint that does not exist here.
  AWS_EC2_METADATA_DISABLED: 'true',
  // Node 20 is still supported by the SDK versions in the lock; the notice would only add noise locally.
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
} as const;

/** A running local DynamoDB. */
export interface LocalDynamo {
  /** http://127.0.0.1:PORT */
  readonly endpoint: string;
  /** Table name per env var (MESSAGES_TABLE → 'Messages', …). */
  readonly tableNames: Record<string, string>;
  /** Everything a handler needs to reach these tables: endpoint, region, dummy credentials, table names. */
  readonly handlerEnv: Record<string, string>;
  stop(): Promise<void>;
}

/** A low-level client for this endpoint (used to create tables, and by tests to inspect them). */
export function localDynamoClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: LOCAL_AWS_ENV.AWS_REGION,
    credentials: { accessKeyId: LOCAL_AWS_ENV.AWS_ACCESS_KEY_ID, secretAccessKey: LOCAL_AWS_ENV.AWS_SECRET_ACCESS_KEY },
  });
}

/** CreateTable input for one definition; all keys are strings, billing on demand as in the CDK stack. */
function createTableInput(def: TableDefinition) {
  const keySchema = (pk: { name: string }, sk?: { name: string }): KeySchemaElement[] => [
    { AttributeName: pk.name, KeyType: 'HASH' },
    ...(sk ? [{ AttributeName: sk.name, KeyType: 'RANGE' as const }] : []),
  ];
  const keyNames = new Set<string>([def.partitionKey.name, ...(def.sortKey ? [def.sortKey.name] : [])]);
  for (const index of def.indexes) {
    keyNames.add(index.partitionKey.name);
    if (index.sortKey) keyNames.add(index.sortKey.name);
  }
  const attributes: AttributeDefinition[] = [...keyNames].map((name) => ({ AttributeName: name, AttributeType: 'S' }));
  const gsi = (index: IndexDefinition) => ({
    IndexName: index.indexName,
    KeySchema: keySchema(index.partitionKey, index.sortKey),
    Projection: index.nonKeyAttributes.length
      ? { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: [...index.nonKeyAttributes] }
      : { ProjectionType: 'KEYS_ONLY' as const },
  });
  return {
    TableName: def.id,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: attributes,
    KeySchema: keySchema(def.partitionKey, def.sortKey),
    ...(def.indexes.length ? { GlobalSecondaryIndexes: def.indexes.map(gsi) } : {}),
  };
}

/** The parts of a table that the definition decides, in a comparable form. */
function shapeOf(table: { KeySchema?: unknown; GlobalSecondaryIndexes?: { IndexName?: string; KeySchema?: unknown; Projection?: unknown }[] }) {
  const indexes = (table.GlobalSecondaryIndexes ?? [])
    .map((i) => ({ IndexName: i.IndexName, KeySchema: i.KeySchema, Projection: i.Projection }))
    .sort((a, b) => String(a.IndexName).localeCompare(String(b.IndexName)));
  return JSON.stringify({ keys: table.KeySchema, indexes });
}

/**
 * Creates missing tables. A persisted table whose keys or indexes no longer match tables.ts is recreated when it
 * holds only expiring data (it has a TTL: connections, tickets, receipts, counters); for the durable messages
 * table the developer is told what to do instead of losing history silently.
 */
async function ensureTables(client: DynamoDBClient): Promise<void> {
  const existing = new Set((await client.send(new ListTablesCommand({}))).TableNames ?? []);
  for (const def of ALL_TABLES) {
    const wanted = createTableInput(def);
    // TTL is not set: dynalite has no TTL, which is why every read filters expired items itself.
    if (!existing.has(def.id)) {
      await client.send(new CreateTableCommand(wanted));
      continue;
    }
    const { Table: current } = await client.send(new DescribeTableCommand({ TableName: def.id }));
    if (current && shapeOf(current) === shapeOf(wanted)) continue;
    if (!def.ttlAttribute) {
      throw new Error(`The local ${def.id} table in .local/ was made by an older schema: delete .local/dynamodb to start over`);
    }
    await client.send(new DeleteTableCommand({ TableName: def.id }));
    await tableSettled(client, def.id, undefined);
    await client.send(new CreateTableCommand(wanted));
    await tableSettled(client, def.id, 'ACTIVE');
  }
}

/** Waits (briefly: dynalite runs with zero delays) until a table is gone (`undefined`) or has `status`. */
export async function tableSettled(client: DynamoDBClient, name: string, status: 'ACTIVE' | undefined): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const table = await client
      .send(new DescribeTableCommand({ TableName: name }))
      .then((r) => r.Table)
      .catch((error: Error) => {
        if (error.name === 'ResourceNotFoundException') return undefined;
        throw error;
      });
    if (table?.TableStatus === status) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`local table ${name} did not become ${status ?? 'deleted'}`);
}

/**
 * dynalite on 127.0.0.1; `dir` persists (leveldb), omitted = in-memory. Creates every table in ALL_TABLES
 * with its GSIs if missing (idempotent on restart).
 */
export async function startDynamo(opts: { dir?: string; port?: number; host?: string } = {}): Promise<LocalDynamo> {
  const host = opts.host ?? '127.0.0.1';
  // Zero delays: tables are ACTIVE at once, so nothing has to poll DescribeTable.
  const server = dynalite({ path: opts.dir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const port = await listen(server, opts.port ?? 0, host);
  const endpoint = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  // closeServer also drops the SDK's keep-alive sockets, which would otherwise hold close() open.
  const stop = () => closeServer(server);
  const client = localDynamoClient(endpoint);
  try {
    await ensureTables(client);
  } catch (error) {
    await stop();
    throw error;
  } finally {
    client.destroy();
  }
  const tableNames = Object.fromEntries(ALL_TABLES.map((def) => [def.envVar, def.id]));
  return { endpoint, tableNames, handlerEnv: { ...LOCAL_AWS_ENV, AWS_ENDPOINT_URL_DYNAMODB: endpoint, ...tableNames }, stop };
}
