import { test, expect, Page, Browser } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { act, fileComplaint, latinLeaks, shots, signIn } from './helpers';

// Issue 13: each role's journey at a phone's 390 px and a desk's 1280 px, in
// zh-CN. Every page on the way fits the screen, speaks Chinese (no codes, no
// stray English) and has no serious or critical accessibility violation; each
// is kept as a screenshot named after the width and the page.

test.describe.configure({ mode: 'serial' });

const WIDTHS = [
  { width: 390, height: 844 },
  { width: 1280, height: 900 },
];

async function check(page: Page, width: number, name: string) {
  await page.waitForLoadState('load');
  const { scroll, inner } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
  expect.soft(scroll, `${name} is ${scroll} px wide at ${inner} px`).toBeLessThanOrEqual(inner);
  expect.soft(await latinLeaks(page), `${name}: Latin words on a Chinese page`).toEqual([]);
  const axe = await new AxeBuilder({ page }).analyze();
  const bad = axe.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
  expect.soft(bad, `${name}: axe`).toEqual([]);
  await page.screenshot({ path: `${shots}/w${width}-${name}.png`, fullPage: true });
}

async function visit(page: Page, width: number, path: string, name: string) {
  await page.goto(path);
  await check(page, width, name);
}

async function as(browser: Browser, email: string, width: number, height: number): Promise<Page> {
  const page = await signIn(browser, email);
  await page.setViewportSize({ width, height });
  return page;
}

for (const { width, height } of WIDTHS) {
  test(`every role at ${width} px: fits, speaks Chinese, passes axe`, async ({ browser }) => {
    const anon = await (await browser.newContext({ viewport: { width, height } })).newPage();
    for (const [path, name] of [['/', 'home'], ['/login', 'login'], ['/register', 'register'], ['/tips/new', 'tip'], ['/tips/status', 'tip-status'], ['/transparency/verify', 'verify'], ['/nowhere', 'not-found']]) {
      await visit(anon, width, path, name);
    }
    // An anonymous tip: its receipt, then its progress by that receipt.
    await anon.goto('/tips/new');
    const tf = anon.locator('#tip-form');
    await tf.locator('input[name=room]').fill('XH-8801');
    await tf.locator('textarea[name=description]').fill('主播称该饮品可以三天美白，画面中的数字人未作标识。');
    await tf.locator('input[name=categories][value=FALSE_ADVERTISING]').check();
    await tf.locator('button[type=submit]').click();
    await anon.waitForURL('**/tips/filed');
    const tipNo = (await anon.locator('#tip-no').textContent())!.trim();
    const receipt = (await anon.locator('#receipt').textContent())!.trim();
    await check(anon, width, 'tip-receipt');
    await anon.goto('/tips/status');
    await anon.locator('#status-form input[name=receipt]').fill(receipt);
    await anon.locator('#status-form button[type=submit]').click();
    await anon.waitForLoadState('load');
    await expect(anon.locator('.tip-progress')).toContainText(tipNo);
    await check(anon, width, 'tip-progress');

    const consumer = await as(browser, 'consumer@demo.redline', width, height);
    await visit(consumer, width, '/rooms/find?platform=1&room=XH-8801', 'room');
    // The guided flow: from the room's session to the form pinned to it.
    await consumer.locator('#sessions a.button[href^="/me/new?session="]').first().click();
    await consumer.waitForURL(/\/me\/new\?session=/);
    await check(consumer, width, 'new-complaint-session');
    await visit(consumer, width, '/me/new', 'new-complaint');
    const caseNo = await fileComplaint(consumer, '主播称该饮品可以“三天美白”，在手机上提交。');
    await check(consumer, width, 'case-filed');
    await visit(consumer, width, '/me/cases', 'my-cases');
    await visit(consumer, width, '/account', 'account');
    // Search: a two-character query finds the case, the match marked.
    await visit(consumer, width, `/search?q=${encodeURIComponent('美白')}`, 'search');
    await expect(consumer.locator(`#hits li[data-case="${caseNo}"] mark`).first()).toHaveText('美白');

    const operator = await as(browser, 'operator@demo.redline', width, height);
    await visit(operator, width, '/operator', 'operator-queue');
    await visit(operator, width, `/cases/${caseNo}`, 'case-operator');
    await act(operator, caseNo, 'OPERATOR_RESPOND', async (f) => {
      await f.locator('select[name=offer]').selectOption('REJECT');
      await f.locator('textarea[name=message]').fill('商品无质量问题，不同意退款');
    });
    await check(operator, width, 'case-operator-answered');

    await consumer.goto(`/cases/${caseNo}`);
    await expect(consumer.locator('#offer')).toContainText('不同意退款');
    await check(consumer, width, 'case-offer');
    await act(consumer, caseNo, 'CONSUMER_REJECT', async (f) => {
      await f.locator('textarea[name=message]').fill('不接受');
    });

    const platform = await as(browser, 'platform@demo.redline', width, height);
    for (const [path, name] of [['/platform', 'platform-queue'], ['/platform/tips', 'platform-tips'], ['/platform/sessions', 'sessions'], ['/platform/parties', 'parties'], ['/platform/settings', 'settings'], ['/org/integrations', 'integrations'], ['/notifications', 'notifications'], ['/alerts', 'alerts'], ['/search?q=' + encodeURIComponent('胶原蛋白'), 'search-platform']]) {
      await visit(platform, width, path, name);
    }
    await visit(platform, width, `/staff/tips/${tipNo}`, 'staff-tip-platform');
    await act(platform, caseNo, 'PLATFORM_DECIDE', async (f) => {
      await f.locator('select[name=offer]').selectOption('PARTIAL');
      await f.locator('input[name=remedy]').fill('退款100元');
    });
    await check(platform, width, 'case-platform-decided');

    await act(consumer, caseNo, 'CONSUMER_REJECT');
    await act(consumer, caseNo, 'CONFIRM_ESCALATION', async (f) => {
      await f.locator('input[name=complainant_name]').fill('张三');
      await f.locator('input[name=complainant_phone]').fill('13800138000');
      await f.locator('input[name=complainant_address]').fill('杭州市西湖区文三路1号');
      await f.locator('input[name=consent]').check();
    });
    await check(consumer, width, 'case-escalated');
    // The package for 12315: a ZIP download from the case page.
    const [download] = await Promise.all([consumer.waitForEvent('download'), consumer.locator('#package-zip').click()]);
    expect(download.suggestedFilename()).toBe(`${caseNo}-dossier.zip`);

    const regulator = await as(browser, 'regulator@demo.redline', width, height);
    await visit(regulator, width, '/regulator', 'regulator-queue');
    await visit(regulator, width, '/regulator/tips', 'regulator-tips');
    await visit(regulator, width, '/regulator/late-reports', 'late-reports');
    await visit(regulator, width, '/regulator/disputes', 'disputes');
    await visit(regulator, width, `/staff/tips/${tipNo}`, 'staff-tip-regulator');
    await visit(regulator, width, `/cases/${caseNo}`, 'case-regulator-escalated');
    await expect(regulator.locator('#dispute-form')).toBeVisible();
    await act(regulator, caseNo, 'REGULATOR_ACCEPT');
    await act(regulator, caseNo, 'START_MEDIATION');
    await check(regulator, width, 'case-mediation');
    await expect(regulator.locator('#violation-form')).toBeVisible();
    await visit(consumer, width, `/cases/${caseNo}`, 'case-consumer-mediation');
  });
}
