'use client';
/**
 * "Create room": name, topic, public or private. A public room's name is its address (lowercase, dashes); a
 * private room gets a generated id and its name is display-only, so it never reveals or collides with others.
 */
import { useState, type FormEvent } from 'react';
import type { ChatSession } from '../../lib/chat/chat-session';
import { describeError } from '../../lib/chat/outgoing';
import { PUBLIC_ROOM_ID, roomNameSchema, topicSchema, LIMITS } from '../../lib/protocol';
import { PanelDialog } from './panel-dialog';

/** "Team Chat!" → "team-chat", "Café" → "cafe": what a typed public name becomes. */
export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '') // accents off their letters
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, LIMITS.roomNameMaxChars)
    .replace(/-+$/, '');
}

export function CreateDialog({ open, session, onClose, go }: { open: boolean; session: ChatSession; onClose: () => void; go: (roomId: string) => void }) {
  const [name, setName] = useState('');
  const [topic, setTopic] = useState('');
  const [visibility, setVisibility] = useState<'public' | 'private'>('public');
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  const slug = slugify(name);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (visibility === 'public' && name.trim() && !slug) return setProblem('Public room names need letters a–z or digits (they become the address); a private room can have any name');
    const finalName = visibility === 'public' ? slug : name;
    const checkedName = roomNameSchema.safeParse(finalName);
    const checkedTopic = topicSchema.safeParse(topic);
    if (!checkedName.success || (visibility === 'public' && !PUBLIC_ROOM_ID.test(checkedName.data))) {
      return setProblem(checkedName.success ? 'Public room names use letters, digits and dashes' : checkedName.error.issues[0]?.message);
    }
    if (!checkedTopic.success) return setProblem(checkedTopic.error.issues[0]?.message);
    setBusy(true);
    setProblem(undefined);
    try {
      const roomId = await session.create({ name: checkedName.data, topic: checkedTopic.data, visibility });
      setName('');
      setTopic('');
      onClose();
      go(roomId);
    } catch (error) {
      setProblem(describeError(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <PanelDialog open={open} title="Create room" onClose={onClose} testId="create-dialog">
      <form onSubmit={submit} noValidate>
        {problem && (
          <p className="form-problem" role="alert">
            {problem}
          </p>
        )}
        <label className="field">
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={LIMITS.roomNameMaxChars} required autoComplete="off" />
        </label>
        {visibility === 'public' && name.trim() !== '' && (
          <p className="panel-meta" data-testid="create-address">
            Address: #{slug || '…'}
          </p>
        )}
        <label className="field">
          Topic (optional)
          <input value={topic} onChange={(e) => setTopic(e.target.value)} maxLength={LIMITS.topicMaxChars} autoComplete="off" />
        </label>
        <fieldset className="field-choice">
          <legend className="visually-hidden">Who can find it</legend>
          <label>
            <input type="radio" name="visibility" value="public" checked={visibility === 'public'} onChange={() => setVisibility('public')} /> Public
          </label>
          <label>
            <input type="radio" name="visibility" value="private" checked={visibility === 'private'} onChange={() => setVisibility('private')} /> Private
          </label>
        </fieldset>
        <div className="dialog-actions">
          <button type="button" className="button-quiet" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button-primary" aria-disabled={busy}>
            Create
          </button>
        </div>
      </form>
    </PanelDialog>
  );
}
