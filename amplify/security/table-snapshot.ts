/** Test helper: every item of every chat table, to prove a refused request changed nothing at all. */
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { ALL_TABLES } from '../chat/tables';
import { localDynamoClient } from '../local/dynamo';

/** Table id → its items, each as canonical JSON, sorted (scan order is not part of the contract). */
export type TableSnapshot = Record<string, string[]>;

/** JSON with object keys sorted at every level, so equal items always print the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object' && !(value instanceof Uint8Array) && !(value instanceof Set)) {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value instanceof Set ? [...value].sort() : value) ?? 'undefined';
}

/** A reader of the local DynamoDB at `endpoint`; `destroy()` when done. */
export function tableSnapshots(endpoint: string) {
  const client = DynamoDBDocumentClient.from(localDynamoClient(endpoint));
  return {
    /** Every item of every table in ALL_TABLES (new tables are covered without touching this file). */
    async take(): Promise<TableSnapshot> {
      const snapshot: TableSnapshot = {};
      for (const table of ALL_TABLES) {
        const items: string[] = [];
        let startKey: Record<string, unknown> | undefined;
        do {
          const page = await client.send(new ScanCommand({ TableName: table.id, ConsistentRead: true, ExclusiveStartKey: startKey }));
          for (const item of page.Items ?? []) items.push(canonical(item));
          startKey = page.LastEvaluatedKey;
        } while (startKey);
        snapshot[table.id] = items.sort();
      }
      return snapshot;
    },
    destroy: () => client.destroy(),
  };
}
