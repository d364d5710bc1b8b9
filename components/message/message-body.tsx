/**
 * A message body as rich text (components/message/rich-body.tsx) once the parser has loaded; before that, the
 * same text plain with mention chips. Either way only text nodes and fixed elements, never HTML.
 */
import { splitMentions } from '../../lib/chat/mentions';
import { useRichText } from '../../hooks/use-rich-text';
import { Mention } from './mention';
import { RichBody } from './rich-body';

export interface MessageBodyProps {
  body: string;
  nameOf: (userId: string) => string | undefined;
  selfId?: string;
}

/** The body in a `<div>` (rich text has block elements: paragraphs, lists, quotes, code blocks). */
export function MessageBody({ body, nameOf, selfId }: MessageBodyProps) {
  const rich = useRichText();
  return (
    <div className={rich ? 'message-body rich-text' : 'message-body'} data-testid="message-body">
      {rich ? (
        <RichBody nodes={rich.richTextOf(body)} nameOf={nameOf} selfId={selfId} />
      ) : (
        <p>
          {splitMentions(body).map((part, i) =>
            'text' in part ? part.text : <Mention key={i} userId={part.userId} nameOf={nameOf} selfId={selfId} />,
          )}
        </p>
      )}
    </div>
  );
}
