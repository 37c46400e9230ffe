// Makes the README's screenshots (docs/screenshots): a small conversation
// between a browser user, a text user and IRC users, at desktop and phone size.
//   cd web && node ../tests/browser/screenshots.mjs ../docs/screenshots
import path from 'node:path';

import { Server, browser, ircUser, registerAccount, signIn, stopAll, textUser } from './harness.mjs';

const out = path.resolve(process.argv[2] || 'screenshots');
try {
  const server = await Server.start();
  const b = await browser();
  const zoe = await ircUser(server, 'zoe', '#lobby,#tea');
  zoe.send('TOPIC #tea :Tea, biscuits and the build');
  const raj = await textUser(server, 'Raj Ingle');
  const kim = await ircUser(server, 'kim', '#lobby', { caps: ['message-tags'] });
  await registerAccount(server, 'ann', 'a password');
  const page = await signIn(b, server, 'ann', { rooms: '#lobby #tea', password: 'a password' });
  const phone = await signIn(b, server, 'ann_phone', { rooms: '#lobby', viewport: { width: 390, height: 844 } });
  await page.click('#room-list .room-button:has-text("#lobby")');
  raj.send('morning all, I am on plain nc');
  await raj.waitFor('Message from User - Raj Ingle: morning all');
  kim.send('PRIVMSG #lobby :and I am in WeeChat. Release notes: https://example.org/parley/0.2');
  zoe.send('PRIVMSG #lobby :\x01ACTION puts the kettle on\x01');
  await page.fill('#input', 'hello from the browser');
  await page.press('#input', 'Enter');
  zoe.send('PRIVMSG #lobby :ann: welcome! try Tab to complete names');
  zoe.send('PRIVMSG #tea :the build is green again');
  zoe.send('PRIVMSG #tea :ann: biscuits?');
  await page.locator('#room-list .room-item.mentioned', { hasText: '#tea' }).waitFor();
  await page.locator('#log .line', { hasText: 'try Tab' }).waitFor();
  await phone.locator('#log .line', { hasText: 'try Tab' }).waitFor();
  kim.send('@+typing=active TAGMSG #lobby');
  await page.locator('#typing', { hasText: 'kim is typing' }).waitFor();
  await page.locator('#my-nick[data-account="ann"]').waitFor();
  await page.screenshot({ path: path.join(out, 'desktop.png') });
  await phone.screenshot({ path: path.join(out, 'phone.png') });
  console.log(`wrote ${out}/desktop.png and phone.png`);
} finally {
  await stopAll();
}
