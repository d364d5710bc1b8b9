/** POST /tickets — trades the caller's verified Cognito identity for a one-time WebSocket ticket. */
import { requireCurrentClient } from '../../chat/client-version';
import { issueTicket } from '../../chat/tickets';
import { httpHandler, json, requireUser } from '../../chat/http';
import type { TicketResponse } from '../../../lib/protocol';

export const handler = httpHandler(async (event) => {
  const user = requireUser(event);
  // Every (re)connect asks for a ticket first: the one place an open tab of an old build learns it is outdated.
  requireCurrentClient(event.queryStringParameters);
  const response: TicketResponse = await issueTicket(user);
  return json(201, response);
});
