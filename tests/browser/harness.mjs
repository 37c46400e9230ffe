// What the browser tests drive: a real parleyd on loopback ports, an nc-style
// text client and a raw-socket IRC client, and Debian's chromium through
// playwright-core. Every process started here is stopped by stopAll().
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, '../..');
const require = createRequire(path.join(root, 'web/package.json'));
const { chromium } = require('playwright-core');

// Slow machines (sanitizer builds, a loaded CI) scale every deadline.
export const SCALE = Number(process.env.PARLEY_TEST_TIMEOUT_SCALE || 1);
export const TIMEOUT = 10000 * SCALE;

const cleanups = [];
export async function stopAll() {
  while (cleanups.length) {
    try {
      await cleanups.pop()();
    } catch (e) {
      console.error('cleanup:', e);
    }
  }
}

// --- parleyd ----------------------------------------------------------------

export class Server {
  // `dataDir`: a restart passes the first server's; `httpPort`: 0 for a free one.
  static async start({ dataDir, httpPort = 0 } = {}) {
    const s = new Server();
    s.ownDir = !dataDir;
    s.dataDir = dataDir || mkdtempSync(path.join(os.tmpdir(), 'parley-browser-'));
    const config = path.join(s.dataDir, 'parleyd.toml');
    // Addresses shown as they are (the tests compare whole lines): no host cloaks.
    writeFileSync(config, '[limits]\nmessages_per_second = 0\n[history]\nreplay_lines = 0\n[privacy]\ncloak = false\n');
    const binary = process.env.PARLEYD_BIN || path.join(root, 'build/apps/parleyd/parleyd');
    s.process = spawn(binary, ['--bind', '127.0.0.1', '--text-port', '0', '--irc-port', '0', '--http-port',
                               String(httpPort), '--data-dir', s.dataDir, '--threads', '2', '--config', config],
                      { stdio: ['ignore', 'pipe', 'pipe'] });
    s.log = [];
    s.exited = new Promise((resolve) => s.process.on('exit', (code, signal) => resolve({ code, signal })));
    const ready = new Promise((resolve, reject) => {
      let buffer = '';
      const onData = (chunk) => {
        buffer += chunk;
        let nl;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          s.log.push(line);
          const port = (what) => Number(line.slice(line.lastIndexOf(':') + 1));
          if (line.includes('Listening for text clients on ')) s.textPort = port();
          if (line.includes('Listening for IRC clients on ')) s.ircPort = port();
          if (line.includes('Listening for web clients on ')) s.httpPort = port();
          if (line.includes('Waiting for new users....')) resolve();
        }
      };
      s.process.stdout.setEncoding('utf8').on('data', onData);
      s.process.stderr.setEncoding('utf8').on('data', onData);
      s.exited.then(() => reject(new Error('parleyd exited early:\n' + s.log.join('\n'))));
      setTimeout(() => reject(new Error('parleyd did not start:\n' + s.log.join('\n'))), TIMEOUT);
    });
    cleanups.push(async () => {
      await s.stop();
      if (s.ownDir) rmSync(s.dataDir, { recursive: true, force: true });
    });
    await ready;
    return s;
  }

  async stop() {
    if (this.process.exitCode !== null || this.process.signalCode !== null) return;
    this.process.kill('SIGTERM');
    const timer = setTimeout(() => this.process.kill('SIGKILL'), TIMEOUT);
    const status = await this.exited;
    clearTimeout(timer);
    return status;
  }

  get url() {
    return `http://127.0.0.1:${this.httpPort}/`;
  }
}

// --- line clients -------------------------------------------------------------

