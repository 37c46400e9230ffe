"""irctest server controller for parleyd.

Written for the Parley project (not part of irctest). run.sh copies this file
into a *temporary copy* of an irctest checkout as
``irctest/controllers/parley.py`` and runs::

    python3 -m pytest --controller irctest.controllers.parley ...

Everything this controller assumes about parleyd -- its command line, its TOML
config, how accounts are registered, which optional features it claims -- is
in the "ASSUMPTIONS" block right below. When parleyd's real interface differs,
change that block; the class underneath should not need edits.

How a test uses the controller (irctest's contract, see basecontrollers.py):
  * run(hostname, port, password=, ssl=, run_services=, faketime=,
        websocket_hostname=, websocket_port=) starts the server in the
    background; irctest then polls the port (wait_for_port) and connects.
  * kill() stops the process group and deletes the temp dir (after each test).
  * registerUser(case, name, password) creates an account (SASL/account
    tests, all marked "services").
  * Class attributes (capabilities, optional_behaviors, isupport,
    supported_sasl_mechanisms) say what the server *claims*: a claimed feature
    that is missing FAILS, an unclaimed one is SKIPPED by the tests that check.
    Start with little claimed and add as features land.
"""

from __future__ import annotations

import os
from pathlib import Path
import shutil
from typing import Any, Dict, FrozenSet, List, Optional, Set, Type

from irctest import patma
from irctest.basecontrollers import (
    BaseServerController,
    DirectoryBasedController,
    TestCaseControllerConfig,
)
from irctest.runner import NotImplementedByController
from irctest.specifications import Capabilities, OptionalBehaviors

# ===========================================================================
# ASSUMPTIONS ABOUT PARLEYD -- edit here, in one place.
#
# Adapted to parleyd's real interface (docs/configuration.md, docs/irc.md):
# `parleyd --config FILE`, a TOML file with `bind`, `server_name`,
# `data_dir`, `[text] port`, `[irc] port` (and `tls_port`, `password`),
# `[tls]`, `[http]`, `[accounts]`, `[[irc.operators]]` and `[limits]`.
# Accounts, SASL, chathistory, TLS and WebSocket are built in.
# ===========================================================================

#: The binary. run.sh sets $PARLEYD to an absolute path.
PARLEYD_BINARY = os.environ.get("PARLEYD", "parleyd")

#: Extra arguments appended to every start (space-separated), e.g. "--threads 1".
PARLEYD_EXTRA_ARGS: List[str] = os.environ.get("PARLEYD_EXTRA_ARGS", "").split()


def command_line(binary: str, config_path: Path) -> List[str]:
    """The command that starts parleyd in the foreground (it never daemonizes;
    it logs to stderr and stops on SIGTERM)."""
    return [binary, "--config", str(config_path), *PARLEYD_EXTRA_ARGS]


#: Name of the config file written into the per-test temp directory.
CONFIG_FILE_NAME = "parley.toml"

#: Server name irctest sees in prefixes (TOML key `server_name`); every stock
#: controller uses this one.
SERVER_NAME = "My.Little.Server"

#: irctest hard-codes these credentials in its OPER/KILL/WALLOPS/WHO tests.
OPER_NAME = "operuser"
OPER_PASSWORD = "operpassword"

#: `[irc] password`: every client must PASS it.
SUPPORTS_SERVER_PASSWORD = True


def toml_str(value: str) -> str:
    """A TOML basic string (quoted, escaped)."""
    out = value.replace("\\", "\\\\").replace('"', '\\"')
    out = out.replace("\n", "\\n").replace("\t", "\\t")
    return f'"{out}"'


