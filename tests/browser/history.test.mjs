// Reading back in the web client: a room's latest messages on joining, and
// earlier ones page by page as the reader scrolls up, to where the room's
// history begins, each once and in order.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { Server, browser, ircUser, registerAccount, shownMessages, signIn, stopAll } from './harness.mjs';

after(stopAll);

async function scrollToTop(page) {
  await page.$eval('#log', (log) => {
    log.scrollTop = 0;
  });
}

test('scrolling up reads earlier messages, page by page, to the beginning', async () => {
  const server = await Server.start();
  const zoe = await ircUser(server, 'zoe');
  const said = Array.from({ length: 130 }, (_, i) => `line ${i + 1}`);
  for (const text of said) zoe.send(`PRIVMSG #lobby :${text}`);
  zoe.send('PING :sent');
  await zoe.waitFor('PONG', 'PONG after the lines');
  const b = await browser();
  const page = await signIn(b, server, 'ann');

  // Joining shows the latest 50, at the bottom.
  await page.locator('#log .line.message .text', { hasText: /^line 130$/ }).waitFor();
  assert.deepEqual(await shownMessages(page), said.slice(80));
  const log = await page.$eval('#log', (l) => ({ top: l.scrollTop, height: l.scrollHeight, view: l.clientHeight }));
  assert.ok(log.height > log.view, `50 lines fill more than the screen: ${JSON.stringify(log)}`);
  assert.ok(log.top + log.view >= log.height - 2, `at the bottom: ${JSON.stringify(log)}`);

  // At the top, the 50 before; the line read before stays in view.
  const firstShown = page.locator('#log .line.message .text', { hasText: /^line 81$/ });
  await scrollToTop(page);
  await page.locator('#log .line.message .text', { hasText: /^line 31$/ }).waitFor();
  assert.deepEqual(await shownMessages(page), said.slice(30));
  assert.ok(await firstShown.isVisible(), 'line 81 is still on the screen');
  assert.equal(await page.locator('#log .history-start').count(), 0);

  // Then the last 30, and the beginning is said once.
  await scrollToTop(page);
  await page.locator('#log .history-start').waitFor();
  assert.deepEqual(await shownMessages(page), said);
  await scrollToTop(page);
  zoe.send('PRIVMSG #lobby :and now');
  await page.locator('#log .line.message', { hasText: 'and now' }).waitFor();
  assert.deepEqual(await shownMessages(page), [...said, 'and now']);
  assert.equal(await page.locator('#log .history-start').count(), 1);
  assert.deepEqual(page.errors, []);
});

test('a room whose history fits the screen says where it begins', async () => {
  const server = await Server.start();
  const zoe = await ircUser(server, 'zoe');
  zoe.send('PRIVMSG #lobby :only this');
  zoe.send('PING :sent');
  await zoe.waitFor('PONG');
  const b = await browser();
  const page = await signIn(b, server, 'ann');
  await page.locator('#log .history-start').waitFor();
  assert.deepEqual(await shownMessages(page), ['only this']);
  // The marker comes first, before the earliest message.
  const texts = await page.locator('#log .line .text').allTextContents();
  assert.equal(texts[0], 'The beginning of what this room keeps.');
});

test('logged in, private conversations and their messages come back on another page', async () => {
  const server = await Server.start();
  await registerAccount(server, 'ann', 'ann password');
  const bea = await ircUser(server, 'bea');
  bea.send('REGISTER * * :bea password');
  await bea.waitFor('REGISTER SUCCESS bea');
  const b = await browser();
  const first = await signIn(b, server, 'ann', { password: 'ann password' });
  await first.locator('#my-nick[data-account="ann"]').waitFor();
  bea.send('PRIVMSG ann :are you coming tonight?');
  await first.locator('#room-list .room-label', { hasText: 'bea' }).waitFor();
  await first.locator('#room-list .room-label', { hasText: 'bea' }).click();
  await first.locator('#log .line.message .text', { hasText: 'are you coming tonight?' }).waitFor();
  await first.fill('#input', 'yes, at eight');
  await first.press('#input', 'Enter');
  await bea.waitFor(':ann!~web@127.0.0.1 PRIVMSG bea :yes, at eight');
  await first.close();

  // Another page, logged in to the same account: the conversation is listed
  // and shows both sides, once each.
  const second = await signIn(b, server, 'ann', { password: 'ann password' });
  await second.locator('#room-list .room-label', { hasText: 'bea' }).click();
  await second.locator('#log .line.message .text', { hasText: 'yes, at eight' }).waitFor();
  assert.deepEqual(await shownMessages(second), ['are you coming tonight?', 'yes, at eight']);
  await second.locator('#log .history-start', { hasText: 'conversation' }).waitFor();

  // Not logged in, a page with the same nick sees none of it.
  await second.close();
  const guest = await signIn(b, server, 'ann_guest');
  await guest.fill('#input', '/msg bea hello');
  await guest.press('#input', 'Enter');
  await bea.waitFor(':ann_guest!~web@127.0.0.1 PRIVMSG bea :hello');
  await guest.locator('#log .line.message .text', { hasText: 'hello' }).waitFor();
  assert.deepEqual(await shownMessages(guest), ['hello']);
  // It did not ask (the answer would have come before the echo): no refusal shown.
  assert.equal(await guest.locator('#log .line.error').count(), 0);
  assert.deepEqual(guest.errors, []);
});

