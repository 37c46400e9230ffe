// Messages in the web client beyond saying them: deleting one (its sender,
// logged in, or a room operator; draft/message-redaction) and typing
// notifications (+typing), with IRC clients beside the page.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { Server, browser, ircUser, registerAccount, shownMessages, signIn, stopAll } from './harness.mjs';

after(stopAll);

// An IRC client with the capabilities that show tags and redactions.
const capableUser = (server, nick, channel) =>
  ircUser(server, nick, channel, { caps: ['message-tags', 'draft/message-redaction'] });

async function say(page, text) {
  await page.fill('#input', text);
  await page.press('#input', 'Enter');
}

// Deletes the line with `msgid`, as a person does: hover, Delete, Delete?.
async function deleteLine(page, msgid) {
  const line = page.locator(`#log .line.message[data-msgid="${msgid}"]`);
  await line.hover();
  await line.locator('.delete').click();
  await line.locator('.delete.armed', { hasText: 'Delete?' }).waitFor();
  await line.locator('.delete').click();
  return line;
}

test('a logged-in sender deletes their message, a room operator anyone\'s', async () => {
  const server = await Server.start();
  await registerAccount(server, 'ann', 'ann password');
  const b = await browser();
  const page = await signIn(b, server, 'ann', { rooms: '#annex', password: 'ann password' });  // new: ann runs it
  await page.locator('#my-nick[data-account="ann"]').waitFor();
  const zoe = await capableUser(server, 'zoe', '#annex');
  await say(page, 'oops, wrong room');
  const msgid = (await zoe.waitFor(/PRIVMSG #annex :oops, wrong room$/)).match(/msgid=([^;\s]+)/)[1];

  const mine = await deleteLine(page, msgid);
  await zoe.waitFor(`REDACT #annex ${msgid}`);
  await mine.locator('.text', { hasText: '(deleted)' }).waitFor();
  assert.match(await mine.getAttribute('class'), /deleted/);

  zoe.send('PRIVMSG #annex :buy cheap watches');
  const spamLine = page.locator('#log .line.message', { has: page.locator('.text', { hasText: 'buy cheap watches' }) });
  await spamLine.waitFor();
  const spamId = await spamLine.getAttribute('data-msgid');
  const spam = await deleteLine(page, spamId);
  await spam.locator('.text', { hasText: '(deleted by ann)' }).waitFor();

  // Gone from history too: a new page does not show either.
  const again = await signIn(b, server, 'ann', { rooms: '#annex', password: 'ann password' });
  await again.locator('#log .history-start').waitFor();
  assert.deepEqual(await shownMessages(again), []);
  assert.deepEqual(page.errors, []);
});

test('without the right, no delete button shows, and a refused one is said', async () => {
  const server = await Server.start();
  const zoe = await ircUser(server, 'zoe', '#lobby');
  const b = await browser();
  const page = await signIn(b, server, 'bea');  // not logged in, not an operator of #lobby
  zoe.send('PRIVMSG #lobby :hello bea');
  const line = page.locator('#log .line.message', { has: page.locator('.text', { hasText: 'hello bea' }) });
  await line.hover();
  assert.equal(await line.locator('.delete').isVisible(), false);
  await say(page, 'my own line');
  const own = page.locator('#log .line.message.mine', { has: page.locator('.text', { hasText: 'my own line' }) });
  await own.hover();
  assert.equal(await own.locator('.delete').isVisible(), false);
  // Asked anyway (raw), the server refuses and the page says so; the line stays.
  await say(page, `/quote REDACT #lobby ${await line.getAttribute('data-msgid')}`);
  await page.locator('#log .line.error', { hasText: 'You are not authorised to delete this message' }).waitFor();
  assert.equal(await line.locator('.text').textContent(), 'hello bea');
  assert.deepEqual(page.errors, []);
});

test('typing shows under the log while someone types, and stops with their message', async () => {
  const server = await Server.start();
  const zoe = await capableUser(server, 'zoe', '#lobby');
  const b = await browser();
  const page = await signIn(b, server, 'ann');

  await page.type('#input', 'hel');
  await zoe.waitFor(/^@(\S+;)?\+typing=active(;\S+)? :ann!\S+ TAGMSG #lobby$/);
  await page.fill('#input', '');
  await page.type('#input', '/');  // a command is not a message: "done"
  await zoe.waitFor(/^@(\S+;)?\+typing=done(;\S+)? :ann!\S+ TAGMSG #lobby$/);
  await page.fill('#input', '');

  zoe.send('@+typing=active TAGMSG #lobby');
  await page.locator('#typing', { hasText: 'zoe is typing…' }).waitFor();
  zoe.send('PRIVMSG #lobby :here it is');
  await page.locator('#log .line.message .text', { hasText: 'here it is' }).waitFor();
  assert.equal(await page.textContent('#typing'), '');
  zoe.send('@+typing=active TAGMSG #lobby');
  await page.locator('#typing', { hasText: 'zoe is typing…' }).waitFor();
  zoe.send('@+typing=done TAGMSG #lobby');
  await page.locator('#typing', { hasText: /^$/ }).waitFor();
  assert.deepEqual(page.errors, []);
});
