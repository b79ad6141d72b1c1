import { defineConfig } from 'vite';

// The console is served by the API at `/` from web-ops/dist. For development, `npm run dev` (or `npm run preview`
// after a build) proxies the API and the SignalR hubs (WebSockets included) to ROUTING_API, by default the
// embedded default's address.
const target = process.env.ROUTING_API ?? 'http://127.0.0.1:5080';
const proxy = {
  '/api': { target, changeOrigin: true },
  '/hubs': { target, changeOrigin: true, ws: true },
  '/health': { target, changeOrigin: true },
  '/openapi': { target, changeOrigin: true },
};

export default defineConfig({
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 700,
  },
  server: { proxy },
  preview: { proxy },
});
