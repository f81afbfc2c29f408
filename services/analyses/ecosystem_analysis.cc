#include "services/analyses/ecosystem_analysis.h"

#include <algorithm>
#include <map>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "index/match_scoring.h"
#include "services/validation.h"

namespace pollinator {
namespace {

// One open need or offer, as read under the tenant's lock.
struct OpenItem {
  v1::ProfileSummary owner;
  v1::ItemRef item;
  v1::ItemSide side = v1::ITEM_SIDE_UNSPECIFIED;
};

using CellKey = std::tuple<int, std::string, std::string>;

// The tenant's open needs and offers that have vectors (only those can be
// matched), by profile id and then in the profile's order.
absl::StatusOr<std::vector<OpenItem>> OpenItems(const Catalog& catalog, absl::string_view tenant,
                                                const v1::Date& today) {
  std::vector<OpenItem> items;
  absl::Status read = catalog.ReadTenant(
      tenant, [&](const TenantState* state) ABSL_NO_THREAD_SAFETY_ANALYSIS -> absl::Status {
        if (state == nullptr) return absl::OkStatus();
        std::vector<const IndexedProfile*> profiles;
        for (const auto& [id, indexed] : state->profiles) profiles.push_back(&indexed);
        std::sort(profiles.begin(), profiles.end(), [](const IndexedProfile* a, const IndexedProfile* b) {
          return a->profile.id() < b->profile.id();
        });
        for (const IndexedProfile* indexed : profiles) {
          const v1::ProfileSummary owner = ProfileSummaryOf(indexed->profile);
          auto add = [&](const auto& item, v1::ItemSide side, const IndexedEntry& entry) {
            if (IsExpired(ItemExpiry(item), today) || entry.vector_id == 0) return;
            OpenItem open{owner, {}, side};
            open.item.set_id(item.id());
            open.item.set_text(item.text());
            open.item.set_component(item.component());
            items.push_back(std::move(open));
          };
          for (int i = 0; i < indexed->profile.needs_size(); ++i) {
            add(indexed->profile.needs(i), v1::ITEM_SIDE_NEED, indexed->needs[static_cast<size_t>(i)]);
          }
          for (int i = 0; i < indexed->profile.offers_size(); ++i) {
            add(indexed->profile.offers(i), v1::ITEM_SIDE_OFFER, indexed->offers[static_cast<size_t>(i)]);
          }
        }
        return absl::OkStatus();
      });
  if (!read.ok()) return read;
  return items;
}

std::string Shortfall(const v1::FindPartnersResponse& matched, double floor) {
  if (matched.near_misses().empty()) {
    return "No partner in the ecosystem shares anything with this need: recruit or look outside.";
  }
  const v1::Suggestion& closest = matched.near_misses(0);
  return absl::StrFormat("The closest candidate, %s, reaches relevance %.2f of the %.2f needed.",
                         closest.partner().name(), closest.components().pair_relevance(), floor);
}

}  // namespace

absl::StatusOr<v1::AnalyzeEcosystemResponse> AnalyzeEcosystem(const Catalog& catalog, const Matcher& matcher,
                                                              const v1::AnalyzeEcosystemRequest& request,
                                                              const std::function<bool()>& cancelled) {
  if (absl::Status s = ValidateTenant(request.tenant()); !s.ok()) return s;
  if (absl::Status s = ValidateMinRelevance(request.has_min_relevance(), request.min_relevance()); !s.ok()) return s;
  const double floor = request.has_min_relevance() ? request.min_relevance() : kDefaultMinRelevance;
  absl::StatusOr<std::vector<OpenItem>> items = OpenItems(catalog, request.tenant(), matcher.MatchingDay());
  if (!items.ok()) return items.status();

  v1::AnalyzeEcosystemResponse response;
  response.set_min_relevance(floor);
  std::map<CellKey, v1::EcosystemCell> cells;
  for (const OpenItem& open : *items) {
    if (cancelled()) return absl::CancelledError("AnalyzeEcosystem: cancelled by the client");
    const bool need = open.side == v1::ITEM_SIDE_NEED;
    v1::FindPartnersRequest match;
    match.set_tenant(request.tenant());
    match.set_profile_id(open.owner.id());
    match.set_item_id(open.item.id());
    match.set_direction(need ? v1::DIRECTION_NEEDS_TO_OFFERS : v1::DIRECTION_OFFERS_TO_NEEDS);
    match.set_reciprocity(v1::RECIPROCITY_OFF);
    match.set_top_k(1);
    match.set_min_relevance(floor);
    absl::StatusOr<v1::FindPartnersResponse> matched = matcher.FindPartners(match);
    // A profile deleted or changed since the snapshot is simply left out.
    if (absl::IsNotFound(matched.status()) || absl::IsFailedPrecondition(matched.status())) continue;
    if (!matched.ok()) return matched.status();

    const v1::Location& where = open.owner.location();
    v1::EcosystemCell& cell = cells[{open.item.component(), where.country(), where.region()}];
    cell.set_component(open.item.component());
    cell.set_country(where.country());
    cell.set_region(where.region());
    const bool fits = !matched->suggestions().empty();
    if (need) {
      cell.set_open_needs(cell.open_needs() + 1);
      response.set_open_needs(response.open_needs() + 1);
      if (fits) {
        cell.set_met_needs(cell.met_needs() + 1);
        response.set_met_needs(response.met_needs() + 1);
        continue;
      }
      cell.set_unmet_needs(cell.unmet_needs() + 1);
      v1::UnmetNeed* unmet = response.add_unmet_needs();
      *unmet->mutable_profile() = open.owner;
      *unmet->mutable_need() = open.item;
      if (!matched->near_misses().empty()) *unmet->mutable_near_miss() = matched->near_misses(0);
      unmet->set_shortfall(Shortfall(*matched, floor));
    } else {
      cell.set_offers(cell.offers() + 1);
      response.set_offers(response.offers() + 1);
      if (fits) continue;
      cell.set_unneeded_offers(cell.unneeded_offers() + 1);
      v1::UnneededOffer* unneeded = response.add_unneeded_offers();
      *unneeded->mutable_profile() = open.owner;
      *unneeded->mutable_offer() = open.item;
    }
  }
  for (auto& [key, cell] : cells) *response.add_cells() = std::move(cell);
  // By component, then profile and need (the map's order for the cells).
  std::stable_sort(response.mutable_unmet_needs()->begin(), response.mutable_unmet_needs()->end(),
                   [](const v1::UnmetNeed& a, const v1::UnmetNeed& b) {
                     return a.need().component() < b.need().component();
                   });
  return response;
}

}  // namespace pollinator
