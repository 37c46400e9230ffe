// What the user types: a line for the room shown, or a /command, and Tab
// completing members' names.
import {
  $, accounts, addMessage, closeRoom, isChannel, isMe, keyOf, room, select, send, setBanner, state, systemNote,
} from './app.js';
import { startList } from './directory.js';
import { startSearch } from './search.js';
import { messageSent } from './typing.js';

function say(text) {
  const r = state.current;
  if (!r || !text) return;
  if (r.name === '*server*') return systemNote('Join a room first: /join #name');
  if (r.readOnly) return systemNote('This view is read only; /close closes it.');
  send('PRIVMSG', r.name, text);
  messageSent();
  if (!state.caps.has('echo-message')) {
    addMessage(r, { nick: state.nick, tags: {}, source: state.nick }, { text, action: false, notice: false });
  }
}

export function runCommand(line) {
  const [word, ...rest] = line.slice(1).split(' ');
  const args = rest.join(' ');
  const r = state.current;
  switch (word.toLowerCase()) {
    case 'join': {
      const name = rest[0];
      if (!name) return systemNote('Usage: /join #room');
      const channel = isChannel(name) ? name : '#' + name;
      select(room(channel));
      return send('JOIN', channel, ...(rest[1] ? [rest[1]] : []));
    }
    case 'part':
    case 'leave':
      if (!r || !r.channel) return systemNote('You are not in a room here.');
      send('PART', r.name, args || 'Leaving');
      return closeRoom(r);
    case 'close':
      if (r && r.channel && r.joined) send('PART', r.name, 'Leaving');
      return r && closeRoom(r);
    case 'me':
      if (!r) return;
      send('PRIVMSG', r.name, `\x01ACTION ${args}\x01`);
      if (!state.caps.has('echo-message'))
        addMessage(r, { nick: state.nick, tags: {}, source: state.nick }, { text: args, action: true });
      return;
    case 'nick':
      if (!rest[0]) return systemNote('Usage: /nick newname');
      return send('NICK', rest[0]);
    case 'msg':
    case 'query': {
      const [nick, ...words] = rest;
      if (!nick) return systemNote(`Usage: /${word} nick [message]`);
      const pm = room(nick);
      select(pm);
      if (words.length) say(words.join(' '));
      return;
    }
    case 'topic':
      if (!r || !r.channel) return systemNote('Topics belong to rooms.');
      return args ? send('TOPIC', r.name, args) : send('TOPIC', r.name);
    case 'away':
      return args ? send('AWAY', args) : send('AWAY');
    case 'kick': {
      if (!r || !r.channel) return systemNote('Kicking is for rooms.');
      if (!rest[0]) return systemNote('Usage: /kick nick [reason]');
      const reason = rest.slice(1).join(' ');
      return reason ? send('KICK', r.name, rest[0], reason) : send('KICK', r.name, rest[0]);
    }
    case 'ban':
    case 'unban': {
      if (!r || !r.channel) return systemNote('Bans are for rooms.');
      if (!rest[0]) return systemNote(`Usage: /${word} nick or mask`);
      // A nick bans that nick from anywhere, as the text protocol's /ban does.
      const mask = /[!@*?]/.test(rest[0]) ? rest[0] : `${rest[0]}!*@*`;
      return send('MODE', r.name, word.toLowerCase() === 'ban' ? '+b' : '-b', mask);
    }
    case 'op':
    case 'deop':
    case 'voice':
    case 'devoice': {
      if (!r || !r.channel) return systemNote('Roles are for rooms.');
      if (!rest[0]) return systemNote(`Usage: /${word} nick`);
      const lower = word.toLowerCase();
      return send('MODE', r.name, `${lower.startsWith('de') ? '-' : '+'}${lower.endsWith('op') ? 'o' : 'v'}`, rest[0]);
    }
    case 'invite': {
      const where = rest[1] || (r && r.channel ? r.name : '');
      if (!rest[0] || !where) return systemNote('Usage: /invite nick [#room]');
      return send('INVITE', rest[0], where);
    }
    case 'mode':
      if (!r || !r.channel) return systemNote('Modes are for rooms here; /quote MODE for the rest.');
      return send('MODE', r.name, ...rest.filter(Boolean));
    case 'whois':
      if (!rest[0]) return systemNote('Usage: /whois nick');
      return send('WHOIS', rest[0]);
    case 'list':
      return startList();
    case 'search': {
      const where = isChannel(rest[0] || '') ? rest[0] : '';
      const words = (where ? rest.slice(1) : rest).join(' ').trim();
      if (!words) return systemNote('Usage: /search [#room] words');
      if (!state.offered.includes('soju.im/search')) return systemNote('This server keeps no history to search.');
      return startSearch(words, where);
    }
    case 'register':
      if (!args) return systemNote('Usage: /register password (your nick becomes an account)');
      return accounts.register(args, state.offered.includes('draft/account-registration'));
    case 'login': {
      // /login password (your nick's account) or /login name password
      if (!rest.length || !rest[0]) return systemNote('Usage: /login [name] password');
      const [name, password] = rest.length > 1 ? [rest[0], rest.slice(1).join(' ')] : [state.nick, rest[0]];
      if (!state.caps.has('sasl')) return send('PRIVMSG', 'NickServ', `IDENTIFY ${name} ${password}`);
      return accounts.begin(name, password);
    }
    case 'logout':
      return send('PRIVMSG', 'NickServ', 'LOGOUT');
    case 'quit':
      send('QUIT', args || 'Leaving');
      state.connection.close();
      return setBanner('You left. Reload the page to connect again.');
    case 'quote':
    case 'raw':
      return state.connection.socket && state.connection.socket.send(args);
    case 'help':
      return systemNote('Commands: /join #room, /part, /me action, /msg nick text, /nick name, /topic text, ' +
                        '/away [message], /whois nick, /list, /search [#room] words, /register password, ' +
                        '/login [name] password, /logout; in a room you run: /kick nick [reason], /ban and ' +
                        '/unban nick, /op, /deop, /voice, /devoice nick, /invite nick, /mode +flags; ' +
                        '/close, /quit. Alt+↑/↓ switches rooms; Tab completes names.');
    default:
      return systemNote(`Unknown command /${word}; /help lists them.`);
  }
}

