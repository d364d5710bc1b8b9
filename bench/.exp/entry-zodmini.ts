import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
import * as z from "zod/mini"; export const s = z.object({a: z.string()});
export const handler = async (e: any) => db.send(new GetCommand({ TableName: 't', Key: { id: e.id } }));
