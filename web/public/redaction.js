// Deleting a message (draft/message-redaction): its sender, logged in, or
// one of the room's operators asks with REDACT, and every page with the
// capability shows the line as deleted; history no longer returns it.
import { accounts, isMe, keyOf, room, send, state } from './app.js';
import { element } from './render.js';

// Who may delete in `r` now, for the delete buttons CSS shows: a logged-in
// sender their own lines, the room's operators any line.
export function updateDeleteRights(r) {
  if (!r.channel) return;
  const capable = state.caps.has('draft/message-redaction');
  const me = [...r.members.entries()].find(([nick]) => isMe(nick));
  r.log.classList.toggle('delete-own', capable && Boolean(accounts.account));
  r.log.classList.toggle('delete-any', capable && Boolean(me && me[1].includes('@')));
}

// A room's message line gets a delete button; a first click arms it for
// three seconds ("Delete?"), a second sends the REDACT.
export function addDeleteButton(r, line) {
  if (!r.channel || !line.dataset.msgid) return;
  const button = element('button', 'delete', 'Delete');
  button.type = 'button';
  button.title = 'Delete this message for everyone';
  let armed = null;
  button.addEventListener('click', () => {
    if (!armed) {
      button.textContent = 'Delete?';
      button.classList.add('armed');
      armed = setTimeout(() => {
        armed = null;
        button.textContent = 'Delete';
        button.classList.remove('armed');
      }, 3000);
      return;
    }
    clearTimeout(armed);
    button.disabled = true;
    send('REDACT', r.name, line.dataset.msgid);
  });
  line.append(button);
}

// REDACT #room msgid [:reason]: the line says it was deleted, and by whom
// when not by its sender.
export function onRedact(msg) {
  const [target, msgid, reason] = msg.params;
  const r = room(target || '', false);
  const line = r && [...r.log.querySelectorAll('.line.message')].find((l) => l.dataset.msgid === msgid);
  if (!line) return;
  line.classList.add('deleted');
  line.querySelector('.delete')?.remove();
  const byOther = msg.nick && line.dataset.nick && keyOf(msg.nick) !== keyOf(line.dataset.nick);
  line.querySelector('.text').textContent =
    byOther ? `(deleted by ${msg.nick}${reason ? `: ${reason}` : ''})` : '(deleted)';
}
