// Helpers shared by the fuzz targets: an invariant check that stops the
// fuzzer with a message, message equality that treats NaN as equal to
// itself (the JSON mapping carries "NaN", and a NaN must round-trip), and
// the switch for the checks of open findings.
#ifndef POLLINATOR_FUZZ_FUZZ_CHECK_H_
#define POLLINATOR_FUZZ_FUZZ_CHECK_H_

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include <google/protobuf/message.h>
#include <google/protobuf/stubs/common.h>
#include <google/protobuf/util/field_comparator.h>
#include <google/protobuf/util/message_differencer.h>

#include "absl/strings/string_view.h"

namespace pollinator::fuzz {

// Prints what broke and traps, so that libFuzzer keeps the input as a crash.
[[noreturn]] inline void Fail(const char* file, int line, const char* condition, absl::string_view detail) {
  std::fprintf(stderr, "%s:%d: invariant violated: %s\n", file, line, condition);
  if (!detail.empty()) std::fprintf(stderr, "  %.*s\n", static_cast<int>(detail.size()), detail.data());
  std::fflush(stderr);
  __builtin_trap();
}

// Equal fields, NaN matching NaN; on a difference, `report` says which.
inline bool SameMessage(const google::protobuf::Message& a, const google::protobuf::Message& b,
                        std::string* report = nullptr) {
  google::protobuf::util::DefaultFieldComparator comparator;
  comparator.set_treat_nan_as_equal(true);
  google::protobuf::util::MessageDifferencer differencer;
  differencer.set_field_comparator(&comparator);
  if (report != nullptr) differencer.ReportDifferencesToString(report);
  return differencer.Compare(a, b);
}

// True with POLLINATOR_FUZZ_STRICT=1, for reproducing: protobuf's log
// lines are kept.
inline bool Strict() {
  static const bool strict = [] {
    const char* value = std::getenv("POLLINATOR_FUZZ_STRICT");
    return value != nullptr && std::strcmp(value, "1") == 0;
  }();
  return strict;
}

// Drops protobuf's log lines (each string that is not UTF-8 logs one),
// which slow a run and bury its report; kept with POLLINATOR_FUZZ_STRICT=1,
// when reproducing. FATAL still aborts.
inline void QuietProtobufLogs() {
  if (!Strict()) google::protobuf::SetLogHandler(nullptr);
}

// UTF-8 as protobuf accepts it in a string field.
inline bool IsValidUtf8(absl::string_view text) {
  return google::protobuf::internal::IsStructurallyValidUTF8(text.data(), static_cast<int>(text.size()));
}

}  // namespace pollinator::fuzz

// CHECK(condition) or CHECK(condition, detail): traps when `condition` is
// false. `detail` (anything convertible to absl::string_view) is evaluated
// only then.
#define POLLINATOR_FUZZ_CHECK(condition, ...)                                          \
  do {                                                                                 \
    if (!(condition)) {                                                                \
      ::pollinator::fuzz::Fail(__FILE__, __LINE__, #condition, std::string(__VA_ARGS__)); \
    }                                                                                  \
  } while (0)

#endif  // POLLINATOR_FUZZ_FUZZ_CHECK_H_
