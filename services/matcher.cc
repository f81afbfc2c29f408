#include "services/matcher.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "index/labels.h"
#include "index/vector_math.h"
#include "services/validation.h"

namespace pollinator {
namespace {

// Share of the semantic feature taken by the partner's description; the rest
// is the best need/offer pair. A description alone is weaker evidence than a
// concrete offer, but it separates partners whose offers are terse.
constexpr double kDescriptionShare = 0.2;
// Neutral value of a feature that cannot be judged (ad-hoc queries have no
// location or sector).
constexpr double kNeutral = 0.5;
constexpr size_t kReasonTextLength = 90;
// Semantic feature above which a reason may call a pair a match.
constexpr double kStrongSemantic = 0.2;

// One thing the asker brings to the search: a need (or an offer, in the
// reverse direction) with its vector.
struct QueryItem {
  v1::ItemRef ref;
  std::vector<float> vector;
  v1::GeographicScope scope = v1::GEOGRAPHIC_SCOPE_UNSPECIFIED;
};

// A partner's matched item, with the fields scoring needs.
struct PartnerItem {
  v1::ItemRef ref;
  v1::GeographicScope scope = v1::GEOGRAPHIC_SCOPE_UNSPECIFIED;
};

struct Candidate {
  const IndexedProfile* partner = nullptr;
  const QueryItem* query = nullptr;
  PartnerItem partner_item;
  v1::ScoreBreakdown features;
  double score = 0.0;
  std::optional<double> distance_km;
};

std::string Shorten(absl::string_view text) {
  if (text.size() <= kReasonTextLength) return std::string(text);
  size_t cut = kReasonTextLength;
  // Do not split a UTF-8 sequence.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return absl::StrCat(text.substr(0, cut), "…");
}

template <typename Item>
PartnerItem ToPartnerItem(const Item& item) {
  PartnerItem out;
  out.ref.set_id(item.id());
  out.ref.set_text(item.text());
  out.ref.set_component(item.component());
  out.scope = item.scope();
  return out;
}

std::optional<PartnerItem> FindItem(const v1::Profile& profile, v1::ItemSide side, absl::string_view id) {
  if (side == v1::ITEM_SIDE_NEED) {
    for (const v1::Need& need : profile.needs()) {
      if (need.id() == id) return ToPartnerItem(need);
    }
  } else {
    for (const v1::Offer& offer : profile.offers()) {
      if (offer.id() == id) return ToPartnerItem(offer);
    }
  }
  return std::nullopt;
}

// True when a profile sector starts with a wanted prefix ("62" matches
// "62.01"), also when the code carries a section letter ("J62.01"). Called
// from inside the FAISS scan, so it must not allocate or throw.
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

// Everything that decides which vectors a search may return.
class CandidateFilter {
 public:
  CandidateFilter(const TenantState& state, const v1::FindPartnersRequest& request, v1::ItemSide target_side,
                  const IndexedProfile* asker, const v1::Date& today)
      : state_(state), filters_(request.filters()), target_side_(target_side), asker_(asker), today_(today) {
    excluded_.insert(filters_.exclude_profile_ids().begin(), filters_.exclude_profile_ids().end());
    if (asker_ != nullptr) excluded_.insert(asker_->profile.id());
    needs_profile_ = !filters_.kinds().empty() || !filters_.countries().empty() || !filters_.sectors().empty() ||
                     filters_.has_max_distance_km();
  }

  // Called by FAISS for every stored vector, so the cheap per-item checks
  // come first and the profile is looked up only when a filter needs it.
  // noexcept: FAISS calls it inside an OpenMP region, where an exception
  // would terminate the process.
  bool Accept(int64_t vector_id) const noexcept ABSL_NO_THREAD_SAFETY_ANALYSIS {
    auto it = state_.items.find(vector_id);
    if (it == state_.items.end()) return false;
    const IndexedItem& item = it->second;
    if (item.side != target_side_ || IsExpired(item.expires, today_)) return false;
    if (!filters_.components().empty() &&
        std::find(filters_.components().begin(), filters_.components().end(), item.component) ==
            filters_.components().end()) {
      return false;
    }
    if (excluded_.contains(item.profile_id)) return false;
    if (!needs_profile_) return true;
    auto profile = state_.profiles.find(item.profile_id);
    if (profile == state_.profiles.end()) return false;
    const v1::Profile& partner = profile->second.profile;
    if (!filters_.kinds().empty() &&
        std::find(filters_.kinds().begin(), filters_.kinds().end(), partner.kind()) == filters_.kinds().end()) {
      return false;
    }
    if (!filters_.countries().empty() && std::find(filters_.countries().begin(), filters_.countries().end(),
                                                   partner.location().country()) == filters_.countries().end()) {
      return false;
    }
    if (!SectorFilterMatches(partner, filters_)) return false;
    if (filters_.has_max_distance_km()) {
      const std::optional<double> km = DistanceKm(asker_->profile.location(), partner.location());
      if (!km || *km > filters_.max_distance_km()) return false;
    }
    return true;
  }

