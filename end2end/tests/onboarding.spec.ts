import { test, expect, Page, Browser } from '@playwright/test';
import { PASSWORD, act, shots, signIn } from './helpers';

// The journey of a real organisation (issue 11): the administrator creates a
// platform and an agency, invites their staff; the platform reports its
// parties on its page and over the API; a consumer files against the new room
// naming the marketer, escalates with the Order 121 Art. 10 details, and the
// new agency receives the case by jurisdiction.

/// GB 32100-2015: the check character over the first 17 characters.
function creditCode(first17: string): string {
  const chars = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += chars.indexOf(first17[i]) * weights[i];
  return first17 + chars[(31 - (sum % 31)) % 31];
}

/// Accepts the invitation mailed to `email` (read from the outbox) and signs in.
async function acceptInvitation(browser: Browser, email: string, name: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  const mailed = await (await page.request.get(`/api/test/outbox?to=${encodeURIComponent(email)}`)).json();
  await page.goto(mailed.link);
  await page.fill('#welcome-form input[name=name]', name);
  await page.fill('#welcome-form input[name=password]', PASSWORD);
  await page.click('#welcome-form button[type=submit]');
  await page.waitForLoadState('load');
  return page;
}

test('onboarding: a new platform and agency, their staff, the parties, a complaint naming the marketer, escalation', async ({ browser }) => {
  const admin = await signIn(browser, 'admin@demo.redline');
  await admin.goto('/admin');
  // A wrong check character is refused, and what was typed stays.
  const pf = admin.locator('#platform-form');
  await pf.locator('input[name=name]').fill('新风直播');
  await pf.locator('input[name=name_en]').fill('Xinfeng Live');
  await pf.locator('input[name=code]').fill('xinfeng');
  const good = creditCode('91330108MA2J0K1L3');
  const bad = good.slice(0, 17) + (good[17] === '1' ? '2' : '1');
  await pf.locator('input[name=credit_code]').fill(bad);
  await pf.locator('input[name=domicile_region]').fill('330108');
  await pf.locator('input[name=domicile_address]').fill('浙江省杭州市滨江区江南大道1号');
  await pf.locator('button[type=submit]').click();
  await admin.waitForLoadState('load');
  await expect(admin.locator('#platform-form [data-field=credit_code]')).toContainText('校验位');
  await expect(admin.locator('#platform-form input[name=name]')).toHaveValue('新风直播');
  await admin.locator('#platform-form input[name=credit_code]').fill(good);
  await admin.locator('#platform-form button[type=submit]').click();
  await admin.waitForLoadState('load');
  await expect(admin.locator('#platform-form .notice')).toContainText('已创建平台：新风直播');

  const af = admin.locator('#agency-form');
  await af.locator('input[name=name]').fill('杭州市滨江区市场监督管理局');
  await af.locator('input[name=name_en]').fill('Binjiang District AMR');
  await af.locator('select[name=kind]').selectOption('MARKET_SUPERVISION');
  await af.locator('input[name=region]').fill('330108');
  await af.locator('button[type=submit]').click();
  await admin.waitForLoadState('load');
  await expect(admin.locator('#agency-form .notice')).toContainText('COUNTY');
  await admin.screenshot({ path: `${shots}/onboarding-admin.png`, fullPage: true });

  // Invitations: the platform's first administrator, and the bureau's.
  const invite = async (email: string, org: string) => {
    const g = admin.locator('#grant-form');
    await g.locator('input[name=email]').fill(email);
    await g.locator('select[name=org]').selectOption({ label: org });
    await g.locator('select[name=role]').selectOption('ADMIN');
    await g.locator('button[type=submit]').click();
    await admin.waitForLoadState('load');
    await expect(admin.locator('#notice')).toContainText(email);
  };
  await invite('boss@xinfeng.example', '平台：新风直播');
  await invite('binjiang@amr.example', '监管部门：杭州市滨江区市场监督管理局 (330108 COUNTY)');

  const boss = await acceptInvitation(browser, 'boss@xinfeng.example', '新风主管');
  await boss.goto('/org');
  await expect(boss.locator('tr[data-member="boss@xinfeng.example"]')).toBeVisible();
  const inv = boss.locator('form[action$="/invite"]');
  await inv.locator('input[name=email]').fill('kefu@xinfeng.example');
  await inv.locator('button[type=submit]').click();
  await boss.waitForLoadState('load');
  await expect(boss.locator('#notice')).toContainText('kefu@xinfeng.example');
  await boss.screenshot({ path: `${shots}/onboarding-org-staff.png`, fullPage: true });

  // The platform reports its parties on its page, one at a time.
  await boss.goto('/platform/parties');
  const save = async (form: string, fields: Record<string, string>) => {
    const f = boss.locator(`#${form}`);
    for (const [k, v] of Object.entries(fields)) {
      if (k === 'kind') await f.locator(`select[name=${k}]`).selectOption(v);
      else await f.locator(`input[name=${k}]`).fill(v);
    }
    await f.locator('button[type=submit]').click();
    await boss.waitForLoadState('load');
    await expect(boss.locator(`#${form} .notice`)).toContainText('已保存');
  };
  await save('party-mcn', { id: 'mcn-1', name: '杭州星火网络科技有限公司', credit_code: creditCode('91330106MA2H0K1L3'),
    address: '浙江省杭州市西湖区文三路90号', region: '330106' });
  await save('party-operator', { id: 'op-1', kind: 'LEGAL_PERSON', name: '杭州新店电子商务有限公司',
    credit_code: creditCode('91330108MA2C0DE4B'), displayed_address: '浙江省杭州市滨江区网商路1号', displayed_region: '330108',
    business_region: '330108', contact: '0571-86000000' });
  await save('party-marketer', { id: 'host-1', name: '小新', account: 'xiaoxin_live', mcn: 'mcn-1' });
  await save('party-room', { id: 'XF-1001', name: '新店好物', url: 'https://live.xinfeng.example/room/XF-1001', operator: 'op-1' });
  await expect(boss.locator('table[id^=changes-] tbody tr')).toHaveCount(4);
  await boss.screenshot({ path: `${shots}/onboarding-parties.png`, fullPage: true });

  // And over the API, with a key its staff issue: a second marketer and a session naming both.
  await boss.goto('/org/integrations');
  const keyForm = boss.locator('form[action$="/keys"]');
  await keyForm.locator('input[name=name]').fill('ERP');
  for (const scope of ['parties:write', 'sessions:write']) {
    await keyForm.locator(`input[name=scopes][value="${scope}"]`).check();
  }
  await keyForm.locator('button[type=submit]').click();
  await boss.waitForLoadState('load');
  const key = (await boss.locator('#new-key code').textContent())!.trim();
  const api = { headers: { Authorization: `Bearer ${key}` } };
  const bulk = await boss.request.post('/api/v1/platform/parties', { ...api, data: {
    marketers: [{ id: 'host-2', name: '虚拟主播阿星', account: 'axing_ai', is_virtual: true }] } });
  expect(bulk.status()).toBe(200);
  expect((await bulk.json()).marketers.created).toBe(1);
  const started = new Date(Date.now() - 2 * 3600_000).toISOString();
  const sess = await boss.request.post('/api/v1/platform/sessions', { ...api, data: {
    room: 'XF-1001', platform_session_id: 'XF-1001-s1', started_at: started, marketers: ['host-1', 'host-2'],
    products: [{ sku: 'SKU-1', name: '胶原蛋白饮品', displayed_price_fen: 19900 }] } });
  expect(sess.status()).toBe(201);

  // The public room page: the operator's disclosure and who appeared.
  const consumer = await signIn(browser, 'consumer@demo.redline');
  await consumer.goto('/me/new');
  await consumer.locator('select[name=platform]').first().selectOption({ label: '新风直播' });
  const platformId = await consumer.locator('select[name=platform]').first().inputValue();
  await consumer.goto(`/rooms/find?platform=${platformId}&room=XF-1001`);
  await expect(consumer.locator('#operator')).toContainText('杭州新店电子商务有限公司');
  await expect(consumer.locator('#marketers li[data-marketer]')).toHaveCount(2);
  await consumer.screenshot({ path: `${shots}/onboarding-room.png`, fullPage: true });

  // The consumer files about that session, naming the marketer who made the claim.
  await consumer.locator('a.button[href^="/me/new?session="]').first().click();
  await consumer.waitForURL(/\/me\/new\?session=/);
  const f = consumer.locator('#complaint-form');
  await f.locator('input[name=respondent][value=MARKETER]').check();
  await f.locator('select[name=marketer_id]').selectOption({ label: '小新（xiaoxin_live）' });
  await f.locator('input[name=offset]').fill('00:42:10');
  await f.locator('select[name=product_id]').selectOption({ index: 1 });
  await f.locator('input[name=order_no]').fill('XF20261120001');
  await f.locator('input[name=amount]').fill('199.00');
  await f.locator('input[name=categories][value=FALSE_ADVERTISING]').check();
  await f.locator('input[name=demands][value=REFUND]').check();
  await f.locator('textarea[name=narrative]').fill('主播小新称该饮品“三天美白”，实际无效。');
  await f.locator('input[name=harm_known_on]').fill('2026-11-20');
  await consumer.screenshot({ path: `${shots}/onboarding-complaint-form.png`, fullPage: true });
  await f.locator('button[type=submit]').click();
  await consumer.waitForURL(/\/cases\/LC-/);
  const caseNo = (await consumer.locator('#case-no').textContent())!.trim();
  await expect(consumer.locator('dd[data-party]').first()).toContainText('主播');
  await expect(consumer.locator('#case-state')).toHaveAttribute('data-state', 'ROUTED_TO_OPERATOR');

  // The platform steps in and refuses; the consumer rejects and escalates with the Art. 10 details.
  await act(boss, caseNo, 'PLATFORM_INTERVENE');
  await act(boss, caseNo, 'PLATFORM_DECIDE', async (x) => {
    await x.locator('select[name=offer]').selectOption('REJECT');
    await x.locator('textarea[name=message]').fill('宣传属实，不予支持');
  });
  await act(consumer, caseNo, 'CONSUMER_REJECT');
  await act(consumer, caseNo, 'CONFIRM_ESCALATION', async (x) => {
    await x.locator('input[name=complainant_name]').fill('李消费');
    await x.locator('input[name=complainant_phone]').fill('13800138000');
    await x.locator('input[name=complainant_address]').fill('浙江省杭州市西湖区文三路100号');
    await x.locator('input[name=consent]').check();
  });
  await expect(consumer.locator('#case-state')).toHaveAttribute('data-state', 'ESCALATED_TO_REGULATOR');
  await consumer.screenshot({ path: `${shots}/onboarding-escalated.png`, fullPage: true });

  // The new Binjiang bureau receives it (Order 121 Art. 13: the displayed address) and sees the details.
  const bureau = await acceptInvitation(browser, 'binjiang@amr.example', '滨江区市监局');
  await bureau.goto('/regulator');
  await expect(bureau.locator(`tr[data-case="${caseNo}"]`)).toBeVisible();
  await expect(bureau.locator(`tr[data-case="${caseNo}"]`)).toContainText('小新');
  await bureau.goto(`/cases/${caseNo}`);
  await expect(bureau.locator('#complainant-phone')).toHaveText('13800138000');
  await bureau.screenshot({ path: `${shots}/onboarding-bureau-case.png`, fullPage: true });
  // The platform sees the complainant's name, not the contact.
  await boss.goto(`/cases/${caseNo}`);
  await expect(boss.locator('#complainant')).toContainText('李消费');
  await expect(boss.locator('#complainant-phone')).toHaveCount(0);
});
