/**
 * The WebSocket API: `$connect` is guarded by the one-time-ticket Lambda authorizer (browsers cannot
 * set headers on a WebSocket, hence the query string), frames are routed on their `action` field.
 */
import {
  WebSocketApi,
  WebSocketStage,
  type IWebSocketRouteAuthorizer,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { WebSocketLambdaAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { WebSocketLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Names } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { Action, ConnectQuery } from '../../lib/protocol';
import type { Throttle } from './chat-function';

/** Clients put the route name in `action` (see lib/protocol.ts clientFrameSchema). */
export const ROUTE_SELECTION_EXPRESSION = '$request.body.action';

/** Where the authorizer reads the ticket; a $connect without it is refused by API Gateway itself. */
export const TICKET_IDENTITY_SOURCE = `route.request.querystring.${ConnectQuery.ticket}`;

/** Stage name; it is part of the wss:// URL and of the `@connections` callback URL. */
export const WEBSOCKET_STAGE = 'prod';

/** Lambdas behind the WebSocket routes. */
export interface ChatWebSocketApiProps {
  readonly authorizer: IFunction;
  readonly connect: IFunction;
  readonly disconnect: IFunction;
  /** Handles sendMessage, ping, presence and $default (which answers unknown actions with an error frame). */
  readonly message: IFunction;
  readonly throttle: Throttle;
}

/** WebSocket API plus its auto-deployed, throttled `prod` stage. */
export class ChatWebSocketApi extends Construct {
  readonly api: WebSocketApi;
  readonly stage: WebSocketStage;

  constructor(scope: Construct, id: string, props: ChatWebSocketApiProps) {
    super(scope, id);
    const authorizer: IWebSocketRouteAuthorizer = new WebSocketLambdaAuthorizer('TicketAuthorizer', props.authorizer, {
      identitySource: [TICKET_IDENTITY_SOURCE],
    });
    const messages = (routeId: string) => new WebSocketLambdaIntegration(`${routeId}Integration`, props.message);
    this.api = new WebSocketApi(this, 'Api', {
      // Unique per backend (the path includes the root stack), so sandboxes are told apart in the console.
      apiName: Names.uniqueResourceName(this, { maxLength: 128 }),
      description: 'Chat WebSocket API',
      routeSelectionExpression: ROUTE_SELECTION_EXPRESSION,
      connectRouteOptions: { integration: new WebSocketLambdaIntegration('ConnectIntegration', props.connect), authorizer },
      disconnectRouteOptions: { integration: new WebSocketLambdaIntegration('DisconnectIntegration', props.disconnect) },
      defaultRouteOptions: { integration: messages('Default') },
    });
    // One route per action (all to the same function), so per-route metrics and throttles can tell them apart.
    for (const [name, action] of Object.entries(Action)) this.api.addRoute(action, { integration: messages(name) });
    this.stage = new WebSocketStage(this, 'Stage', {
      webSocketApi: this.api,
      stageName: WEBSOCKET_STAGE,
      autoDeploy: true,
      throttle: props.throttle,
    });
  }
}