def render_config(
    *,
    directory: Path,
    hostname: str,
    port: int,
    server_password: Optional[str],
    tls: Optional[Dict[str, str]],
    websocket: Optional[Dict[str, Any]],
    test_config: TestCaseControllerConfig,
) -> str:
    """Return the TOML text of parleyd's config for one test.

    parleyd's format (docs/configuration.md): top-level `bind`, `server_name`,
    `data_dir`; `[text] port` (0 = a free port, so it never collides with
    irctest's), `[irc] port`; `[[irc.operators]]` name/password; `[limits]`.
    An unknown key makes parleyd exit with status 2, so only documented keys
    are written. With ``tls``, irctest's port is the TLS one; history and
    accounts are on by default, whatever ``test_config`` asks.
    """
    lines = [
        f"bind = {toml_str(hostname)}",
        f"server_name = {toml_str(SERVER_NAME)}",
        # What irctest's LINKS test expects after the hop count.
        'server_description = "test server"',
        # The per-test temp dir (irctest deletes it in kill()); no motd.txt
        # in it, so the welcome ends with 422.
        f"data_dir = {toml_str(str(directory / 'data'))}",
        "",
        "[text]",
        "port = 0",
        "",
        "[irc]",
        # With TLS, irctest's port is the TLS one and the plain one is anywhere.
        f"port = {0 if tls else port}",
        *([f"tls_port = {port}"] if tls else []),
        *([f"password = {toml_str(server_password)}"] if server_password else []),
        "",
        *(["[tls]", f"certificate = {toml_str(tls['cert'])}", f"key = {toml_str(tls['key'])}", ""] if tls else []),
        *(["[http]", f"port = {websocket['port']}", ""] if websocket else ["[http]", "port = 0", ""]),
        "[[irc.operators]]",
        f"name = {toml_str(OPER_NAME)}",
        f"password = {toml_str(OPER_PASSWORD)}",
        "",
        # irctest's SASL tests use passwords from 4 to 800 bytes.
        "[accounts]",
        "min_password_bytes = 1",
        "max_password_bytes = 1024",
        # REGISTER before connection registration (draft/account-registration's
        # before-connect): on by default in parleyd; here, as the test asks
        # (irctest's default is off, as Ergo's controller does).
        f"register_before_connect = {'true' if test_config.account_registration_before_connect else 'false'}",
        "",
        "[limits]",
        # irctest sends bursts from one address: no input pacing, no
        # per-address connection cap.
        "messages_per_second = 0",
        "connections_per_address = 0",
        "",
    ]
    return "\n".join(lines)


#: How registerUser() creates an account (SASL and account tests need it):
#:   "register-command": IRCv3 draft/account-registration, in-band, after
#:                       connection registration: REGISTER <account> * <password>
#:   "nickserv":         PRIVMSG NickServ :REGISTER <password> <email>
#:   "cli":              run register_cli_command() while the server runs
#:   "none":             tests that need an account are skipped
#: parleyd has draft/account-registration: "register-command".
ACCOUNT_REGISTRATION_METHOD = os.environ.get("PARLEY_ACCOUNT_REGISTRATION", "register-command")


def register_cli_command(
    binary: str, config_path: Path, username: str, password: str
) -> List[str]:
    """Only used when ACCOUNT_REGISTRATION_METHOD == "cli"."""
    return [binary, "account", "add", username, "--config", str(config_path)]


#: Name irctest uses in skip/xfail decisions (xfailIfSoftware etc.).
SOFTWARE_NAME = "Parley"

#: SASL mechanisms parleyd offers (docs/irc.md, "Accounts").
SUPPORTED_SASL_MECHANISMS: Set[str] = {"PLAIN", "SCRAM-SHA-256"}

#: Capabilities parleyd *claims*. If a test requests one of these with
#: skip_if_cap_nak and gets NAK, it FAILS; unlisted ones are SKIPPED.
#: docs/irc.md "Capabilities": cap-notify, echo-message, extended-join,
#: message-tags, multi-prefix, server-time, userhost-in-names, away-notify,
#: setname, extended-monitor, chghost, batch, labeled-response,
#: invite-notify, standard-replies. Below: those irctest's enum knows.
#: Not claimed: sts, draft/multiline.
CLAIMED_CAPABILITIES: FrozenSet[Capabilities] = frozenset(
    {
        Capabilities.ACCOUNT_NOTIFY,
        Capabilities.ACCOUNT_TAG,
        Capabilities.AWAY_NOTIFY,
        Capabilities.BATCH,
        Capabilities.ECHO_MESSAGE,
        Capabilities.EXTENDED_JOIN,
        Capabilities.EXTENDED_MONITOR,
        Capabilities.LABELED_RESPONSE,
        Capabilities.MESSAGE_REDACTION,
        Capabilities.READ_MARKER,
        Capabilities.MESSAGE_TAGS,
        Capabilities.MULTI_PREFIX,
        Capabilities.SERVER_TIME,
        Capabilities.SETNAME,
    }
)

