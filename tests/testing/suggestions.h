// Small readers of FindPartners responses for tests.
#ifndef POLLINATOR_TESTS_TESTING_SUGGESTIONS_H_
#define POLLINATOR_TESTS_TESTING_SUGGESTIONS_H_

#include <string>
#include <vector>

#include "pollinator/v1/matching.pb.h"

namespace pollinator::testing {

// The suggested partners' ids, best first.
inline std::vector<std::string> PartnerIds(const v1::FindPartnersResponse& response) {
  std::vector<std::string> ids;
  for (const v1::Suggestion& suggestion : response.suggestions()) ids.push_back(suggestion.partner().id());
  return ids;
}

// The suggestion of partner `id`, or null when it is not suggested.
inline const v1::Suggestion* SuggestionFor(const v1::FindPartnersResponse& response, const std::string& id) {
  for (const v1::Suggestion& suggestion : response.suggestions()) {
    if (suggestion.partner().id() == id) return &suggestion;
  }
  return nullptr;
}

}  // namespace pollinator::testing

#endif  // POLLINATOR_TESTS_TESTING_SUGGESTIONS_H_
