// The Parley web client: IRC over the server's WebSocket, as an everyday chat
// page. The page's state, rooms, lines and the server's lines live here;
// irc.js speaks the protocol, render.js makes nodes, and one module per
// feature does the rest: accounts, commands (what the user types),
// directory (/whois, /list), history (reading back, read markers),
// redaction (deleting), search and typing.
import { Accounts, SASL_FAILURES } from './accounts.js';
import { complete, forgetCompletion, moveRoom, runCommand, submit } from './commands.js';
import { listEnd, listEntry, whoisEnd, whoisReply } from './directory.js';
import {
  countUnread, fillScreen, historyAnswered, markRead, readPrivateHistory, requestEarlier, requestHistory, trimLog,
} from './history.js';
import { Connection, WANTED_CAPS } from './irc.js';
import { addDeleteButton, onRedact, updateDeleteRights } from './redaction.js';
import { appendText, element, nickClass, stripFormatting, timeLabel } from './render.js';
import { addSearchResult, endSearch } from './search.js';
import { onTyping, renderTyping, stoppedTyping, stopTyping, typed } from './typing.js';

const $ = (id) => document.getElementById(id);
const PREFIX_RANK = { '~': 0, '&': 1, '@': 2, '%': 3, '+': 4 };

const state = {
  nick: '',
  wantedNick: '',
  registered: false,
  caps: new Set(),
  offered: [],
  rooms: new Map(),   // lower-cased name -> Room
  order: [],          // room keys in sidebar order
  current: null,      // Room
  batches: new Map(), // batch id -> { type, target }
  names: new Map(),   // channel key -> Map being filled by 353 until 366
  connection: null,
  everConnected: false,
  searches: [],       // search views waiting for their results, in the order asked
  listing: null,      // the room list view being filled (/list)
  welcomeNote: '',    // said once the welcome came
};
const accounts = new Accounts((command, ...params) => send(command, ...params));

const isChannel = (name) => name.startsWith('#') || name.startsWith('&');
const keyOf = (name) => name.toLowerCase();
const isMe = (nick) => keyOf(nick) === keyOf(state.nick);

class Room {
  constructor(name) {
    this.name = name;
    this.channel = isChannel(name);
    this.topic = '';
    this.members = new Map();  // nick -> prefixes ("@+")
    this.away = new Set();
    this.log = element('div', 'room-log');
    this.msgids = new Set();
    this.newest = { time: -Infinity, msgid: '' };  // the latest message shown
    this.unread = 0;
    this.mentioned = false;
    this.joined = false;
    this.skipContinuation = '';  // a duplicate's sender: its id-less continuation lines are duplicates too
    this.readOnly = false;  // a view of results (a search, the room list): nothing is said there
    this.words = '';        // a search's words
    this.oldest = { time: Infinity, msgid: '' };  // the earliest message shown
    this.historyAsks = [];   // 'latest' | 'after' | 'earlier', one per CHATHISTORY not yet answered
    this.historyStart = false;  // everything the server keeps is shown
    this.fromBottom = 0;     // where the reader was while earlier lines load (px above the end)
    this.earlierAnchor = null;  // the line an earlier page goes above
    this.typing = new Map();  // nick -> the timer that ends their "typing"
    this.readUpTo = 0;       // read up to this time (ms), by any of the account's clients; 0: not known
    this.markTimer = null;   // a MARKREAD about to be sent
  }
}

// --- rooms --------------------------------------------------------------------

// The room or conversation named `name`, made if `create` (a view of
// results: `readOnly`). A conversation new to the page reads its history.
function room(name, create = true, { readOnly = false } = {}) {
  const key = keyOf(name);
  let r = state.rooms.get(key);
  if (!r && create) {
    r = new Room(name);
    r.readOnly = readOnly;
    state.rooms.set(key, r);
    state.order.push(key);
    if (!state.current) select(r);
    renderRooms();
    requestHistory(r);
  }
  return r;
}

