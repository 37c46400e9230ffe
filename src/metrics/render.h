#pragma once
// The Prometheus text exposition format (version 0.0.4) of a registry: what
// an HTTP /metrics route answers.
#include <string>

#include "metrics/registry.h"

namespace parley::metrics {

std::string prometheus_text(const Registry& registry);

}  // namespace parley::metrics
