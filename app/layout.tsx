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
  themeColor: [
    { media: '(prefers-color-scheme: light)', color: '#3730a3' },
    { media: '(prefers-color-scheme: dark)', color: '#111319' },
  ],
};

/** Wraps every page. */
export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    // public/theme.js sets data-theme on <html> before React hydrates (a saved light/dark choice).
    <html lang="en" suppressHydrationWarning>
      <head>
        {/* eslint-disable-next-line @next/next/no-sync-scripts -- must run before the first paint; a file, as the CSP allows no inline script */}
        <script src="/theme.js" />
      </head>
      <body>{children}</body>
    </html>
  );
}
