import { test, expect } from '@playwright/test';
import { openSessionForm, shots, signIn } from './helpers';

// Issue 12 in the browser: the filing form files once however often it is
// posted, and a platform's administrator sets up its integration on a page.

const DEMO_KEY = 'rk_demo_xinghe_0123456789abcdef';

async function casesOfThePlatform(page: import('@playwright/test').Page): Promise<number> {
  const r = await page.request.get('/api/v1/cases?total=true&limit=1', { headers: { Authorization: `Bearer ${DEMO_KEY}` } });
  expect(r.status()).toBe(200);
  return (await r.json()).total;
}

test('a form submitted twice, and posted again, files one complaint', async ({ browser }) => {
  const page = await signIn(browser, 'consumer@demo.redline');
  const before = await casesOfThePlatform(page);
  const f = await openSessionForm(page);
  await f.locator('input[name=offset]').fill('00:42:10');
  const session = await f.locator('input[name=session]').inputValue();
  await f.locator('input[name=product]').fill('胶原蛋白饮品 30瓶装');
  await f.locator('input[name=amount]').fill('299.00');
  await f.locator('input[name=categories][value=FALSE_ADVERTISING]').check();
  await f.locator('input[name=demands][value=REFUND]').check();
  await f.locator('textarea[name=narrative]').fill('主播称该饮品可以“三天美白”，双击提交也只应立案一次。');
  await f.locator('input[name=harm_known_on]').fill('2026-11-20');
  const once = await f.locator('input[name=once]').inputValue();
  const csrf = await f.locator('input[name=csrf]').inputValue();
  expect(once).toMatch(/^[0-9a-f]{32}$/);
  // A double click: the browser sends the form twice.
  await page.evaluate(() => {
    const form = document.querySelector<HTMLFormElement>('#complaint-form')!;
    form.requestSubmit();
    form.requestSubmit();
  });
  await page.waitForURL(/\/cases\/LC-/);
  const caseUrl = new URL(page.url()).pathname;
  // The same post again (a resubmitted page): back to the same case.
  const again = await page.request.post('/do/complaints', {
    multipart: {
      csrf, once, platform: '1', room: 'XH-8801', session, moment_kind: 'offset', offset: '00:42:10', product: '胶原蛋白饮品 30瓶装',
      amount: '299.00', categories: 'FALSE_ADVERTISING', demands: 'REFUND', narrative: '再次提交同一表单。', harm_known_on: '2026-11-20',
    },
  });
  expect(new URL(again.url()).pathname).toBe(caseUrl);
  expect(await casesOfThePlatform(page)).toBe(before + 1);
});

test('a platform administrator issues a key and registers a webhook; the key alone works the API', async ({ browser }) => {
  const page = await signIn(browser, 'platform@demo.redline');
  await page.locator('nav a[href="/org/integrations"]').click();
  await expect(page).toHaveURL(/\/org\/integrations$/);
  const keyForm = page.locator('form[action="/do/orgs/platform/1/keys"]');
  await keyForm.locator('input[name=name]').fill('客服系统');
  await keyForm.locator('input[name=scopes][value="cases:write"]').check();
  await keyForm.locator('button[type=submit]').click();
  const key = (await page.locator('#new-key code').textContent())!.trim();
  expect(key).toMatch(/^rk_[0-9a-f]{48}$/);
  await expect(page.locator(`tr[data-key="${key.slice(0, 10)}"]`)).toContainText('客服系统');
  const api = { headers: { Authorization: `Bearer ${key}` } };
  expect((await page.request.get('/api/v1/cases', api)).status()).toBe(200);
  expect((await page.request.get('/api/v1/webhooks', api)).status()).toBe(403);

  const hookForm = page.locator('form[action="/do/orgs/platform/1/webhooks"]');
  await hookForm.locator('input[name=url]').fill('http://not-https.example/hooks');
  await hookForm.locator('input[name=events][value="case.created"]').check();
  await hookForm.locator('button[type=submit]').click();
  // Refused, with what was typed and ticked kept.
  await expect(page.locator('.field-error[data-field=url]')).toBeVisible();
  await expect(hookForm.locator('input[name=url]')).toHaveValue('http://not-https.example/hooks');
  await expect(hookForm.locator('input[name=events][value="case.created"]')).toBeChecked();
  await hookForm.locator('input[name=url]').fill('https://cs.xinghe.example/redline/hooks');
  await hookForm.locator('button[type=submit]').click();
  await expect(page.locator('#new-secret code')).toHaveText(/^whsec_/);
  const card = page.locator('[data-endpoint="https://cs.xinghe.example/redline/hooks"]');
  await card.locator('button[id^=test-]').click();
  await expect(card.locator('tr[data-delivery]')).toHaveCount(1);
  await expect(card.locator('tr[data-delivery]')).toContainText('webhook.test');
  await page.screenshot({ path: `${shots}/integrations.png`, fullPage: true });

  await page.locator(`tr[data-key="${key.slice(0, 10)}"] button[id^=revoke-]`).click();
  expect((await page.request.get('/api/v1/cases', api)).status()).toBe(401);
});
