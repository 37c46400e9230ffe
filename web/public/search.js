// /search [#room] words (soju.im/search): the results in a read-only view
// of their own, each line with its date, room and sender.
import { addEvent, insertLine, isChannel, messageLine, messageTime, openView, send, state } from './app.js';
import { escapeTag } from './irc.js';
import { element, timeLabel } from './render.js';

// /search [#room] words: the results in a read-only view of their own.
export function startSearch(words, where) {
  const view = openView(`Search: ${where ? `${where} ` : ''}${words}`,
                        `Searching ${where || 'your rooms and conversations'} for "${words}"…`);
  view.words = words;
  state.searches.push(view);
  send('SEARCH', `text=${escapeTag(words)}${where ? `;in=${escapeTag(where)}` : ''}`);
}

export function addSearchResult(batch, msg, target, { text, action, notice }) {
  batch.count += 1;
  const view = batch.view;
  if (!view) return;
  const time = messageTime(msg);
  const line = messageLine(msg, { text, action, notice },
                           `${new Date(time).toLocaleDateString()} ${timeLabel(new Date(time))}`,
                           [element('span', 'where', isChannel(target) ? target : 'private')]);
  line.classList.add('search-result');
  line.dataset.time = String(time);
  insertLine(view, line);  // in the batch's order, oldest first
}

export function endSearch(batch) {
  const view = batch.view;
  if (!view) return;
  const found = batch.count === 1 ? '1 message' : `${batch.count} messages`;
  addEvent(view, batch.count ? `${found} found, oldest first.` : `No messages hold "${view.words}".`);
}
