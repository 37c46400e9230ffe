// Typing notifications (the IRCv3 +typing client tag on TAGMSG): sent while
// the user types a message, shown under the log for the others.
import { $, isMe, room, state } from './app.js';

const RESEND_AFTER = 3000;  // "active" again at most this often while typing
const SHOWN_FOR = 6000;     // an "active" not renewed for this long is over

let typingIn = '';  // the room or conversation "active" was last sent to
let sentAt = 0;

function canTell(r) {
  return r && !r.readOnly && r.name !== '*server*' && state.caps.has('message-tags') && state.registered;
}

// The message box changed.
export function typed(value) {
  const r = state.current;
  if (!canTell(r)) return;
  if (!value.trim() || value.startsWith('/')) return stopTyping();
  if (typingIn && typingIn !== r.name) stopTyping();
  const now = Date.now();
  if (typingIn === r.name && now - sentAt < RESEND_AFTER) return;
  typingIn = r.name;
  sentAt = now;
  state.connection?.sendTagged({ '+typing': 'active' }, 'TAGMSG', r.name);
}

// The box was emptied, or the user left for another room: "done".
export function stopTyping() {
  if (!typingIn) return;
  state.connection?.sendTagged({ '+typing': 'done' }, 'TAGMSG', typingIn);
  typingIn = '';
  sentAt = 0;
}

// A message was sent: it ends the typing by itself, for those who see it.
export function messageSent() {
  typingIn = '';
  sentAt = 0;
}

// TAGMSG with +typing from someone else.
export function onTyping(msg) {
  const value = msg.tags['+typing'];
  if (value === undefined || isMe(msg.nick)) return;
  const target = msg.params[0] || '';
  const r = room(isMe(target) ? msg.nick : target, false);
  if (!r) return;
  clearTimeout(r.typing.get(msg.nick));
  if (value === 'done') r.typing.delete(msg.nick);
  else r.typing.set(msg.nick, setTimeout(() => stoppedTyping(r, msg.nick), SHOWN_FOR));
  renderTyping();
}

// Their message came (or their time ran out): no longer typing.
export function stoppedTyping(r, nick) {
  if (!r.typing.has(nick)) return;
  clearTimeout(r.typing.get(nick));
  r.typing.delete(nick);
  renderTyping();
}

export function renderTyping() {
  const names = state.current ? [...state.current.typing.keys()] : [];
  $('typing').textContent =
    names.length === 0 ? '' :
    names.length === 1 ? `${names[0]} is typing…` :
    names.length === 2 ? `${names[0]} and ${names[1]} are typing…` : 'Several people are typing…';
}
