#pragma once
// Reading the server's /metrics page (docs/metrics.md) as a scraper does.

#include <gtest/gtest.h>

#include <cstdint>
#include <sstream>
#include <string>

#include "timing.hpp"
#include "ws_client.hpp"

namespace parley::test {

// The sum of a metric's samples over all its labels.
inline double metric_sum(const std::string& page, const std::string& name) {
  double sum = 0;
  std::istringstream lines(page);
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with('#') || !line.starts_with(name)) continue;
    const char after = line.size() > name.size() ? line[name.size()] : '\0';
    if (after != '{' && after != ' ') continue;  // another metric with this prefix
    sum += std::stod(line.substr(line.rfind(' ') + 1));
  }
  return sum;
}

// One sample ("parley_x{labels}") of /metrics, read until it is `want` or
// the deadline passes: the counters are written on the loops.
inline ::testing::AssertionResult metric_reaches(std::uint16_t http_port, const std::string& sample, double want) {
  std::string page;
  double got = -1;
  for (const auto deadline = Clock::now() + default_timeout(); Clock::now() < deadline;) {
    auto scraped = http_get(http_port, "/metrics");
    if (!scraped) continue;
    page = scraped->body;
    const auto at = page.find(std::string("\n").append(sample).append(" "));
    got = at == std::string::npos ? -1 : std::stod(page.substr(at + sample.size() + 2));
    if (got == want) return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << sample << " is " << got << ", not " << want << "\n" << page;
}

// A metric's sum over its labels, read until it is at least `want`.
inline ::testing::AssertionResult metric_sum_reaches(std::uint16_t http_port, const std::string& name, double want) {
  std::string page;
  for (const auto deadline = Clock::now() + default_timeout(); Clock::now() < deadline;) {
    auto scraped = http_get(http_port, "/metrics");
    if (!scraped) continue;
    page = scraped->body;
    if (metric_sum(page, name) >= want) return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << name << " is " << metric_sum(page, name) << ", below " << want << "\n"
                                       << page;
}

}  // namespace parley::test
