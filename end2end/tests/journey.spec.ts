import { test, expect, Page } from '@playwright/test';
import { PASSWORD, act, fileComplaint, openSessionForm, shots, signIn } from './helpers';

async function state(page: Page, caseNo: string): Promise<string | null> {
  await page.goto(`/cases/${caseNo}`);
  return page.locator('#case-state').getAttribute('data-state');
}

test.describe.configure({ mode: 'serial' });

test('journey: register → file → operator → platform → regulator → mediation → closed', async ({ browser }) => {
  const email = `e2e-${Date.now()}@example.com`;
  const consumer = await (await browser.newContext()).newPage();
  // Hydration must succeed without errors in the console.
  const consoleErrors: string[] = [];
  consumer.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  consumer.on('pageerror', (e) => consoleErrors.push(String(e)));
  consumer.on('response', (r) => { if (r.status() >= 400) consoleErrors.push(`${r.status()} ${r.url()}`); });
  await consumer.goto('/register');
  await consumer.fill('#register-form input[name=name]', '测试消费者');
  await consumer.fill('#register-form input[name=email]', email);
  await consumer.fill('#register-form input[name=password]', 'a-long-password');
  await consumer.click('#register-form button[type=submit]');
  await consumer.waitForURL('**/login');
  await expect(consumer.locator('#notice')).toContainText(email);
  // The link mailed to the address finishes the registration (read from the outbox).
  const mailed = await (await consumer.request.get(`/api/test/outbox?to=${encodeURIComponent(email)}`)).json();
  await consumer.goto(mailed.link);
  await consumer.click('#welcome-form button[type=submit]');
  await consumer.waitForURL('**/me/cases');

  const caseNo = await fileComplaint(consumer, '主播称该饮品可以“三天美白”，并标示原价999元，实际从未以该价格销售。');
  await expect(consumer.locator('#case-state')).toHaveAttribute('data-state', 'ROUTED_TO_OPERATOR');
  await expect(consumer.locator('li.clock[data-clock=D1] .status')).toContainText('个工作日');
  await expect(consumer.locator('#preservation')).toHaveAttribute('data-status', 'PENDING');
  await consumer.screenshot({ path: `${shots}/consumer-case.png`, fullPage: true });

  // Evidence: a screenshot of the stream with the clip it shows (Order 117 Art. 16).
  const shot = await consumer.screenshot();
  const ev = consumer.locator('#evidence-form');
  await ev.locator('input[type=file]').setInputFiles({ name: '直播截图.png', mimeType: 'image/png', buffer: shot });
  await ev.locator('input[name=clip_start]').fill('00:42:00');
  await ev.locator('input[name=clip_end]').fill('00:43:30');
  await ev.locator('input[name=note]').fill('主播称“三天美白”');
  await ev.locator('button[type=submit]').click();
  await consumer.waitForLoadState('load');
  await expect(consumer.locator('#evidence li.evidence-item')).toHaveCount(1);

  const operator = await signIn(browser, 'operator@demo.redline');
  await expect(operator.locator(`tr[data-case="${caseNo}"]`)).toBeVisible();
  await operator.screenshot({ path: `${shots}/operator-inbox.png`, fullPage: true });
  await operator.goto(`/cases/${caseNo}`);
  const item = operator.locator('#evidence li.evidence-item[data-kind=IMAGE]');
  await expect(item.locator('.file-name')).toHaveText('直播截图.png');
  await expect(item.locator('.clip')).toContainText('00:42:00–00:43:30');
  // The operator's browser loads the metadata-free copy of the image.
  await expect.poll(() => item.locator('img.thumb').evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth)).toBeGreaterThan(0);
  await expect(operator.locator('#chain')).toHaveAttribute('data-intact', 'true');
  await operator.screenshot({ path: `${shots}/operator-evidence.png`, fullPage: true });
  await act(operator, caseNo, 'OPERATOR_RESPOND', async (f) => {
    await f.locator('select[name=offer]').selectOption('PARTIAL');
    await f.locator('input[name=remedy]').fill('退款50元');
    await f.locator('textarea[name=message]').fill('仅同意部分退款');
  });
  expect(await state(consumer, caseNo)).toBe('CONSUMER_REVIEW');

  await act(consumer, caseNo, 'CONSUMER_REJECT');
  expect(await state(consumer, caseNo)).toBe('PLATFORM_INTERVENTION');

  const platform = await signIn(browser, 'platform@demo.redline');
  await expect(platform.locator(`tr[data-case="${caseNo}"]`)).toBeVisible();
  await platform.screenshot({ path: `${shots}/platform-queue.png`, fullPage: true });
  await act(platform, caseNo, 'PLATFORM_DECIDE', async (f) => {
    await f.locator('select[name=offer]').selectOption('PARTIAL');
    await f.locator('input[name=remedy]').fill('先行赔付100元');
    await f.locator('input[name=advance_compensation]').check();
  });
  expect(await state(consumer, caseNo)).toBe('CONSUMER_REVIEW');

  await act(consumer, caseNo, 'CONSUMER_REJECT');
  expect(await state(consumer, caseNo)).toBe('ESCALATION_READY');
  await act(consumer, caseNo, 'CONFIRM_ESCALATION', async (f) => {
    await f.locator('input[name=complainant_name]').fill('李消费');
    await f.locator('input[name=complainant_phone]').fill('13800138000');
    await f.locator('input[name=complainant_address]').fill('浙江省杭州市西湖区文三路100号');
    await f.locator('input[name=consent]').check();
  });
  expect(await state(consumer, caseNo)).toBe('ESCALATED_TO_REGULATOR');

  const regulator = await signIn(browser, 'regulator@demo.redline');
  await expect(regulator.locator(`tr[data-case="${caseNo}"]`)).toBeVisible();
  await regulator.screenshot({ path: `${shots}/regulator-queue.png`, fullPage: true });
  await act(regulator, caseNo, 'REGULATOR_ACCEPT');
  await act(regulator, caseNo, 'START_MEDIATION');
  expect(await state(regulator, caseNo)).toBe('MEDIATION');
  await expect(regulator.locator('li.clock[data-clock=D6]')).toHaveAttribute('data-status', 'RUNNING');
  await act(regulator, caseNo, 'AGREE', async (f) => {
    await f.locator('textarea[name=message]').fill('双方同意退款299元');
  });
  expect(await state(consumer, caseNo)).toBe('CLOSED_RESOLVED');
  // 14 transitions, the preservation request and the evidence upload.
  await expect(consumer.locator('#timeline li.event')).toHaveCount(16);
  await consumer.screenshot({ path: `${shots}/consumer-closed.png`, fullPage: true });

  expect(consoleErrors).toEqual([]);

  const admin = await signIn(browser, 'admin@demo.redline');
  await expect(admin.locator('#users')).toContainText('operator@demo.redline');
  await admin.screenshot({ path: `${shots}/admin-users.png`, fullPage: true });

  // The English switch persists across pages.
  await consumer.click('#lang-switch');
  await consumer.goto('/me/cases');
  await expect(consumer.locator('h1')).toHaveText('My cases');
  await consumer.screenshot({ path: `${shots}/consumer-cases-en.png`, fullPage: true });
});

