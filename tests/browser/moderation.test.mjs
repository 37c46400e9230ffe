// Running a room from the browser: roles, kicks, bans and invitations as
// IRC commands an IRC client beside it sees; /whois and /list shown as lines.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { Server, browser, ircUser, signIn, stopAll } from './harness.mjs';

after(stopAll);

async function command(page, line) {
  await page.fill('#input', line);
  await page.press('#input', 'Enter');
}

test('a room operator in the browser gives roles, kicks, bans and invites', async () => {
  const server = await Server.start();
  const b = await browser();
  const page = await signIn(b, server, 'ann', { rooms: '#annex' });  // new: ann runs it
  await page.locator('#member-list .member.op', { hasText: 'ann' }).waitFor();
  const zoe = await ircUser(server, 'zoe', '#annex');

  await command(page, '/op zoe');
  await zoe.waitFor(':ann!~web@127.0.0.1 MODE #annex +o zoe');
  await page.locator('#member-list .member.op', { hasText: 'zoe' }).waitFor();
  await command(page, '/deop zoe');
  await zoe.waitFor(':ann!~web@127.0.0.1 MODE #annex -o zoe');
  await command(page, '/voice zoe');
  await zoe.waitFor(':ann!~web@127.0.0.1 MODE #annex +v zoe');

  await command(page, '/kick zoe that will do');
  await zoe.waitFor(':ann!~web@127.0.0.1 KICK #annex zoe :that will do');
  await page.locator('#log .line.event', { hasText: 'ann removed zoe (that will do)' }).waitFor();
  await command(page, '/ban zoe');  // zoe is out: the page shows it
  await page.locator('#log .line.event', { hasText: 'sets mode +b zoe!*@*' }).waitFor();
  zoe.send('JOIN #annex');
  await zoe.waitFor(/ 474 zoe #annex /);
  await command(page, '/mode +b');  // the list of bans, and the room's modes
  await page.locator('#log .line.event', { hasText: '#annex bans zoe!*@*' }).waitFor();
  await page.locator('#log .line.event', { hasText: 'End of the bans of #annex.' }).waitFor();
  await command(page, '/mode');
  await page.locator('#log .line.event', { hasText: /^\d\d:\d\d#annex has modes \+/ }).waitFor();
  await command(page, '/unban zoe');
  await page.locator('#log .line.event', { hasText: 'sets mode -b zoe!*@*' }).waitFor();

  await command(page, '/invite zoe');
  await zoe.waitFor(/^:ann!~web@127.0.0.1 INVITE zoe :?#annex$/);
  await page.locator('#log .line.event', { hasText: 'You invited zoe to #annex.' }).waitFor();
  zoe.send('JOIN #zoes');
  await zoe.waitFor(/ 366 zoe #zoes /);
  zoe.send('INVITE ann #zoes');
  await page.locator('#log .line.event', { hasText: 'zoe invites you to #zoes: /join #zoes' }).waitFor();

  // Not an operator: the server's refusal is shown.
  await command(page, '/join #zoes');
  await page.locator('#room-name', { hasText: '#zoes' }).waitFor();
  await page.locator('#member-list .member-nick', { hasText: 'ann' }).waitFor();
  await command(page, '/kick zoe');
  await page.locator('#log .line.error', { hasText: /operator/i }).waitFor();
  assert.equal(zoe.count('KICK #zoes'), 0);
  assert.deepEqual(page.errors, []);
});

test('/whois says who someone is, /list shows the rooms and joins one', async () => {
  const server = await Server.start();
  const zoe = await ircUser(server, 'zoe', '#lobby,#tea');
  zoe.send('TOPIC #tea :tea and biscuits');
  zoe.send('AWAY :making tea');
  await zoe.waitFor(/ 306 /);
  const b = await browser();
  const page = await signIn(b, server, 'ann');

  await command(page, '/whois zoe');
  const who = page.locator('#log .line.event', { hasText: 'zoe (~zoe@127.0.0.1' });
  await who.waitFor();
  const text = await who.textContent();
  assert.match(text, /in .*#lobby/);
  assert.match(text, /#tea/);
  assert.match(text, /away: making tea/);
  await command(page, '/whois nobody');
  await page.locator('#log .line.error', { hasText: /No such nick/i }).waitFor();

  await command(page, '/list');
  await page.locator('#room-name', { hasText: 'Rooms' }).waitFor();
  await page.locator('#log .line.event', { hasText: /^\d\d:\d\d2 rooms\.$/ }).waitFor();
  const tea = page.locator('#log .room-entry', { hasText: '#tea' });
  assert.match(await tea.textContent(), /1 person.*tea and biscuits/);
  await tea.locator('.room-link').click();
  await page.locator('#room-name', { hasText: '#tea' }).waitFor();
  await zoe.waitFor(':ann!~web@127.0.0.1 JOIN #tea');
  assert.deepEqual(page.errors, []);
});
