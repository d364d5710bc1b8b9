/**
 * DynamoDB tables built from the one key-schema definition (amplify/chat/tables.ts), so the deployed
 * tables and the local dynalite tables cannot drift apart.
 */
import type { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import {
  CONNECTIONS_TABLE,
  MEMBERSHIPS_TABLE,
  MESSAGES_TABLE,
  MESSAGE_CHANGES_TABLE,
  MENTIONS_TABLE,
  RATE_LIMITS_TABLE,
  ROOMS_TABLE,
  SUBSCRIPTIONS_TABLE,
  SEND_RECEIPTS_TABLE,
  TICKETS_TABLE,
  type KeyAttribute,
  type TableDefinition,
} from '../chat/tables';

/** The chat tables. */
export interface ChatTables {
  readonly messages: Table;
  readonly connections: Table;
  readonly tickets: Table;
  readonly sendReceipts: Table;
  readonly rateLimits: Table;
  readonly rooms: Table;
  readonly memberships: Table;
  readonly subscriptions: Table;
  readonly messageChanges: Table;
  readonly mentions: Table;
}

/** Every key in the schema is a string. */
const key = (attribute: KeyAttribute) => ({ name: attribute.name, type: AttributeType.STRING });

/**
 * One table from its definition: on-demand billing (chat traffic is spiky), point-in-time recovery,
 * AWS-managed KMS encryption, TTL where rows expire, and INCLUDE-projected GSIs (only what queries read).
 */
export function createTable(scope: Construct, definition: TableDefinition, removalPolicy: RemovalPolicy): Table {
  const table = new Table(scope, `${definition.id}Table`, {
    partitionKey: key(definition.partitionKey),
    sortKey: definition.sortKey && key(definition.sortKey),
    billingMode: BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    encryption: TableEncryption.AWS_MANAGED,
    timeToLiveAttribute: definition.ttlAttribute,
    removalPolicy,
  });
  for (const index of definition.indexes) {
    table.addGlobalSecondaryIndex({
      indexName: index.indexName,
      partitionKey: key(index.partitionKey),
      sortKey: index.sortKey && key(index.sortKey),
      projectionType: ProjectionType.INCLUDE,
      nonKeyAttributes: [...index.nonKeyAttributes],
    });
  }
  return table;
}

/** Creates every chat table in `scope`. */
export function createChatTables(scope: Construct, removalPolicy: RemovalPolicy): ChatTables {
  return {
    messages: createTable(scope, MESSAGES_TABLE, removalPolicy),
    connections: createTable(scope, CONNECTIONS_TABLE, removalPolicy),
    tickets: createTable(scope, TICKETS_TABLE, removalPolicy),
    sendReceipts: createTable(scope, SEND_RECEIPTS_TABLE, removalPolicy),
    rateLimits: createTable(scope, RATE_LIMITS_TABLE, removalPolicy),
    // New with rooms: new tables, no existing table re-keyed (CloudFormation changes one index per update).
    rooms: createTable(scope, ROOMS_TABLE, removalPolicy),
    memberships: createTable(scope, MEMBERSHIPS_TABLE, removalPolicy),
    subscriptions: createTable(scope, SUBSCRIPTIONS_TABLE, removalPolicy),
    // New with message actions (edit/delete/reactions): the per-room change order, a new table.
    messageChanges: createTable(scope, MESSAGE_CHANGES_TABLE, removalPolicy),
    // New with exact mention badges: the mention index, a new table.
    mentions: createTable(scope, MENTIONS_TABLE, removalPolicy),
  };
}
