import { test, expect } from '@playwright/test';
import { signIn, fileComplaint, latinLeaks, shots } from './helpers';

// Issue 18 in the browser: after a checkpoint, a party takes the case's
// package from the case page to the verification page, which checks it
// against the signed log and says each finding in Chinese.

test('a case package checked on the verification page holds against the signed log', async ({ browser }) => {
  const consumer = await signIn(browser, 'consumer@demo.redline');
  const caseNo = await fileComplaint(consumer, '主播称该饮品可以“三天美白”，我要保存好案卷并核验它。');
  const run = await (await consumer.request.post('/api/test/job?name=checkpoint')).json();
  expect(run.failed).toBe(0);
  const pkg = await consumer.request.get(`/cases/${caseNo}/dossier.json`);
  expect(pkg.status()).toBe(200);
  // From the package card to the page.
  await consumer.goto(`/cases/${caseNo}`);
  await consumer.locator('#verify-link').click();
  await consumer.waitForURL('**/transparency/verify');
  const form = consumer.locator('#verify-form');
  await form.locator('input[name=package]').setInputFiles({ name: 'dossier.json', mimeType: 'application/json', buffer: await pkg.body() });
  await form.locator('button[type=submit]').click();
  await consumer.waitForLoadState('load');
  const findings = consumer.locator('#findings');
  await expect(findings).toHaveAttribute('data-holds', 'true');
  await expect(findings.locator('h2')).toHaveText(`核验结果：${caseNo}`);
  await expect(findings.locator('li[data-ok=true]')).toHaveCount(5);
  await expect(findings.locator('li[data-ok=false]')).toHaveCount(0);
  expect(await latinLeaks(consumer)).toEqual([]);
  await consumer.screenshot({ path: `${shots}/verify-findings.png`, fullPage: true });
  // Shown once: a reload has the form only.
  await consumer.reload();
  await expect(consumer.locator('#findings')).toHaveCount(0);
});
