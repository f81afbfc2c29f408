// CandidateFilter: which partners and which of their items a FindPartners
// request may return. Request filters, expiry, the asker itself and the
// partners the asker has declined are all applied here, inside the index
// search (ConfigureSearch, Accept) and when a candidate's items are scored
// (AcceptItem). Inside the search they are judged from the vectors'
// VectorFacts, without a lookup, except for the sector and distance
// filters and a scope's own test, which need the profile or the item.
//
//   CandidateFilter filter(state, state.interactions, request, v1::ITEM_SIDE_OFFER, true, asker, today);
//   SearchOptions search;
//   filter.ConfigureSearch(search);
//
// Reads the TenantState without locking: the caller holds its lock (shared)
// for the filter's whole life.
#ifndef POLLINATOR_SERVICES_CANDIDATE_FILTER_H_
#define POLLINATOR_SERVICES_CANDIDATE_FILTER_H_

#include <cstdint>
#include <functional>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/string_view.h"
#include "index/vector_index.h"
#include "pollinator/v1/matching.pb.h"
#include "services/tenant_state.h"

namespace pollinator {

// What a match considers beyond FindPartners' own rules; the defaults are
// FindPartners'. Challenges (services/workflows/challenge_service.h) use it:
// a solver is judged by what it does, whether or not it wrote that down as
// an offer, and only open challenges are matched.
struct MatchScope {
  // Descriptions count as items: the asker's as one more query item (when
  // the whole profile is matched), partners' as one more target item.
  bool descriptions_as_items = false;
  // Lexical fit is the share of the need's words the offer (or description)
  // uses, also when the asker brings the offer: a challenge's fit to a
  // solver must not depend on which of the two asks.
  bool cover_need_words = false;
  // Only target items this accepts (besides the usual filters); empty
  // accepts all. Called inside the FAISS scan, under the tenant's lock, so
  // it must neither throw nor allocate.
  std::function<bool(const TenantState&, const IndexedItem&)> accept_item;
};

class CandidateFilter {
 public:
  // `target_side` is the partner side being matched (offers for needs).
  // The component filter applies only when `filter_components` is set: it
  // describes the items of the requested direction, not the reverse one.
  // `graph` says whom the asker declined (the tenant's, or an earlier
  // state of it when training).
  // `scope` (null: FindPartners' rules) must outlive the filter.
  CandidateFilter(const TenantState& state, const InteractionGraph& graph, const v1::FindPartnersRequest& request,
                  v1::ItemSide target_side, bool filter_components, const IndexedProfile* asker,
                  const v1::Date& today, const MatchScope* scope = nullptr);

  // Sets the search's filter to Accept() and its country and kind
  // constraints to the request's, which the index plans with. `search`
  // must not outlive the filter.
  void ConfigureSearch(SearchOptions& search) const;
  // For the index search: the vector is an acceptable item of an
  // acceptable partner. noexcept and allocation-free: FAISS calls it deep
  // inside its graph search.
  bool Accept(int64_t vector_id, const VectorFacts& facts) const noexcept;
  // The item is on the target side (or a description, when the scope says
  // so), unexpired, passes the component filter and the scope's own test;
  // says nothing about its profile.
  bool AcceptItem(const IndexedItem& item) const noexcept;
  // The profile passes every profile-level filter and is not excluded.
  bool AcceptPartner(const IndexedProfile& partner) const noexcept;
  bool AcceptPartnerId(absl::string_view profile_id) const noexcept;

 private:
  const TenantState& state_;
  const v1::MatchFilters& filters_;
  const v1::ItemSide target_side_;
  const bool filter_components_;
  const IndexedProfile* const asker_;
  const v1::Date today_;
  const MatchScope* const scope_;
  // The asker, the request's exclusions and the asker's declined partners.
  absl::flat_hash_set<std::string> excluded_;
  // The same as ordinals of existing profiles, for Accept().
  absl::flat_hash_set<uint32_t> excluded_ordinals_;
  // The filters as VectorFacts codes.
  std::vector<uint16_t> country_codes_;
  std::vector<uint8_t> kind_codes_;
  std::vector<uint8_t> component_codes_;
  int32_t today_code_ = 0;
  // A filter the facts cannot answer (sectors, distance) looks at the
  // partner profile.
  bool needs_profile_ = false;
};

}  // namespace pollinator

#endif  // POLLINATOR_SERVICES_CANDIDATE_FILTER_H_