test('forms work with JavaScript off and keep what was typed', async ({ browser }) => {
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  const page = await ctx.newPage();
  await page.goto('/login');
  await page.fill('#login-form input[name=email]', 'consumer@demo.redline');
  await page.fill('#login-form input[name=password]', PASSWORD);
  await page.click('#login-form button[type=submit]');
  await page.waitForURL('**/me/cases');
  // The room finder is a plain GET form: the guided flow works without scripts too.
  const f = await openSessionForm(page);
  await f.locator('input[name=offset]').fill('1:99');
  await f.locator('input[name=product]').fill('无JS商品');
  await f.locator('textarea[name=narrative]').fill('没有开启脚本时填写的事实经过。');
  await f.locator('input[name=harm_known_on]').fill('2026-11-20');
  // The browser checks `required`; the server finds the bad offset and the missing categories.
  await Promise.all([page.waitForNavigation(), f.locator('button[type=submit]').click()]);
  expect(new URL(page.url()).pathname).toBe('/me/new');
  await expect(page.locator('#session-box'), 'the session picked is kept').toBeVisible();
  await expect(page.locator('p.field-error[data-field=moment]')).toBeVisible();
  await expect(page.locator('p.field-error[data-field=categories]')).toBeVisible();
  await expect(page.locator('input[name=product]')).toHaveValue('无JS商品');
  await expect(page.locator('textarea[name=narrative]')).toHaveValue('没有开启脚本时填写的事实经过。');
  await page.screenshot({ path: `${shots}/consumer-form-errors-nojs.png`, fullPage: true });
});

