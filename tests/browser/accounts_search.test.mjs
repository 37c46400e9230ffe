// Accounts and search in the web client: a password on the sign-in form
// (SASL PLAIN), /register, /login and /logout in the chat, and /search's
// read-only results, against a real parleyd and IRC clients beside it.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import {
  Server, accountOf, browser, fillSignIn, ircUser, openPage, registerAccount, shownMessages, signIn, stopAll,
} from './harness.mjs';

after(stopAll);

test('a registered name signs in with its password; a wrong one is refused on the form', async () => {
  let server = await Server.start();
  await registerAccount(server, 'ann', 'correct horse');
  const b = await browser();
  const page = await openPage(b, server);

  await fillSignIn(page, 'ann', { password: 'wrong horse' });
  await page.locator('#login-error', { hasText: 'do not match an account' }).waitFor();
  assert.equal(await page.locator('#chat').isHidden(), true);
  assert.equal(await page.inputValue('#login-password'), '');

  await fillSignIn(page, 'ann', { password: 'correct horse' });
  await page.locator('#member-list .member-nick', { hasText: 'ann' }).waitFor();
  await page.locator('#my-nick[data-account="ann"]').waitFor();
  let zoe = await ircUser(server, 'zoe');
  assert.equal(await accountOf(zoe, 'ann'), 'ann');
  // The password is in no storage the page keeps.
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
  assert.ok(!stored.includes('horse'), stored);

  // After a restart the page logs in again by itself.
  const { dataDir, httpPort } = server;
  server.ownDir = false;
  assert.equal((await server.stop()).code, 0);
  await page.locator('#status.closed, #status.connecting').waitFor();
  server = await Server.start({ dataDir, httpPort });
  await page.locator('#status.open').waitFor();
  await page.locator('#member-list .member-nick', { hasText: 'ann' }).waitFor();
  zoe = await ircUser(server, 'zoe');
  assert.equal(await accountOf(zoe, 'ann'), 'ann');
  assert.deepEqual(page.errors, []);
});

test('/register, /logout and /login from the chat, the password hidden while typed', async () => {
  const server = await Server.start();
  const b = await browser();
  const page = await signIn(b, server, 'bea');
  const zoe = await ircUser(server, 'zoe');
  assert.equal(await accountOf(zoe, 'bea'), '');

  await page.fill('#input', '/register');
  assert.equal(await page.getAttribute('#input', 'type'), 'text');
  await page.type('#input', ' tall tree');
  assert.equal(await page.getAttribute('#input', 'type'), 'password');
  await page.press('#input', 'Enter');
  assert.equal(await page.getAttribute('#input', 'type'), 'text');
  await page.locator('#my-nick[data-account="bea"]').waitFor();
  assert.equal(await accountOf(zoe, 'bea'), 'bea');

  await page.fill('#input', '/logout');
  await page.press('#input', 'Enter');
  await page.locator('#my-nick[data-account=""]').waitFor();
  assert.equal(await accountOf(zoe, 'bea'), '');

  await page.type('#input', '/login bea short tree');
  await page.press('#input', 'Enter');
  await page.locator('#log .line.error', { hasText: 'Not logged in: wrong name or password' }).waitFor();
  assert.equal(await page.locator('#my-nick[data-account=""]').count(), 1);

  await page.type('#input', '/login bea tall tree');
  await page.press('#input', 'Enter');
  await page.locator('#my-nick[data-account="bea"]').waitFor();
  assert.equal(await accountOf(zoe, 'bea'), 'bea');
  // Nothing said in the room: the commands went to the server only.
  assert.deepEqual(await shownMessages(page), []);
  assert.deepEqual(page.errors, []);
});

test('/search shows earlier messages in a read-only view of their own', async () => {
  const server = await Server.start();
  const zoe = await ircUser(server, 'zoe');
  zoe.send('PRIVMSG #lobby :the garden party is on friday');
  zoe.send('PRIVMSG #lobby :bring a cake; the party starts at noon');
  zoe.send('JOIN #quiet');
  zoe.send('PRIVMSG #quiet :a garden in the quiet room');
  await zoe.waitFor(/ JOIN #quiet/);
  const b = await browser();
  const page = await signIn(b, server, 'ann', { rooms: '#lobby #quiet' });
  await page.locator('#room-list .room-label', { hasText: '#quiet' }).waitFor();

  await page.fill('#input', '/search garden party');
  await page.press('#input', 'Enter');
  await page.locator('#room-name', { hasText: 'Search: garden party' }).waitFor();
  await page.locator('#log .line.event', { hasText: '1 message found' }).waitFor();
  const result = page.locator('#log .line.search-result');
  assert.equal(await result.count(), 1);
  assert.equal(await result.locator('.where').textContent(), '#lobby');
  assert.equal(await result.locator('.nick').textContent(), 'zoe');
  assert.equal(await result.locator('.text').textContent(), 'the garden party is on friday');

  // One room only, and a word everywhere.
  await page.fill('#input', '/search #quiet garden');
  await page.press('#input', 'Enter');
  await page.locator('#room-name', { hasText: 'Search: #quiet garden' }).waitFor();
  await page.locator('#log .line.event', { hasText: '1 message found' }).waitFor();
  assert.deepEqual(await page.locator('#log .line.search-result .text').allTextContents(),
                   ['a garden in the quiet room']);
  await page.fill('#input', '/search garden');
  await page.press('#input', 'Enter');
  await page.locator('#room-name', { hasText: /^Search: garden$/ }).waitFor();
  await page.locator('#log .line.event', { hasText: '2 messages found' }).waitFor();

  // Nothing found, and no search text: said so.
  await page.fill('#input', '/search picnic');
  await page.press('#input', 'Enter');
  await page.locator('#log .line.event', { hasText: 'No messages hold "picnic".' }).waitFor();
  await page.fill('#input', '/search');
  await page.press('#input', 'Enter');
  await page.locator('#log .line.error', { hasText: 'Usage: /search' }).waitFor();

  // Results are read only: a line typed there goes nowhere.
  await page.fill('#input', 'hello?');
  await page.press('#input', 'Enter');
  await page.locator('#log .line.error', { hasText: 'read only' }).waitFor();
  zoe.send('PRIVMSG #lobby :still here');
  await page.locator('#room-list .room-label', { hasText: '#lobby' }).click();
  await page.locator('#log .line.message', { hasText: 'still here' }).waitFor();
  assert.equal((await shownMessages(page)).filter((t) => t === 'hello?').length, 0);
  assert.equal(zoe.count('hello?'), 0);
  assert.deepEqual(page.errors, []);
});
