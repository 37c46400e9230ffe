// Text to DOM nodes, safely: user text only ever becomes text nodes, and
// links only http(s) URLs in <a> elements built here. Never innerHTML.

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"']+/gi;
// IRC formatting (bold, colour, reset, …) is shown plain.
const FORMATTING = /[\x02\x0f\x11\x16\x1d\x1e\x1f]|\x03(\d{1,2}(,\d{1,2})?)?|\x04[0-9a-f]{6}(,[0-9a-f]{6})?/gi;

export function stripFormatting(text) {
  return text.replace(FORMATTING, '');
}

// Appends `text` to `parent`, its URLs as links that open in a new tab.
export function appendText(parent, text) {
  text = stripFormatting(text);
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    let url = match[0].replace(/[.,;:!?)\]]+$/, '');  // "see https://x.org." ends before the dot
    if (match.index > last) parent.append(document.createTextNode(text.slice(last, match.index)));
    const link = document.createElement('a');
    link.href = url;
    link.textContent = url;
    link.target = '_blank';
    link.rel = 'noopener noreferrer nofollow';
    parent.append(link);
    last = match.index + url.length;
  }
  if (last < text.length) parent.append(document.createTextNode(text.slice(last)));
}

export function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// A stable colour class for a nick (nick-0 … nick-7).
export function nickClass(nick) {
  let hash = 0;
  for (const ch of nick.toLowerCase()) hash = (hash * 31 + ch.codePointAt(0)) >>> 0;
  return 'nick-' + (hash % 8);
}

export function timeLabel(date) {
  return date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}
