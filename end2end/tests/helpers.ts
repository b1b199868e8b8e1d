import { expect, Page, Browser } from '@playwright/test';

// What every journey does: sign in as a demo login, and take a case action.

export const PASSWORD = 'redline-demo';
export const shots = process.env.REDLINE_SHOTS ?? 'output';

export async function signIn(browser: Browser, email: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto('/login');
  await page.fill('#login-form input[name=email]', email);
  await page.fill('#login-form input[name=password]', PASSWORD);
  await page.click('#login-form button[type=submit]');
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  return page;
}

/** Opens the case, fills the action's form (if asked) and submits it. */
export async function act(page: Page, caseNo: string, event: string, fill?: (f: ReturnType<Page['locator']>) => Promise<void>) {
  await page.goto(`/cases/${caseNo}`);
  const form = page.locator(`form[data-action=${event}]`);
  await expect(form).toBeVisible();
  if (fill) await fill(form);
  await form.locator('button[type=submit]').click();
  await page.waitForLoadState('load');
}
