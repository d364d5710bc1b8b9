/**
 * A room's last message as the sidebar's one line of text: "Ada: see you at 3", "You: …" for one's own, and
 * "Ada: message deleted" (shown in the timeline's placeholder style) once it was deleted — never an empty "Ada: ".
 */
import type { MessagePreview } from '../protocol';
import { bodyAsText } from './mentions';

/** What follows "Name: " when the room's last message was deleted. */
export const DELETED_PREVIEW = 'message deleted';

/** The line, and whether it is the deleted placeholder (styled like "This message was deleted"); spreads into a sidebar row. */
export function previewLine(preview: MessagePreview, selfId: string, nameOf: (userId: string) => string | undefined): { preview: string; previewDeleted: boolean } {
  const who = preview.authorId === selfId ? 'You' : preview.authorName;
  // `deleted` from the server; an empty body is the same thing from a server that predates the flag.
  if (preview.deleted || preview.body === '') return { preview: `${who}: ${DELETED_PREVIEW}`, previewDeleted: true };
  return { preview: `${who}: ${bodyAsText(preview.body, nameOf)}`, previewDeleted: false };
}
