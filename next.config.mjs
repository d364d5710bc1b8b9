/** Static export: the same `out/` folder is served by S3/CloudFront in AWS and by the local stack. */
const nextConfig = {
  output: 'export',
  images: { unoptimized: true },
  trailingSlash: false,
  reactStrictMode: true,
  // The build checks only the web app; `npm run typecheck` covers the whole repo (backend, tests).
  typescript: { tsconfigPath: 'tsconfig.web.json' },
  poweredByHeader: false,
  // The dev-mode badge covers the composer on small screens.
  devIndicators: false,
};

export default nextConfig;
