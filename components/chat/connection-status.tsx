/** The connection state as words and a coloured dot; `data-status` lets tests and CSS read it. */
import type { ConnectionStatus } from '../../lib/chat-client';

const LABELS: Record<ConnectionStatus, string> = {
  connecting: 'Connecting…',
  open: 'Connected',
  reconnecting: 'Reconnecting…',
  closed: 'Disconnected',
};

/** A small status pill; a polite live region so screen readers hear drops and recoveries. */
export function ConnectionStatusIndicator({ status }: { status: ConnectionStatus }) {
  return (
    <p className="connection-status" data-status={status} data-testid="connection-status" role="status">
      <span className="connection-dot" aria-hidden="true" />
      {LABELS[status]}
    </p>
  );
}
