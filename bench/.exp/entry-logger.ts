import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
import { Logger } from "@aws-lambda-powertools/logger"; export const l = new Logger({serviceName:"c"});
export const handler = async (e: any) => db.send(new GetCommand({ TableName: 't', Key: { id: e.id } }));
