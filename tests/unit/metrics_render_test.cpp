// The Prometheus text rendering of metrics::Registry: families, labels, sums
// over loops, sampled values.
#include <gtest/gtest.h>

#include <string>

#include "metrics/registry.h"
#include "metrics/render.h"

namespace parley::metrics {
namespace {

using session::CloseReason;

bool has_line(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos || text.starts_with(line + "\n");
}

TEST(MetricsRender, EveryFamilyHasHelpAndType) {
  Registry r(1);
  r.kind("text", false);
  const std::string text = prometheus_text(r);
  for (const char* family : {"parley_connections", "parley_connections_accepted_total", "parley_registrations_total",
                             "parley_messages_in_total", "parley_deliveries_out_total", "parley_bytes_out_total",
                             "parley_disconnects_total", "parley_rejected_lines_total", "parley_outbox_bytes",
                             "parley_loop_lag_seconds"}) {
    EXPECT_NE(std::string::npos, text.find(std::string("# HELP ") + family + " ")) << family;
    EXPECT_NE(std::string::npos, text.find(std::string("# TYPE ") + family + " ")) << family;
  }
  EXPECT_TRUE(has_line(text, "# TYPE parley_connections gauge")) << text;
  EXPECT_TRUE(has_line(text, "# TYPE parley_messages_in_total counter")) << text;
  EXPECT_EQ('\n', text.back());
}

TEST(MetricsRender, SumsTheLoopsPerListenerKind) {
  Registry r(2);
  const auto text_kind = r.kind("text", false);
  const auto irc_tls = r.kind("IRC", true);
  EXPECT_EQ(text_kind, r.kind("text", false));  // the same kind, the same slot
  r.loop(0).kinds[irc_tls].lines_in.add(3);
  r.loop(1).kinds[irc_tls].lines_in.add(4);
  r.loop(1).kinds[text_kind].open.add(2);
  r.loop(1).kinds[text_kind].open.add(-1);
  const std::string text = prometheus_text(r);
  EXPECT_TRUE(has_line(text, "parley_messages_in_total{protocol=\"irc\",tls=\"true\"} 7")) << text;
  EXPECT_TRUE(has_line(text, "parley_messages_in_total{protocol=\"text\",tls=\"false\"} 0")) << text;
  EXPECT_TRUE(has_line(text, "parley_connections{protocol=\"text\",tls=\"false\"} 1")) << text;
}

TEST(MetricsRender, DisconnectsAreLabelledByReason) {
  Registry r(2);
  r.loop(0).disconnects[static_cast<std::size_t>(CloseReason::too_slow)].add();
  r.loop(1).disconnects[static_cast<std::size_t>(CloseReason::too_slow)].add();
  r.loop(1).disconnects[static_cast<std::size_t>(CloseReason::ping_timeout)].add();
  r.loop(0).disconnects[static_cast<std::size_t>(CloseReason::removed)].add();
  const std::string text = prometheus_text(r);
  EXPECT_TRUE(has_line(text, "parley_disconnects_total{reason=\"sendq\"} 2")) << text;
  EXPECT_TRUE(has_line(text, "parley_disconnects_total{reason=\"ping_timeout\"} 1")) << text;
  EXPECT_TRUE(has_line(text, "parley_disconnects_total{reason=\"kill\"} 1")) << text;
  EXPECT_TRUE(has_line(text, "parley_disconnects_total{reason=\"quit\"} 0")) << text;
}

TEST(MetricsRender, LoopLagIsPerLoopInSeconds) {
  Registry r(2);
  r.loop(1).lag_microseconds.set(1500);
  const std::string text = prometheus_text(r);
  EXPECT_TRUE(has_line(text, "parley_loop_lag_seconds{loop=\"0\"} 0")) << text;
  EXPECT_TRUE(has_line(text, "parley_loop_lag_seconds{loop=\"1\"} 0.0015")) << text;
}

TEST(MetricsRender, SampledValuesAreReadAtRenderTime) {
  Registry r(1);
  double depth = 5;
  r.add_sampled({"storage_queue_lines", "History lines waiting.", false, [&depth] { return depth; }});
  EXPECT_TRUE(has_line(prometheus_text(r), "parley_storage_queue_lines 5"));
  depth = 12;
  const std::string text = prometheus_text(r);
  EXPECT_TRUE(has_line(text, "# TYPE parley_storage_queue_lines gauge")) << text;
  EXPECT_TRUE(has_line(text, "parley_storage_queue_lines 12")) << text;
}

TEST(MetricsRender, LabelValuesAreEscaped) {
  Registry r(1);
  r.kind("we\"ird\\", false);
  const std::string text = prometheus_text(r);
  EXPECT_NE(std::string::npos, text.find("protocol=\"we\\\"ird\\\\\"")) << text;
}

TEST(MetricsRegistry, TooManyKindsIsAnError) {
  Registry r(1);
  for (std::size_t i = 0; i < kMaxListenerKinds; ++i) r.kind("p" + std::to_string(i), false);
  EXPECT_THROW(r.kind("one more", false), std::length_error);
}

}  // namespace
}  // namespace parley::metrics
