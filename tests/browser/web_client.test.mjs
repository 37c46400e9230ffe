// The web client in a real browser (issue 12): Debian's chromium, headless,
// against a real parleyd, beside an nc-style text user and an IRC client.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { Server, browser, ircUser, root, shownMessages, signIn, stopAll, textUser } from './harness.mjs';

after(stopAll);

test('a browser, a text user and an IRC client see every message in one room', async () => {
  const server = await Server.start();
  const b = await browser();
  const raj = await textUser(server, 'Raj Ingle');
  const zoe = await ircUser(server, 'zoe');
  const page = await signIn(b, server, 'ann');
  await raj.waitFor('ann has joined');
  await zoe.waitFor(':ann!~web@127.0.0.1 JOIN #lobby');
  // The member list shows who is there, the text user by its IRC nick.
  await page.locator('#member-list .member-nick', { hasText: 'Raj_Ingle' }).waitFor();
  await page.locator('#member-list .member-nick', { hasText: 'zoe' }).waitFor();

  await page.fill('#input', 'hello from the browser');
  await page.press('#input', 'Enter');
  await raj.waitFor('Message from User - ann: hello from the browser');
  await zoe.waitFor(':ann!~web@127.0.0.1 PRIVMSG #lobby :hello from the browser');
  await page.locator('#log .line.message.mine', { hasText: 'hello from the browser' }).waitFor();

  zoe.send('PRIVMSG #lobby :hello from irc');
  await raj.waitFor('Message from User - zoe: hello from irc');
  await page.locator('#log .line.message', { hasText: 'hello from irc' }).waitFor();

  raj.send('hello from nc');
  await zoe.waitFor(':Raj_Ingle!text@127.0.0.1 PRIVMSG #lobby :hello from nc');
  await page.locator('#log .line.message', { hasText: 'hello from nc' }).waitFor();

  await page.fill('#input', '/me waves');
  await page.press('#input', 'Enter');
  await zoe.waitFor('PRIVMSG #lobby :\x01ACTION waves\x01');
  await page.locator('#log .line.action', { hasText: 'waves' }).waitFor();

  // Each line shows once in the browser.
  const shown = await shownMessages(page);
  for (const text of ['hello from the browser', 'hello from irc', 'hello from nc', 'waves'])
    assert.equal(shown.filter((t) => t === text).length, 1, `${text} in ${JSON.stringify(shown)}`);
  assert.deepEqual(page.errors, []);
});

test('markup in messages shows as text, links are safe, and no script runs', async () => {
  const server = await Server.start();
  const b = await browser();
  const zoe = await ircUser(server, 'zoe');
  const page = await signIn(b, server, 'ann');
  const attack = '<img src=x onerror=alert(1)>';
  zoe.send(`PRIVMSG #lobby :${attack}`);
  zoe.send('PRIVMSG #lobby :<script>alert(2)</script> javascript:alert(3) see https://example.org/a?b=1&c=2.');
  zoe.send('PRIVMSG #lobby :the last line');
  await page.locator('#log .line.message', { hasText: 'the last line' }).waitFor();
  assert.ok((await shownMessages(page)).includes(attack));
  assert.equal(await page.locator('#log img, #log script').count(), 0);
  const links = page.locator('#log a');
  assert.equal(await links.count(), 1);
  assert.equal(await links.getAttribute('href'), 'https://example.org/a?b=1&c=2');
  assert.equal(await links.getAttribute('rel'), 'noopener noreferrer nofollow');
  assert.deepEqual(page.dialogs, []);
  assert.deepEqual(page.errors, []);
});

