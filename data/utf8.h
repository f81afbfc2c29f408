// UTF-8 checks for text that comes from outside (CSV files, HTTP bodies)
// before it reaches a protobuf string field, which must hold valid UTF-8:
// well-formed sequences only, no overlong forms, no surrogates, nothing
// past U+10FFFF.
#ifndef POLLINATOR_DATA_UTF8_H_
#define POLLINATOR_DATA_UTF8_H_

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"

namespace pollinator {

// The byte offset of the first invalid sequence in `text`, or npos.
size_t FirstInvalidUtf8(absl::string_view text);
inline bool IsValidUtf8(absl::string_view text) { return FirstInvalidUtf8(text) == absl::string_view::npos; }
// `text` with each invalid byte replaced by U+FFFD.
std::string ToValidUtf8(absl::string_view text);

}  // namespace pollinator

#endif  // POLLINATOR_DATA_UTF8_H_