function select(r) {
  if (state.current !== r) stopTyping();
  state.current = r;
  const divider = markNewMessages(r);
  r.unread = 0;
  r.mentioned = false;
  const log = $('log');
  log.replaceChildren(r.log);
  log.scrollTop = log.scrollHeight;
  if (divider) divider.scrollIntoView({ block: 'nearest' });
  $('room-name').textContent = r.name;
  $('room-topic').textContent = '';
  appendText($('room-topic'), r.topic);
  document.body.classList.remove('show-rooms', 'show-members');
  renderRooms();
  renderMembers();
  updateTitle();
  saveRooms();
  fillScreen(r);
  markRead(r);
  renderTyping();
}

// A "New messages" line above the first of a room's unread messages, shown
// when the room is opened (the last one goes). Returns it, if any.
function markNewMessages(r) {
  for (const old of r.log.querySelectorAll('.new-messages')) old.remove();
  if (!r.unread) return null;
  const others = r.log.querySelectorAll('.line.message:not(.mine):not(.deleted)');
  const first = others[Math.max(0, others.length - r.unread)];
  if (!first) return null;
  const divider = element('div', 'line new-messages', 'New messages');
  divider.dataset.time = first.dataset.time;  // place() orders by it
  r.log.insertBefore(divider, first);
  return divider;
}

function closeRoom(r) {
  const key = keyOf(r.name);
  state.rooms.delete(key);
  state.order = state.order.filter((k) => k !== key);
  if (state.current === r) {
    const next = state.rooms.get(state.order[0]);
    if (next) select(next);
    else {
      state.current = null;
      $('log').replaceChildren();
      $('room-name').textContent = '';
    }
  }
  renderRooms();
  saveRooms();
}

function saveRooms() {
  const channels = state.order.map((k) => state.rooms.get(k)).filter((r) => r.channel).map((r) => r.name);
  localStorage.setItem('parley.rooms', channels.join(' '));
}

function renderRooms() {
  const list = $('room-list');
  list.replaceChildren();
  for (const key of state.order) {
    const r = state.rooms.get(key);
    const item = element('li', 'room-item');
    if (r === state.current) item.classList.add('current');
    if (r.unread) item.classList.add('unread');
    if (r.mentioned) item.classList.add('mentioned');
    if (r.channel && !r.joined) item.classList.add('parted');
    const button = element('button', 'room-button');
    button.type = 'button';
    button.append(element('span', 'room-label', r.name));
    if (r.unread) button.append(element('span', 'badge', String(r.unread)));
    button.addEventListener('click', () => select(r));
    item.append(button);
    list.append(item);
  }
}

function sortedMembers(r) {
  return [...r.members.entries()].sort(([a, pa], [b, pb]) => {
    const ra = pa ? PREFIX_RANK[pa[0]] ?? 9 : 9;
    const rb = pb ? PREFIX_RANK[pb[0]] ?? 9 : 9;
    return ra - rb || a.localeCompare(b, undefined, { sensitivity: 'base' });
  });
}

function renderMembers() {
  const r = state.current;
  const list = $('member-list');
  list.replaceChildren();
  document.body.classList.toggle('no-members', !r || !r.channel);
  if (!r || !r.channel) return;
  updateDeleteRights(r);
  const members = sortedMembers(r);
  $('member-count').textContent = `${members.length} member${members.length === 1 ? '' : 's'}`;
  $('toggle-members').textContent = `${members.length} ${members.length === 1 ? 'person' : 'people'}`;
  for (const [nick, prefix] of members) {
    const item = element('li', 'member');
    if (r.away.has(keyOf(nick))) item.classList.add('away');
    if (prefix.includes('@')) item.classList.add('op');
    item.append(element('span', 'prefix', prefix.slice(0, 1)));
    const name = element('button', 'member-nick ' + nickClass(nick), nick);
    name.type = 'button';
    name.title = prefix.includes('@') ? `${nick} (operator)` : nick;
    name.addEventListener('click', () => select(room(nick)));
    item.append(name);
    list.append(item);
  }
}

