'use client';
/** A modal <dialog> (focus trapped and restored by the browser) with a heading that names it. */
import { useEffect, useId, useRef, type ReactNode } from 'react';

export function PanelDialog({ open, title, onClose, children, testId }: { open: boolean; title: string; onClose: () => void; children: ReactNode; testId?: string }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const headingId = useId();
  useEffect(() => {
    const el = dialog.current;
    if (!el) return;
    if (open && !el.open) el.showModal();
    else if (!open && el.open) el.close();
  }, [open]);
  return (
    <dialog ref={dialog} className="panel-dialog" aria-labelledby={headingId} data-testid={testId} onClose={onClose} onCancel={onClose}>
      <h2 id={headingId}>{title}</h2>
      {open && children}
    </dialog>
  );
}
