'use client';
/** Asks before deleting one's own message (the text is removed for everyone and cannot be restored). */
import { useEffect, useId, useRef } from 'react';

export function DeleteConfirm({ onConfirm, onCancel, window }: { onConfirm: () => void; onCancel: () => void; window: string }) {
  const id = useId();
  const confirm = useRef<HTMLButtonElement>(null);
  useEffect(() => confirm.current?.focus(), []);
  return (
    <div
      className="delete-confirm"
      role="alertdialog"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-text`}
      data-testid="delete-confirm"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          e.stopPropagation();
          onCancel();
        }
      }}
    >
      <p id={`${id}-title`} className="delete-confirm-title">
        Delete this message?
      </p>
      <p id={`${id}-text`} className="delete-confirm-text">
        Its text is removed for everyone and cannot be restored. (You can delete your messages for {window} after sending.)
      </p>
      <button ref={confirm} type="button" className="button-danger" onClick={onConfirm}>
        Delete message
      </button>
      <button type="button" className="button-quiet" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
