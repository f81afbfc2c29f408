// Bounds on what answers carry. Suggestions, challenges and analyses name
// the items they match through ItemRef; an item's text may be 16 KiB, and a
// hundred suggestions with four items each would outgrow a client's default
// 4 MiB receive limit. Answers carry an excerpt instead, flagged as such;
// the whole item is in GetProfile of its profile.
#ifndef POLLINATOR_SERVICES_GUARDS_RESPONSE_BOUNDS_H_
#define POLLINATOR_SERVICES_GUARDS_RESPONSE_BOUNDS_H_

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace pollinator {

// Longest item text an answer carries.
inline constexpr size_t kMaxItemRefTextBytes = 500;

// `text` cut at a word boundary to at most `max_bytes` bytes plus "…"
// (never inside a UTF-8 sequence); `text` itself when it fits.
std::string Excerpt(absl::string_view text, size_t max_bytes);

// Every ItemRef inside `response`, however deep, keeps at most
// kMaxItemRefTextBytes of its text and says so in text_truncated.
void BoundItemTexts(google::protobuf::Message& response);

}  // namespace pollinator

#endif  // POLLINATOR_SERVICES_GUARDS_RESPONSE_BOUNDS_H_
