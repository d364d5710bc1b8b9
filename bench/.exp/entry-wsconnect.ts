import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
export * from "../../amplify/functions/ws-connect/handler";
export const handler = async (e: any) => db.send(new GetCommand({ TableName: 't', Key: { id: e.id } }));
