/**
 * Every rooms route (my rooms, browse, create, info, join/leave, members, read position, mute, DMs) in one
 * function: they share the same tables and grants, and one warm function answers a sidebar's burst of calls.
 * Dispatches on API Gateway's `routeKey` ("GET /me/rooms").
 */
import { ChatError } from '../../../lib/chat-error';
import { ErrorCode, HttpRoutes } from '../../../lib/protocol';
import { httpHandler } from '../../chat/http';
import { ROOM_ROUTES } from './routes';
import { ROOM_ROUTE_NAMES } from './route-names';

const byRouteKey = new Map(ROOM_ROUTE_NAMES.map((name) => [`${HttpRoutes[name].method} ${HttpRoutes[name].path}`, ROOM_ROUTES[name]]));

export const handler = httpHandler(async (event) => {
  const route = byRouteKey.get(event.routeKey);
  if (!route) throw new ChatError(ErrorCode.NotFound, 'No such route');
  return route(event);
});
