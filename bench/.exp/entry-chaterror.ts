import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
export { ChatError } from "../../lib/chat-error";
export const handler = async (e: any) => db.send(new GetCommand({ TableName: 't', Key: { id: e.id } }));
