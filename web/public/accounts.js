// Logging in to an account from the page: SASL PLAIN (IRCv3 sasl-3.2) at
// connect and from /login, REGISTER (draft/account-registration) or
// NickServ's for /register. The password lives in memory only, for as long
// as the page: a reconnect logs in again without asking; nothing is stored.

// AUTHENTICATE's pieces for PLAIN: base64 of "\0name\0password" (no
// separate authorization identity), cut into 400 bytes; a last piece of
// exactly 400 bytes is followed by "+", the empty piece.
export function plainPieces(name, password) {
  const bytes = new TextEncoder().encode(`\0${name}\0${password}`);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  const encoded = btoa(binary);
  const pieces = [];
  for (let i = 0; i < encoded.length; i += 400) pieces.push(encoded.slice(i, i + 400));
  if (encoded.length % 400 === 0) pieces.push('+');
  return pieces;
}

// The numerics that end a SASL exchange without logging in (908, the
// mechanisms offered, comes before a 904 and ends nothing by itself).
export const SASL_FAILURES = new Set(['902', '904', '905', '906']);

export class Accounts {
  // `send(command, ...params)` writes a line.
  constructor(send) {
    this.send = send;
    this.name = '';      // the account to log in to again after a reconnect
    this.password = '';
    this.account = '';   // logged in to now ('' for none)
    this.attempt = null; // { name, password, atConnect } while an exchange is under way
    this.registering = '';  // the password a REGISTER is waiting on
  }

  // Whether connecting should log in (the sign-in form had a password, or
  // an earlier /login or /register succeeded).
  get wanted() {
    return Boolean(this.password);
  }

  remember(name, password) {
    this.name = name;
    this.password = password;
  }

  forget() {
    this.name = '';
    this.password = '';
    this.account = '';
  }

  // Starts SASL PLAIN; at connect, with the remembered name and password.
  // A login is not a registration: a REGISTER still waiting is given up.
  begin(name = this.name, password = this.password, atConnect = false) {
    this.attempt = { name, password, atConnect };
    this.registering = '';
    this.send('AUTHENTICATE', 'PLAIN');
  }

  // The server's AUTHENTICATE line: "+" asks for the credentials.
  onAuthenticate(param) {
    if (param !== '+' || !this.attempt) return;
    for (const piece of plainPieces(this.attempt.name, this.attempt.password)) this.send('AUTHENTICATE', piece);
  }

  // 903: the credentials are kept for reconnects. Returns the attempt.
  succeeded() {
    const attempt = this.attempt;
    this.attempt = null;
    if (attempt) this.remember(attempt.name, attempt.password);
    return attempt;
  }

  // 902-908: the attempt is over; a failed sign-in forgets its password.
  failed() {
    const attempt = this.attempt;
    this.attempt = null;
    if (attempt && attempt.atConnect) this.forget();
    return attempt;
  }

  // /register PASSWORD, through REGISTER when the server offers it.
  register(password, offersRegister) {
    this.registering = password;
    if (offersRegister) this.send('REGISTER', '*', '*', password);
    else this.send('PRIVMSG', 'NickServ', `REGISTER ${password}`);
  }

  // FAIL REGISTER: nothing to remember.
  registerFailed() {
    this.registering = '';
  }

  // REGISTER SUCCESS (or NickServ's 900 after its REGISTER): logged in, so
  // a reconnect logs in with this password.
  registered(account) {
    if (!this.registering) return;
    this.remember(account, this.registering);
    this.registering = '';
  }
}
