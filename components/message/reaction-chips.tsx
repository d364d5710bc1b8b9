/**
 * A message's reactions: one toggle chip per emoji ("👍 2 reactions, react with 👍"; pressed when the reader is
 * among them, and choosing it then removes their reaction). Who reacted shows on hover AND keyboard focus as a
 * tooltip that is also the chip's accessible description. Names are text, never markup.
 */
import { useId } from 'react';
import { chipLabel, reactedByMe, whoReacted } from '../../lib/chat/reactions';
import type { Reaction } from '../../lib/protocol';

export interface ReactionChipsProps {
  reactions: readonly Reaction[];
  selfId?: string;
  nameOf: (userId: string) => string | undefined;
  /** Set or unset the reader's reaction (never a toggle on the wire). */
  onReact: (emoji: string, op: 'set' | 'unset') => void;
}

function Chip({ reaction, selfId, nameOf, onReact }: { reaction: Reaction } & Omit<ReactionChipsProps, 'reactions'>) {
  const tip = useId();
  const mine = reactedByMe(reaction, selfId);
  return (
    <span className="reaction">
      <button
        type="button"
        className="reaction-chip"
        aria-pressed={mine}
        aria-label={chipLabel(reaction)}
        aria-describedby={tip}
        data-testid="reaction-chip"
        onClick={() => onReact(reaction.emoji, mine ? 'unset' : 'set')}
      >
        <span aria-hidden="true">
          {reaction.emoji} {reaction.userIds.length}
        </span>
      </button>
      <span id={tip} role="tooltip" className="reaction-tooltip" data-testid="reaction-tooltip">
        {whoReacted(reaction, selfId, nameOf)}
      </span>
    </span>
  );
}

export function ReactionChips(props: ReactionChipsProps) {
  const shown = props.reactions.filter((r) => r.userIds.length > 0);
  if (shown.length === 0) return null;
  return (
    <div className="reactions" data-testid="reactions">
      {shown.map((reaction) => (
        <Chip key={reaction.emoji} reaction={reaction} selfId={props.selfId} nameOf={props.nameOf} onReact={props.onReact} />
      ))}
    </div>
  );
}