// A TCP client read line by line, with deadlines.
export class LineClient {
  static async connect(port, label) {
    const c = new LineClient();
    c.label = label;
    c.lines = [];
    c.waiters = [];
    c.socket = net.connect(port, '127.0.0.1');
    c.socket.setEncoding('utf8');
    let buffer = '';
    c.socket.on('data', (chunk) => {
      buffer += chunk;
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        c.lines.push(buffer.slice(0, nl).replace(/\r$/, ''));
        buffer = buffer.slice(nl + 1);
      }
      c.wake();
    });
    c.socket.on('error', () => {});
    await new Promise((resolve, reject) => {
      c.socket.once('connect', resolve);
      c.socket.once('error', reject);
    });
    cleanups.push(() => c.socket.destroy());
    c.read = 0;
    return c;
  }

  wake() {
    for (const w of this.waiters.splice(0)) w();
  }

  send(line) {
    this.socket.write(line + '\r\n');
  }

  // Reads on until a line satisfies `pred` (a string: the line contains it).
  async waitFor(pred, what = String(pred)) {
    const test =
      typeof pred === 'string' ? (l) => l.includes(pred) : pred instanceof RegExp ? (l) => pred.test(l) : pred;
    const deadline = Date.now() + TIMEOUT;
    for (;;) {
      while (this.read < this.lines.length) {
        const line = this.lines[this.read++];
        if (test(line)) return line;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${this.label} waited for ${what}; saw:\n  ${this.lines.join('\n  ')}`);
      await new Promise((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  // Every line so far (and later ones) that contains `text`.
  count(text) {
    return this.lines.filter((l) => l.includes(text)).length;
  }
}

export async function textUser(server, name) {
  const c = await LineClient.connect(server.textPort, name);
  await c.waitFor('Welcome to Chat room');
  c.send(name);
  await c.waitFor(`Welcome ${name} to chatroom`);
  return c;
}

// An account made the way an IRC client makes one (draft/account-registration),
// its name free again afterwards.
export async function registerAccount(server, name, password) {
  const c = await LineClient.connect(server.ircPort, `${name} (registering)`);
  c.send(`NICK ${name}`);
  c.send(`USER ${name} 0 * :${name}`);
  await c.waitFor((l) => / 001 /.test(l), '001');
  c.send(`REGISTER * * :${password}`);
  await c.waitFor(`REGISTER SUCCESS ${name}`);
  c.send('QUIT :registered');
  await c.waitFor('ERROR');
}

// The account WHOIS says `nick` is logged in to ('' for none), asked by `asker`.
export async function accountOf(asker, nick) {
  asker.send(`WHOIS ${nick}`);
  const seen = [];
  await asker.waitFor((l) => {
    if (new RegExp(` 330 \\S+ ${nick} `).test(l)) seen.push(l.split(' ')[4]);
    return new RegExp(` 318 \\S+ ${nick} `).test(l);
  }, `318 for ${nick}`);
  return seen[0] || '';
}

// An IRC client in `channel`, with the capabilities `caps` (none by default:
// plain RFC 1459 lines).
export async function ircUser(server, nick, channel = '#lobby', { caps = [] } = {}) {
  const c = await LineClient.connect(server.ircPort, nick);
  if (caps.length) {
    c.send('CAP LS 302');
    c.send(`CAP REQ :${caps.join(' ')}`);
  }
  c.send(`NICK ${nick}`);
  c.send(`USER ${nick} 0 * :${nick}`);
  if (caps.length) {
    await c.waitFor(/ CAP \S+ ACK /, 'CAP ACK');
    c.send('CAP END');
  }
  await c.waitFor((l) => / 001 /.test(l), '001');
  c.send(`JOIN ${channel}`);
  await c.waitFor((l) => / 366 /.test(l), '366');
  return c;
}

// --- the browser ----------------------------------------------------------------

export async function browser() {
  const b = await chromium.launch({
    executablePath: process.env.CHROMIUM_BIN || '/usr/bin/chromium',
    headless: true,
    // root in a container has no user namespace for chromium's sandbox
    args: process.getuid && process.getuid() === 0 ? ['--no-sandbox'] : [],
  });
  cleanups.push(() => b.close());
  return b;
}

// A page signed in as `nick`, in `rooms` (with `password`: logged in to the
// account); `dialogs` collects any alert() etc.
export async function signIn(b, server, nick, { rooms = '#lobby', password = '', viewport = { width: 1280, height: 800 } } = {}) {
  const page = await openPage(b, server, { viewport });
  await fillSignIn(page, nick, { rooms, password });
  // (A second page with the nick is `nick_`: both are listed.)
  await page.locator('#member-list .member-nick', { hasText: nick }).first().waitFor();
  return page;
}

// The sign-in form, filled in and sent.
export async function fillSignIn(page, nick, { rooms = '#lobby', password = '' } = {}) {
  await page.fill('#login-nick', nick);
  await page.fill('#login-rooms', rooms);
  await page.fill('#login-password', password);
  await page.click('#login button[type=submit]');
}

// A new page on the server's web client, not signed in.
export async function openPage(b, server, { viewport = { width: 1280, height: 800 } } = {}) {
  const context = await b.newContext({ viewport });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  page.dialogs = [];
  page.on('dialog', (d) => {
    page.dialogs.push(d.message());
    d.dismiss().catch(() => {});
  });
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  await page.goto(server.url);
  return page;
}

// The texts of the messages in the room shown now.
export async function shownMessages(page) {
  return page.locator('#log .line.message .text').allTextContents();
}
