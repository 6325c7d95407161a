import { fileURLToPath, URL } from 'node:url'
import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'
import AutoImport from 'unplugin-auto-import/vite'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'

// The Go server (`rongtong serve`) answers /api; RONGTONG_API points the dev
// server and `vite preview` at another one.
const api = process.env.RONGTONG_API ?? 'http://127.0.0.1:8080'
const proxy = { '/api': { target: api, changeOrigin: false } }

export default defineConfig({
  base: '/',
  plugins: [
    vue(),
    // Element Plus on demand: components used in templates and the
    // ElMessage/ElMessageBox services are imported with their styles.
    AutoImport({ resolvers: [ElementPlusResolver()], dts: 'src/auto-imports.d.ts' }),
    Components({ resolvers: [ElementPlusResolver()], dts: 'src/components.d.ts', dirs: [] }),
  ],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  define: {
    // vue-i18n: the Composition API only, no devtools in production.
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  server: { proxy },
  preview: { proxy },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    chunkSizeWarningLimit: 600,
    rolldownOptions: {
      checks: { pluginTimings: false },
      output: {
        // The framework is one long-lived chunk; Element Plus components go
        // with the pages that use them (one bundle of all of them would be
        // over 500 kB before the login page could show).
        codeSplitting: {
          groups: [{ name: 'vue', test: /node_modules[\\/](@vue|vue|vue-router|pinia|vue-i18n|@intlify)[\\/]/ }],
        },
      },
    },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts'],
    setupFiles: ['src/test/setup.ts'],
    // Element Plus imports its styles; let Vite handle them rather than Node.
    server: { deps: { inline: ['element-plus'] } },
    restoreMocks: true,
    testTimeout: 20_000,
  },
})
