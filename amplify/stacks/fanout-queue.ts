/**
 * The sharded fan-out's infrastructure: an SQS queue of shards (encrypted, TLS only, short retention: a shard is
 * useless after its age bound), a dead-letter queue after 3 receives with an alarm on any message in it, and the
 * worker's event source (batches of 5, partial batch failures, bounded concurrency). Senders get exactly
 * `sqs:SendMessage` on the queue (SendMessageBatch authorizes as SendMessage) and its URL; the worker gets what
 * posting needs: `@connections` and the 410 cleanup of rows.
 */
import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { WebSocketStage } from 'aws-cdk-lib/aws-apigatewayv2';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Grant } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { FANOUT_QUEUE_URL_ENV } from '../chat/fanout-shards';
import { CALLBACK_URL_ENV, CONNECTIONS_TABLE, SUBSCRIPTIONS_TABLE } from '../chat/tables';
import type { ChatFunction } from './chat-function';

/** Receives before a shard goes to the dead-letter queue. */
export const FANOUT_MAX_RECEIVES = 3;
/** Shards per worker invocation. */
export const FANOUT_BATCH_SIZE = 5;
/** Worker invocations at once (keeps a burst of huge rooms from taking the account's whole Lambda concurrency). */
export const FANOUT_MAX_CONCURRENCY = 200;

/** Inputs of the fan-out queue. */
export interface FanOutQueueProps {
  /** The worker function (amplify/functions/fanout-worker); its timeout sets the queue's visibility timeout. */
  readonly worker: ChatFunction;
  readonly workerTimeout: Duration;
  /** Functions whose broadcasts may hand shards to the queue. */
  readonly senders: readonly ChatFunction[];
  readonly stage: WebSocketStage;
  readonly connections: Table;
  /** The rooms' Subscriptions table, for the 410 cleanup of a gone socket's rows (when the stack has it). */
  readonly subscriptions?: Table;
}

/** Queue, dead-letter queue + alarm, the worker's event source and least-privilege grants. */
export class FanOutQueue extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly deadLetterAlarm: Alarm;

  constructor(scope: Construct, id: string, props: FanOutQueueProps) {
    super(scope, id);
    this.deadLetterQueue = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new Queue(this, 'Shards', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // Redelivery only after the worker's own timeout (SQS requires at least that); a shard older than its age
      // bound is dropped by the worker anyway, so keeping messages longer than a few minutes has no use.
      visibilityTimeout: props.workerTimeout.plus(Duration.seconds(5)),
      retentionPeriod: Duration.minutes(5),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: FANOUT_MAX_RECEIVES },
    });
    this.deadLetterAlarm = new Alarm(this, 'DeadLettersAlarm', {
      alarmDescription: 'Fan-out shards failed 3 times and were dead-lettered: some sockets missed messages live (they recover on gap fill). Check the fan-out worker logs.',
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });

    const worker = props.worker.resources.lambda;
    worker.addEventSource(
      new SqsEventSource(this.queue, { batchSize: FANOUT_BATCH_SIZE, reportBatchItemFailures: true, maxConcurrency: FANOUT_MAX_CONCURRENCY }),
    );
    props.worker.addEnvironment(CALLBACK_URL_ENV, props.stage.callbackUrl);
    props.worker.addEnvironment(CONNECTIONS_TABLE.envVar, props.connections.tableName);
    props.stage.grantManagementApiAccess(worker);
    const allow = (actions: string[], resourceArns: string[]) => Grant.addToPrincipal({ grantee: worker, actions, resourceArns });
    allow(['dynamodb:DeleteItem'], [props.connections.tableArn]); // removeGoneConnection
    if (props.subscriptions) {
      props.worker.addEnvironment(SUBSCRIPTIONS_TABLE.envVar, props.subscriptions.tableName);
      allow(['dynamodb:Query'], [`${props.subscriptions.tableArn}/index/${SUBSCRIPTIONS_TABLE.indexes[0].indexName}`]); // the gone socket's rows
      allow(['dynamodb:BatchWriteItem'], [props.subscriptions.tableArn]); // deleteSubscriptions
      allow(['dynamodb:Query'], [props.subscriptions.tableArn]); // a gone socket's `left` delta to its room
    }

    for (const sender of props.senders) {
      sender.addEnvironment(FANOUT_QUEUE_URL_ENV, this.queue.queueUrl);
      Grant.addToPrincipal({ grantee: sender.resources.lambda, actions: ['sqs:SendMessage'], resourceArns: [this.queue.queueArn] });
    }
  }
}
