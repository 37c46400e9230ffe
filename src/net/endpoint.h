#pragma once
// What a listener is told when it is opened, and passes to every connection
// it accepts: the protocol spoken there and the per-connection policy. Its
// own header, so that connection.h need not include server.h (which is the
// connections' owner, above them).
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "core/session_ref.h"
#include "session/close_reason.h"
#include "session/outbound.h"
#include "session/protocol_session.h"

namespace parley::net {

class TlsContext;

struct KeepAlive {
  int idle_seconds = 120;
  int interval_seconds = 15;
  int probes = 4;
};

// Per-connection policy of one listener.
struct ConnectionSettings {
  std::size_t line_bytes = 4096;
  double messages_per_second = 5;  // 0: unlimited
  double message_burst = 20;
  std::size_t outbox_bytes = 1 << 20;
  std::chrono::seconds registration_timeout{60};  // no name (text) or no NICK/USER (IRC) by then: closed
  std::chrono::milliseconds close_grace{5000};    // how long a closing connection may take to flush
  std::chrono::seconds idle_interval{0};          // silence before ProtocolSession::on_idle; 0: never
  // A registered connection that sends nothing for this long is closed; 0:
  // never (people lurk; keepalive finds dead peers). See docs/reliability.md.
  std::chrono::seconds silent_close{0};
  KeepAlive keepalive;
  // TLS listeners: a handshake not complete by then is dropped, without a word.
  std::chrono::seconds tls_handshake_timeout{10};
};

struct Protocol {
  std::string name;  // "text": for the log
  // Makes the codec session for a connection from `peer_address` ("127.0.0.1").
  std::function<std::unique_ptr<session::ProtocolSession>(core::LoopIndex, session::Outbound&,
                                                          const std::string& peer_address)>
      make_session;
  std::function<std::string(session::CloseReason)> farewell;  // last line for a server-decided close
  bool telnet = false;  // input may carry telnet commands (net/telnet.h): the text port
};

// What every connection of one listener shares.
struct Endpoint {
  Protocol protocol;
  ConnectionSettings settings;
  std::shared_ptr<TlsContext> tls;  // null: plain TCP
  std::size_t metrics_kind = 0;     // its slot in metrics::LoopCounters::kinds
};

}  // namespace parley::net