function updateTitle() {
  const unread = [...state.rooms.values()].reduce((n, r) => n + r.unread, 0);
  document.title = (unread ? `(${unread}) ` : '') + (state.current ? `${state.current.name} – Parley` : 'Parley');
}

// --- lines ----------------------------------------------------------------------

function messageTime(msg) {
  const t = msg.tags.time ? Date.parse(msg.tags.time) : NaN;
  return Number.isNaN(t) ? Date.now() : t;
}

// Puts `line` in `r`'s log in time order (history can arrive after live lines).
function place(r, line, time) {
  line.dataset.time = String(time);
  let before = null;
  for (let node = r.log.lastElementChild; node && Number(node.dataset.time) > time; node = node.previousElementSibling)
    before = node;
  insertLine(r, line, before);
}

// Whether the log shown is scrolled to (near) its end.
function readerAtBottom() {
  const log = $('log');
  return log.scrollHeight - log.scrollTop - log.clientHeight < 40;
}

// Puts `line` in `r`'s log before `before` (null: at the end), following it
// down if the reader was at the bottom.
function insertLine(r, line, before = null) {
  const log = $('log');
  const atBottom = readerAtBottom();
  r.log.insertBefore(line, before);
  if (r === state.current && atBottom) log.scrollTop = log.scrollHeight;
}

// A line that is not a message, placed by `time` (shown unless `timeless`).
function addEvent(r, text, time = Date.now(), kind = 'event', { timeless = false } = {}) {
  const line = element('div', 'line ' + kind);
  line.append(element('time', 'time', timeless ? '' : timeLabel(new Date(time))));
  const body = element('span', 'text');
  appendText(body, text);
  line.append(body);
  place(r, line, time);
}