test('what one page of an account reads, its other pages and the next one show read', async () => {
  const server = await Server.start();
  await registerAccount(server, 'ann', 'ann password');
  const zoe = await ircUser(server, 'zoe', '#lobby,#tea');
  const b = await browser();
  const desk = await signIn(b, server, 'ann', { rooms: '#lobby #tea', password: 'ann password' });
  const phone = await signIn(b, server, 'ann', { rooms: '#lobby #tea', password: 'ann password' });
  for (const page of [desk, phone]) {
    await page.locator('#my-nick[data-account="ann"]').waitFor();
    await page.locator('#room-list .room-item', { hasText: '#tea' }).waitFor();
    await page.locator('#room-name', { hasText: '#lobby' }).waitFor();
  }
  for (const text of ['tea at four?', 'or five', 'ann: which?']) zoe.send(`PRIVMSG #tea :${text}`);
  const teaOn = (page) => page.locator('#room-list .room-item', { hasText: '#tea' });
  await teaOn(desk).locator('.badge', { hasText: '3' }).waitFor();
  await teaOn(phone).locator('.badge', { hasText: '3' }).waitFor();

  // Read on the phone: the desk shows #tea read.
  await phone.click('#room-list .room-button:has-text("#tea")');
  await phone.locator('#log .line.message .text', { hasText: 'ann: which?' }).waitFor();
  await teaOn(desk).locator('.badge').waitFor({ state: 'detached' });
  assert.doesNotMatch(await teaOn(desk).getAttribute('class'), /mentioned/);

  // Two more while no page is open: the next page counts them, from history.
  await desk.close();
  await phone.close();
  zoe.send('PRIVMSG #tea :anyone?');
  zoe.send('PRIVMSG #tea :ann: still on?');
  zoe.send('PING :sent');
  await zoe.waitFor('PONG');
  const next = await signIn(b, server, 'ann', { rooms: '#lobby #tea', password: 'ann password' });
  await teaOn(next).locator('.badge', { hasText: '2' }).waitFor();
  assert.match(await teaOn(next).getAttribute('class'), /mentioned/);
  assert.deepEqual(next.errors, []);
});

test('a busy room keeps at most 2,000 lines on the page, and reads the dropped ones back', async () => {
  const server = await Server.start();
  const zoe = await ircUser(server, 'zoe');
  const b = await browser();
  const page = await signIn(b, server, 'ann');
  const said = Array.from({ length: 2100 }, (_, i) => `busy ${i + 1}`);
  zoe.send(said.map((text) => `PRIVMSG #lobby :${text}`).join('\r\n'));
  await page.locator('#log .line.message .text', { hasText: /^busy 2100$/ }).waitFor();
  const kept = await page.locator('#log .room-log > *').count();
  assert.ok(kept <= 2000, `${kept} lines kept`);
  const shown = await shownMessages(page);
  assert.deepEqual(shown, said.slice(said.length - shown.length), 'the newest, in order');
  assert.ok(!shown.includes('busy 1'));

  // Scrolling up reads the 50 before the earliest kept, each once.
  const earliest = Number(shown[0].split(' ')[1]);
  await scrollToTop(page);
  await page.locator('#log .line.message .text', { hasText: new RegExp(`^busy ${earliest - 50}$`) }).waitFor();
  assert.deepEqual(await shownMessages(page), said.slice(earliest - 51));
  assert.deepEqual(page.errors, []);
});
