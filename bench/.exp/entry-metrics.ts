import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
import { Metrics } from "@aws-lambda-powertools/metrics"; export const m = new Metrics({namespace:"n"});
export const handler = async (e: any) => db.send(new GetCommand({ TableName: 't', Key: { id: e.id } }));
