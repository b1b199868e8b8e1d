import { test, expect } from '@playwright/test';

// The built JS, WebAssembly and CSS carry a content hash in their names
// (cargo-leptos hash-files): they travel compressed and may be kept a year,
// and a page that uses them hydrates.
test('hashed assets are compressed, immutable and hydrate the page', async ({ request, page }) => {
  const html = await (await request.get('/login')).text();
  const names = ['js', 'wasm', 'css'].map((ext) => {
    const m = html.match(new RegExp(`/pkg/redline\\.[A-Za-z0-9_-]{16,}\\.${ext}`));
    expect(m, `a hashed .${ext} is referenced`).not.toBeNull();
    return m![0];
  });
  for (const path of names) {
    const r = await request.get(path, { headers: { 'accept-encoding': 'br, gzip' } });
    expect(r.status(), path).toBe(200);
    expect(r.headers()['cache-control'], path).toBe('public, max-age=31536000, immutable');
    expect(r.headers()['content-encoding'], path).toBe('br');
  }
  // Without brotli the same asset comes in gzip.
  const gz = await request.get(names[1], { headers: { 'accept-encoding': 'gzip' } });
  expect(gz.headers()['content-encoding'], names[1]).toBe('gzip');
  // The page is still a page: never stored, and made in gzip (cheaper to set up per request).
  const login = await request.get('/login', { headers: { 'accept-encoding': 'br, gzip' } });
  expect(login.headers()['cache-control']).toBe('private, no-store');
  expect(login.headers()['content-encoding']).toBe('gzip');
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto('/login');
  await page.waitForFunction(() =>
    performance.getEntriesByType('resource').some((e) => /\/pkg\/redline\.[A-Za-z0-9_-]{16,}\.wasm$/.test(e.name)));
  await page.waitForLoadState('networkidle');
  expect(errors).toEqual([]);
});
