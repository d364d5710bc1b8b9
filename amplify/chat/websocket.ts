/** Shapes of API Gateway WebSocket events as our handlers read them (aws-lambda's types omit some fields). */
import type { APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';
import type { ChatUser } from './identity';

/** Context the $connect authorizer returns; API Gateway passes it to the $connect route. */
export interface AuthorizerContext {
  readonly userId: string;
  readonly displayName: string;
}

/** A WebSocket route event, with the fields $connect carries. */
export type WebSocketEvent = APIGatewayProxyWebsocketEventV2 & {
  readonly queryStringParameters?: Record<string, string | undefined> | null;
  readonly requestContext: APIGatewayProxyWebsocketEventV2['requestContext'] & { readonly authorizer?: Partial<AuthorizerContext> };
};

/** The verified user the authorizer attached, or undefined. */
export function userFromAuthorizer(event: WebSocketEvent): ChatUser | undefined {
  const ctx = event.requestContext.authorizer;
  return ctx?.userId && ctx.displayName ? { userId: ctx.userId, displayName: ctx.displayName } : undefined;
}
