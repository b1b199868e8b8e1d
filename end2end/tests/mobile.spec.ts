import { test, expect, Page } from '@playwright/test';
import { fileComplaint, shots, signIn } from './helpers';

// Issue 13, item 4: every page fits a 390 px phone; nothing scrolls sideways.

const PHONE = { width: 390, height: 844 };

async function fits(page: Page, path: string, name: string) {
  await page.goto(path);
  const { scroll, inner } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
  expect(scroll, `${path} is ${scroll} px wide at ${inner} px`).toBeLessThanOrEqual(inner);
  await page.screenshot({ path: `${shots}/mobile-${name}.png`, fullPage: true });
}

test('at 390 px every role\'s pages fit the screen', async ({ browser }) => {
  const anon = await (await browser.newContext({ viewport: PHONE })).newPage();
  for (const [path, name] of [['/', 'home'], ['/login', 'login'], ['/register', 'register'], ['/tips/new', 'tip'], ['/tips/status', 'tip-status']]) {
    await fits(anon, path, name);
  }
  const consumer = await signIn(browser, 'consumer@demo.redline');
  await consumer.setViewportSize(PHONE);
  await fits(consumer, '/me/new', 'new-complaint');
  const caseNo = await fileComplaint(consumer, '主播称该饮品可以“三天美白”，在手机上提交。');
  await fits(consumer, '/me/cases', 'my-cases');
  await fits(consumer, `/cases/${caseNo}`, 'case-consumer');
  for (const [email, pages] of [
    ['operator@demo.redline', [['/operator', 'operator-queue']]],
    ['platform@demo.redline', [['/platform', 'platform-queue'], ['/platform/sessions', 'sessions'], ['/platform/parties', 'parties'], ['/org/integrations', 'integrations']]],
    ['regulator@demo.redline', [['/regulator', 'regulator-queue'], ['/regulator/tips', 'regulator-tips']]],
  ] as const) {
    const staff = await signIn(browser, email);
    await staff.setViewportSize(PHONE);
    for (const [path, name] of pages) await fits(staff, path, name);
    await fits(staff, `/cases/${caseNo}`, `case-${email.split('@')[0]}`);
  }
});
