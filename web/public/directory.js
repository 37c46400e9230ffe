// Who someone is (/whois) and which rooms there are (/list): the server's
// numerics gathered into lines the page shows.
import { $, addEvent, isChannel, openView, room, select, send, state, systemNote } from './app.js';
import { element } from './render.js';

// --- /whois ---------------------------------------------------------------------

const whois = new Map();  // lower-cased nick -> what its replies said so far

function whoisOf(nick) {
  const key = nick.toLowerCase();
  if (!whois.has(key)) whois.set(key, { nick, parts: [] });
  return whois.get(key);
}

// 311 nick user host * :real name, 319 channels, 330 account, 301 away,
// 313 operator, 317 idle seconds and sign-on: one line at 318.
export function whoisReply(msg) {
  const [, nick, ...rest] = msg.params;
  const w = whoisOf(nick || '');
  const last = rest[rest.length - 1] || '';
  switch (msg.command) {
    case '311': w.who = `${nick} (${rest[0]}@${rest[1]}${last && last !== nick ? `, ${last}` : ''})`; break;
    case '319': w.parts.push(`in ${last.trim()}`); break;
    case '330': w.parts.push(`logged in as ${rest[0]}`); break;
    case '301': w.parts.push(`away: ${last}`); break;
    case '313': w.parts.push('a server operator'); break;
    case '317': w.parts.push(`idle ${idleFor(Number(rest[0]))}`); break;
    default: break;
  }
}

export function whoisEnd(msg) {
  const nick = msg.params[1] || '';
  const w = whois.get(nick.toLowerCase());
  whois.delete(nick.toLowerCase());
  if (w && w.who) systemNote([w.who, ...w.parts].join('; ') + '.', 'event');
}

function idleFor(seconds) {
  if (!Number.isFinite(seconds)) return 'a while';
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
}

// --- /list ----------------------------------------------------------------------

export function startList() {
  const view = openView('Rooms', 'The rooms on this server (click one to join):');
  view.listed = 0;
  state.listing = view;
  send('LIST');
}

// 322 me #room people :topic
export function listEntry(msg) {
  const view = state.listing;
  if (!view) return;
  const [, name, people, topic] = msg.params;
  view.listed += 1;
  const line = element('div', 'line event room-entry');
  const join = element('button', 'room-link', name);
  join.type = 'button';
  join.addEventListener('click', () => {
    if (!isChannel(name)) return;
    select(room(name));
    send('JOIN', name);
  });
  line.append(join, element('span', 'people', `${people} ${people === '1' ? 'person' : 'people'}`));
  if (topic) line.append(element('span', 'text', topic));
  line.dataset.time = String(Date.now());
  view.log.append(line);
  if (view === state.current) $('log').scrollTop = $('log').scrollHeight;
}

export function listEnd() {
  const view = state.listing;
  state.listing = null;
  if (!view) return;
  addEvent(view, view.listed === 1 ? '1 room.' : `${view.listed} rooms.`);
}
