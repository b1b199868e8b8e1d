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

/**
 * The guided flow's first steps: find the room (by its link, as shared from
 * the app), pick its latest session; returns the complaint form for it.
 */
export async function openSessionForm(page: Page) {
  await page.goto('/me/new');
  const finder = page.locator('#room-finder');
  await finder.locator('select[name=platform]').selectOption({ index: 0 });
  await finder.locator('input[name=room]').fill('https://live.xinghe.example/room/XH-8801?from=share');
  await finder.locator('button[type=submit]').click();
  await page.waitForURL(/\/rooms\/\d+/);
  await page.locator('#sessions a.button[href^="/me/new?session="]').first().click();
  await page.waitForURL(/\/me\/new\?session=/);
  return page.locator('#complaint-form');
}

/** Files the standard complaint through the form, 42 minutes into the room's latest session; returns its number. */
export async function fileComplaint(page: Page, narrative: string): Promise<string> {
  const f = await openSessionForm(page);
  await f.locator('input[name=offset]').fill('00:42:10');
  await f.locator('input[name=product]').fill('胶原蛋白饮品 30瓶装');
  await f.locator('input[name=order_no]').fill('XH20261120001');
  await f.locator('input[name=amount]').fill('299.00');
  await f.locator('input[name=categories][value=FALSE_ADVERTISING]').check();
  await f.locator('input[name=demands][value=REFUND]').check();
  await f.locator('textarea[name=narrative]').fill(narrative);
  await f.locator('input[name=harm_known_on]').fill('2026-11-20');
  await f.locator('button[type=submit]').click();
  await page.waitForURL(/\/cases\/LC-/);
  return (await page.locator('#case-no').textContent())!.trim();
}

/**
 * Latin words on a Chinese page that are not names: codes such as D1, T3 or
 * REPORTER, English left untranslated. What may stay: the product's name, a
 * few terms Chinese users write in Latin letters, case and order numbers (two
 * capitals then digits or a hyphen), addresses (mail, web), and whatever sits
 * in the 技术信息 fold, in a field the user typed, or is marked data-latin
 * (API names and party references on staff pages).
 */
export async function latinLeaks(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const allowed = new Set(['Redline', 'English', 'MCN', 'API', 'Webhook', 'PDF', 'CSV', 'KB', 'MB', 'B', 'SHA-256']);
    const names = [/^[A-Z]{2,}[-\d]/, /^[\w.+-]+@[\w-]+(\.[\w-]+)+$/, /^https?:\/\//];
    const skip = 'script, style, details.tech, textarea, option, [data-latin], .narrative, .file-name';
    const out: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || el.closest(skip)) continue;
      for (const token of n.textContent!.match(/[A-Za-z][\w.+@:\/-]*/g) ?? []) {
        const t = token.replace(/[.:]+$/, '');
        if (!allowed.has(t) && !names.some((r) => r.test(t))) out.push(`${t} in <${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}>`);
      }
    }
    return out;
  });
}
