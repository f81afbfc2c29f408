// Builds FindPartnersRequests from `match` flags (see match_flags.h).
#include "tools/cli/match_flags.h"

#include <cmath>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "tools/cli/names.h"

namespace pollinator {
namespace {

constexpr int kMaxTopK = 100;

absl::Status FlagError(absl::string_view flag, absl::string_view message) {
  return absl::InvalidArgumentError(absl::StrCat("--", flag, ": ", message));
}

bool IsCountryCode(absl::string_view code) {
  return code.size() == 2 && absl::ascii_isalpha(code[0]) &&
         absl::ascii_isalpha(code[1]);
}

absl::Status SetQuery(const MatchFlags& flags,
                      v1::FindPartnersRequest* request) {
  const int given = static_cast<int>(!flags.profile.empty()) +
                    static_cast<int>(!flags.text.empty()) +
                    static_cast<int>(!flags.vector.empty());
  if (given != 1) {
    return absl::InvalidArgumentError(
        "match needs exactly one of --profile, --text and --vector");
  }
  if (!flags.profile.empty()) {
    request->set_profile_id(flags.profile);
  } else if (!flags.text.empty()) {
    request->set_text(flags.text);
  } else {
    absl::StatusOr<std::vector<float>> values = ParseVector(flags.vector);
    if (!values.ok()) return values.status();
    request->mutable_vector()->mutable_values()->Assign(values->begin(),
                                                        values->end());
  }
  return absl::OkStatus();
}

absl::Status SetOptions(const MatchFlags& flags,
                        v1::FindPartnersRequest* request) {
  absl::StatusOr<v1::Direction> direction = ParseDirection(flags.direction);
  if (!direction.ok()) return direction.status();
  request->set_direction(*direction);
  if (!flags.item.empty() && flags.profile.empty()) {
    return FlagError("item", "only works with --profile");
  }
  request->set_item_id(flags.item);
  if (flags.top_k < 1 || flags.top_k > kMaxTopK) {
    return FlagError("top_k", absl::StrCat("must be 1 to ", kMaxTopK, ", got ",
                                           flags.top_k));
  }
  request->set_top_k(flags.top_k);
  return absl::OkStatus();
}

absl::Status SetRanking(const MatchFlags& flags,
                        v1::FindPartnersRequest* request) {
  if (!flags.reciprocity.empty()) {
    absl::StatusOr<v1::Reciprocity> reciprocity =
        ParseReciprocity(flags.reciprocity);
    if (!reciprocity.ok()) {
      return FlagError("reciprocity", reciprocity.status().message());
    }
    if (flags.profile.empty()) {
      // The reverse direction needs the asker's own needs and offers; the
      // server ignores the setting for ad-hoc queries.
      return FlagError("reciprocity", "only works with --profile");
    }
    request->set_reciprocity(*reciprocity);
  }
  // Written so that NaN fails too.
  if (!(flags.diversity >= 0 && flags.diversity <= 1)) {
    return FlagError("diversity",
                     absl::StrCat("must be 0 to 1, got ", flags.diversity));
  }
  request->set_diversity(flags.diversity);
  if (flags.max_per_kind < 0 || flags.max_per_kind > kMaxTopK) {
    return FlagError(
        "max_per_kind",
        absl::StrCat("must be 0 to ", kMaxTopK, ", got ", flags.max_per_kind));
  }
  request->set_max_per_kind(flags.max_per_kind);
  if (flags.min_relevance >= 0 || std::isnan(flags.min_relevance)) {
    if (!(flags.min_relevance <= 1)) {
      return FlagError("min_relevance", absl::StrCat("must be 0 to 1, got ", flags.min_relevance));
    }
    request->set_min_relevance(flags.min_relevance);
  }
  return absl::OkStatus();
}

absl::Status SetMaxDistance(const MatchFlags& flags,
                            v1::MatchFilters* filters) {
  if (flags.max_km == 0) return absl::OkStatus();
  if (!std::isfinite(flags.max_km) || flags.max_km < 0) {
    return FlagError("max_km", "must be a positive number of kilometres");
  }
  if (flags.profile.empty()) {
    // The distance is measured from the asking profile's coordinates.
    return FlagError("max_km", "only works with --profile");
  }
  filters->set_max_distance_km(flags.max_km);
  return absl::OkStatus();
}

absl::Status SetFilters(const MatchFlags& flags, v1::MatchFilters* filters) {
  absl::StatusOr<std::vector<v1::ProfileKind>> kinds =
      ParseKindList(flags.kinds);
  if (!kinds.ok()) return kinds.status();
  for (v1::ProfileKind kind : *kinds) filters->add_kinds(kind);
  absl::StatusOr<std::vector<std::string>> countries =
      ParseCountryList(flags.countries);
  if (!countries.ok()) return countries.status();
  for (const std::string& country : *countries) filters->add_countries(country);
  absl::StatusOr<std::vector<v1::Component>> components =
      ParseComponentList(flags.components);
  if (!components.ok()) return components.status();
  for (v1::Component component : *components) {
    filters->add_components(component);
  }
  for (const std::string& sector : SplitList(flags.sectors)) {
    filters->add_sectors(sector);
  }
  for (const std::string& id : SplitList(flags.exclude)) {
    filters->add_exclude_profile_ids(id);
  }
  return SetMaxDistance(flags, filters);
}

}  // namespace

std::vector<std::string> SplitList(absl::string_view value) {
  std::vector<std::string> items;
  for (absl::string_view item : absl::StrSplit(value, ',')) {
    item = absl::StripAsciiWhitespace(item);
    if (!item.empty()) items.emplace_back(item);
  }
  return items;
}

absl::StatusOr<std::vector<v1::ProfileKind>> ParseKindList(
    absl::string_view value) {
  std::vector<v1::ProfileKind> kinds;
  for (const std::string& name : SplitList(value)) {
    absl::StatusOr<v1::ProfileKind> kind = ParseProfileKind(name);
    if (!kind.ok()) return FlagError("kinds", kind.status().message());
    kinds.push_back(*kind);
  }
  return kinds;
}

absl::StatusOr<std::vector<v1::Component>> ParseComponentList(
    absl::string_view value) {
  std::vector<v1::Component> components;
  for (const std::string& name : SplitList(value)) {
    absl::StatusOr<v1::Component> component = ParseComponent(name);
    if (!component.ok()) {
      return FlagError("components", component.status().message());
    }
    components.push_back(*component);
  }
  return components;
}

absl::StatusOr<std::vector<std::string>> ParseCountryList(
    absl::string_view value) {
  std::vector<std::string> countries;
  for (const std::string& code : SplitList(value)) {
    if (!IsCountryCode(code)) {
      return FlagError("countries",
                       absl::StrCat("\"", code,
                                    "\" is not an ISO 3166-1 alpha-2 code "
                                    "such as DE"));
    }
    countries.push_back(absl::AsciiStrToUpper(code));
  }
  return countries;
}

absl::StatusOr<std::vector<float>> ParseVector(absl::string_view value) {
  std::vector<float> values;
  for (const std::string& item : SplitList(value)) {
    float number = 0;
    if (!absl::SimpleAtof(item, &number) || !std::isfinite(number)) {
      return FlagError("vector",
                       absl::StrCat("\"", item, "\" is not a finite number"));
    }
    values.push_back(number);
  }
  if (values.empty()) return FlagError("vector", "no numbers given");
  return values;
}

absl::StatusOr<v1::Direction> ParseDirection(absl::string_view value) {
  const std::string lower =
      absl::AsciiStrToLower(absl::StripAsciiWhitespace(value));
  if (lower == "needs") return v1::DIRECTION_NEEDS_TO_OFFERS;
  if (lower == "offers") return v1::DIRECTION_OFFERS_TO_NEEDS;
  return FlagError("direction", absl::StrCat("expected needs or offers, got \"",
                                             value, "\""));
}

absl::StatusOr<v1::FindPartnersRequest> BuildFindPartnersRequest(
    const MatchFlags& flags, absl::string_view tenant) {
  v1::FindPartnersRequest request;
  request.set_tenant(std::string(tenant));
  absl::Status status = SetQuery(flags, &request);
  if (status.ok()) status = SetOptions(flags, &request);
  if (status.ok()) status = SetRanking(flags, &request);
  if (status.ok()) status = SetFilters(flags, request.mutable_filters());
  if (!status.ok()) return status;
  return request;
}

}  // namespace pollinator
