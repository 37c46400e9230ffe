// /search [#room] words (soju.im/search): the results in a read-only view
// of their own, each line with its date, room and sender.
import { addEvent, insertLine, isChannel, messageTime, room, select, send, state } from './app.js';
import { escapeTag } from './irc.js';
import { appendText, element, nickClass, timeLabel } from './render.js';

// /search [#room] words: the results in a read-only view of their own.
export function startSearch(words, where) {
  const view = room(`Search: ${where ? `${where} ` : ''}${words}`, true, { readOnly: true });
  view.words = words;
  view.log.replaceChildren();
  select(view);
  addEvent(view, `Searching ${where || 'your rooms and conversations'} for "${words}"…`);
  state.searches.push(view);
  send('SEARCH', `text=${escapeTag(words)}${where ? `;in=${escapeTag(where)}` : ''}`);
}

export function addSearchResult(batch, msg, target, { text, action, notice }) {
  batch.count += 1;
  const view = batch.view;
  if (!view) return;
  const time = messageTime(msg);
  const line = element('div', 'line message search-result');
  if (action) line.classList.add('action');
  if (notice) line.classList.add('notice');
  line.append(element('time', 'time', `${new Date(time).toLocaleDateString()} ${timeLabel(new Date(time))}`));
  line.append(element('span', 'where', isChannel(target) ? target : 'private'));
  line.append(element('span', 'nick ' + nickClass(msg.nick), action ? `* ${msg.nick}` : msg.nick));
  const body = element('span', 'text');
  appendText(body, text);
  line.append(body);
  line.dataset.time = String(time);
  insertLine(view, line);  // in the batch's order, oldest first
}

export function endSearch(batch) {
  const view = batch.view;
  if (!view) return;
  const found = batch.count === 1 ? '1 message' : `${batch.count} messages`;
  addEvent(view, batch.count ? `${found} found, oldest first.` : `No messages hold "${view.words}".`);
}