test('rooms keep unread counts and mentions; Alt+arrows and Tab work', async () => {
  const server = await Server.start();
  const b = await browser();
  const zoe = await ircUser(server, 'zoe', '#lobby,#tea');
  const page = await signIn(b, server, 'ann', { rooms: '#lobby #tea' });
  await page.locator('#room-list .room-item', { hasText: '#tea' }).waitFor();
  await page.click('#room-list .room-button:has-text("#lobby")');
  zoe.send('PRIVMSG #tea :anyone for tea?');
  zoe.send('PRIVMSG #tea :ann: you?');
  const tea = page.locator('#room-list .room-item', { hasText: '#tea' });
  await tea.locator('.badge', { hasText: '2' }).waitFor();
  assert.match(await tea.getAttribute('class'), /mentioned/);

  await page.focus('#input');
  await page.keyboard.press('Alt+ArrowDown');
  await page.locator('#room-name', { hasText: '#tea' }).waitFor();
  assert.equal(await tea.locator('.badge').count(), 0);
  await page.locator('#log .line.mention', { hasText: 'ann: you?' }).waitFor();
  // A "New messages" line above the first of the two, and only one.
  assert.equal(await page.locator('#log .new-messages').count(), 1);
  assert.equal(await page.locator('#log .new-messages + .line.message .text').textContent(), 'anyone for tea?');
  await page.keyboard.press('Alt+ArrowUp');
  await page.keyboard.press('Alt+ArrowDown');
  await page.locator('#room-name', { hasText: '#tea' }).waitFor();
  assert.equal(await page.locator('#log .new-messages').count(), 0);  // nothing new since

  await page.fill('#input', 'zo');
  await page.press('#input', 'Tab');
  assert.equal(await page.inputValue('#input'), 'zoe: ');
  await page.type('#input', 'yes please');
  await page.press('#input', 'Enter');
  await zoe.waitFor(':ann!~web@127.0.0.1 PRIVMSG #tea :zoe: yes please');

  // A private message opens its own room; operators are marked in the list.
  zoe.send('PRIVMSG ann :psst');
  await page.locator('#room-list .room-item.mentioned', { hasText: 'zoe' }).waitFor();
  zoe.send('JOIN #zoes');
  await zoe.waitFor(/ 366 .*#zoes/);
  await page.fill('#input', '/join #zoes');
  await page.press('#input', 'Enter');
  await page.locator('#member-list .member.op', { hasText: 'zoe' }).waitFor();
  await page.fill('#input', '/nick annie');
  await page.press('#input', 'Enter');
  await zoe.waitFor(':ann!~web@127.0.0.1 NICK :annie');
  await page.locator('#my-nick', { hasText: 'annie' }).waitFor();
});

test('after a server restart the page reconnects without losing or repeating lines', async () => {
  let server = await Server.start();
  const b = await browser();
  let zoe = await ircUser(server, 'zoe');
  const page = await signIn(b, server, 'ann');
  zoe.send('PRIVMSG #lobby :before the restart');
  await page.locator('#log .line.message', { hasText: 'before the restart' }).waitFor();

  const { dataDir, httpPort } = server;
  server.ownDir = false;
  const status = await server.stop();
  assert.equal(status.code, 0);
  await page.locator('#status.closed, #status.connecting').waitFor();
  // Offline (well before its first retry, a second after the close), the page
  // cannot come back before the line said while it was away: that one must
  // come from history (CHATHISTORY AFTER the last msgid it has).
  await page.context().setOffline(true);
  server = await Server.start({ dataDir, httpPort });
  const raj = await textUser(server, 'Raj');
  raj.send('while you were away');
  await raj.waitFor('Message from User - Raj: while you were away');
  assert.equal(await page.locator('#status.open').count(), 0);
  await page.context().setOffline(false);  // the page retries at once when the browser is back online
  await page.locator('#status.open').waitFor();
  await raj.waitFor('ann has joined');
  zoe = await ircUser(server, 'zoe');
  zoe.send('PRIVMSG #lobby :after the restart');
  await page.locator('#log .line.message', { hasText: 'after the restart' }).waitFor();
  await page.locator('#log .line.message', { hasText: 'while you were away' }).waitFor();
  const shown = await shownMessages(page);
  for (const text of ['before the restart', 'while you were away', 'after the restart'])
    assert.equal(shown.filter((t) => t === text).length, 1, `${text} in ${JSON.stringify(shown)}`);
  assert.deepEqual(shown.filter((t) => t.endsWith('restart') || t.endsWith('away')),
                   ['before the restart', 'while you were away', 'after the restart']);
});

test('the phone layout: messages fill the screen, rooms and members slide over', async () => {
  const server = await Server.start();
  const b = await browser();
  const zoe = await ircUser(server, 'zoe', '#lobby');
  const page = await signIn(b, server, 'ann', { viewport: { width: 390, height: 844 } });
  zoe.send('PRIVMSG #lobby :hi ann, welcome to https://example.org');
  await page.locator('#log .line.message', { hasText: 'welcome' }).waitFor();
  const rooms = await page.locator('#rooms').boundingBox();
  assert.ok(rooms.x + rooms.width <= 1, `the room list is off screen: ${JSON.stringify(rooms)}`);
  const input = await page.locator('#input').boundingBox();
  assert.ok(input.y + input.height <= 844 && input.width > 200, JSON.stringify(input));
  const log = await page.locator('#log').boundingBox();
  assert.ok(log.width >= 380, `messages use the width: ${JSON.stringify(log)}`);

  await page.click('#toggle-rooms');
  await page.waitForFunction(() => document.getElementById('rooms').getBoundingClientRect().left >= 0);
  await page.click('#room-list .room-button:has-text("#lobby")');  // choosing a room closes the list
  await page.waitForFunction(() => document.getElementById('rooms').getBoundingClientRect().right <= 1);
  await page.click('#toggle-members');
  await page.waitForFunction(() => document.getElementById('members').getBoundingClientRect().right <= 391);
  await page.locator('#member-list .member-nick', { hasText: 'zoe' }).waitFor();

});
