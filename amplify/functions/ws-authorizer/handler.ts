/**
 * $connect REQUEST authorizer: consumes the one-time ticket from `?ticket=` and allows the handshake
 * for the user it was issued to. Unknown, replayed or expired tickets are refused with 401.
 */
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { consumeTicket } from '../../chat/tickets';
import { ConnectQuery } from '../../../lib/protocol';
import { logger } from '../../chat/logger';
import { count, withMetrics } from '../../chat/metrics';

/** API Gateway maps exactly this error message to a 401 response. */
const UNAUTHORIZED = 'Unauthorized';

export const handler = withMetrics(async (event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
  const user = await consumeTicket(event.queryStringParameters?.[ConnectQuery.ticket]);
  if (!user) {
    count('RefusedTickets');
    logger.info('ticket refused', { requestId: event.requestContext?.requestId, connectionId: event.requestContext?.connectionId });
    throw new Error(UNAUTHORIZED);
  }
  return {
    principalId: user.userId,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }],
    },
    context: { userId: user.userId, displayName: user.displayName },
  };
});
