import { test, expect, Page, Browser } from '@playwright/test';
import * as http from 'http';
import { PASSWORD, openSessionForm, signIn } from './helpers';

// The browser side of the security suite: script injection through a
// re-displayed textarea, the Content-Security-Policy with hydration still
// working, and cross-site request forgery from another origin of the same site.

const PAYLOAD = '</textarea><script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">';

/** Collects Content-Security-Policy violations from the first script on. */
async function watchViolations(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    (window as any).__violations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      (window as any).__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return () => page.evaluate(() => (window as any).__violations as string[]);
}

test('a typed </textarea><script> comes back as text, never as markup', async ({ browser }) => {
  const page = await (await browser.newContext()).newPage();
  await page.goto('/tips/new');
  const form = page.locator('#tip-form');
  // Refused by the server (the moments are no time), so the form comes back
  // with what was typed.
  await form.locator('input[name=room]').fill('XH-8801');
  await form.locator('textarea[name=description]').fill(PAYLOAD);
  await form.locator('textarea[name=moments]').fill(PAYLOAD);
  // The form is already at /tips/new: wait for the re-rendered page itself.
  await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/tips/new') && r.request().method() === 'GET'),
    form.locator('button[type=submit]').click(),
  ]);
  await page.waitForLoadState('networkidle');
  await expect(page.locator('.field-error[data-field=categories]')).toBeVisible();
  await expect(form.locator('textarea[name=description]')).toHaveValue(PAYLOAD);
  await expect(form.locator('textarea[name=moments]')).toHaveValue(PAYLOAD);
  expect(await page.evaluate(() => (window as any).__pwned)).toBeUndefined();
  expect(await page.locator('script:not([src]):not([nonce])').count()).toBe(0);
});

test('every page carries a nonce policy and still hydrates', async ({ browser }) => {
  const page = await signIn(browser, 'consumer@demo.redline');
  const violations = await watchViolations(page);
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  const res = await page.goto('/me/cases');
  const csp = res!.headers()['content-security-policy'];
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9_-]{16,}'/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(res!.headers()['x-content-type-options']).toBe('nosniff');
  expect(res!.headers()['referrer-policy']).toBe('same-origin');
  const nonce = /'nonce-([^']+)'/.exec(csp)![1];
  // Leptos' own scripts carry the nonce, and the WebAssembly is loaded and run.
  // (Browsers hide a nonce from attributes once parsed; the property keeps it.)
  const withNonce = await page.evaluate((n) =>
    Array.from(document.scripts).filter((s) => s.nonce === n).length, nonce);
  expect(withNonce).toBeGreaterThan(0);
  await page.waitForFunction(() =>
    performance.getEntriesByType('resource').some((e) => e.name.endsWith('.wasm')));
  await page.waitForLoadState('networkidle');
  expect(await violations()).toEqual([]);
  expect(errors).toEqual([]);
  // Control: a script without the nonce is blocked and reported.
  await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__ran = 1';
    document.body.appendChild(s);
  });
  await expect.poll(violations).toHaveLength(1);
  expect(await page.evaluate(() => (window as any).__ran)).toBeUndefined();
});

test('a page on another origin cannot withdraw a case or sign someone in', async ({ browser }) => {
  const consumer = await signIn(browser, 'consumer@demo.redline');
  const target = new URL(consumer.url()).origin;
  // The consumer's own case, then a page elsewhere on the same site (another port).
  const f = await openSessionForm(consumer);
  await f.locator('input[name=offset]').fill('00:42:10');
  await f.locator('input[name=product]').fill('胶原蛋白饮品 30瓶装');
  await f.locator('input[name=order_no]').fill('XH20261120009');
  await f.locator('input[name=amount]').fill('99.00');
  await f.locator('input[name=categories][value=FALSE_ADVERTISING]').check();
  await f.locator('input[name=demands][value=REFUND]').check();
  await f.locator('textarea[name=narrative]').fill('主播称该饮品可以“三天美白”，实际无此功效。');
  await f.locator('input[name=harm_known_on]').fill('2026-11-20');
  await f.locator('button[type=submit]').click();
  await consumer.waitForURL(/\/cases\/LC-/);
  const caseNo = (await consumer.locator('#case-no').textContent())!.trim();

  const evil = http.createServer((req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    const action = req.url === '/login' ? `${target}/do/login` : `${target}/do/cases/${caseNo}/act`;
    res.end(`<form id="f" method="post" action="${action}">
      <input name="event" value="WITHDRAW"><input name="role" value="consumer">
      <input name="email" value="consumer@demo.redline"><input name="password" value="${PASSWORD}">
      </form><script>document.getElementById('f').submit()</script>`);
  });
  await new Promise<void>((r) => evil.listen(0, '127.0.0.1', () => r()));
  const port = (evil.address() as any).port;
  try {
    await consumer.goto(`http://127.0.0.1:${port}/`);
    await consumer.waitForURL(`${target}/**`);
    await expect(consumer.locator('h1')).toContainText('请求被拒绝');
    await consumer.goto(`/cases/${caseNo}`);
    await expect(consumer.locator('#case-state')).toHaveAttribute('data-state', 'ROUTED_TO_OPERATOR');
    // Login CSRF: a signed-out browser is not signed in by another site's form.
    const anon = await (await browser.newContext()).newPage();
    await anon.goto(`http://127.0.0.1:${port}/login`);
    await anon.waitForURL(`${target}/**`);
    await expect(anon.locator('h1')).toContainText('请求被拒绝');
    await anon.goto('/me/cases');
    await expect(anon.locator('.refusal')).toContainText('请先登录');
  } finally {
    evil.close();
  }
});