#: Optional behaviours parleyd claims; a test that finds one missing FAILS
#: (instead of being skipped). From docs/irc.md: `JOIN #a,#b keyA`,
#: PRIVMSG/NOTICE "up to 4 targets", `KICK #c nick[,nick]`.
#: Not claimed: NAMES of several channels (TARGMAX NAMES:1), CAP REQ -cap
#: (not documented), +e/+I ("Not yet"), INVITE list, INVITE overriding +l,
#: +C, ELIST, non-UTF-8 messages (UTF8ONLY), SASL.
CLAIMED_OPTIONAL_BEHAVIORS: FrozenSet[OptionalBehaviors] = frozenset(
    {
        OptionalBehaviors.BAN_EXCEPTION_MODE,
        OptionalBehaviors.INVITE_EXCEPTION_MODE,
        OptionalBehaviors.MULTI_JOIN,
        OptionalBehaviors.MULTI_PRIVMSG,
        OptionalBehaviors.MULTI_KICK,
    }
)

#: ISUPPORT tokens isupport.py::testValues checks (None = token without value,
#: patma.ANYSTR = any value): the table in docs/irc.md "ISUPPORT (005)", with
#: the default [limits].
EXPECTED_ISUPPORT: Dict[str, Any] = {
    "CASEMAPPING": "ascii",
    "CHANTYPES": "#",
    "PREFIX": "(ov)@+",
    "CHANMODES": "beI,k,l,imnst",
    "STATUSMSG": "@+",
    "EXCEPTS": "e",
    "INVEX": "I",
    "MAXLIST": "b:64,e:64,I:64",
    "KEYLEN": "32",
    "CHATHISTORY": "100",
    "MSGREFTYPES": "timestamp,msgid",
    "NICKLEN": "32",
    "CHANNELLEN": "51",
    "TOPICLEN": "390",
    "CHANLIMIT": "#:20",
    "TARGMAX": "PRIVMSG:4,NOTICE:4,TAGMSG:4,JOIN:,PART:,KICK:,NAMES:1,WHOIS:1",
    "MONITOR": "100",
    "WHOX": None,
    "NETWORK": "Parley",
    "BOT": "B",
    "AWAYLEN": "200",
    "UTF8ONLY": None,
}

#: TLS and WebSocket listeners (PARLEY_TLS=0 / PARLEY_WEBSOCKET=0 skip their
#: tests: "Not implemented by controller").
SUPPORTS_TLS = os.environ.get("PARLEY_TLS", "1") == "1"
SUPPORTS_WEBSOCKET = os.environ.get("PARLEY_WEBSOCKET", "1") == "1"

#: Character for the "mute" extban (e.g. "m"), or None if unsupported.
EXTBAN_MUTE_CHAR: Optional[str] = None

# ===========================================================================
# End of assumptions.
# ===========================================================================

_ = patma  # keep the import for EXPECTED_ISUPPORT edits


