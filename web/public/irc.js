// IRC over WebSocket (the IRCv3 transport, text.ircv3.net): one line per
// message. Parses and builds lines; keeps one connection alive, reconnecting
// with back-off. Knows nothing about the page.

const TAG_ESCAPES = { ':': ';', s: ' ', '\\': '\\', r: '\r', n: '\n' };

function unescapeTag(value) {
  return value.replace(/\\(.?)/g, (_, c) => TAG_ESCAPES[c] ?? c);
}

// A value written as message tags write theirs (also SEARCH's attributes).
export function escapeTag(value) {
  return value.replace(/[\\; \r\n]/g, (c) => ({ '\\': '\\\\', ';': '\\:', ' ': '\\s', '\r': '\\r', '\n': '\\n' })[c]);
}

// "@a=b :nick!u@h CMD p1 :trailing" -> { tags, source, nick, command, params }
export function parseLine(line) {
  const msg = { tags: {}, source: '', nick: '', command: '', params: [] };
  let rest = line;
  if (rest.startsWith('@')) {
    const space = rest.indexOf(' ');
    for (const item of rest.slice(1, space).split(';')) {
      const eq = item.indexOf('=');
      if (eq < 0) msg.tags[item] = '';
      else msg.tags[item.slice(0, eq)] = unescapeTag(item.slice(eq + 1));
    }
    rest = rest.slice(space + 1).trimStart();
  }
  if (rest.startsWith(':')) {
    const space = rest.indexOf(' ');
    msg.source = rest.slice(1, space);
    msg.nick = msg.source.split('!')[0];
    rest = rest.slice(space + 1).trimStart();
  }
  while (rest.length) {
    if (rest.startsWith(':')) {
      msg.params.push(rest.slice(1));
      break;
    }
    const space = rest.indexOf(' ');
    if (space < 0) {
      msg.params.push(rest);
      break;
    }
    msg.params.push(rest.slice(0, space));
    rest = rest.slice(space + 1).trimStart();
  }
  msg.command = (msg.params.shift() || '').toUpperCase();
  return msg;
}

// A line from a command and its parameters; the last may hold spaces.
export function buildLine(command, ...params) {
  const parts = [command];
  params.forEach((p, i) => {
    const text = String(p).replace(/[\r\n]/g, ' ');
    parts.push(i === params.length - 1 && (text === '' || text.includes(' ') || text.startsWith(':')) ? ':' + text : text);
  });
  return parts.join(' ');
}

export const WANTED_CAPS = [
  'server-time', 'message-tags', 'echo-message', 'batch', 'draft/chathistory', 'multi-prefix',
  'away-notify', 'account-tag', 'cap-notify', 'sasl', 'draft/account-registration', 'soju.im/search',
  'draft/read-marker', 'draft/message-redaction',
];

// One logical connection: reconnects after a drop, waiting 1 s, 2 s, 4 s …
// up to 30 s (with jitter, so a restarted server is not hit by every browser
// at once). `handlers.line(msg)` gets each parsed line; `handlers.state(s)`
// 'connecting' | 'open' | 'closed'.
export class Connection {
  constructor(url, handlers) {
    this.url = url;
    this.handlers = handlers;
    this.attempt = 0;
    this.stopped = false;
    this.timer = null;
    this.socket = null;
  }

  open() {
    this.stopped = false;
    this.handlers.state('connecting');
    const socket = new WebSocket(this.url, ['text.ircv3.net']);
    this.socket = socket;
    socket.onopen = () => {
      this.handlers.state('open');
    };
    socket.onmessage = (event) => {
      if (typeof event.data !== 'string') return;
      this.handlers.line(parseLine(event.data));
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.handlers.state('closed');
      if (!this.stopped) this.retry();
    };
  }

  registered() {
    this.attempt = 0;  // a good connection resets the back-off
  }

  retry() {
    const delay = Math.min(30000, 1000 * 2 ** this.attempt) * (0.8 + Math.random() * 0.4);
    this.attempt = Math.min(this.attempt + 1, 5);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.open(), delay);
  }

  // Reconnects now (the page came back online, or the user asked).
  retryNow() {
    if (this.socket || this.stopped) return;
    clearTimeout(this.timer);
    this.open();
  }

  send(command, ...params) {
    if (this.socket && this.socket.readyState === WebSocket.OPEN) this.socket.send(buildLine(command, ...params));
  }

  // A line with message tags: { '+typing': 'active' } -> "@+typing=active TAGMSG ...".
  sendTagged(tags, command, ...params) {
    const prefix = Object.entries(tags).map(([k, v]) => (v === '' ? k : `${k}=${escapeTag(v)}`)).join(';');
    if (this.socket && this.socket.readyState === WebSocket.OPEN) {
      this.socket.send(`@${prefix} ${buildLine(command, ...params)}`);
    }
  }

  close() {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.socket) this.socket.close();
  }
}
