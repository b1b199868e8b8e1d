import { test, expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { fileComplaint, latinLeaks, shots, signIn } from './helpers';

// Issue 14, in zh-CN: five complaints about one room raise a cluster alert;
// the platform's desk shows them in its charts and figures, a figure leads to
// its cases, the table downloads as CSV; search finds 美白; a case's package
// downloads as a ZIP; the room's public page shows its figures.

test.describe.configure({ mode: 'serial' });

async function clean(page: Page, name: string) {
  await page.waitForLoadState('load');
  expect.soft(await latinLeaks(page), `${name}: Latin words on a Chinese page`).toEqual([]);
  const axe = await new AxeBuilder({ page }).analyze();
  const bad = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
  expect.soft(bad, `${name}: axe`).toEqual([]);
  await page.screenshot({ path: `${shots}/oversight-${name}.png`, fullPage: true });
}

test('oversight: cluster alert, desk, figure → cases, CSV, search, package, public room page', async ({ browser }) => {
  const consumer = await signIn(browser, 'consumer@demo.redline');
  const filed: string[] = [];
  for (let i = 0; i < 5; i++) {
    filed.push(await fileComplaint(consumer, `主播称该饮品可以“三天美白”，第${i + 1}位消费者投诉。`));
  }

  // The fifth complaint within 24 hours raised one alert for the room, listing all five.
  const platform = await signIn(browser, 'platform@demo.redline');
  await platform.goto('/alerts');
  const row = platform.locator('#alerts tr[data-state=OPEN]').first();
  await expect(row).toBeVisible();
  await row.locator('a').click();
  await platform.waitForURL(/\/alerts\/\d+/);
  for (const c of filed) await expect(platform.locator(`#alert-cases tr[data-case="${c}"]`)).toBeVisible();
  await expect(platform.locator('svg.moments circle')).toHaveCount(await platform.locator('#alert-cases tr[data-case]').count());
  await clean(platform, 'alert');

  // The desk counts what its job last counted: run it now.
  await platform.request.post('/api/test/advance?secs=1000');
  expect((await (await platform.request.post('/api/test/job?name=desk')).json()).failed).toBe(0);
  await platform.goto('/desk');
  await expect(platform.locator('h1')).toHaveText('监测台');
  await expect(platform.locator('#chart-weekly svg rect').first()).toBeVisible();
  await expect(platform.locator('#chart-categories')).toContainText('虚假宣传');
  const received = platform.locator('#desk-table tfoot [data-figure=received]');
  expect(Number(await received.textContent())).toBeGreaterThanOrEqual(5);
  await clean(platform, 'desk');

  // A figure leads to the cases it counts.
  await received.click();
  await platform.waitForURL(/\/platform\?tab=all&since=/);
  await expect(platform.locator('#queue-figure')).toBeVisible();
  for (const c of filed) await expect(platform.locator(`tr[data-case="${c}"]`)).toBeVisible();
  await clean(platform, 'figure-cases');

  // The desk's table as CSV, for Excel: UTF-8 with BOM, the total last.
  await platform.goto('/desk');
  const [download] = await Promise.all([platform.waitForEvent('download'), platform.locator('#desk-csv a').first().click()]);
  const csv = require('fs').readFileSync(await download.path()!, 'utf8') as string;
  expect(csv.charCodeAt(0)).toBe(0xfeff);
  const lines = csv.trim().split('\r\n');
  expect(lines[0]).toContain('收到');
  expect(lines[lines.length - 1]).toMatch(/^,合计,\d+,/);

  // Search: a two-character query finds the room's complaints, the match marked.
  await platform.goto(`/search?q=${encodeURIComponent('美白')}`);
  await expect(platform.locator(`#hits li[data-case="${filed[4]}"] mark`).first()).toHaveText('美白');
  await clean(platform, 'search');

  // The regulator of the operator's district sees its region's desk.
  const regulator = await signIn(browser, 'regulator@demo.redline');
  await regulator.goto('/desk');
  expect(Number(await regulator.locator('#desk-table tfoot [data-figure=received]').textContent())).toBeGreaterThanOrEqual(5);
  await clean(regulator, 'desk-regulator');

  // The case's package: a ZIP (its hashes are re-verified by the Rust tests).
  await consumer.goto(`/cases/${filed[0]}`);
  const [zip] = await Promise.all([consumer.waitForEvent('download'), consumer.locator('#package-zip').click()]);
  const bytes = require('fs').readFileSync(await zip.path()!) as Buffer;
  expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
  expect(zip.suggestedFilename()).toBe(`${filed[0]}-dossier.zip`);

  // The room's public page, with no sign-in.
  const anon = await (await browser.newContext()).newPage();
  await anon.goto('/rooms/find?platform=1&room=XH-8801');
  await expect(anon.locator('#public-cases')).toBeVisible();
  await clean(anon, 'public-room');
});
