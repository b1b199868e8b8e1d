import { test, expect } from '@playwright/test';
import { signIn, fileComplaint, latinLeaks, shots } from './helpers';

// Issue 15's additions in the browser: the consumer's records request
// (Order 117 Art. 18) answered by the platform, and the platform's mark of
// suspected fraud (T24, Order 121 Arts. 23(6), 42), in Chinese, with no code
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
