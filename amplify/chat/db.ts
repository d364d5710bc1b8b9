/**
 * The one DynamoDB document client. Locally the SDK finds dynalite through AWS_ENDPOINT_URL_DYNAMODB,
 * so this file holds no local-only code.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

let client: DynamoDBDocumentClient | undefined;

/** Shared, lazily created client (one per Lambda container). */
export function db(): DynamoDBDocumentClient {
  client ??= DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return client;
}

/** Epoch seconds, the unit DynamoDB TTL uses. */
export function nowSeconds(now = Date.now()): number {
  return Math.floor(now / 1000);
}

/** True for a failed ConditionExpression (checked by name: the SDK may load the class twice). */
export function isConditionFailure(error: unknown): boolean {
  return (error as { name?: string } | null)?.name === 'ConditionalCheckFailedException';
}
