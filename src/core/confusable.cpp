#include "core/confusable.h"

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>
#include <unicode/uspoof.h>

#include <memory>

namespace parley::core {

namespace {

struct CloseChecker {
  void operator()(USpoofChecker* checker) const { uspoof_close(checker); }
};

// One checker per thread: ICU documents the checking functions as safe to
// share, but a checker per thread costs little and needs no such promise.
const USpoofChecker* checker() {
  thread_local const std::unique_ptr<USpoofChecker, CloseChecker> instance = [] {
    UErrorCode status = U_ZERO_ERROR;
    return std::unique_ptr<USpoofChecker, CloseChecker>(uspoof_open(&status));
  }();
  return instance.get();
}

}  // namespace

std::string confusable_skeleton(std::string_view name) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(status);
  const icu::UnicodeString text = icu::UnicodeString::fromUTF8(icu::StringPiece(name.data(), static_cast<int32_t>(name.size())));
  icu::UnicodeString folded = U_SUCCESS(status) ? nfkc_cf->normalize(text, status) : text;
  if (U_FAILURE(status) || !checker()) return std::string(name);
  icu::UnicodeString skeleton;
  uspoof_getSkeletonUnicodeString(checker(), 0, folded, skeleton, &status);
  if (U_FAILURE(status)) return std::string(name);
  std::string out;
  skeleton.toUTF8String(out);
  return out;
}

}  // namespace parley::core
