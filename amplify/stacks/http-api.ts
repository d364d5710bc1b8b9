/**
 * The HTTP API: every route requires a Cognito ID token (`Authorization: Bearer …`), verified by API
 * Gateway's JWT authorizer before any Lambda runs; the handlers read the verified claims. CORS admits
 * only the site's origin plus explicitly configured developer origins.
 */
import { Duration, Names } from 'aws-cdk-lib';
import { CorsHttpMethod, HttpApi, HttpMethod, HttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { HttpRoutes } from '../../lib/protocol';
import { ROOM_ROUTE_NAMES } from '../functions/rooms/route-names';
import type { Throttle } from './chat-function';

/** Cognito, the Lambdas and the browser origins the HTTP API needs. */
export interface ChatHttpApiProps {
  readonly userPool: IUserPool;
  readonly userPoolClient: IUserPoolClient;
  readonly createTicket: IFunction;
  readonly getMessages: IFunction;
  readonly storeMessage: IFunction;
  /** Every rooms route (see amplify/functions/rooms/route-names.ts). */
  readonly rooms: IFunction;
  /** Exact origins (`https://host[:port]`) allowed by CORS. */
  readonly allowedOrigins: readonly string[];
  readonly throttle: Throttle;
}

/** HTTP API with a throttled `$default` stage and JWT-protected routes. */
export class ChatHttpApi extends Construct {
  readonly api: HttpApi;

  constructor(scope: Construct, id: string, props: ChatHttpApiProps) {
    super(scope, id);
    this.api = new HttpApi(this, 'Api', {
      apiName: Names.uniqueResourceName(this, { maxLength: 128 }),
      description: 'Chat HTTP API',
      // Created below instead, because only an explicit stage takes throttling settings.
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: [...props.allowedOrigins],
        allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.PUT, CorsHttpMethod.DELETE],
        allowHeaders: ['authorization', 'content-type'],
        maxAge: Duration.hours(1),
      },
    });
    new HttpStage(this, 'DefaultStage', { httpApi: this.api, stageName: '$default', autoDeploy: true, throttle: props.throttle });

    const { region } = this.api.stack;
    const authorizer = new HttpJwtAuthorizer(
      'CognitoJwt',
      `https://cognito-idp.${region}.amazonaws.com/${props.userPool.userPoolId}`,
      // An ID token's `aud` is the app client id: tokens minted for any other client are refused.
      { jwtAudience: [props.userPoolClient.userPoolClientId], identitySource: ['$request.header.Authorization'] },
    );
    const route = (path: string, method: HttpMethod, fn: IFunction, id: string) =>
      this.api.addRoutes({ path, methods: [method], integration: new HttpLambdaIntegration(id, fn), authorizer });
    route(HttpRoutes.createTicket.path, HttpMethod[HttpRoutes.createTicket.method], props.createTicket, 'CreateTicketIntegration');
    // History and the changes feed: one read-only function, one integration, two routes.
    const history = new HttpLambdaIntegration('GetMessagesIntegration', props.getMessages);
    for (const { path, method } of [HttpRoutes.getMessages, HttpRoutes.getChanges]) {
      this.api.addRoutes({ path, methods: [HttpMethod[method]], integration: history, authorizer });
    }
    route(HttpRoutes.storeMessage.path, HttpMethod[HttpRoutes.storeMessage.method], props.storeMessage, 'StoreMessageIntegration');
    // One integration for the rooms function, shared by all its routes.
    const rooms = new HttpLambdaIntegration('RoomsIntegration', props.rooms);
    for (const name of ROOM_ROUTE_NAMES) {
      const { path, method } = HttpRoutes[name];
      this.api.addRoutes({ path, methods: [HttpMethod[method]], integration: rooms, authorizer });
    }
  }

  /** Base URL without a trailing slash (the `$default` stage has no path prefix). */
  get url(): string {
    return this.api.apiEndpoint;
  }
}