test('overdue path: time moved past D1 reaches platform intervention', async ({ browser, request }) => {
  const consumer = await signIn(browser, 'consumer@demo.redline');
  const caseNo = await fileComplaint(consumer, '逾期路径：运营者未在时限内答复。');
  // Ten days on, D1 (5 working days from today, outside holidays) has passed; sessions last 14 days.
  expect((await request.post('/api/test/advance?secs=864000')).ok()).toBeTruthy();
  const sweep = await (await request.post('/api/test/sweep')).json();
  expect(sweep.transitions).toBeGreaterThanOrEqual(1);
  expect(await state(consumer, caseNo)).toBe('PLATFORM_INTERVENTION');
  await expect(consumer.locator('.state-line .badge')).toContainText('运营者超时');
  const platform = await signIn(browser, 'platform@demo.redline');
  await platform.goto(`/cases/${caseNo}`);
  await expect(platform.locator('form[data-action=PLATFORM_DECIDE]')).toBeVisible();
  await platform.screenshot({ path: `${shots}/platform-overdue-case.png`, fullPage: true });
});

test('a complaint pinned to a session and product; the platform confirms the replay is preserved', async ({ browser }) => {
  const consumer = await signIn(browser, 'consumer@demo.redline');
  await consumer.goto('/me/new');
  const finder = consumer.locator('#room-finder');
  await finder.locator('input[name=room]').fill('XH-8801');
  await finder.locator('button[type=submit]').click();
  await consumer.waitForURL(/\/rooms\/\d+/);
  await expect(consumer.locator('#sessions li.product[data-sku=SKU-1001]')).toContainText('划线价');
  await consumer.locator('#sessions a.button').first().click();
  await consumer.waitForURL(/\/me\/new\?session=/);
  const f = consumer.locator('#complaint-form');
  await f.locator('#product-pick').selectOption({ index: 1 });
  await f.locator('input[name=offset]').fill('01:15:00');
  await f.locator('input[name=categories][value=FALSE_ADVERTISING]').check();
  await f.locator('input[name=demands][value=REFUND]').check();
  await f.locator('textarea[name=narrative]').fill('主播称燕窝礼盒原价599元，实际从未以此价格销售。');
  await f.locator('input[name=harm_known_on]').fill('2026-11-20');
  await f.locator('button[type=submit]').click();
  await consumer.waitForURL(/\/cases\/LC-/);
  const caseNo = (await consumer.locator('#case-no').textContent())!.trim();
  await expect(consumer.locator('#session-facts')).toHaveAttribute('data-known', 'true');
  await expect(consumer.locator('#picked-product')).toContainText('燕窝礼盒');

  const platform = await signIn(browser, 'platform@demo.redline');
  await platform.goto(`/cases/${caseNo}`);
  const pf = platform.locator('#preservation-form');
  // Neither answer is chosen in advance.
  await expect(pf.locator('input[name=decision]:checked')).toHaveCount(0);
  await pf.locator('input[name=decision][value=confirm]').check();
  await pf.locator('input[name=replay_ref]').fill('replay://xinghe/XH-8801/demo#01:10:00-01:20:00');
  await pf.locator('input[name=retain_until]').fill('2030-12-31');
  await pf.locator('button[type=submit]').click();
  await platform.waitForLoadState('load');
  await expect(platform.locator('#preservation')).toHaveAttribute('data-status', 'CONFIRMED');
  await expect(platform.locator('#preservation .notice')).toHaveText('保全答复已提交。');
  await platform.screenshot({ path: `${shots}/platform-preservation.png`, fullPage: true });
});