export function submit(event) {
  event.preventDefault();
  const input = $('input');
  const value = input.value;
  input.value = '';
  input.type = 'text';
  completion = null;
  for (const line of value.split('\n')) {
    if (!line.trim()) continue;
    if (line.startsWith('/') && !line.startsWith('//')) runCommand(line);
    else say(line.startsWith('//') ? line.slice(1) : line);
  }
}

// Tab completes the word before the cursor from the room's members, cycling.
let completion = null;
export function forgetCompletion() {
  completion = null;
}


export function complete(input) {
  const r = state.current;
  if (!r) return;
  if (!completion) {
    const upto = input.value.slice(0, input.selectionStart);
    const start = upto.search(/\S*$/);
    const word = upto.slice(start).toLowerCase();
    if (!word) return;
    const names = [...r.members.keys(), ...(r.channel ? [] : [r.name])]
      .filter((n) => n.toLowerCase().startsWith(word) && !isMe(n))
      .sort((a, b) => a.localeCompare(b));
    if (!names.length) return;
    completion = { start, names, index: -1, after: input.value.slice(input.selectionStart) };
  }
  completion.index = (completion.index + 1) % completion.names.length;
  const suffix = completion.start === 0 ? ': ' : ' ';
  const before = input.value.slice(0, completion.start) + completion.names[completion.index] + suffix;
  input.value = before + completion.after;
  input.setSelectionRange(before.length, before.length);
}

export function moveRoom(step) {
  if (!state.order.length) return;
  const index = state.order.indexOf(keyOf(state.current?.name ?? ''));
  const next = state.order[(index + step + state.order.length) % state.order.length];
  select(state.rooms.get(next));
}
