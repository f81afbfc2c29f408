#include "services/validation.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>
#include <type_traits>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"

namespace pollinator {
namespace {

absl::Status Invalid(absl::string_view field, absl::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", problem));
}

// "<field>: 21 items, at most 20".
absl::Status CheckCount(absl::string_view field, int size, int limit) {
  if (size <= limit) return absl::OkStatus();
  return Invalid(field, absl::StrCat(size, " items, at most ", limit));
}

bool HasControlCharacter(absl::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

// Short optional strings such as names, regions and codes.
absl::Status ValidateLabel(absl::string_view field, absl::string_view value, size_t max_bytes) {
  if (value.size() > max_bytes) return Invalid(field, absl::StrCat("longer than ", max_bytes, " bytes"));
  if (HasControlCharacter(value)) return Invalid(field, "contains control characters");
  return absl::OkStatus();
}

absl::Status ValidateCountry(absl::string_view field, absl::string_view country) {
  if (country.size() != 2 || !absl::ascii_isupper(country[0]) || !absl::ascii_isupper(country[1])) {
    return Invalid(field, absl::StrCat("\"", country, "\" is not an ISO 3166-1 alpha-2 code like \"DE\""));
  }
  return absl::OkStatus();
}

absl::Status ValidateLocation(const v1::Location& location) {
  if (!location.country().empty()) {
    if (absl::Status s = ValidateCountry("location.country", location.country()); !s.ok()) return s;
  }
  if (absl::Status s = ValidateLabel("location.region", location.region(), 256); !s.ok()) return s;
  if (absl::Status s = ValidateLabel("location.city", location.city(), 256); !s.ok()) return s;
  if (location.has_lat() != location.has_lon()) return Invalid("location", "set both lat and lon, or neither");
  if (location.has_lat() && !(location.lat() >= -90.0 && location.lat() <= 90.0)) {
    return Invalid("location.lat", "outside [-90, 90]");
  }
  if (location.has_lon() && !(location.lon() >= -180.0 && location.lon() <= 180.0)) {
    return Invalid("location.lon", "outside [-180, 180]");
  }
  return absl::OkStatus();
}

absl::Status ValidateDate(absl::string_view field, const v1::Date& date) {
  if (date.year() == 0 && date.month() == 0 && date.day() == 0) return absl::OkStatus();
  const absl::CivilDay day(date.year(), date.month(), date.day());
  if (date.year() < 1 || date.year() > 9999 || day.year() != date.year() || day.month() != date.month() ||
      day.day() != date.day()) {
    return Invalid(field, absl::StrCat(date.year(), "-", date.month(), "-", date.day(), " is not a valid date"));
  }
  return absl::OkStatus();
}

// Needs and offers have the same fields; this checks either.
template <typename Item, typename ModeList>
absl::Status ValidateItem(absl::string_view field, const Item& item, const ModeList& modes) {
  if (absl::Status s = ValidateId(absl::StrCat(field, ".id"), item.id()); !s.ok()) return s;
  if (absl::Status s = ValidateText(absl::StrCat(field, ".text"), item.text()); !s.ok()) return s;
  if (!v1::Component_IsValid(item.component())) {
    return Invalid(absl::StrCat(field, ".component"), absl::StrCat("unknown value ", item.component()));
  }
  if (absl::Status s = CheckCount(absl::StrCat(field, ".modes"), modes.size(), kMaxModesPerItem); !s.ok()) return s;
  for (int i = 0; i < modes.size(); ++i) {
    if (!v1::CollaborationMode_IsValid(modes.Get(i))) {
      return Invalid(absl::StrCat(field, ".modes[", i, "]"), absl::StrCat("unknown value ", modes.Get(i)));
    }
  }
  if (!v1::GeographicScope_IsValid(item.scope())) {
    return Invalid(absl::StrCat(field, ".scope"), absl::StrCat("unknown value ", item.scope()));
  }
  if (absl::Status s = ValidateDate(absl::StrCat(field, ".expires"), item.expires()); !s.ok()) return s;
  if (!item.vector().empty()) {
    return ValidateVector(absl::StrCat(field, ".vector"), item.vector());
  }
  return absl::OkStatus();
}

absl::Status ValidateChallenge(absl::string_view field, const v1::Need& need) {
  const v1::Challenge& challenge = need.challenge();
  const v1::Date& deadline = challenge.deadline();
  if (deadline.year() == 0 && deadline.month() == 0 && deadline.day() == 0) {
    return Invalid(absl::StrCat(field, ".challenge.deadline"), "required for a challenge");
  }
  if (absl::Status s = ValidateDate(absl::StrCat(field, ".challenge.deadline"), deadline); !s.ok()) return s;
  if (std::find(need.modes().begin(), need.modes().end(), v1::COLLABORATION_MODE_OPEN_INNOVATION_CHALLENGE) ==
      need.modes().end()) {
    return Invalid(absl::StrCat(field, ".modes"),
                   "a need with a challenge must list COLLABORATION_MODE_OPEN_INNOVATION_CHALLENGE");
  }
  if (absl::Status s = CheckCount(absl::StrCat(field, ".challenge.solver_kinds"), challenge.solver_kinds_size(),
                                  kMaxChallengeSolverKinds);
      !s.ok()) {
    return s;
  }
  for (int i = 0; i < challenge.solver_kinds_size(); ++i) {
    const v1::ProfileKind kind = challenge.solver_kinds(i);
    if (kind == v1::PROFILE_KIND_UNSPECIFIED || !v1::ProfileKind_IsValid(kind)) {
      return Invalid(absl::StrCat(field, ".challenge.solver_kinds[", i, "]"), absl::StrCat("unknown value ", kind));
    }
  }
  if (absl::Status s = CheckCount(absl::StrCat(field, ".challenge.solver_countries"),
                                  challenge.solver_countries_size(), kMaxChallengeSolverCountries);
      !s.ok()) {
    return s;
  }
  for (int i = 0; i < challenge.solver_countries_size(); ++i) {
    if (absl::Status s = ValidateCountry(absl::StrCat(field, ".challenge.solver_countries[", i, "]"),
                                         challenge.solver_countries(i));
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

template <typename ItemList>
absl::Status ValidateItems(absl::string_view list_name, const ItemList& items) {
  if (items.size() > kMaxItemsPerList) {
    return Invalid(list_name, absl::StrCat(items.size(), " items, at most ", kMaxItemsPerList, " allowed"));
  }
  for (int i = 0; i < items.size(); ++i) {
    const std::string field = absl::StrCat(list_name, "[", i, "]");
    if (absl::Status s = ValidateItem(field, items[i], items[i].modes()); !s.ok()) return s;
    if constexpr (std::is_same_v<typename ItemList::value_type, v1::Need>) {
      if (items[i].has_challenge()) {
        if (absl::Status s = ValidateChallenge(field, items[i]); !s.ok()) return s;
      }
    }
    for (int j = 0; j < i; ++j) {
      if (items[j].id() == items[i].id()) {
        return Invalid(absl::StrCat(field, ".id"), absl::StrCat("\"", items[i].id(), "\" is used twice"));
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateTenant(absl::string_view tenant) { return ValidateId("tenant", tenant); }

absl::Status ValidateId(absl::string_view field, absl::string_view id) {
  if (id.empty()) return Invalid(field, "empty");
  if (id.size() > kMaxIdBytes) return Invalid(field, absl::StrCat("longer than ", kMaxIdBytes, " bytes"));
  if (HasControlCharacter(id)) return Invalid(field, "contains control characters");
  return absl::OkStatus();
}

absl::Status ValidateText(absl::string_view field, absl::string_view text) {
  if (absl::StripAsciiWhitespace(text).empty()) return Invalid(field, "empty");
  if (text.size() > kMaxTextBytes) {
    return Invalid(field, absl::StrCat(text.size(), " bytes, over the limit of 16 KiB"));
  }
  return absl::OkStatus();
}

absl::Status ValidateVector(absl::string_view field, absl::Span<const float> vector) {
  if (vector.empty()) return Invalid(field, "empty");
  if (vector.size() > static_cast<size_t>(kMaxVectorDimension)) {
    return Invalid(field, absl::StrCat("dimension ", vector.size(), " is over the limit of ", kMaxVectorDimension));
  }
  bool all_zero = true;
  double squared_length = 0.0;
  for (size_t i = 0; i < vector.size(); ++i) {
    if (!std::isfinite(vector[i])) return Invalid(absl::StrCat(field, "[", i, "]"), "not a finite number");
    if (vector[i] != 0.0f) all_zero = false;
    squared_length += static_cast<double>(vector[i]) * vector[i];
  }
  if (all_zero) return Invalid(field, "all zeros, no direction to compare");
  // Below the smallest normal float the unit vector's scale factor overflows
  // to infinity and the stored vector would be NaN, matching nothing.
  if (std::sqrt(squared_length) < std::numeric_limits<float>::min()) {
    return Invalid(field, absl::StrCat("length ", std::sqrt(squared_length),
                                       " is too small to give a direction (at least ",
                                       std::numeric_limits<float>::min(), "); scale the vector up"));
  }
  return absl::OkStatus();
}

absl::Status ValidateProfile(const v1::Profile& profile) {
  if (absl::Status s = ValidateId("id", profile.id()); !s.ok()) return s;
  if (profile.kind() == v1::PROFILE_KIND_UNSPECIFIED) return Invalid("kind", "unspecified");
  if (!v1::ProfileKind_IsValid(profile.kind())) return Invalid("kind", absl::StrCat("unknown value ", profile.kind()));
  if (absl::StripAsciiWhitespace(profile.name()).empty()) return Invalid("name", "empty");
  if (absl::Status s = ValidateLabel("name", profile.name(), 512); !s.ok()) return s;
  if (profile.description().size() > kMaxTextBytes) {
    return Invalid("description", absl::StrCat(profile.description().size(), " bytes, over the limit of 16 KiB"));
  }
  if (absl::Status s = CheckCount("sectors", profile.sectors_size(), kMaxSectors); !s.ok()) return s;
  for (int i = 0; i < profile.sectors_size(); ++i) {
    const std::string field = absl::StrCat("sectors[", i, "]");
    if (profile.sectors(i).empty()) return Invalid(field, "empty");
    if (absl::Status s = ValidateLabel(field, profile.sectors(i), 32); !s.ok()) return s;
  }
  if (absl::Status s = ValidateLocation(profile.location()); !s.ok()) return s;
  if (absl::Status s = CheckCount("languages", profile.languages_size(), kMaxLanguages); !s.ok()) return s;
  for (int i = 0; i < profile.languages_size(); ++i) {
    const std::string field = absl::StrCat("languages[", i, "]");
    if (profile.languages(i).empty()) return Invalid(field, "empty");
    if (absl::Status s = ValidateLabel(field, profile.languages(i), 16); !s.ok()) return s;
  }
  if (!v1::CompanySize_IsValid(profile.size())) return Invalid("size", absl::StrCat("unknown value ", profile.size()));
  if (!v1::Stage_IsValid(profile.stage())) return Invalid("stage", absl::StrCat("unknown value ", profile.stage()));
  if (profile.completed_projects() < 0 || profile.completed_projects() > kMaxCompletedProjects) {
    return Invalid("completed_projects",
                   absl::StrCat(profile.completed_projects(), " is outside [0, ", kMaxCompletedProjects, "]"));
  }
  if (absl::Status s = ValidateItems("needs", profile.needs()); !s.ok()) return s;
  if (absl::Status s = ValidateItems("offers", profile.offers()); !s.ok()) return s;
  if (!profile.description_vector().empty()) {
    if (absl::Status s = ValidateVector("description_vector", profile.description_vector()); !s.ok()) return s;
  }
  // Last: each part is within its own limits, and together they must still
  // fit one response.
  if (const size_t bytes = profile.ByteSizeLong(); bytes > kMaxProfileBytes) {
    return Invalid("profile", absl::StrCat(bytes, " bytes encoded, over the limit of ", kMaxProfileBytes >> 20,
                                           " MiB; shorten its texts or send fewer needs and offers"));
  }
  return absl::OkStatus();
}

absl::Status ValidateFilters(const v1::MatchFilters& filters) {
  for (const absl::Status& s :
       {CheckCount("filters.kinds", filters.kinds_size(), kMaxFilterValues),
        CheckCount("filters.countries", filters.countries_size(), kMaxFilterValues),
        CheckCount("filters.components", filters.components_size(), kMaxFilterValues),
        CheckCount("filters.sectors", filters.sectors_size(), kMaxFilterValues),
        CheckCount("filters.exclude_profile_ids", filters.exclude_profile_ids_size(), kMaxExcludedProfiles)}) {
    if (!s.ok()) return s;
  }
  for (int i = 0; i < filters.kinds_size(); ++i) {
    if (filters.kinds(i) == v1::PROFILE_KIND_UNSPECIFIED || !v1::ProfileKind_IsValid(filters.kinds(i))) {
      return Invalid(absl::StrCat("filters.kinds[", i, "]"), absl::StrCat("unknown value ", filters.kinds(i)));
    }
  }
  for (int i = 0; i < filters.countries_size(); ++i) {
    if (absl::Status s = ValidateCountry(absl::StrCat("filters.countries[", i, "]"), filters.countries(i));
        !s.ok()) {
      return s;
    }
  }
  for (int i = 0; i < filters.components_size(); ++i) {
    if (filters.components(i) == v1::COMPONENT_UNSPECIFIED || !v1::Component_IsValid(filters.components(i))) {
      return Invalid(absl::StrCat("filters.components[", i, "]"),
                     absl::StrCat("unknown value ", filters.components(i)));
    }
  }
  for (int i = 0; i < filters.sectors_size(); ++i) {
    const std::string field = absl::StrCat("filters.sectors[", i, "]");
    if (filters.sectors(i).empty()) return Invalid(field, "empty");
    if (absl::Status s = ValidateLabel(field, filters.sectors(i), 32); !s.ok()) return s;
  }
  if (filters.has_max_distance_km() &&
      !(std::isfinite(filters.max_distance_km()) && filters.max_distance_km() > 0.0)) {
    return Invalid("filters.max_distance_km", "must be a positive number");
  }
  for (int i = 0; i < filters.exclude_profile_ids_size(); ++i) {
    if (absl::Status s = ValidateId(absl::StrCat("filters.exclude_profile_ids[", i, "]"),
                                    filters.exclude_profile_ids(i));
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateInteraction(absl::string_view field, const v1::Interaction& interaction) {
  const std::string from_field = absl::StrCat(field, ".from_profile_id");
  const std::string to_field = absl::StrCat(field, ".to_profile_id");
  if (absl::Status s = ValidateId(from_field, interaction.from_profile_id()); !s.ok()) return s;
  if (absl::Status s = ValidateId(to_field, interaction.to_profile_id()); !s.ok()) return s;
  if (interaction.from_profile_id() == interaction.to_profile_id()) {
    return Invalid(to_field, absl::StrCat("\"", interaction.to_profile_id(), "\" is also from_profile_id; a profile ",
                                          "cannot interact with itself"));
  }
  const std::string type_field = absl::StrCat(field, ".type");
  if (interaction.type() == v1::INTERACTION_TYPE_UNSPECIFIED) return Invalid(type_field, "unspecified");
  if (!v1::InteractionType_IsValid(interaction.type())) {
    return Invalid(type_field, absl::StrCat("unknown value ", interaction.type()));
  }
  const std::string reason_field = absl::StrCat(field, ".decline_reason");
  if (interaction.type() == v1::INTERACTION_TYPE_DECLINED) {
    if (interaction.decline_reason() == v1::DECLINE_REASON_UNSPECIFIED) {
      return Invalid(reason_field, "required when type is INTERACTION_TYPE_DECLINED");
    }
    if (!v1::DeclineReason_IsValid(interaction.decline_reason())) {
      return Invalid(reason_field, absl::StrCat("unknown value ", interaction.decline_reason()));
    }
  } else if (interaction.decline_reason() != v1::DECLINE_REASON_UNSPECIFIED) {
    return Invalid(reason_field, absl::StrCat("set only when type is INTERACTION_TYPE_DECLINED, not ",
                                              v1::InteractionType_Name(interaction.type())));
  }
  if (interaction.note().size() > kMaxInteractionNoteBytes) {
    return Invalid(absl::StrCat(field, ".note"),
                   absl::StrCat(interaction.note().size(), " bytes, over the limit of 1 KiB"));
  }
  return absl::OkStatus();
}

absl::Status ValidateInteractionBatch(absl::Span<const v1::Interaction> interactions) {
  if (interactions.empty() || interactions.size() > static_cast<size_t>(kMaxInteractionsPerBatch)) {
    return Invalid("interactions",
                   absl::StrCat(interactions.size(), " items, 1 to ", kMaxInteractionsPerBatch, " allowed"));
  }
  for (size_t i = 0; i < interactions.size(); ++i) {
    if (absl::Status s = ValidateInteraction(absl::StrCat("interactions[", i, "]"), interactions[i]); !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateRankingOptions(const v1::FindPartnersRequest& request) {
  if (!v1::Reciprocity_IsValid(request.reciprocity())) {
    return Invalid("reciprocity", absl::StrCat("unknown value ", request.reciprocity()));
  }
  if (!(request.diversity() >= 0.0 && request.diversity() <= 1.0)) {
    return Invalid("diversity", "must be a number from 0 to 1");
  }
  if (request.max_per_kind() < 0 || request.max_per_kind() > kMaxTopK) {
    return Invalid("max_per_kind", absl::StrCat(request.max_per_kind(), " is outside [0, ", kMaxTopK, "]"));
  }
  return ValidateMinRelevance(request.has_min_relevance(), request.min_relevance());
}

absl::Status ValidateMinRelevance(bool has_min_relevance, double min_relevance) {
  if (has_min_relevance && !(min_relevance >= 0.0 && min_relevance <= 1.0)) {
    return Invalid("min_relevance", "must be a number from 0 to 1");
  }
  return absl::OkStatus();
}

absl::StatusOr<int> ResolveTopK(int top_k) {
  if (top_k == 0) return 10;
  if (top_k < 1 || top_k > kMaxTopK) return Invalid("top_k", absl::StrCat(top_k, " is outside [1, ", kMaxTopK, "]"));
  return top_k;
}

bool IsExpired(const v1::Date& date, const v1::Date& today) {
  if (date.year() == 0) return false;
  return std::make_tuple(date.year(), date.month(), date.day()) <
         std::make_tuple(today.year(), today.month(), today.day());
}

v1::Date ItemExpiry(const v1::Need& need) {
  if (!need.has_challenge()) return need.expires();
  const v1::Date& deadline = need.challenge().deadline();
  if (need.expires().year() == 0) return deadline;
  const auto key = [](const v1::Date& d) { return std::make_tuple(d.year(), d.month(), d.day()); };
  return key(deadline) < key(need.expires()) ? deadline : need.expires();
}

v1::Date ItemExpiry(const v1::Offer& offer) { return offer.expires(); }

}  // namespace pollinator
