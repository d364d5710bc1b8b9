/** "Ada is typing…" in a `status` region (polite; names are text). Empty — but present — when nobody is. */
import { typingText } from '../../lib/chat/typing';

export function TypingIndicator({ names }: { names: readonly string[] }) {
  return (
    <p className="typing-notice" role="status" data-testid="typing-notice">
      {typingText(names)}
    </p>
  );
}
