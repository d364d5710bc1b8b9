/** The only page. Static HTML shell; everything after the config fetch runs in the browser. */
import { ChatApp } from '../components/app/chat-app';

/** Home: the default room. */
export default function Home() {
  return <ChatApp />;
}
