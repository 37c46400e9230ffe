// config::load_file: [limits] exempt_networks (the rest of the file is
// covered by the integration tests, which run parleyd with a TOML file).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "config/config.h"

namespace parley::config {
namespace {

// A TOML file in a fresh temporary directory, removed with it.
class ConfigFile {
 public:
  explicit ConfigFile(const std::string& toml) {
    std::string pattern = (std::filesystem::temp_directory_path() / "parley-config-test-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    dir_ = pattern;
    path_ = (dir_ / "parleyd.toml").string();
    std::ofstream(path_) << toml;
  }
  ~ConfigFile() {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  const std::string& path() const { return path_; }

 private:
  std::filesystem::path dir_;
  std::string path_;
};

std::string load_error(const std::string& toml) {
  ConfigFile file(toml);
  try {
    load_file(file.path(), Config{});
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "(loaded)";
}

TEST(Config, ExemptNetworksDefaultToLoopback) {
  const Config defaults;
  EXPECT_EQ(defaults.server.exempt_networks.to_strings(), (std::vector<std::string>{"127.0.0.0/8", "::1/128"}));
  ConfigFile file("[limits]\nconnections_per_address = 3\n");
  const Config c = load_file(file.path(), Config{});
  EXPECT_EQ(c.server.exempt_networks.to_strings(), (std::vector<std::string>{"127.0.0.0/8", "::1/128"}));
}

TEST(Config, ExemptNetworksReplaceTheDefault) {
  ConfigFile file("[limits]\nexempt_networks = [\"10.0.0.0/8\", \"fd00::/8\", \"192.0.2.7\"]\n");
  const Config c = load_file(file.path(), Config{});
  EXPECT_EQ(c.server.exempt_networks.to_strings(),
            (std::vector<std::string>{"10.0.0.0/8", "fd00::/8", "192.0.2.7/32"}));
  EXPECT_TRUE(c.server.exempt_networks.contains("10.1.2.3"));
  EXPECT_FALSE(c.server.exempt_networks.contains("127.0.0.1"));
}

TEST(Config, EmptyExemptNetworksExemptNothing) {
  ConfigFile file("[limits]\nexempt_networks = []\n");
  const Config c = load_file(file.path(), Config{});
  EXPECT_TRUE(c.server.exempt_networks.empty());
  EXPECT_FALSE(c.server.exempt_networks.contains("127.0.0.1"));
  EXPECT_FALSE(c.server.exempt_networks.contains("::1"));
}

// The error names the file, the key (with the element's index) and the value.
TEST(Config, BadExemptNetworkIsRefusedByName) {
  ConfigFile file("[limits]\nexempt_networks = [\"127.0.0.0/8\", \"10.0.0.0/33\"]\n");
  try {
    load_file(file.path(), Config{});
    FAIL() << "a prefix of 33 was accepted";
  } catch (const ConfigError& e) {
    const std::string what = e.what();
    EXPECT_EQ(what.find(file.path() + ": limits.exempt_networks[1]: '10.0.0.0/33' is not a network in CIDR form"), 0u)
        << what;
  }
  EXPECT_NE(load_error("[limits]\nexempt_networks = [\"10.1.2.3/8\"]\n").find("did you mean 10.0.0.0/8?"),
            std::string::npos);
  EXPECT_NE(load_error("[limits]\nexempt_networks = [\"localhost\"]\n")
                .find("limits.exempt_networks[0]: 'localhost' is not a network in CIDR form"),
            std::string::npos);
}

TEST(Config, ExemptNetworksMustBeAListOfStrings) {
  EXPECT_NE(load_error("[limits]\nexempt_networks = \"127.0.0.0/8\"\n").find("limits.exempt_networks: must be a list"),
            std::string::npos)
      << load_error("[limits]\nexempt_networks = \"127.0.0.0/8\"\n");
  EXPECT_NE(load_error("[limits]\nexempt_networks = [8]\n").find("limits.exempt_networks[0]: must be a string"),
            std::string::npos)
      << load_error("[limits]\nexempt_networks = [8]\n");
}

// [tls] and the TLS ports (issue 12).
TEST(Config, TlsIsOffByDefault) {
  const Config defaults;
  EXPECT_FALSE(defaults.tls.enabled());
  EXPECT_EQ(0, defaults.tls.sts_port);
}

TEST(Config, TlsPortsAndCertificateAreRead) {
  ConfigFile file(
      "[irc]\ntls_port = 6697\n[text]\ntls_port = 0\n[tls]\ncertificate = \"c.pem\"\nkey = \"k.pem\"\n"
      "sts_port = 6697\nsts_duration_seconds = 60\nhandshake_timeout_seconds = 3\n");
  const Config c = load_file(file.path(), Config{});
  EXPECT_TRUE(c.tls.enabled());
  EXPECT_EQ(6697, c.tls.irc_port);
  EXPECT_EQ(0, c.tls.text_port);
  EXPECT_EQ("c.pem", c.tls.certificate);
  EXPECT_EQ("k.pem", c.tls.key);
  EXPECT_EQ(6697, c.tls.sts_port);
  EXPECT_EQ(std::chrono::seconds(60), c.tls.sts_duration);
  EXPECT_EQ(std::chrono::seconds(3), c.tls.handshake_timeout);
}

TEST(Config, TheHttpsPortIsReadAndTurnsTlsOn) {
  const Config defaults;
  EXPECT_EQ(-1, defaults.tls.https_port);  // off by default
  ConfigFile file("[http]\ntls_port = 8443\n");
  const Config c = load_file(file.path(), Config{});
  EXPECT_EQ(8443, c.tls.https_port);
  EXPECT_TRUE(c.tls.enabled());  // the certificate is needed
  EXPECT_EQ("(loaded)", load_error("[http]\ntls_port = 0\n"));
  EXPECT_EQ("(loaded)", load_error("[http]\ntls_port = -1\n"));
  EXPECT_NE("(loaded)", load_error("[http]\ntls_port = 65536\n"));
  EXPECT_NE("(loaded)", load_error("[http]\ntls_port = -2\n"));
}

TEST(Config, TlsCertificateWithoutKeyIsRefused) {
  EXPECT_NE(std::string::npos, load_error("[tls]\ncertificate = \"c.pem\"\n").find("certificate and key go together"));
  EXPECT_NE(std::string::npos, load_error("[tls]\nkey = \"k.pem\"\n").find("certificate and key go together"));
}

TEST(Config, TlsPortsAreBounded) {
  EXPECT_NE("(loaded)", load_error("[irc]\ntls_port = 65536\n"));
  EXPECT_NE("(loaded)", load_error("[text]\ntls_port = -2\n"));
  EXPECT_EQ("(loaded)", load_error("[text]\ntls_port = -1\n"));  // off, as by default
  EXPECT_NE("(loaded)", load_error("[tls]\nhandshake_timeout_seconds = 0\n"));
  EXPECT_NE("(loaded)", load_error("[tls]\nunknown = 1\n"));
}

}  // namespace
}  // namespace parley::config

namespace parley::config {
namespace {

TEST(Config, HistoryRetentionAtAndPastItsLimits) {
  ConfigFile file("[history]\nkeep_days = 36500\nkeep_lines_per_room = 5\n");
  const Config c = load_file(file.path(), Config{});
  EXPECT_EQ(c.storage.retention.max_age, std::chrono::hours(24 * 36500));
  EXPECT_EQ(c.storage.retention.max_lines_per_room, 5u);
  EXPECT_FALSE(Config{}.storage.retention.enabled()) << "history is kept for ever unless asked";
  EXPECT_NE(load_error("[history]\nkeep_days = 36501\n").find("history.keep_days: must be a whole number from 0 to 36500"),
            std::string::npos);
  EXPECT_NE(load_error("[history]\nkeep_lines_per_room = -1\n").find("history.keep_lines_per_room"), std::string::npos);
}

TEST(Config, WriteHoldAtAndPastItsLimits) {
  EXPECT_EQ(Config{}.server.write_hold, std::chrono::milliseconds(15));
  ConfigFile off("write_hold_seconds = 0\n");
  EXPECT_EQ(load_file(off.path(), Config{}).server.write_hold, std::chrono::microseconds(0));
  ConfigFile most("write_hold_seconds = 1\n");
  EXPECT_EQ(load_file(most.path(), Config{}).server.write_hold, std::chrono::seconds(1));
  ConfigFile fraction("write_hold_seconds = 0.005\n");
  EXPECT_EQ(load_file(fraction.path(), Config{}).server.write_hold, std::chrono::milliseconds(5));
  EXPECT_NE(load_error("write_hold_seconds = 1.5\n").find("write_hold_seconds"), std::string::npos);
  EXPECT_NE(load_error("write_hold_seconds = -0.1\n").find("write_hold_seconds"), std::string::npos);
}

// A float where a whole number belongs is refused by name, however large:
// 1e20 does not fit in 64 bits (found by fuzz_config under UBSan).
TEST(Config, FloatsWhereWholeNumbersBelongAreRefused) {
  for (const char* value : {"1e20", "-1e20", "2.0", "inf", "nan"}) {
    EXPECT_NE(load_error(std::string("[history]\nkeep_days = ") + value + "\n")
                  .find("history.keep_days: must be a whole number from 0 to 36500"),
              std::string::npos)
        << value;
  }
}

// server_description (IRC LINKS and WHOIS): one line of text, 1 to 100
// characters, no control characters.
TEST(Config, ServerDescriptionAtAndPastItsLimits) {
  EXPECT_EQ(Config{}.server_description, "Parley chat server");
  const std::string filler(96, 'x');
  ConfigFile file("server_description = \"\u00e9t\u00e9 " + filler + "\"\n");  // 100 characters, 102 bytes
  EXPECT_EQ(load_file(file.path(), Config{}).server_description, "\u00e9t\u00e9 " + filler);
  for (const std::string& bad : {std::string("server_description = \"\"\n"),
                                "server_description = \"" + std::string(101, 'x') + "\"\n",
                                std::string("server_description = \"two\\r\\nlines\"\n"),
                                std::string("server_description = \"bell\\u0007\"\n")}) {
    EXPECT_NE(load_error(bad).find("server_description: '"), std::string::npos) << bad << load_error(bad);
  }
}

TEST(Config, RegisterBeforeConnectIsOnUnlessTurnedOff) {
  EXPECT_TRUE(Config{}.register_before_connect);
  ConfigFile file("[accounts]\nregister_before_connect = false\n");
  EXPECT_FALSE(load_file(file.path(), Config{}).register_before_connect);
}

// A plain operator password is kept as SASLprep prepares it (as OPER
// prepares what is typed); one SASLprep prohibits is an error; a hash is
// kept as it is.
TEST(Config, OperatorPasswordsAreSaslprepped) {
  ConfigFile file("[[irc.operators]]\nname = \"root\"\npassword = \"cafe\u0301\u00a0bar\"\n");
  const Config c = load_file(file.path(), Config{});
  ASSERT_EQ(c.operators.size(), 1u);
  EXPECT_EQ(c.operators[0].password, "caf\u00e9 bar");  // composed; the no-break space a space
  EXPECT_NE(load_error("[[irc.operators]]\nname = \"root\"\npassword = \"a\\u0007b\"\n")
                .find("irc.operators[0].password: not a usable password"),
            std::string::npos);
}

// [http]: the web port (src/web).
TEST(ConfigHttp, DefaultsToLoopback8080) {
  const Config c;
  EXPECT_TRUE(c.http.enabled);
  EXPECT_EQ(c.http.port, 8080);
  EXPECT_TRUE(c.http.allowed_origins.empty());
}

TEST(ConfigHttp, ReadsItsKeys) {
  ConfigFile file("[http]\nport = 0\nbind = \"::1\"\nallowed_origins = [\"https://chat.example\", \"*\"]\n"
                  "max_frame_bytes = 512\nhandshake_timeout_seconds = 2\nenabled = false\n");
  const Config c = load_file(file.path(), Config{});
  EXPECT_FALSE(c.http.enabled);
  EXPECT_EQ(c.http.port, 0);
  EXPECT_EQ(c.http.bind, "::1");
  EXPECT_EQ(c.http.allowed_origins, (std::vector<std::string>{"https://chat.example", "*"}));
  EXPECT_EQ(c.http.max_frame_bytes, 512u);
  EXPECT_EQ(c.http.handshake_timeout, std::chrono::seconds(2));
}

TEST(ConfigHttp, RefusesWhatIsNotAnOriginOrOutOfRange) {
  EXPECT_NE(load_error("[http]\nallowed_origins = [\"chat.example\"]\n").find("http.allowed_origins[0]"),
            std::string::npos);
  EXPECT_NE(load_error("[http]\nmax_frame_bytes = 511\n").find("http.max_frame_bytes"), std::string::npos);
  EXPECT_NE(load_error("[http]\nport = 65536\n").find("http.port"), std::string::npos);
}

}  // namespace
}  // namespace parley::config

namespace parley::config {
namespace {

// [cluster] liveness (docs/cluster.md): the heartbeat and the node timeout
// at and past their edges; a timeout shorter than two heartbeats would find
// live nodes dead.
TEST(ConfigCluster, HeartbeatAndNodeTimeoutAtAndPastTheirEdges) {
  const std::string head = "[cluster]\nredis = \"redis://127.0.0.1:6379\"\n";
  ConfigFile file(head + "heartbeat_seconds = 0.05\nnode_timeout_seconds = 0.2\n");
  const Config c = load_file(file.path(), Config{});
  EXPECT_EQ(c.cluster.heartbeat, std::chrono::milliseconds(50));
  EXPECT_EQ(c.cluster.node_timeout, std::chrono::milliseconds(200));
  EXPECT_EQ(Config{}.cluster.node_timeout, std::chrono::seconds(5));
  EXPECT_EQ("(loaded)", load_error(head + "heartbeat_seconds = 60\nnode_timeout_seconds = 600\n"));
  EXPECT_NE("(loaded)", load_error(head + "heartbeat_seconds = 0.04\n"));
  EXPECT_NE("(loaded)", load_error(head + "heartbeat_seconds = 61\n"));
  EXPECT_NE("(loaded)", load_error(head + "node_timeout_seconds = 0.1\n"));
  EXPECT_NE("(loaded)", load_error(head + "node_timeout_seconds = 601\n"));
  EXPECT_EQ("(loaded)", load_error(head + "heartbeat_seconds = 1\nnode_timeout_seconds = 2\n"));
  EXPECT_NE(load_error(head + "heartbeat_seconds = 1\nnode_timeout_seconds = 1.9\n").find("twice"), std::string::npos);
}

TEST(ConfigCluster, TailCheckAtAndPastItsEdges) {
  const std::string head = "[cluster]\nredis = \"redis://127.0.0.1:6379\"\n";
  EXPECT_EQ(Config{}.cluster.tail_check, std::chrono::seconds(1));
  ConfigFile file(head + "tail_check_seconds = 0.01\n");
  EXPECT_EQ(load_file(file.path(), Config{}).cluster.tail_check, std::chrono::milliseconds(10));
  EXPECT_EQ("(loaded)", load_error(head + "tail_check_seconds = 60\nname_lease_seconds = 180\n"));
  EXPECT_NE("(loaded)", load_error(head + "tail_check_seconds = 0.009\n"));
  EXPECT_NE("(loaded)", load_error(head + "tail_check_seconds = 61\n"));
}

TEST(ConfigCluster, StreamLengthAtAndPastItsEdges) {
  const std::string head = "[cluster]\nredis = \"redis://127.0.0.1:6379\"\n";
  EXPECT_EQ(Config{}.cluster.stream_length, 10000);
  ConfigFile file(head + "stream_length = 100\n");
  EXPECT_EQ(load_file(file.path(), Config{}).cluster.stream_length, 100);
  EXPECT_EQ("(loaded)", load_error(head + "stream_length = 10000000\n"));
  EXPECT_NE("(loaded)", load_error(head + "stream_length = 99\n"));
  EXPECT_NE("(loaded)", load_error(head + "stream_length = 10000001\n"));
}

// Leases are renewed at the tail checks: a lease must outlive three of them.
TEST(ConfigCluster, NameLeaseAtAndPastItsEdges) {
  const std::string head = "[cluster]\nredis = \"redis://127.0.0.1:6379\"\n";
  EXPECT_EQ(Config{}.cluster.name_lease, std::chrono::seconds(30));
  ConfigFile file(head + "name_lease_seconds = 3\n");
  EXPECT_EQ(load_file(file.path(), Config{}).cluster.name_lease, std::chrono::seconds(3));
  EXPECT_EQ("(loaded)", load_error(head + "name_lease_seconds = 3600\n"));
  EXPECT_NE("(loaded)", load_error(head + "name_lease_seconds = 2.9\n"));
  EXPECT_NE("(loaded)", load_error(head + "name_lease_seconds = 3601\n"));
  EXPECT_EQ("(loaded)", load_error(head + "tail_check_seconds = 2\nname_lease_seconds = 6\n"));
  EXPECT_NE(load_error(head + "tail_check_seconds = 2\nname_lease_seconds = 5.9\n").find("3 times"), std::string::npos);
  EXPECT_NE("(loaded)", load_error(head + "tail_check_seconds = 60\n")) << "the default 30 s lease would expire between checks";
}

}  // namespace
}  // namespace parley::config
