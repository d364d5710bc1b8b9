/** A message body: text, with `<@userId>` tokens shown as "@Name" chips. Always text nodes, never HTML. */
import { splitMentions } from '../../lib/chat/mentions';

export function MessageBody({ body, nameOf, selfId }: { body: string; nameOf: (userId: string) => string | undefined; selfId?: string }) {
  return (
    <>
      {splitMentions(body).map((part, i) =>
        'text' in part ? (
          part.text
        ) : (
          <span key={i} className={part.userId === selfId ? 'mention mention-self' : 'mention'} data-testid="mention">
            @{nameOf(part.userId) ?? 'someone'}
          </span>
        ),
      )}
    </>
  );
}
