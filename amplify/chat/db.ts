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

/**
 * Runs a conditional write: true when it happened, false when its ConditionExpression failed (an expected
 * outcome, not an error); anything else is thrown.
 */
export async function conditionally(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** True for a failed ConditionExpression (checked by name: the SDK may load the class twice). */
export function isConditionFailure(error: unknown): boolean {
  return (error as { name?: string } | null)?.name === 'ConditionalCheckFailedException';
}
