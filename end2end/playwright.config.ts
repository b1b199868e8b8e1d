import { defineConfig } from '@playwright/test';

// Debian's Chromium; Playwright's own browser download cannot work here.
export default defineConfig({
  testDir: './tests',
  outputDir: './test-results',
  timeout: 120_000,
  workers: 1,
  fullyParallel: false,
  reporter: [['list']],
  use: {
    baseURL: process.env.REDLINE_URL ?? 'http://127.0.0.1:3210',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
             '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
    },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  },
});
