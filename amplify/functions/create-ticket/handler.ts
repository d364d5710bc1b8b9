/** POST /tickets — trades the caller's verified Cognito identity for a one-time WebSocket ticket. */
import { issueTicket } from '../../chat/tickets';
import { httpHandler, json, requireUser } from '../../chat/http';
import type { TicketResponse } from '../../../lib/protocol';

export const handler = httpHandler(async (event) => {
  const response: TicketResponse = await issueTicket(requireUser(event));
  return json(201, response);
});
