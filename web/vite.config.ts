/**
 * @module web/vite.config
 * Builds the Hub's single-page app into web/dist, which `createHubApp` serves. Everything is
 * bundled (SLDS CSS and its images included): the Hub's CSP allows only its own origin.
 */
import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

const root = fileURLToPath(new URL('.', import.meta.url))

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    // Inline nothing as data: URLs beyond small images; scripts and styles stay files (CSP 'self').
    assetsInlineLimit: 4096,
    sourcemap: false,
  },
})