function mentions(text) {
  if (!state.nick) return false;
  const escaped = state.nick.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\w])${escaped}($|[^\\w])`, 'i').test(text);
}

// A message's line: its time (as `timeText`), `between` (nodes shown before
// the sender), its sender and its text. Where it goes is the caller's.
function messageLine(msg, { text, action, notice }, timeText, between = []) {
  const line = element('div', 'line message');
  if (action) line.classList.add('action');
  if (notice) line.classList.add('notice');
  line.append(element('time', 'time', timeText), ...between);
  line.append(element('span', 'nick ' + nickClass(msg.nick), action ? `* ${msg.nick}` : msg.nick));
  const body = element('span', 'text');
  appendText(body, text);
  line.append(body);
  return line;
}

// `before`: the line it goes before (an earlier page's, in the page's order);
// otherwise it is placed by its time.
function addMessage(r, msg, { text, action, notice, fromHistory, before }) {
  const id = msg.tags.msgid;
  const time = messageTime(msg);
  if (id) {
    if (r.msgids.has(id)) {
      r.skipContinuation = msg.nick;
      return;
    }
    r.skipContinuation = '';
    r.msgids.add(id);
    // The newest is where a reconnect catches up from; the earliest, where scrolling up goes on.
    if (time >= r.newest.time) r.newest = { time, msgid: id };
    if (time < r.oldest.time) r.oldest = { time, msgid: id };
  } else if (r.skipContinuation && r.skipContinuation === msg.nick && fromHistory) {
    return;
  }
  const mine = isMe(msg.nick);
  const mention = !mine && mentions(text);
  const line = messageLine(msg, { text, action, notice }, timeLabel(new Date(time)));
  if (mention) line.classList.add('mention');
  if (mine) line.classList.add('mine');
  if (id) line.dataset.msgid = id;
  line.dataset.nick = msg.nick;
  addDeleteButton(r, line);
  if (before === undefined) place(r, line, time);
  else {
    line.dataset.time = String(time);
    insertLine(r, line, before);
  }

  if (!fromHistory) trimLog(r);
  if (fromHistory || mine) return;
  stoppedTyping(r, msg.nick);
  const seen = r === state.current && !document.hidden;
  if (seen) markRead(r);
  else {
    r.unread += 1;
    if (mention || !r.channel) r.mentioned = true;
    renderRooms();
    updateTitle();
  }
  if (document.hidden && (mention || !r.channel)) notify(r, msg.nick, text);
}

function notify(r, nick, text) {
  if (!('Notification' in window) || Notification.permission !== 'granted') return;
  const n = new Notification(r.channel ? `${nick} in ${r.name}` : nick, { body: stripFormatting(text), tag: r.name });
  n.onclick = () => {
    window.focus();
    select(r);
  };
}

// A read-only view of results (a search, the room list) named `name`,
// emptied, shown, and saying `intro`.
function openView(name, intro) {
  const view = room(name, true, { readOnly: true });
  view.log.replaceChildren();
  select(view);
  addEvent(view, intro);
  return view;
}

// Something the server or the page says to the user, where they are looking.
function systemNote(text, kind = 'error') {
  const r = state.current || room('*server*');
  addEvent(r, text, Date.now(), kind);
}

// --- the protocol ---------------------------------------------------------------

function send(command, ...params) {
  if (state.connection) state.connection.send(command, ...params);
}

const handlers = {
  CAP(msg) {
    const sub = msg.params[1];
    if (sub === 'LS') {
      const more = msg.params[2] === '*';
      state.offered.push(...msg.params[more ? 3 : 2].split(' ').map((c) => c.split('=')[0]));
      if (more) return;
      const wanted = WANTED_CAPS.filter((c) => state.offered.includes(c));
      if (wanted.length) send('CAP', 'REQ', wanted.join(' '));
      else endCaps();
    } else if (sub === 'ACK') {
      for (const c of msg.params[2].trim().split(' ')) {
        if (c.startsWith('-')) state.caps.delete(c.slice(1));
        else state.caps.add(c);
      }
      if (!state.registered) endCaps();
    } else if (sub === 'NAK' && !state.registered) {
      endCaps();
    }
  },
  AUTHENTICATE(msg) {
    accounts.onAuthenticate(msg.params[0]);
  },
  '900'(msg) {
    accounts.account = msg.params[2];
    accounts.registered(msg.params[2]);
    showAccount();
    if (!state.registered) return;  // the welcome reads private history
    systemNote(msg.params[3] || `You are logged in as ${msg.params[2]}.`, 'event');
    readPrivateHistory();
  },
  MARKREAD(msg) {
    const r = room(msg.params[0], false);
    const time = Date.parse((msg.params[1] || '').replace(/^timestamp=/, ''));
    if (!r || Number.isNaN(time) || time <= r.readUpTo) return;
    r.readUpTo = time;
    countUnread(r);
  },
  INVITE(msg) {
    const where = msg.params[1];
    systemNote(`${msg.nick} invites you to ${where}: /join ${where}`, 'event');
  },
  '341'(msg) {
    systemNote(`You invited ${msg.params[1]} to ${msg.params[2]}.`, 'event');
  },
  '324'(msg) {  // /mode alone: the room's modes
    systemNote(`${msg.params[1]} has modes ${msg.params.slice(2).join(' ') || '(none)'}.`, 'event');
  },
  '367'(msg) {  // /mode +b: each ban
    systemNote(`${msg.params[1]} bans ${msg.params[2]}${msg.params[3] ? ` (set by ${msg.params[3].split('!')[0]})` : ''}.`,
               'event');
  },
  '368'(msg) {
    systemNote(`End of the bans of ${msg.params[1]}.`, 'event');
  },
  '322': listEntry,
  '323': listEnd,
  '318': whoisEnd,
  REDACT: onRedact,
  TAGMSG: onTyping,
  CHATHISTORY(msg) {
    // TARGETS: a private conversation with messages lately gets its place back.
    if (msg.params[0] === 'TARGETS' && !isChannel(msg.params[1] || '')) room(msg.params[1]);
  },
  '901'(msg) {
    accounts.forget();
    showAccount();
    systemNote(msg.params[2] || 'You are logged out.', 'event');
  },
  '903'() {
    accounts.succeeded();
    if (!state.registered) send('CAP', 'END');
  },
  '907'(msg) {
    accounts.failed();
    systemNote(msg.params[1] || 'You are logged in already.');
  },
  '001'(msg) {
    state.nick = msg.params[0];
    state.registered = true;
    state.connection.registered();
    $('my-nick').textContent = state.nick;
    setBanner('');
    const channels = state.everConnected
      ? [...state.rooms.values()].filter((r) => r.channel && r.joined).map((r) => r.name)
      : (localStorage.getItem('parley.rooms') || '').split(' ').filter(Boolean);
    state.everConnected = true;
    for (const r of state.rooms.values()) r.joined = false;
    for (const name of channels) send('JOIN', name);
    readPrivateHistory();
    if (state.welcomeNote) systemNote(state.welcomeNote);
    state.welcomeNote = '';
  },
  '433'(msg) {
    if (state.registered) return systemNote(`The nickname ${msg.params[1]} is taken.`);
    state.wantedNick += '_';
    send('NICK', state.wantedNick);
  },
  PING(msg) {
    send('PONG', msg.params[0] ?? '');
  },
  ERROR(msg) {
    setBanner(stripFormatting(msg.params[0] || 'Disconnected'));
  },
  BATCH(msg) {
    const ref = msg.params[0];
    if (ref.startsWith('+')) {
      const batch = { type: msg.params[1], target: msg.params[2], count: 0 };
      if (batch.type === 'soju.im/search') batch.view = state.searches.shift();
      if (batch.type === 'chathistory') {
        const r = room(batch.target, false);
        batch.kind = r?.historyAsks.shift();
        if (batch.kind === 'earlier') batch.anchor = r.earlierAnchor;
      }
      state.batches.set(ref.slice(1), batch);
    }
    else {
      const batch = state.batches.get(ref.slice(1));
      state.batches.delete(ref.slice(1));
      if (batch && batch.type === 'soju.im/search') return endSearch(batch);
      if (batch && batch.type === 'chathistory') historyAnswered(batch);
    }
  },
  JOIN(msg) {
    const r = room(msg.params[0]);
    if (isMe(msg.nick)) {
      r.joined = true;
      if (state.current && state.current.name === '*server*') select(r);
      r.members.clear();
      requestHistory(r);
      renderRooms();
      if (state.current === r) renderMembers();
      return;
    }
    r.members.set(msg.nick, '');
    if (!inHistory(msg)) addEvent(r, `${msg.nick} joined`, messageTime(msg));
    if (r === state.current) renderMembers();
  },
  PART(msg) {
    const r = room(msg.params[0], false);
    if (!r) return;
    if (isMe(msg.nick)) {
      r.joined = false;
      r.members.clear();
      renderRooms();
    } else {
      r.members.delete(msg.nick);
      addEvent(r, `${msg.nick} left${msg.params[1] ? ` (${msg.params[1]})` : ''}`, messageTime(msg));
    }
    if (r === state.current) renderMembers();
  },
  KICK(msg) {
    const r = room(msg.params[0], false);
    if (!r) return;
    const victim = msg.params[1];
    r.members.delete(victim);
    if (isMe(victim)) r.joined = false;
    addEvent(r, `${msg.nick} removed ${victim}${msg.params[2] ? ` (${msg.params[2]})` : ''}`, messageTime(msg));
    renderRooms();
    if (r === state.current) renderMembers();
  },
  QUIT(msg) {
    for (const r of state.rooms.values()) {
      if (!r.members.has(msg.nick)) continue;
      r.members.delete(msg.nick);
      addEvent(r, `${msg.nick} quit${msg.params[0] ? ` (${msg.params[0]})` : ''}`, messageTime(msg));
    }
    renderMembers();
  },
  NICK(msg) {
    const to = msg.params[0];
    if (isMe(msg.nick)) {
      state.nick = to;
      state.wantedNick = to;
      localStorage.setItem('parley.nick', to);
      $('my-nick').textContent = to;
    }
    for (const r of state.rooms.values()) {
      if (!r.members.has(msg.nick)) continue;
      const prefix = r.members.get(msg.nick);
      r.members.delete(msg.nick);
      r.members.set(to, prefix);
      addEvent(r, `${msg.nick} is now known as ${to}`, messageTime(msg));
    }
    const pm = room(msg.nick, false);
    if (pm && !pm.channel) {
      state.rooms.delete(keyOf(msg.nick));
      pm.name = to;
      state.rooms.set(keyOf(to), pm);
      state.order = state.order.map((k) => (k === keyOf(msg.nick) ? keyOf(to) : k));
      if (pm === state.current) $('room-name').textContent = to;
      renderRooms();
    }
    renderMembers();
  },
  TOPIC(msg) {
    const r = room(msg.params[0]);
    setTopic(r, msg.params[1] || '');
    if (!inHistory(msg)) addEvent(r, `${msg.nick} set the topic: ${msg.params[1] || '(none)'}`, messageTime(msg));
  },
  '332'(msg) {
    setTopic(room(msg.params[1]), msg.params[2] || '');
  },
  '331'(msg) {
    setTopic(room(msg.params[1]), '');
  },
  '353'(msg) {
    const key = keyOf(msg.params[2]);
    if (!state.names.has(key)) state.names.set(key, new Map());
    for (const entry of (msg.params[3] || '').split(' ').filter(Boolean)) {
      const match = /^([~&@%+]*)(.*)$/.exec(entry);
      state.names.get(key).set(match[2].split('!')[0], match[1]);
    }
  },
  '366'(msg) {
    const r = room(msg.params[1], false);
    const names = state.names.get(keyOf(msg.params[1]));
    state.names.delete(keyOf(msg.params[1]));
    if (r && names) {
      r.members = names;
      if (r === state.current) renderMembers();
    }
  },
  MODE(msg) {
    const r = room(msg.params[0], false);
    if (!r || !r.channel) return;
    let adding = true;
    let arg = 2;
    for (const ch of msg.params[1] || '') {
      if (ch === '+' || ch === '-') {
        adding = ch === '+';
        continue;
      }
      const symbol = { o: '@', v: '+', h: '%', a: '&', q: '~' }[ch];
      if (symbol) {
        const nick = msg.params[arg++];
        if (nick === undefined) continue;
        const current = [...r.members.keys()].find((n) => keyOf(n) === keyOf(nick));
        if (current === undefined) continue;
        let prefixes = r.members.get(current).replace(symbol, '');
        if (adding) prefixes = [...(prefixes + symbol)].sort((a, b) => PREFIX_RANK[a] - PREFIX_RANK[b]).join('');
        r.members.set(current, prefixes);
      } else if ('beIkl'.includes(ch) && (adding || ch !== 'l')) {
        arg++;
      }
    }
    addEvent(r, `${msg.nick} sets mode ${msg.params.slice(1).join(' ')}`, messageTime(msg));
    if (r === state.current) renderMembers();
  },
  AWAY(msg) {
    for (const r of state.rooms.values()) {
      if (msg.params[0]) r.away.add(keyOf(msg.nick));
      else r.away.delete(keyOf(msg.nick));
    }
    renderMembers();
  },
  PRIVMSG(msg) {
    privmsg(msg, false);
  },
  NOTICE(msg) {
    privmsg(msg, true);
  },
  FAIL(msg) {
    const text = msg.params[msg.params.length - 1];
    // A history question that failed is not waiting any more (its target is the fourth parameter).
    if (msg.params[0] === 'CHATHISTORY' && msg.params.length > 4) room(msg.params[3], false)?.historyAsks.shift();
    if (msg.params[0] === 'REGISTER') accounts.registerFailed();
    const view = msg.params[0] === 'SEARCH' && state.searches.shift();
    if (view) return addEvent(view, text, Date.now(), 'error');
    systemNote(text);
  },
};
for (const code of SASL_FAILURES) handlers[code] = loginFailed;
for (const code of ['311', '319', '330', '301', '313', '317']) handlers[code] = whoisReply;

// Capability negotiation is over: log in first when a password waits.
function endCaps() {
  if (accounts.wanted && state.caps.has('sasl')) return accounts.begin(undefined, undefined, true);
  if (accounts.wanted) state.welcomeNote = 'This server has no accounts: you are connected without logging in.';
  send('CAP', 'END');
}

function loginFailed(msg) {
  const attempt = accounts.failed();
  if (!attempt) return;
  if (!attempt.atConnect) return systemNote('Not logged in: wrong name or password, or too many tries just now.');
  state.connection.close();
  if (!state.everConnected) return showSignIn('That name and password do not match an account here.');
  setBanner('Your password was not accepted this time; reload the page to sign in again.');
}

function showAccount() {
  const mine = $('my-nick');
  mine.dataset.account = accounts.account;
  mine.title = accounts.account ? `Logged in as ${accounts.account}` : 'Not logged in';
  if (state.current && state.current.channel) updateDeleteRights(state.current);
}

function inHistory(msg) {
  const batch = msg.tags.batch && state.batches.get(msg.tags.batch);
  return Boolean(batch && batch.type === 'chathistory');
}

function setTopic(r, topic) {
  r.topic = topic;
  if (r === state.current) {
    $('room-topic').textContent = '';
    appendText($('room-topic'), topic);
  }
}

function privmsg(msg, notice) {
  let target = msg.params[0];
  let text = msg.params[1] ?? '';
  if (!msg.nick || msg.nick.includes('.') && !msg.source.includes('!')) {
    // From the server: show it where the user is looking.
    if (state.registered) systemNote(text);
    return;
  }
  const statusPrefix = /^[@+]+(?=[#&])/.exec(target);
  if (statusPrefix) target = target.slice(statusPrefix[0].length);
  const roomName = isChannel(target) ? target : isMe(msg.nick) ? target : msg.nick;
  let action = false;
  if (text.startsWith('\x01')) {
    const ctcp = text.slice(1).replace(/\x01$/, '');
    if (!ctcp.startsWith('ACTION')) return;  // other CTCP requests are not answered
    action = true;
    text = ctcp.slice(7);
  }
  const batch = msg.tags.batch && state.batches.get(msg.tags.batch);
  if (batch && batch.type === 'soju.im/search') return addSearchResult(batch, msg, target, { text, action, notice });
  const fromHistory = Boolean(batch && batch.type === 'chathistory');
  if (fromHistory) {
    batch.count += 1;
    if (!batch.first && msg.tags.msgid) batch.first = { time: messageTime(msg), msgid: msg.tags.msgid };
  }
  const before = fromHistory && batch.kind === 'earlier' ? batch.anchor : undefined;
  addMessage(room(roomName), msg, { text, action, notice, fromHistory, before });
}

function onLine(msg) {
  const handler = handlers[msg.command];
  if (handler) return handler(msg);
  // Errors (4xx, 5xx) are shown; other numerics are not needed here.
  // (422, no message of the day, is not a problem.)
  if (/^[45]\d\d$/.test(msg.command) && msg.command !== '422') systemNote(msg.params.slice(1).join(' '));
}

// --- the page ---------------------------------------------------------------------

function setBanner(text) {
  const banner = $('banner');
  banner.textContent = text;
  banner.hidden = !text;
}

function setStatus(kind) {
  const status = $('status');
  status.className = 'status ' + kind;
  status.textContent = { open: 'online', connecting: 'connecting…', closed: 'offline' }[kind];
  if (kind === 'closed') {
    state.registered = false;
    state.caps.clear();
    state.offered = [];
    state.batches.clear();
    state.searches = [];
    state.listing = null;
    for (const r of state.rooms.values()) {
      r.members.clear();
      r.historyAsks = [];  // their answers will not come
    }
    renderMembers();
    if (state.everConnected) setBanner('Connection lost; reconnecting…');
  }
  if (kind === 'open') {
    send('CAP', 'LS', '302');
    send('NICK', state.wantedNick);
    send('USER', 'web', '0', '*', state.wantedNick);
  }
}

function start(nick, rooms, password) {
  state.wantedNick = nick;
  if (password) accounts.remember(nick, password);
  else accounts.forget();
  showAccount();
  localStorage.setItem('parley.nick', nick);
  const channels = rooms.split(/[\s,]+/).filter(Boolean).map((n) => (isChannel(n) ? n : '#' + n));
  localStorage.setItem('parley.rooms', channels.join(' '));
  $('login').hidden = true;
  $('chat').hidden = false;
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/`;
  state.connection = new Connection(url, { line: onLine, state: setStatus });
  state.connection.open();
  $('input').focus();
}

