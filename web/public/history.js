// Reading back: a room's or a conversation's history in pages (CHATHISTORY
// LATEST on joining, BEFORE as the reader scrolls up, AFTER to catch up after
// a reconnect), the conversations listed again on connecting (TARGETS), and
// read markers (MARKREAD) shared by an account's clients.
import { $, accounts, addEvent, keyOf, readerAtBottom, renderRooms, room, send, state, updateTitle } from './app.js';

const HISTORY_PAGE = 100;  // lines asked at a time when catching up after a reconnect
const EARLIER_PAGE = 50;   // lines asked on joining, and each time the reader scrolls to the top
const SERVICES = new Set(['nickserv', 'chanserv']);  // keep no conversation to read back
// Lines a room keeps on the page: past the most, the oldest go down to
// TRIMMED_TO (scrolling up reads them back), so a tab left open on a busy
// room for days does not grow without end.
const MOST_LINES = 2000;
const TRIMMED_TO = 1500;

// A private conversation with someone (not a room, a view of results or the server's notes).
export function isConversation(r) {
  return !r.channel && !r.readOnly && r.name !== '*server*' && !SERVICES.has(keyOf(r.name));
}

// What history the page may read for `r`: a channel it is in, and private
// conversations once logged in (the server keeps those between accounts only).
function hasHistory(r) {
  if (!state.caps.has('draft/chathistory')) return false;
  return r.channel ? r.joined : isConversation(r) && Boolean(accounts.account);
}

export function requestHistory(r) {
  if (!hasHistory(r)) return;
  const kind = r.newest.msgid ? 'after' : 'latest';
  r.historyAsks.push(kind);
  if (kind === 'after') send('CHATHISTORY', 'AFTER', r.name, `msgid=${r.newest.msgid}`, String(HISTORY_PAGE));
  else send('CHATHISTORY', 'LATEST', r.name, '*', String(EARLIER_PAGE));
}

// The page before the earliest message shown: asked when the reader scrolls
// to the top (or the room's lines do not fill the screen).
export function requestEarlier(r) {
  if (!hasHistory(r) || r.historyStart) return;
  if (!r.oldest.msgid || r.historyAsks.length) return;  // the first page, or an answer, is still coming
  const log = $('log');
  r.fromBottom = log.scrollHeight - log.scrollTop;
  // Lines of one millisecond tie on time: the page goes above what is shown, in its order.
  r.earlierAnchor = r.log.querySelector('.line.message');
  r.historyAsks.push('earlier');
  send('CHATHISTORY', 'BEFORE', r.name, `msgid=${r.oldest.msgid}`, String(EARLIER_PAGE));
}

export function historyAnswered(batch) {
  const r = room(batch.target, false);
  if (!r) return;
  // A page comes oldest first: its first line is where the next page ends.
  if ((batch.kind === 'latest' || batch.kind === 'earlier') && batch.first) r.oldest = batch.first;
  // A short first or earlier page: there is nothing before it.
  if ((batch.kind === 'latest' || batch.kind === 'earlier') && batch.count < EARLIER_PAGE && !r.historyStart) {
    r.historyStart = true;
    addEvent(r, `The beginning of what this ${r.channel ? 'room' : 'conversation'} keeps.`,
             Number.isFinite(r.oldest.time) ? r.oldest.time - 1 : 0, 'event history-start', { timeless: true });
  }
  // A full page after a reconnect: there may be more to catch up on.
  if (batch.kind === 'after' && batch.count >= HISTORY_PAGE) requestHistory(r);
  countUnread(r);  // history newer than the room's read marker is unread
  if (r !== state.current) return;
  const log = $('log');
  if (batch.kind === 'earlier') log.scrollTop = log.scrollHeight - r.fromBottom;  // the reader stays where they were
  fillScreen(r);
  markRead(r);
}

// Reading a room moves its marker: the account's other clients (a phone, another
// tab) then show it read too, and a later page knows what is new.
export function markRead(r) {
  if (!state.caps.has('draft/read-marker') || !(r.channel || isConversation(r))) return;
  if (r !== state.current || document.hidden || r.newest.time <= r.readUpTo) return;
  r.readUpTo = r.newest.time;
  if (r.markTimer) return;
  r.markTimer = setTimeout(() => {  // one MARKREAD for a burst of lines read
    r.markTimer = null;
    send('MARKREAD', r.name, `timestamp=${new Date(r.readUpTo).toISOString()}`);
  }, 300);
}

// A room's unread messages: the others' lines after its marker. Without a
// marker (none kept yet) only lines that came while the page was open count.
export function countUnread(r) {
  if (!r.readUpTo) return;
  if (r === state.current && !document.hidden) return markRead(r);
  let unread = 0;
  let mentioned = false;
  for (const line of r.log.querySelectorAll('.line.message:not(.mine):not(.deleted)')) {
    if (Number(line.dataset.time) <= r.readUpTo) continue;
    unread += 1;
    mentioned ||= line.classList.contains('mention') || !r.channel;
  }
  r.unread = unread;
  r.mentioned = mentioned;
  renderRooms();
  updateTitle();
}

// Logged in: the private conversations of the last 30 days come back (the
// server lists them, CHATHISTORY TARGETS), each with its latest messages.
const TARGETS_DAYS = 30;

export function readPrivateHistory() {
  if (!accounts.account || !state.caps.has('draft/chathistory')) return;
  for (const r of state.rooms.values()) if (isConversation(r)) requestHistory(r);
  const now = Date.now();
  send('CHATHISTORY', 'TARGETS', `timestamp=${new Date(now - TARGETS_DAYS * 86400e3).toISOString()}`,
       `timestamp=${new Date(now + 60e3).toISOString()}`, '50');
}

// A room past MOST_LINES loses its oldest lines, unless the reader is up
// there reading them or a page of history is on its way.
export function trimLog(r) {
  if (r.log.childElementCount <= MOST_LINES || r.historyAsks.length) return;
  if (r === state.current && !readerAtBottom()) return;
  while (r.log.childElementCount > TRIMMED_TO) {
    const old = r.log.firstElementChild;
    if (old.dataset.msgid) r.msgids.delete(old.dataset.msgid);  // read back later, it is shown again
    old.remove();
  }
  const first = r.log.querySelector('.line.message[data-msgid]');
  r.oldest = first ? { time: Number(first.dataset.time), msgid: first.dataset.msgid } : { time: Infinity, msgid: '' };
  r.historyStart = false;
}

// Fewer lines than the screen holds cannot be scrolled up: ask for more.
export function fillScreen(r) {
  const log = $('log');
  if (log.scrollHeight <= log.clientHeight + 80) requestEarlier(r);
}
