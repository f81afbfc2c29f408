#include "services/candidate_filter.h"

#include <algorithm>
#include <optional>

#include "absl/strings/match.h"
#include "index/match_scoring.h"
#include "services/validation.h"

namespace pollinator {
namespace {

// True when a profile sector starts with a wanted prefix ("62" matches
// "62.01"), also when the code carries a section letter ("J62.01").
bool SectorFilterMatches(const v1::Profile& profile, const v1::MatchFilters& filters) noexcept {
  if (filters.sectors().empty()) return true;
  for (const std::string& sector : profile.sectors()) {
    const std::optional<int> division = NaceDivision(sector);
    const char digits[2] = {static_cast<char>('0' + division.value_or(0) / 10),
                            static_cast<char>('0' + division.value_or(0) % 10)};
    for (const std::string& wanted : filters.sectors()) {
      if (absl::StartsWithIgnoreCase(sector, wanted)) return true;
      if (division && absl::StartsWith(absl::string_view(digits, 2), wanted)) return true;
    }
  }
  return false;
}

template <typename List, typename Value>
bool ContainsOrEmpty(const List& list, const Value& value) {
  return list.empty() || std::find(list.begin(), list.end(), value) != list.end();
}

}  // namespace

CandidateFilter::CandidateFilter(const TenantState& state, const InteractionGraph& graph,
                                 const v1::FindPartnersRequest& request, v1::ItemSide target_side,
                                 bool filter_components, const IndexedProfile* asker,
                                 const v1::Date& today, const MatchScope* scope) ABSL_NO_THREAD_SAFETY_ANALYSIS
    : state_(state),
      filters_(request.filters()),
      target_side_(target_side),
      filter_components_(filter_components),
      asker_(asker),
      today_(today),
      scope_(scope) {
  excluded_.insert(filters_.exclude_profile_ids().begin(), filters_.exclude_profile_ids().end());
  if (asker_ != nullptr) {
    excluded_.insert(asker_->profile.id());
    auto declined = graph.declined.find(asker_->profile.id());
    if (declined != graph.declined.end()) excluded_.insert(declined->second.begin(), declined->second.end());
  }
  for (const std::string& id : excluded_) {
    auto profile = state_.profiles.find(id);
    if (profile != state_.profiles.end()) excluded_ordinals_.insert(profile->second.ordinal);
  }
  for (const std::string& country : filters_.countries()) country_codes_.push_back(CountryCode(country));
  for (const int kind : filters_.kinds()) kind_codes_.push_back(static_cast<uint8_t>(kind));
  if (filter_components_) {
    for (const int component : filters_.components()) component_codes_.push_back(static_cast<uint8_t>(component));
  }
  today_code_ = DayCode(today_);
  needs_profile_ = !filters_.sectors().empty() || filters_.has_max_distance_km();
}

void CandidateFilter::ConfigureSearch(SearchOptions& search) const {
  search.filter = [this](int64_t id, const VectorFacts& facts) { return Accept(id, facts); };
  search.countries = country_codes_;
  search.kinds = kind_codes_;
  search.sides = {static_cast<uint8_t>(target_side_)};
  if (scope_ != nullptr && scope_->descriptions_as_items) {
    search.sides.push_back(static_cast<uint8_t>(v1::ITEM_SIDE_DESCRIPTION));
  }
}

bool CandidateFilter::Accept(int64_t vector_id, const VectorFacts& facts) const noexcept
    ABSL_NO_THREAD_SAFETY_ANALYSIS {
  // The facts answer every filter but sectors, distance and a scope's own
  // test; the profile or item is looked up only for those.
  const bool description =
      facts.side == v1::ITEM_SIDE_DESCRIPTION && scope_ != nullptr && scope_->descriptions_as_items;
  if ((facts.side != target_side_ && !description) || facts.last_day < today_code_) return false;
  const auto allows = [](const auto& codes, auto code) {
    return codes.empty() || std::find(codes.begin(), codes.end(), code) != codes.end();
  };
  if (!allows(component_codes_, facts.component) || !allows(country_codes_, facts.country) ||
      !allows(kind_codes_, facts.kind) || excluded_ordinals_.contains(facts.owner)) {
    return false;
  }
  if (scope_ != nullptr && scope_->accept_item) {
    auto item = state_.items.find(vector_id);
    if (item == state_.items.end() || !scope_->accept_item(state_, item->second)) return false;
  }
  if (!needs_profile_) return true;
  const IndexedProfile* partner = facts.owner < state_.by_ordinal.size() ? state_.by_ordinal[facts.owner] : nullptr;
  return partner != nullptr && AcceptPartner(*partner);
}

bool CandidateFilter::AcceptItem(const IndexedItem& item) const noexcept {
  const bool description = item.side == v1::ITEM_SIDE_DESCRIPTION && scope_ != nullptr && scope_->descriptions_as_items;
  if ((item.side != target_side_ && !description) || IsExpired(item.expires, today_)) return false;
  if (filter_components_ && !ContainsOrEmpty(filters_.components(), item.component)) return false;
  return scope_ == nullptr || !scope_->accept_item || scope_->accept_item(state_, item);
}

bool CandidateFilter::AcceptPartnerId(absl::string_view profile_id) const noexcept ABSL_NO_THREAD_SAFETY_ANALYSIS {
  auto profile = state_.profiles.find(profile_id);
  return profile != state_.profiles.end() && AcceptPartner(profile->second);
}

bool CandidateFilter::AcceptPartner(const IndexedProfile& indexed) const noexcept {
  const v1::Profile& partner = indexed.profile;
  if (excluded_.contains(partner.id())) return false;
  if (!ContainsOrEmpty(filters_.kinds(), partner.kind())) return false;
  if (!ContainsOrEmpty(filters_.countries(), partner.location().country())) return false;
  if (!SectorFilterMatches(partner, filters_)) return false;
  if (filters_.has_max_distance_km()) {
    const std::optional<double> km = DistanceKm(asker_->profile.location(), partner.location());
    if (!km || *km > filters_.max_distance_km()) return false;
  }
  return true;
}

}  // namespace pollinator