 private:
  const TenantState& state_;
  const v1::MatchFilters& filters_;
  const v1::ItemSide target_side_;
  const IndexedProfile* const asker_;
  const v1::Date today_;
  absl::flat_hash_set<std::string> excluded_;
  // Some filter looks at the partner profile.
  bool needs_profile_ = false;
};

// Nearest vectors that pass `accept`, widening the search until they come
// from at least `partners` distinct profiles or the index is exhausted: one
// profile may hold up to 100 similar items and must not crowd out the rest.
absl::StatusOr<std::vector<VectorHit>> SearchDistinctPartners(const TenantState& state,
                                                             absl::Span<const float> query,
                                                             const std::function<bool(int64_t)>& accept,
                                                             int partners) ABSL_NO_THREAD_SAFETY_ANALYSIS {
  SearchOptions search;
  search.filter = accept;
  search.k = partners * 5 + 20;
  while (true) {
    absl::StatusOr<std::vector<VectorHit>> hits = state.index->Search(query, search);
    if (!hits.ok()) return hits.status();
    absl::flat_hash_set<absl::string_view> distinct;
    for (const VectorHit& hit : *hits) distinct.insert(state.items.at(hit.id).profile_id);
    const bool exhausted = static_cast<int64_t>(hits->size()) < search.k || search.k >= state.index->size();
    if (static_cast<int>(distinct.size()) >= partners || exhausted) return hits;
    search.k *= 4;
  }
}

std::string NotFoundMessage(absl::string_view tenant, absl::string_view id) {
  return absl::StrCat("profile \"", id, "\" not found in tenant \"", tenant, "\"");
}

// The asker's unexpired needs (or offers) with their stored vectors.
template <typename ItemList>
absl::StatusOr<std::vector<QueryItem>> ProfileQueryItems(const TenantState& state, const IndexedProfile& asker,
                                                         const ItemList& items,
                                                         const absl::flat_hash_map<std::string, int64_t>& vectors,
                                                         const v1::FindPartnersRequest& request,
                                                         const v1::Date& today) ABSL_NO_THREAD_SAFETY_ANALYSIS {
  const bool needs = request.direction() != v1::DIRECTION_OFFERS_TO_NEEDS;
  const char* const noun = needs ? "needs" : "offers";
  std::vector<QueryItem> query_items;
  for (const auto& item : items) {
    if (!request.item_id().empty() && item.id() != request.item_id()) continue;
    if (IsExpired(item.expires(), today)) continue;
    auto vector_id = vectors.find(item.id());
    if (vector_id == vectors.end()) continue;
    absl::StatusOr<std::vector<float>> vector = state.index->Get(vector_id->second);
    if (!vector.ok()) return vector.status();
    QueryItem query;
    query.ref.set_id(item.id());
    query.ref.set_text(item.text());
    query.ref.set_component(item.component());
    query.scope = item.scope();
    query.vector = std::move(*vector);
    query_items.push_back(std::move(query));
  }
  if (query_items.empty()) {
    if (!request.item_id().empty()) {
      return absl::NotFoundError(absl::StrCat("item_id: \"", request.item_id(), "\" is not an unexpired entry of ",
                                              "profile \"", asker.profile.id(), "\"'s ", noun));
    }
    return absl::FailedPreconditionError(
        absl::StrCat("profile \"", asker.profile.id(), "\" has no unexpired ", noun, " to match"));
  }
  return query_items;
}

// "a university", "an SMB", "An association/cluster".
std::string WithArticle(const std::string& noun, bool capital) {
  // Sound, not spelling: "an SMB" ("es-em-bee"), "a university" ("you-").
  const bool an = noun == "SMB" || (!noun.empty() && absl::StrContains("aeiouAEIOU", noun[0]) &&
                                    !absl::StartsWith(noun, "uni"));
  return absl::StrCat(capital ? (an ? "An " : "A ") : (an ? "an " : "a "), noun);
}

std::string GeographyReason(const v1::Location& asker, const v1::Location& partner,
                            const std::optional<double>& km) {
  const bool same_country = !asker.country().empty() && asker.country() == partner.country();
  const bool same_region = same_country && !asker.region().empty() && asker.region() == partner.region();
  const bool same_city = same_country && !asker.city().empty() && asker.city() == partner.city();
  const std::string distance = km ? absl::StrFormat("%.0f km away", *km) : "";
  if (same_city) return absl::StrCat("Same city (", partner.city(), ")", km ? ", " : "", distance);
  if (same_region) return absl::StrCat("Same region (", partner.region(), ")", km ? ", " : "", distance);
  if (same_country) return absl::StrCat("Same country (", partner.country(), ")", km ? ", " : "", distance);
  if (km) return absl::StrCat("Nearby across the border: ", distance, " (", partner.country(), ")");
  return "";
}

std::string SectorReason(const v1::Profile& asker, const v1::Profile& partner, double score) {
  for (const std::string& a : asker.sectors()) {
    for (const std::string& b : partner.sectors()) {
      const std::optional<int> da = NaceDivision(a), db = NaceDivision(b);
      if (!da || !db) continue;
      if (score >= 1.0 && *da == *db) return absl::StrFormat("Same sector (NACE %02d)", *da);
      if (score < 1.0) return absl::StrFormat("Related sector (NACE %02d and your %02d)", *db, *da);
    }
  }
  return "";
}

std::vector<std::string> Explain(const Candidate& c, const IndexedProfile* asker, bool needs_to_offers,
                                 const ScoringWeights& weights) {
  std::vector<std::string> reasons;
  const std::string partner_text = Shorten(c.partner_item.ref.text());
  const std::string query_text = Shorten(c.query->ref.text());
  // Say "matches" only when the texts are clearly alike; otherwise be honest.
  const bool strong = c.features.semantic() >= kStrongSemantic;
  if (needs_to_offers) {
    reasons.push_back(asker != nullptr ? absl::StrCat("Offers \"", partner_text, "\", which ",
                                                      strong ? "matches" : "is related to", " your need \"",
                                                      query_text, "\"")
                                       : absl::StrCat("Offers \"", partner_text, "\", ",
                                                      strong ? "close to" : "related to", " what you asked for"));
  } else {
    reasons.push_back(asker != nullptr ? absl::StrCat("Needs \"", partner_text, "\", which your offer \"",
                                                      query_text, "\" ", strong ? "meets" : "may meet")
                                       : absl::StrCat("Needs \"", partner_text, "\", ",
                                                      strong ? "close to" : "related to", " what you offer"));
  }
  // Secondary reasons, strongest contribution first.
  std::vector<std::pair<double, std::string>> secondary;
  const v1::Profile& partner = c.partner->profile;
  if (asker != nullptr && c.features.geography() >= 0.6) {
    std::string geo = GeographyReason(asker->profile.location(), partner.location(), c.distance_km);
    if (!geo.empty()) secondary.emplace_back(weights.geography * c.features.geography(), std::move(geo));
  }
  if (asker != nullptr && c.features.sector() >= 0.7) {
    std::string sector = SectorReason(asker->profile, partner, c.features.sector());
    if (!sector.empty()) secondary.emplace_back(weights.sector * c.features.sector(), std::move(sector));
  }
  if (c.features.kind_fit() >= 0.8) {
    const v1::Component component =
        needs_to_offers && c.query->ref.component() != v1::COMPONENT_UNSPECIFIED ? c.query->ref.component()
                                                                                 : c.partner_item.ref.component();
    if (component != v1::COMPONENT_UNSPECIFIED) {
      std::string kind = needs_to_offers
                             ? absl::StrCat(WithArticle(ProfileKindLabel(partner.kind()), true), ": a typical provider of ",
                                            ComponentLabel(component))
                             : absl::StrCat("As ", WithArticle(ProfileKindLabel(asker->profile.kind()), false),
                                            " you are a typical provider of ", ComponentLabel(component));
      secondary.emplace_back(weights.kind_fit * c.features.kind_fit(), std::move(kind));
    }
  }
  std::stable_sort(secondary.begin(), secondary.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (auto& [weight, text] : secondary) {
    if (reasons.size() == 3) break;
    reasons.push_back(std::move(text));
  }
  return reasons;
}

}  // namespace

Matcher::Matcher(const Catalog& catalog, const ScoringWeights& weights, Today today)
    : catalog_(catalog), weights_(weights), today_(std::move(today)) {}

v1::Date Matcher::CurrentUtcDate() {
  const absl::CivilDay day = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone());
  v1::Date date;
  date.set_year(static_cast<int32_t>(day.year()));
  date.set_month(day.month());
  date.set_day(day.day());
  return date;
}

absl::StatusOr<v1::FindPartnersResponse> Matcher::FindPartners(const v1::FindPartnersRequest& request) const {
  if (absl::Status s = ValidateTenant(request.tenant()); !s.ok()) return s;
  absl::StatusOr<int> top_k = ResolveTopK(request.top_k());
  if (!top_k.ok()) return top_k.status();
  if (!v1::Direction_IsValid(request.direction())) {
    return absl::InvalidArgumentError(absl::StrCat("direction: unknown value ", request.direction()));
  }
  if (absl::Status s = ValidateFilters(request.filters()); !s.ok()) return s;
  switch (request.query_case()) {
    case v1::FindPartnersRequest::kProfileId:
      if (absl::Status s = ValidateId("profile_id", request.profile_id()); !s.ok()) return s;
      break;
    case v1::FindPartnersRequest::kText:
      if (absl::Status s = ValidateText("text", request.text()); !s.ok()) return s;
      break;
    case v1::FindPartnersRequest::kVector:
      if (absl::Status s = ValidateVector("vector.values", request.vector().values()); !s.ok()) return s;
      break;
    default:
      return absl::InvalidArgumentError("query: set one of profile_id, text or vector");
  }
  if (request.query_case() != v1::FindPartnersRequest::kProfileId) {
    if (!request.item_id().empty()) return absl::InvalidArgumentError("item_id: only valid with profile_id");
    if (request.filters().has_max_distance_km()) {
      return absl::InvalidArgumentError("filters.max_distance_km: only valid with profile_id (needs a location)");
    }
  }

  const bool needs_to_offers = request.direction() != v1::DIRECTION_OFFERS_TO_NEEDS;
  const v1::ItemSide target_side = needs_to_offers ? v1::ITEM_SIDE_OFFER : v1::ITEM_SIDE_NEED;
  const v1::Date today = today_();
  v1::FindPartnersResponse response;

  absl::Status status = catalog_.ReadTenant(
      request.tenant(), [&](const TenantState* state) ABSL_NO_THREAD_SAFETY_ANALYSIS -> absl::Status {
        if (state == nullptr) {
          if (request.query_case() == v1::FindPartnersRequest::kProfileId) {
            return absl::NotFoundError(NotFoundMessage(request.tenant(), request.profile_id()));
          }
          return absl::OkStatus();  // An empty tenant has no partners.
        }
        // 1. What the asker brings.
        const IndexedProfile* asker = nullptr;
        std::vector<QueryItem> query_items;
        if (request.query_case() == v1::FindPartnersRequest::kProfileId) {
          auto it = state->profiles.find(request.profile_id());
          if (it == state->profiles.end()) {
            return absl::NotFoundError(NotFoundMessage(request.tenant(), request.profile_id()));
          }
          asker = &it->second;
          if (request.filters().has_max_distance_km() &&
              !(asker->profile.location().has_lat() && asker->profile.location().has_lon())) {
            return absl::FailedPreconditionError(absl::StrCat(
                "filters.max_distance_km: profile \"", asker->profile.id(), "\" has no lat/lon to measure from"));
          }
          absl::StatusOr<std::vector<QueryItem>> items =
              needs_to_offers
                  ? ProfileQueryItems(*state, *asker, asker->profile.needs(), asker->need_vectors, request, today)
                  : ProfileQueryItems(*state, *asker, asker->profile.offers(), asker->offer_vectors, request, today);
          if (!items.ok()) return items.status();
          query_items = std::move(*items);
        } else {
          QueryItem query;
          if (request.query_case() == v1::FindPartnersRequest::kText) {
            if (state->embedder == nullptr) {
              return absl::FailedPreconditionError(absl::StrCat(
                  "text: tenant \"", request.tenant(), "\" uses client vectors; query with a vector instead"));
            }
            absl::StatusOr<std::vector<float>> vector = state->embedder->Embed(request.text());
            if (!vector.ok()) return vector.status();
            query.vector = std::move(*vector);
            query.ref.set_text(request.text());
          } else {
            if (request.vector().values_size() != state->record.dimension()) {
              return absl::InvalidArgumentError(absl::StrCat("vector.values: dimension ", request.vector().values_size(),
                                                             ", but tenant \"", request.tenant(), "\" uses ",
                                                             state->record.dimension()));
            }
            query.vector.assign(request.vector().values().begin(), request.vector().values().end());
            NormalizeInPlace(query.vector);
          }
          query_items.push_back(std::move(query));
        }

        // 2. Candidates from FAISS, filtered inside the search.
        const CandidateFilter filter(*state, request, target_side, asker, today);
        const std::function<bool(int64_t)> accept = [&filter](int64_t id) { return filter.Accept(id); };
        absl::flat_hash_map<std::string, Candidate> best;  // per partner profile
        for (const QueryItem& query : query_items) {
          absl::StatusOr<std::vector<VectorHit>> hits =
              SearchDistinctPartners(*state, query.vector, accept, *top_k);
          if (!hits.ok()) return hits.status();
          for (const VectorHit& hit : *hits) {
            const IndexedItem& item = state->items.at(hit.id);
            const IndexedProfile& partner = state->profiles.at(item.profile_id);
            Candidate c;
            c.partner = &partner;
            c.query = &query;
            c.partner_item = *FindItem(partner.profile, target_side, item.item_id);

            // 3. Features.
            double semantic = std::max(0.0f, hit.similarity);
            if (partner.description_vector_id != 0) {
              absl::StatusOr<std::vector<float>> description = state->index->Get(partner.description_vector_id);
              if (description.ok()) {
                semantic = (1.0 - kDescriptionShare) * semantic +
                           kDescriptionShare * std::max(0.0f, Dot(query.vector, *description));
              }
            }
            const v1::GeographicScope scope = needs_to_offers ? query.scope : c.partner_item.scope;
            const v1::Component component =
                needs_to_offers && query.ref.component() != v1::COMPONENT_UNSPECIFIED ? query.ref.component()
                                                                                       : c.partner_item.ref.component();
            c.features.set_semantic(std::min(1.0, semantic));
            if (asker != nullptr) {
              c.distance_km = DistanceKm(asker->profile.location(), partner.profile.location());
              c.features.set_geography(GeographyScore(asker->profile.location(), partner.profile.location(), scope));
              c.features.set_sector(SectorScore(asker->profile.sectors(), partner.profile.sectors()));
            } else {
              c.features.set_geography(kNeutral);
              c.features.set_sector(kNeutral);
            }
            if (needs_to_offers) {
              c.features.set_kind_fit(KindFit(component, partner.profile.kind()));
            } else {
              c.features.set_kind_fit(asker != nullptr ? KindFit(component, asker->profile.kind()) : kNeutral);
            }
            c.score = weights_.semantic * c.features.semantic() + weights_.geography * c.features.geography() +
                      weights_.sector * c.features.sector() + weights_.kind_fit * c.features.kind_fit();
            auto [slot, inserted] = best.try_emplace(item.profile_id, c);
            if (!inserted && c.score > slot->second.score) slot->second = std::move(c);
          }
        }

        // 4. Rank, one suggestion per partner, and explain.
        std::vector<const Candidate*> ranked;
        for (const auto& [id, candidate] : best) ranked.push_back(&candidate);
        std::sort(ranked.begin(), ranked.end(), [](const Candidate* a, const Candidate* b) {
          if (a->score != b->score) return a->score > b->score;
          return a->partner->profile.id() < b->partner->profile.id();
        });
        if (static_cast<int>(ranked.size()) > *top_k) ranked.resize(*top_k);
        for (const Candidate* c : ranked) {
          v1::Suggestion* suggestion = response.add_suggestions();
          const v1::Profile& partner = c->partner->profile;
          v1::ProfileSummary* summary = suggestion->mutable_partner();
          summary->set_id(partner.id());
          summary->set_kind(partner.kind());
          summary->set_name(partner.name());
          *summary->mutable_location() = partner.location();
          *summary->mutable_sectors() = partner.sectors();
          *(needs_to_offers ? suggestion->mutable_need() : suggestion->mutable_offer()) = c->query->ref;
          *(needs_to_offers ? suggestion->mutable_offer() : suggestion->mutable_need()) = c->partner_item.ref;
          suggestion->set_score(std::clamp(c->score, 0.0, 1.0));
          *suggestion->mutable_components() = c->features;
          if (c->distance_km) suggestion->set_distance_km(*c->distance_km);
          for (std::string& reason : Explain(*c, asker, needs_to_offers, weights_)) {
            suggestion->add_reasons(std::move(reason));
          }
        }
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return response;
}

}  // namespace pollinator