// Back to the sign-in form (a refused password), saying why.
function showSignIn(error) {
  state.connection = null;
  $('chat').hidden = true;
  $('login').hidden = false;
  $('login-error').textContent = error;
  $('login-password').focus();
}

function init() {
  const savedNick = localStorage.getItem('parley.nick');
  $('login-nick').value = savedNick || '';
  const savedRooms = localStorage.getItem('parley.rooms');
  if (savedRooms) $('login-rooms').value = savedRooms;
  $('login').addEventListener('submit', (event) => {
    event.preventDefault();
    const nick = $('login-nick').value.trim();
    if (!/^[^\s:#@!,*?][^\s:@!,*?]*$/.test(nick)) {
      $('login-error').textContent = 'A nickname has no spaces and does not start with #.';
      return;
    }
    if ('Notification' in window && Notification.permission === 'default') Notification.requestPermission();
    const password = $('login-password').value;
    $('login-password').value = '';  // kept in memory for reconnects, not in the page
    $('login-error').textContent = '';
    start(nick, $('login-rooms').value, password);
  });
  $('input-form').addEventListener('submit', submit);
  $('join-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const name = $('join-input').value.trim();
    $('join-input').value = '';
    if (name) runCommand(`/join ${name}`);
  });
  $('log').addEventListener('scroll', () => {
    if (state.current && $('log').scrollTop < 80) requestEarlier(state.current);
  });
  // A password typed after /login or /register is not shown.
  $('input').addEventListener('input', (event) => {
    event.target.type = /^\/(login|register)\s/i.test(event.target.value) ? 'password' : 'text';
    typed(event.target.value);
  });
  $('input').addEventListener('keydown', (event) => {
    if (event.key === 'Tab' && !event.shiftKey && !event.altKey && !event.ctrlKey) {
      event.preventDefault();
      complete(event.target);
    } else if (event.key !== 'Shift') {
      forgetCompletion();
    }
  });
  document.addEventListener('keydown', (event) => {
    if (event.altKey && (event.key === 'ArrowUp' || event.key === 'ArrowDown')) {
      event.preventDefault();
      moveRoom(event.key === 'ArrowUp' ? -1 : 1);
    }
  });
  $('toggle-rooms').addEventListener('click', () => document.body.classList.toggle('show-rooms'));
  $('toggle-members').addEventListener('click', () => document.body.classList.toggle('show-members'));
  $('scrim').addEventListener('click', () => document.body.classList.remove('show-rooms', 'show-members'));
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden && state.current) {
      state.current.unread = 0;
      state.current.mentioned = false;
      renderRooms();
      updateTitle();
      markRead(state.current);
    }
  });
  window.addEventListener('online', () => state.connection?.retryNow());
}

// What the feature modules (commands.js, history.js, search.js) use.
export {
  $, accounts, addEvent, addMessage, closeRoom, insertLine, isChannel, isMe, keyOf, messageLine, messageTime, openView,
  readerAtBottom, renderRooms, room, select, send, setBanner, state, systemNote, updateTitle,
};

init();