test('a tip filed with JavaScript off and followed by its receipt code', async ({ browser }) => {
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  const page = await ctx.newPage();
  await page.goto('/tips/new');
  const f = page.locator('#tip-form');
  await f.locator('input[name=room]').fill('XH-8801');
  await f.locator('textarea[name=moments]').fill('00:42:10');
  await f.locator('textarea[name=description]').fill('太短');
  await f.locator('input[name=categories][value=AI_PERSON_UNLABELLED]').check();
  await f.locator('input[name=reporter_contact]').fill('e2e-reporter@example.com');
  // Too short: back with the message and everything typed.
  await Promise.all([page.waitForNavigation(), f.locator('button[type=submit]').click()]);
  await expect(page.locator('p.field-error[data-field=description]')).toBeVisible();
  await expect(page.locator('input[name=reporter_contact]')).toHaveValue('e2e-reporter@example.com');
  await expect(page.locator('input[name=categories][value=AI_PERSON_UNLABELLED]')).toBeChecked();
  await page.locator('#tip-form textarea[name=description]').fill('直播画面中的数字人主播全程未作标识，并称产品可以三天美白。');
  await page.locator('#tip-form input[type=file]').setInputFiles({ name: 'clip.png', mimeType: 'image/png', buffer: await page.screenshot() });
  await Promise.all([page.waitForNavigation(), page.locator('#tip-form button[type=submit]').click()]);
  expect(new URL(page.url()).pathname).toBe('/tips/filed');
  const receipt = (await page.locator('#receipt').textContent())!.trim();
  const tipNo = (await page.locator('#tip-no').textContent())!.trim();
  expect(receipt).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/);
  await page.screenshot({ path: `${shots}/tip-receipt-nojs.png`, fullPage: true });

  // Later, from another browser, with only the receipt code.
  const later = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await later.goto('/tips/status');
  await later.locator('#status-form input[name=receipt]').fill(receipt);
  await Promise.all([later.waitForNavigation(), later.locator('#status-form button[type=submit]').click()]);
  // The status page itself, not an error page that happens to mention the number.
  expect(new URL(later.url()).pathname).toBe('/tips/status');
  await expect(later.locator('.field-error, .form-error')).toHaveCount(0);
  await expect(later.locator('.tip-progress')).toContainText(tipNo);
  await expect(later.locator('.tip-progress')).toHaveAttribute('data-stage', 'VERIFYING');
  await later.screenshot({ path: `${shots}/tip-status-nojs.png`, fullPage: true });

  // The platform reviews it without seeing who sent it; the agency sees the contact.
  const platform = await signIn(browser, 'platform@demo.redline');
  await platform.goto(`/staff/tips/${tipNo}`);
  await expect(platform.locator('body')).not.toContainText('e2e-reporter@example.com');
  const regulator = await signIn(browser, 'regulator@demo.redline');
  await regulator.goto(`/staff/tips/${tipNo}`);
  await expect(regulator.locator('#reporter')).toContainText('e2e-reporter@example.com');
  await regulator.screenshot({ path: `${shots}/regulator-tip.png`, fullPage: true });
});