class ParleyController(BaseServerController, DirectoryBasedController):
    software_name = SOFTWARE_NAME
    supported_sasl_mechanisms = SUPPORTED_SASL_MECHANISMS
    supports_sts = False
    capabilities = CLAIMED_CAPABILITIES
    optional_behaviors = CLAIMED_OPTIONAL_BEHAVIORS
    isupport = EXPECTED_ISUPPORT
    extban_mute_char = EXTBAN_MUTE_CHAR
    _port_wait_interval = 0.02

    def __init__(self, test_config: TestCaseControllerConfig):
        super().__init__(test_config)
        self._config_path: Optional[Path] = None
        self._faketime_cmd: List[str] = []

    def run(
        self,
        hostname: str,
        port: int,
        *,
        password: Optional[str],
        ssl: bool,
        run_services: bool,
        faketime: Optional[str],
        websocket_hostname: Optional[str] = None,
        websocket_port: Optional[int] = None,
    ) -> None:
        # run_services is ignored on purpose: accounts would be built in (like
        # Ergo); registerUser() says whether they exist.
        assert self.proc is None
        if password is not None and not SUPPORTS_SERVER_PASSWORD:
            raise NotImplementedByController("PASS command")
        if ssl and not SUPPORTS_TLS:
            raise NotImplementedByController("TLS")
        if (websocket_hostname or websocket_port) and not SUPPORTS_WEBSOCKET:
            raise NotImplementedByController("Websocket")

        self.hostname = hostname
        self.port = port
        self.create_config()
        assert self.directory is not None

        tls = None
        if ssl:
            self.gen_ssl()
            tls = {"cert": str(self.pem_path), "key": str(self.key_path)}
        websocket = None
        if websocket_hostname and websocket_port:
            websocket = {
                "address": websocket_hostname,
                "port": websocket_port,
                "tls": ssl,
            }

        self._config_path = self.directory / CONFIG_FILE_NAME
        self._config_path.write_text(
            render_config(
                directory=self.directory,
                hostname=hostname,
                port=port,
                server_password=password,
                tls=tls,
                websocket=websocket,
                test_config=self.test_config,
            )
        )

        if faketime and shutil.which("faketime"):
            self._faketime_cmd = ["faketime", "-f", faketime]
            self.faketime_enabled = True
        else:
            self._faketime_cmd = []
        self._start()

    def _start(self) -> None:
        assert self._config_path is not None
        # execute() starts a new session so kill() can signal the whole group;
        # output goes to /dev/null unless IRCTEST_DEBUG_LOGS=1.
        self.proc = self.execute(
            [*self._faketime_cmd, *command_line(PARLEYD_BINARY, self._config_path)],
            proc_name="parleyd",
            cwd=str(self.directory),
        )

    def restart(self) -> None:
        """Stop and start again on the same config and database (used by
        irctest's Ergo-only persistence tests; handy for our own)."""
        self.kill_proc()
        self.port_open = False
        self._start()
        self.wait_for_port()

    def wait_for_services(self) -> None:
        # Accounts are part of parleyd; nothing separate to wait for.
        pass

    def registerUser(
        self,
        case: Any,  # irctest.cases.BaseServerTestCase
        username: str,
        password: Optional[str] = None,
    ) -> None:
        assert password, "irctest always registers accounts with a password"
        method = ACCOUNT_REGISTRATION_METHOD
        # A password too long for one REGISTER line (512 bytes) goes through
        # the administrator's command instead.
        if method == "register-command" and len(password) > 400:
            method = "cli"
        if method == "none":
            raise NotImplementedByController("account registration")
        if method == "cli":
            import subprocess

            assert self._config_path is not None
            subprocess.run(
                register_cli_command(
                    PARLEYD_BINARY, self._config_path, username, password
                ),
                input=(password + "\n").encode(),
                check=True,
                timeout=30,
                stdout=subprocess.DEVNULL,
            )
            return

        client = case.addClient(show_io=False)
        case.sendLine(client, "CAP LS 302")
        if method == "register-command":
            case.sendLine(client, "CAP REQ :draft/account-registration")
        case.sendLine(client, "NICK " + username)
        case.sendLine(client, "USER r e g :user")
        case.sendLine(client, "CAP END")
        while case.getRegistrationMessage(client).command != "001":
            pass
        case.getMessages(client)

        if method == "register-command":
            case.sendLine(client, f"REGISTER {username} * {password}")
            msgs = case.getMessages(client)
            ok = any(
                m.command == "REGISTER" and m.params[:1] == ["SUCCESS"] for m in msgs
            )
            assert ok, f"REGISTER {username} did not succeed: {msgs}"
        elif method == "nickserv":
            case.sendLine(
                client, f"PRIVMSG NickServ :REGISTER {password} foo@example.org"
            )
            msgs = case.getMessages(client)
            assert any(m.command == "NOTICE" for m in msgs), msgs
        else:
            raise ValueError(f"unknown ACCOUNT_REGISTRATION_METHOD {method!r}")

        case.sendLine(client, "QUIT")
        case.assertDisconnected(client)


def get_irctest_controller_class() -> Type[ParleyController]:
    return ParleyController
