import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

import { precompress } from './build/precompress.ts';

export default defineConfig({
  plugins: [react(), tailwindcss(), precompress()],
  server: {
    port: 5173,
    // `pnpm dev`: the BFF runs on 8080 and serves /api.
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
  build: {
    // The polyfill only speeds up lazy chunks in browsers without <link rel="modulepreload">
    // (Safari before 17), where they still load, a little later; it costs bytes in the first chunk.
    modulePreload: { polyfill: false },
    sourcemap: true,
    // The manifest tells the web bench which chunks load first and which load lazily.
    manifest: true,
    chunkSizeWarningLimit: 600,
  },
});
