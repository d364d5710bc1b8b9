/** Root layout: document language, metadata and the global styles (Amplify UI first, ours on top). */
import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import '@aws-amplify/ui-react/styles.css';
import './globals.css';

export const metadata: Metadata = {
  title: 'Chatroom',
  description: 'A serverless real-time chatroom.',
};

export const viewport: Viewport = {
  width: 'device-width',
  initialScale: 1,
  themeColor: '#3730a3',
};

/** Wraps every page. */
export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
