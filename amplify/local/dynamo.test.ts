/** Local DynamoDB: tables built from the shared key schema, idempotent over a persisted restart. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DeleteTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_TABLES, CONNECTIONS_TABLE, MESSAGES_TABLE } from '../chat/tables';
import { localDynamoClient, startDynamo, tableSettled } from './dynamo';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dynamo-test-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('startDynamo', () => {
  it('creates every table with the keys and indexes of amplify/chat/tables.ts', async () => {
    const dynamo = await startDynamo();
    const client = localDynamoClient(dynamo.endpoint);
    try {
      expect(dynamo.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(dynamo.handlerEnv).toMatchObject({ AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint, ...dynamo.tableNames });
      for (const def of ALL_TABLES) {
        const { Table } = await client.send(new DescribeTableCommand({ TableName: dynamo.tableNames[def.envVar] }));
        expect(Table?.TableStatus).toBe('ACTIVE');
        expect(Table?.KeySchema?.map((k) => k.AttributeName)).toEqual([def.partitionKey.name, ...(def.sortKey ? [def.sortKey.name] : [])]);
        expect((Table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName)).toEqual(def.indexes.map((i) => i.indexName));
      }
      const { Table } = await client.send(new DescribeTableCommand({ TableName: dynamo.tableNames[CONNECTIONS_TABLE.envVar] }));
      expect(Table?.GlobalSecondaryIndexes?.[0]?.Projection).toEqual({ ProjectionType: 'INCLUDE', NonKeyAttributes: ['expiresAt', 'userId', 'displayName'] });
    } finally {
      client.destroy();
      await dynamo.stop();
    }
  });

  it('keeps tables and items across a restart on the same dir', async () => {
    const item = { roomId: 'general', messageId: '01HZZZZZZZZZZZZZZZZZZZZZZZ', body: 'persisted' };
    const first = await startDynamo({ dir });
    const firstClient = DynamoDBDocumentClient.from(localDynamoClient(first.endpoint));
    await firstClient.send(new PutCommand({ TableName: first.tableNames[MESSAGES_TABLE.envVar], Item: item }));
    firstClient.destroy();
    await first.stop();

    const second = await startDynamo({ dir });
    const secondClient = DynamoDBDocumentClient.from(localDynamoClient(second.endpoint));
    try {
      const key = { roomId: item.roomId, messageId: item.messageId };
      const { Item } = await secondClient.send(new GetCommand({ TableName: second.tableNames[MESSAGES_TABLE.envVar], Key: key }));
      expect(Item).toEqual(item);
    } finally {
      secondClient.destroy();
      await second.stop();
    }
  });

  it('recreates an expiring-data table whose index drifted from tables.ts, and refuses to drop drifted messages', async () => {
    const driftDir = await mkdtemp(join(tmpdir(), 'dynamo-drift-'));
    try {
      // An older schema: the room index without the attributes it projects today, and messages keyed differently.
      const first = await startDynamo({ dir: driftDir });
      const client = localDynamoClient(first.endpoint);
      const [byRoom] = CONNECTIONS_TABLE.indexes;
      await client.send(new DeleteTableCommand({ TableName: CONNECTIONS_TABLE.id }));
      await tableSettled(client, CONNECTIONS_TABLE.id, undefined);
      await client.send(
        new CreateTableCommand({
          TableName: CONNECTIONS_TABLE.id,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: ['connectionId', 'roomId'].map((n) => ({ AttributeName: n, AttributeType: 'S' as const })),
          KeySchema: [{ AttributeName: 'connectionId', KeyType: 'HASH' }],
          GlobalSecondaryIndexes: [
            {
              IndexName: byRoom.indexName,
              KeySchema: [{ AttributeName: 'roomId', KeyType: 'HASH' }, { AttributeName: 'connectionId', KeyType: 'RANGE' }],
              Projection: { ProjectionType: 'KEYS_ONLY' },
            },
          ],
        }),
      );
      await tableSettled(client, CONNECTIONS_TABLE.id, 'ACTIVE');
      client.destroy();
      await first.stop();

      const second = await startDynamo({ dir: driftDir });
      const check = localDynamoClient(second.endpoint);
      const { Table } = await check.send(new DescribeTableCommand({ TableName: CONNECTIONS_TABLE.id }));
      expect(Table?.GlobalSecondaryIndexes?.[0]?.Projection?.NonKeyAttributes).toEqual([...byRoom.nonKeyAttributes]);
      await check.send(new DeleteTableCommand({ TableName: MESSAGES_TABLE.id }));
      await tableSettled(check, MESSAGES_TABLE.id, undefined);
      await check.send(
        new CreateTableCommand({
          TableName: MESSAGES_TABLE.id,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [{ AttributeName: 'roomId', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'roomId', KeyType: 'HASH' }],
        }),
      );
      await tableSettled(check, MESSAGES_TABLE.id, 'ACTIVE');
      check.destroy();
      await second.stop();

      await expect(startDynamo({ dir: driftDir })).rejects.toThrow(/delete \.local\/dynamodb/);
    } finally {
      await rm(driftDir, { recursive: true, force: true });
    }
  });
});
