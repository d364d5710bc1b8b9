/**
 * Baseline: the fan-out algorithm of AWS's well-known sample (aws-samples/simple-websockets-chat-app,
 * `sendmessage`): Scan every connection, then post to all of them at once with an unbounded `Promise.all`,
 * deleting a connection on 410. It has no rooms, so with 10 rooms × 100 sockets every message reaches all
 * 1,000 sockets and clients drop the other rooms' messages. It runs here in-process, called directly as its
 * Lambda would be (so it skips the inbound socket hop the chat stack pays), against the same dynalite and the
 * same emulated `@connections` API.
 */
import { ApiGatewayManagementApiClient, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { DeleteCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** The sample's sendmessage handler, bound to a table and callback URL. */
export function awsSampleSender(docClient: DynamoDBDocumentClient, connectionsTable: string, callbackUrl: string) {
  const api = new ApiGatewayManagementApiClient({
    endpoint: callbackUrl,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  return async (roomId: string, body: string): Promise<void> => {
    const ids: string[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await docClient.send(new ScanCommand({ TableName: connectionsTable, ProjectionExpression: 'connectionId', ExclusiveStartKey: start }));
      for (const item of page.Items ?? []) ids.push(String(item.connectionId));
      start = page.LastEvaluatedKey;
    } while (start);
    const data = JSON.stringify({ type: 'message', message: { roomId, body } });
    await Promise.all(
      ids.map(async (connectionId) => {
        try {
          await api.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: data }));
        } catch (error) {
          if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 410)
            await docClient.send(new DeleteCommand({ TableName: connectionsTable, Key: { connectionId } }));
          else throw error;
        }
      }),
    );
  };
}
