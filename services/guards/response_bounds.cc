#include "services/guards/response_bounds.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "pollinator/v1/matching.pb.h"

namespace pollinator {

std::string Excerpt(absl::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  size_t cut = text.rfind(' ', max_bytes);
  if (cut == absl::string_view::npos || cut < max_bytes / 2) {
    // One very long word: cut it, but not inside a UTF-8 sequence.
    cut = max_bytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  }
  absl::string_view kept = absl::StripTrailingAsciiWhitespace(text.substr(0, cut));
  while (!kept.empty() && absl::StrContains(",;:-(", kept.back())) kept.remove_suffix(1);
  return absl::StrCat(kept, "…");
}

void BoundItemTexts(google::protobuf::Message& response) {
  if (auto* item = dynamic_cast<v1::ItemRef*>(&response)) {
    if (item->text().size() > kMaxItemRefTextBytes) {
      item->set_text(Excerpt(item->text(), kMaxItemRefTextBytes));
      item->set_text_truncated(true);
    }
    return;
  }
  const google::protobuf::Reflection* reflection = response.GetReflection();
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  reflection->ListFields(response, &fields);
  for (const google::protobuf::FieldDescriptor* field : fields) {
    if (field->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE) continue;
    if (field->is_map()) continue;  // no answer maps to messages that hold items
    if (field->is_repeated()) {
      for (int i = 0; i < reflection->FieldSize(response, field); ++i) {
        BoundItemTexts(*reflection->MutableRepeatedMessage(&response, field, i));
      }
    } else {
      BoundItemTexts(*reflection->MutableMessage(&response, field));
    }
  }
}

}  // namespace pollinator
