import { test, expect } from '@playwright/test';
import { signIn, act, fileComplaint, latinLeaks, shots } from './helpers';

// Issue 15's additions in the browser: the consumer's records request
// (Order 117 Art. 18) answered by the platform, and the platform's mark of
// suspected fraud (T24, Order 121 Arts. 23(6), 42), the consumer's rating (T7)
// and the deletion of an account (PIPL Art. 47), in Chinese, with no code
// or untranslated word on the page.

test('Art. 18: the consumer asks the platform for the records, and reads its answer', async ({ browser }) => {
  const consumer = await signIn(browser, 'consumer@demo.redline');
  const caseNo = await fileComplaint(consumer, '主播称该饮品可以“三天美白”，我想请平台提供运营者的身份和订单记录。');
  const ask = consumer.locator('#records-form');
  await expect(ask).toBeVisible();
  await ask.locator('button[type=submit]').click();
  await consumer.waitForLoadState('load');
  await expect(consumer.locator('#records .field-error')).toContainText('请至少选择一项要调取的记录');
  await consumer.locator('#records-form input[name=records][value=IDENTITY]').check();
  await consumer.locator('#records-form input[name=records][value=ORDER]').check();
  await consumer.locator('#records-form button[type=submit]').click();
  await consumer.waitForLoadState('load');
  await expect(consumer.locator('#records .notice')).toContainText('平台应于');
  await expect(consumer.locator('#records li[data-answered=false]')).toHaveCount(1);
  expect(await latinLeaks(consumer)).toEqual([]);

  const platform = await signIn(browser, 'platform@demo.redline');
  await platform.goto(`/cases/${caseNo}`);
  const answer = platform.locator('#records-answer-form');
  await answer.locator('textarea[name=answer]').fill('运营者：杭州优选电子商务有限公司，电话 0571-88886666；订单已于11月20日支付。');
  await answer.locator('button[type=submit]').click();
  await platform.waitForLoadState('load');
  await expect(platform.locator('#records li[data-answered=true]')).toHaveCount(1);

  await consumer.goto(`/cases/${caseNo}`);
  await expect(consumer.locator('#records .answer')).toContainText('杭州优选电子商务有限公司');
  expect(await latinLeaks(consumer)).toEqual([]);
  await consumer.locator('#records').screenshot({ path: `${shots}/records-request.png` });

  // T24: the platform marks the case; every party sees the mark.
  await platform.goto(`/cases/${caseNo}`);
  const fraud = platform.locator('#fraud-form');
  await fraud.locator('textarea[name=reason]').fill('同一收货地址三日内提出多起相同索赔');
  await fraud.locator('button[type=submit]').click();
  await platform.waitForLoadState('load');
  await expect(platform.locator('#fraud')).toHaveAttribute('data-suspected', 'true');
  expect(await latinLeaks(platform)).toEqual([]);
  await consumer.goto(`/cases/${caseNo}`);
  await expect(consumer.locator('#fraud .fraud-suspected')).toBeVisible();
  await platform.locator('#fraud').screenshot({ path: `${shots}/fraud-mark.png` });
});

test('T7: once the case is resolved the consumer rates the operator', async ({ browser }) => {
  const consumer = await signIn(browser, 'consumer@demo.redline');
  const caseNo = await fileComplaint(consumer, '收到的饮品与直播间展示的规格不符，商家同意全额退款。');
  await expect(consumer.locator('#rating-form')).toHaveCount(0);
  const operator = await signIn(browser, 'operator@demo.redline');
  await act(operator, caseNo, 'OPERATOR_RESPOND', async (f) => {
    await f.locator('select[name=offer]').selectOption('FULL');
    await f.locator('input[name=remedy]').fill('全额退款299元');
  });
  await act(consumer, caseNo, 'CONSUMER_ACCEPT');
  const form = consumer.locator('#rating-form');
  await expect(form).toBeVisible();
  await expect(form.locator('fieldset.party')).toHaveCount(1);
  // Two of three axes: refused, the stars chosen kept.
  await form.locator('input[name=OPERATOR_ATTITUDE][value="4"]').check();
  await form.locator('input[name=OPERATOR_SPEED][value="2"]').check();
  await form.locator('button[type=submit]').click();
  await consumer.waitForLoadState('load');
  await expect(consumer.locator('#rating .field-error')).toContainText('请为每一项打1至5星');
  await expect(consumer.locator('#rating-form input[name=OPERATOR_ATTITUDE][value="4"]')).toBeChecked();
  await consumer.locator('#rating-form input[name=OPERATOR_OUTCOME][value="5"]').check();
  await consumer.locator('#rating-form textarea[name=comment]').fill('退款很快，但客服回复慢');
  await consumer.locator('#rating-form button[type=submit]').click();
  await consumer.waitForLoadState('load');
  await expect(consumer.locator('#rating .notice')).toContainText('感谢您的评价');
  await expect(consumer.locator('#ratings-given li[data-handler=OPERATOR]')).toContainText('退款很快');
  await expect(consumer.locator('#rating-form')).toHaveCount(0);
  expect(await latinLeaks(consumer)).toEqual([]);
  await consumer.locator('#rating').screenshot({ path: `${shots}/rating.png` });
  // The case file's retention is shown once it is closed.
  await expect(consumer.locator('#retain-until')).toContainText('案卷保存至');
});

test('PIPL Art. 47: a consumer deletes their account and is told what stays', async ({ browser }) => {
  const page = await (await browser.newContext()).newPage();
  const email = `erase-${Date.now()}@example.cn`;
  await page.goto('/register');
  await page.fill('#register-form input[name=name]', '王删除');
  await page.fill('#register-form input[name=email]', email);
  await page.fill('#register-form input[name=password]', 'a-long-password');
  await page.click('#register-form button[type=submit]');
  await page.waitForLoadState('load');
  const mailed = await (await page.request.get(`/api/test/outbox?to=${encodeURIComponent(email)}`)).json();
  await page.goto(mailed.link);
  await page.click('#welcome-form button[type=submit]');
  await page.waitForURL(/\/me\/cases/);
  await page.goto('/account');
  await expect(page.locator('#delete-form')).toBeVisible();
  expect(await latinLeaks(page)).toEqual([]);
  await page.locator('#delete-form input[name=confirm]').fill('someone@else.cn');
  await page.locator('#delete-form button[type=submit]').click();
  await page.waitForLoadState('load');
  await expect(page.locator('#delete-account .field-error')).toContainText('请输入本账户的邮箱地址以确认');
  await page.locator('#delete-form input[name=confirm]').fill(email);
  await page.locator('#delete-account').screenshot({ path: `${shots}/account-delete.png` });
  await page.locator('#delete-form button[type=submit]').click();
  await page.waitForURL((u) => u.pathname === '/');
  await expect(page.locator('#account-deleted')).toContainText('账户已注销');
});
