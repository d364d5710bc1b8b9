/** An `<@userId>` token shown as "@Name"; a mention of the reader is highlighted strongly. Text only. */
export function Mention({ userId, nameOf, selfId }: { userId: string; nameOf: (userId: string) => string | undefined; selfId?: string }) {
  const me = userId === selfId;
  return (
    <span className={me ? 'mention mention-self' : 'mention'} data-testid="mention" data-mention-self={me ? 'true' : undefined}>
      @{nameOf(userId) ?? 'someone'}
    </span>
  );
}
