#include "services/matcher.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "index/learned_ranker.h"
#include "index/lexical_match.h"
#include "index/vector_math.h"
#include "services/candidate_filter.h"
#include "services/diversity.h"
#include "services/match_explanation.h"
#include "services/observability/log.h"
#include "services/validation.h"

namespace pollinator {
namespace {

// A partner's next best items (up to kRepeatItems) beyond its best pair
// close this share of the gap to full relevance by their own relevance: an
// actor that does this kind of work repeatedly is the surer partner.
constexpr size_t kRepeatItems = 2;
constexpr double kRepeatShare = 1.0;
// Neutral value of a feature that cannot be judged (ad-hoc queries have no
// location or sector).
constexpr double kNeutral = 0.5;
// Fewest partners each FAISS search gathers: re-ranking needs a pool wider
// than the page.
constexpr int kMinCandidatePool = 50;
// Bound on partners added from the asker's network (past partners and
// theirs) besides those the searches find.
constexpr size_t kMaxNetworkCandidates = 500;
constexpr size_t kSharedWordsShown = 3;
// The reverse fit counts as at least this share of the forward fit when the
// two are combined (see Score).
constexpr double kMinReverseShare = 0.5;
// The top suggestions taken as the likely consortium whose members'
// collaborators are lifted (network feature).
constexpr size_t kConsortiumSeed = 10;
// Candidates shown as near misses when none reaches the relevance floor.
constexpr int kNearMisses = 3;

// One thing the asker brings to the search: a need (or an offer) with its
// vector, or an ad-hoc text or vector.
struct QueryItem {
  v1::ItemRef ref;
  std::vector<float> vector;
  v1::GeographicScope scope = v1::GEOGRAPHIC_SCOPE_UNSPECIFIED;
  // The item's words, for coverage; null without text (vector queries).
  std::unique_ptr<Bm25Query> lexical;
  // The item's word terms, for coverage the other way (MatchScope's
  // cover_need_words); null when unknown.
  const TermSet* terms = nullptr;
};

// The asker's side of one direction of matching: its items and the partner
// side they are matched against.
struct QuerySide {
  std::vector<QueryItem> items;
  v1::ItemSide target_side = v1::ITEM_SIDE_OFFER;
  // The items' vectors back to back, for VectorIndex::Similarities.
  std::vector<float> packed;

  void Pack() {
    packed.clear();
    for (const QueryItem& item : items) packed.insert(packed.end(), item.vector.begin(), item.vector.end());
  }
};

// How well one partner fits one direction: its most relevant pair.
struct DirectionFit {
  const QueryItem* query = nullptr;
  v1::ItemRef partner_item;
  const TermSet* partner_terms = nullptr;
  v1::GeographicScope partner_scope = v1::GEOGRAPHIC_SCOPE_UNSPECIFIED;
  int64_t partner_vector_id = 0;
  // Calibrated embedding similarity and coverage of the best pair, and the
  // relevance they make, raised by the partner's other fitting items.
  double semantic = 0.0;
  double lexical = 0.0;
  double relevance = 0.0;
  // The best pair's own relevance, before the partner's other items add
  // theirs: what the floor judges.
  double pair_relevance = 0.0;
};

struct Candidate {
  const IndexedProfile* partner = nullptr;
  DirectionFit primary;
  std::optional<DirectionFit> reverse;
  v1::ScoreBreakdown features;
  // Relevance after repeated work and reciprocity (what the score scales).
  double relevance = 0.0;
  double score = 0.0;
  std::optional<double> distance_km;
  bool past_partner = false;
  int shared_partners = 0;
  // Other top suggestions the partner has worked with.
  int linked_suggestions = 0;
};

void SortByScore(std::vector<Candidate>& candidates) {
  std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
    if (a.score != b.score) return a.score > b.score;
    return a.partner->profile.id() < b.partner->profile.id();
  });
}

std::string NotFoundMessage(absl::string_view tenant, absl::string_view id) {
  return absl::StrCat("profile \"", id, "\" not found in tenant \"", tenant, "\"");
}

// Whether `hits`, searched with `k`, come from at least `partners` distinct
// profiles or hold every vector that passes.
bool EnoughPartners(const TenantState& state, const std::vector<VectorHit>& hits, int k,
                    int partners) ABSL_NO_THREAD_SAFETY_ANALYSIS {
  absl::flat_hash_set<absl::string_view> distinct;
  for (const VectorHit& hit : hits) distinct.insert(state.items.at(hit.id).profile_id);
  const bool exhausted = static_cast<int64_t>(hits.size()) < k || k >= state.index->size();
  return static_cast<int>(distinct.size()) >= partners || exhausted;
}

// For each of `queries` (stored back to back), the nearest vectors that pass
// `filter`, widening the search until they come from at least `partners`
// distinct profiles or the index is exhausted: one profile may hold up to
// 100 similar items and must not crowd out the rest. The first searches go
// together, in one pass when the index scans exactly; each query that falls
// short is widened on its own.
absl::StatusOr<std::vector<std::vector<VectorHit>>> SearchDistinctPartnersEach(
    const TenantState& state, absl::Span<const float> queries, const CandidateFilter& filter,
    int partners) ABSL_NO_THREAD_SAFETY_ANALYSIS {
  SearchOptions search;
  filter.ConfigureSearch(search);
  search.k = partners * 5 + 20;
  absl::StatusOr<std::vector<std::vector<VectorHit>>> each = state.index->SearchEach(queries, search);
  if (!each.ok()) return each.status();
  const size_t d = static_cast<size_t>(state.index->dimension());
  for (size_t q = 0; q < each->size(); ++q) {
    std::vector<VectorHit>& hits = (*each)[q];
    SearchOptions widened = search;
    while (!EnoughPartners(state, hits, widened.k, partners)) {
      widened.k *= 4;
      absl::StatusOr<std::vector<VectorHit>> more = state.index->Search(queries.subspan(q * d, d), widened);
      if (!more.ok()) return more.status();
      hits = std::move(*more);
    }
  }
  return each;
}

std::unique_ptr<Bm25Query> LexicalQuery(const TenantState& state, absl::string_view text) {
  if (text.empty()) return nullptr;
  return std::make_unique<Bm25Query>(text, state.term_statistics, state.feature_ids);
}

// The asker's unexpired needs (or offers) with their stored vectors; only
// `item_id` when it is set. entries[i] is items[i].
template <typename ItemList>
absl::StatusOr<std::vector<QueryItem>> CollectQueryItems(const TenantState& state, const ItemList& items,
                                                         const std::vector<IndexedEntry>& entries,
                                                         absl::string_view item_id, const v1::Date& today,
                                                         bool include_expired) ABSL_NO_THREAD_SAFETY_ANALYSIS {
  std::vector<QueryItem> query_items;
  for (int i = 0; i < items.size(); ++i) {
    const auto& item = items[i];
    const IndexedEntry& entry = entries[static_cast<size_t>(i)];
    if (!item_id.empty() && item.id() != item_id) continue;
    if (!include_expired && IsExpired(ItemExpiry(item), today)) continue;
    if (entry.vector_id == 0) continue;
    absl::StatusOr<std::vector<float>> vector = state.index->Get(entry.vector_id);
    if (!vector.ok()) return vector.status();
    QueryItem query;
    query.ref.set_id(item.id());
    query.ref.set_text(item.text());
    query.ref.set_component(item.component());
    query.scope = item.scope();
    query.vector = std::move(*vector);
    query.lexical = LexicalQuery(state, item.text());
    query.terms = &entry.terms;
    query_items.push_back(std::move(query));
  }
  return query_items;
}

// One partner item FitDirection weighs: a need, an offer or the description.
struct PartnerItem {
  int64_t vector_id = 0;
  const std::string* id = nullptr;
  const std::string* text = nullptr;
  v1::Component component = v1::COMPONENT_UNSPECIFIED;
  v1::GeographicScope scope = v1::GEOGRAPHIC_SCOPE_UNSPECIFIED;
  // Null when the item has no word terms.
  const TermSet* terms = nullptr;
  // The description restates what the items say, so it is no evidence of
  // repeated work.
  bool repeated_work = true;
};

// The most relevant pair of `partner`'s acceptable items on the target side
// with the query items; nullopt when it has none. The built-in embedder's
// cosines are calibrated to [0, 1]; client vectors are taken as they are.
std::optional<DirectionFit> FitDirection(const TenantState& state, const QuerySide& side,
                                         const IndexedProfile& partner, const CandidateFilter& filter,
                                         const ScoringWeights& weights, bool with_description,
                                         bool cover_need_words) ABSL_NO_THREAD_SAFETY_ANALYSIS {
  const bool calibrate = state.embedder != nullptr;
  const bool needs = side.target_side == v1::ITEM_SIDE_NEED;
  // The acceptable items, the description first.
  absl::InlinedVector<PartnerItem, 16> considered;
  absl::InlinedVector<int64_t, 16> vector_ids;
  auto accept = [&](const PartnerItem& item) ABSL_NO_THREAD_SAFETY_ANALYSIS {
    auto indexed = state.items.find(item.vector_id);
    if (indexed == state.items.end() || !filter.AcceptItem(indexed->second)) return;
    considered.push_back(item);
    vector_ids.push_back(item.vector_id);
  };
  if (with_description && partner.description_vector_id != 0) {
    // The description has no id and no component; its scope is the default.
    static const std::string kNoItemId;
    accept({partner.description_vector_id, &kNoItemId, &partner.profile.description(), v1::COMPONENT_UNSPECIFIED,
            v1::GEOGRAPHIC_SCOPE_UNSPECIFIED, &partner.description_terms, /*repeated_work=*/false});
  }
  auto add_entries = [&](const auto& items, const std::vector<IndexedEntry>& entries) {
    for (int i = 0; i < items.size(); ++i) {
      const auto& item = items[i];
      const IndexedEntry& entry = entries[static_cast<size_t>(i)];
      if (entry.vector_id == 0) continue;
      accept({entry.vector_id, &item.id(), &item.text(), item.component(), item.scope(), &entry.terms,
              /*repeated_work=*/true});
    }
  };
  if (needs) {
    add_entries(partner.profile.needs(), partner.needs);
  } else {
    add_entries(partner.profile.offers(), partner.offers);
  }
  if (considered.empty() || side.items.empty()) return std::nullopt;
  // Every item against every query item, under one index lock.
  const size_t queries = side.items.size();
  absl::InlinedVector<float, 64> similarities(considered.size() * queries);
  if (!state.index->Similarities(side.packed, vector_ids, absl::MakeSpan(similarities)).ok()) return std::nullopt;

  std::optional<DirectionFit> best;
  const PartnerItem* best_item = nullptr;
  // Each acceptable item's best relevance to any query item.
  absl::InlinedVector<double, 16> item_relevance;
  for (size_t i = 0; i < considered.size(); ++i) {
    const PartnerItem& item = considered[i];
    // The partner's need as the words to cover, when the scope asks so.
    std::unique_ptr<Bm25Query> need_words;
    if (cover_need_words && needs) need_words = LexicalQuery(state, *item.text);
    double item_best = 0.0;
    bool found = true;
    for (size_t q = 0; q < queries; ++q) {
      const QueryItem& query = side.items[q];
      const float similarity = similarities[i * queries + q];
      if (std::isnan(similarity)) {
        found = false;
        break;
      }
      const double cosine = std::max(0.0f, similarity);
      const double semantic = calibrate ? CalibratedSemantic(cosine) : std::min(1.0, cosine);
      // Without words on either side, relevance is the semantic fit alone.
      const bool has_words = need_words != nullptr
                                 ? need_words->HasCoverageWords() && query.terms != nullptr
                                 : query.lexical != nullptr && query.lexical->HasCoverageWords() && item.terms != nullptr;
      const double lexical = !has_words            ? 0.0
                             : need_words != nullptr ? need_words->Coverage(*query.terms)
                                                     : query.lexical->Coverage(*item.terms);
      const double relevance = has_words ? Relevance(semantic, lexical, weights) : semantic;
      item_best = std::max(item_best, relevance);
      if (best && relevance <= best->relevance) continue;
      best.emplace();
      best->query = &query;
      best->partner_vector_id = item.vector_id;
      best_item = &item;
      best->partner_terms = has_words ? item.terms : nullptr;
      best->partner_scope = item.scope;
      best->semantic = semantic;
      best->lexical = lexical;
      best->relevance = relevance;
    }
    if (found && item.repeated_work) item_relevance.push_back(item_best);
  }
  if (best) {
    // The item's strings are copied once, for the best pair only.
    best->partner_item.set_id(*best_item->id);
    best->partner_item.set_text(*best_item->text);
    best->partner_item.set_component(best_item->component);
    best->pair_relevance = best->relevance;
  }
  if (best && item_relevance.size() > 1) {
    // Evidence of repeated work: the next best items raise relevance
    // towards 1 by their own relevance, so unrelated items add nothing.
    // When the description is the best pair, the best item is taken to
    // restate it and adds nothing either.
    std::sort(item_relevance.begin(), item_relevance.end(), std::greater<double>());
    double next = 0.0;
    const size_t count = std::min<size_t>(kRepeatItems, item_relevance.size() - 1);
    for (size_t i = 1; i <= count; ++i) next += item_relevance[i];
    best->relevance += (1.0 - best->relevance) * kRepeatShare * next / kRepeatItems;
  }
  return best;
}

// One FindPartners request against one tenant, under its shared lock.
class MatchRun {
 public:
  MatchRun(const TenantState& state, const v1::FindPartnersRequest& request, const ScoringWeights& weights,
           const v1::Date& today, int top_k, const MatchHistory& history, const MatchScope& scope)
      : state_(state), request_(request), weights_(weights), today_(today), top_k_(top_k), scope_(scope),
        needs_to_offers_(request.direction() != v1::DIRECTION_OFFERS_TO_NEEDS),
        min_relevance_(request.has_min_relevance() ? request.min_relevance() : kDefaultMinRelevance),
        graph_(history.graph != nullptr ? *history.graph : state.interactions),
        include_expired_(history.include_expired_query_items) {}

  absl::Status Run(v1::FindPartnersResponse& response);
  // The candidates that pass the floor, ranked, with their features.
  absl::StatusOr<std::vector<RankedCandidate>> RankedCandidates();

 private:
  // 1. What the asker brings, in the requested direction and the reverse.
  absl::Status PrepareQuery();
  // 2. Partners found by FAISS in both directions and from the asker's
  // description, and in the asker's network.
  absl::StatusOr<std::vector<const IndexedProfile*>> GatherCandidates();
  // 3. Features and score of each candidate with a fit in the requested
  // direction, best first; those below the relevance floor are moved to
  // `below_floor`, by their primary fit and with nothing else computed.
  std::vector<Candidate> Score(const std::vector<const IndexedProfile*>& partners,
                               std::vector<Candidate>& below_floor);
  // The reverse fit, the features and the score of `c`, whose primary fit
  // is set.
  void Complete(Candidate& c) const;
  // Lifts partners who have worked with the top suggestions: consortia
  // form among actors who know each other.
  void LinkToLikelyConsortium(std::vector<Candidate>& ranked) const;
  // 4. The page, diversified, explained; or, when nothing is relevant, the
  // near misses.
  void Respond(std::vector<Candidate>& ranked, std::vector<Candidate>& below_floor,
               v1::FindPartnersResponse& response);
  // Adds `c` to `list` with its reasons.
  void AddSuggestion(const Candidate& c, bool near_miss, bool moved_up,
                     google::protobuf::RepeatedPtrField<v1::Suggestion>& list) const;

  const absl::flat_hash_set<std::string>* Collaborators(absl::string_view id) const {
    auto it = graph_.collaborators.find(id);
    return it == graph_.collaborators.end() ? nullptr : &it->second;
  }
  // Steps 1 to 3, shared by Run() and RankedCandidates().
  absl::StatusOr<std::vector<Candidate>> Rank(std::vector<Candidate>& below_floor);
  // With an active model, orders `ranked` (all above the floor) by it; if
  // the model fails, leaves the hand-set order (and says so in ranked_by).
  absl::Status ApplyModel(std::vector<Candidate>& ranked) const;

  const TenantState& state_;
  const v1::FindPartnersRequest& request_;
  const ScoringWeights& weights_;
  const v1::Date today_;
  const int top_k_;
  const MatchScope& scope_;
  const bool needs_to_offers_;
  const double min_relevance_;
  const InteractionGraph& graph_;
  const bool include_expired_;
  // The active model could not score this request's candidates.
  mutable bool model_failed_ = false;
  // Null for ad-hoc queries.
  const IndexedProfile* asker_ = nullptr;
  QuerySide primary_;
  // Empty items when reciprocity does not apply.
  QuerySide reverse_;
  // Which partner items each direction may match; set by Rank().
  std::optional<CandidateFilter> primary_filter_;
  std::optional<CandidateFilter> reverse_filter_;
  // The asker's past partners; null for ad-hoc queries and askers without
  // any. Set by Rank().
  const absl::flat_hash_set<std::string>* asker_partners_ = nullptr;
};

absl::Status MatchRun::PrepareQuery() ABSL_NO_THREAD_SAFETY_ANALYSIS {
  primary_.target_side = needs_to_offers_ ? v1::ITEM_SIDE_OFFER : v1::ITEM_SIDE_NEED;
  reverse_.target_side = needs_to_offers_ ? v1::ITEM_SIDE_NEED : v1::ITEM_SIDE_OFFER;
  if (request_.query_case() != v1::FindPartnersRequest::kProfileId) {
    QueryItem query;
    if (request_.query_case() == v1::FindPartnersRequest::kText) {
      if (state_.embedder == nullptr) {
        return absl::FailedPreconditionError(absl::StrCat(
            "text: tenant \"", request_.tenant(), "\" uses client vectors; query with a vector instead"));
      }
      absl::StatusOr<std::vector<float>> vector = state_.embedder->Embed(request_.text());
      if (!vector.ok()) return vector.status();
      query.vector = std::move(*vector);
      query.ref.set_text(request_.text());
      query.lexical = LexicalQuery(state_, request_.text());
    } else {
      if (request_.vector().values_size() != state_.record.dimension()) {
        return absl::InvalidArgumentError(absl::StrCat("vector.values: dimension ", request_.vector().values_size(),
                                                       ", but tenant \"", request_.tenant(), "\" uses ",
                                                       state_.record.dimension()));
      }
      query.vector.assign(request_.vector().values().begin(), request_.vector().values().end());
      NormalizeInPlace(query.vector);
    }
    primary_.items.push_back(std::move(query));
    return absl::OkStatus();
  }

  auto it = state_.profiles.find(request_.profile_id());
  if (it == state_.profiles.end()) return absl::NotFoundError(NotFoundMessage(request_.tenant(), request_.profile_id()));
  asker_ = &it->second;
  const v1::Profile& asker = asker_->profile;
  if (request_.filters().has_max_distance_km() && !(asker.location().has_lat() && asker.location().has_lon())) {
    return absl::FailedPreconditionError(
        absl::StrCat("filters.max_distance_km: profile \"", asker.id(), "\" has no lat/lon to measure from"));
  }
  absl::StatusOr<std::vector<QueryItem>> needs =
      CollectQueryItems(state_, asker.needs(), asker_->needs,
                        needs_to_offers_ ? request_.item_id() : "", today_, include_expired_);
  if (!needs.ok()) return needs.status();
  absl::StatusOr<std::vector<QueryItem>> offers =
      CollectQueryItems(state_, asker.offers(), asker_->offers,
                        needs_to_offers_ ? "" : request_.item_id(), today_, include_expired_);
  if (!offers.ok()) return offers.status();
  primary_.items = std::move(needs_to_offers_ ? *needs : *offers);
  if (request_.reciprocity() != v1::RECIPROCITY_OFF) reverse_.items = std::move(needs_to_offers_ ? *offers : *needs);
  if (scope_.descriptions_as_items && request_.item_id().empty() && asker_->description_vector_id != 0) {
    absl::StatusOr<std::vector<float>> description = state_.index->Get(asker_->description_vector_id);
    if (!description.ok()) return description.status();
    QueryItem query;
    query.ref.set_text(asker.description());
    query.vector = std::move(*description);
    query.lexical = LexicalQuery(state_, asker.description());
    query.terms = &asker_->description_terms;
    primary_.items.push_back(std::move(query));
  }
  if (primary_.items.empty()) {
    const char* const noun = needs_to_offers_ ? "needs" : "offers";
    if (!request_.item_id().empty()) {
      return absl::NotFoundError(absl::StrCat("item_id: \"", request_.item_id(), "\" is not an unexpired entry of ",
                                              "profile \"", asker.id(), "\"'s ", noun));
    }
    return absl::FailedPreconditionError(absl::StrCat("profile \"", asker.id(), "\" has no unexpired ", noun,
                                                      scope_.descriptions_as_items ? " and no description" : "",
                                                      " to match"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<const IndexedProfile*>> MatchRun::GatherCandidates() ABSL_NO_THREAD_SAFETY_ANALYSIS {
  const CandidateFilter& primary_filter = *primary_filter_;
  const CandidateFilter& reverse_filter = *reverse_filter_;
  const int pool = std::max(kMinCandidatePool, kDiversityPoolFactor * top_k_);
  absl::flat_hash_set<absl::string_view> seen;
  std::vector<const IndexedProfile*> partners;
  auto add = [&](absl::string_view id) ABSL_NO_THREAD_SAFETY_ANALYSIS {
    if (seen.contains(id)) return;
    auto it = state_.profiles.find(id);
    if (it == state_.profiles.end()) return;
    seen.insert(it->first);
    partners.push_back(&it->second);
  };
  // `vectors` back to back, searched together; their hits added in order.
  auto search = [&](absl::Span<const float> vectors, const CandidateFilter& filter) -> absl::Status {
    if (vectors.empty()) return absl::OkStatus();
    absl::StatusOr<std::vector<std::vector<VectorHit>>> each =
        SearchDistinctPartnersEach(state_, vectors, filter, pool);
    if (!each.ok()) return each.status();
    for (const std::vector<VectorHit>& hits : *each) {
      for (const VectorHit& hit : hits) add(state_.items.at(hit.id).profile_id);
    }
    return absl::OkStatus();
  };
  if (absl::Status s = search(primary_.packed, primary_filter); !s.ok()) return s;
  if (absl::Status s = search(reverse_.packed, reverse_filter); !s.ok()) return s;
  const bool description_searched = scope_.descriptions_as_items && request_.item_id().empty();
  if (asker_ != nullptr && asker_->description_vector_id != 0 && !description_searched) {
    absl::StatusOr<std::vector<float>> description = state_.index->Get(asker_->description_vector_id);
    if (!description.ok()) return description.status();
    if (absl::Status s = search(*description, primary_filter); !s.ok()) return s;
  }
  // The network: past partners, then their partners, in a stable order.
  if (asker_ != nullptr) {
    if (const auto* direct = Collaborators(asker_->profile.id()); direct != nullptr) {
      std::vector<std::string> network(direct->begin(), direct->end());
      std::sort(network.begin(), network.end());
      const size_t direct_count = network.size();
      for (size_t i = 0; i < direct_count; ++i) {
        if (const auto* second = Collaborators(network[i]); second != nullptr) {
          std::vector<std::string> more(second->begin(), second->end());
          std::sort(more.begin(), more.end());
          network.insert(network.end(), more.begin(), more.end());
        }
      }
      for (size_t i = 0; i < network.size() && i < kMaxNetworkCandidates; ++i) {
        if (primary_filter.AcceptPartnerId(network[i])) add(network[i]);
      }
    }
  }
  return partners;
}

void MatchRun::Complete(Candidate& c) const ABSL_NO_THREAD_SAFETY_ANALYSIS {
  if (!reverse_.items.empty()) {
    c.reverse = FitDirection(state_, reverse_, *c.partner, *reverse_filter_, weights_,
                             /*with_description=*/false, /*cover_need_words=*/false);
  }
  c.features.set_semantic(c.primary.semantic);
  c.features.set_lexical(c.primary.lexical);
  c.features.set_pair_relevance(c.primary.pair_relevance);
  c.relevance = c.primary.relevance;
  if (c.reverse) {
    const double forward = c.primary.relevance;
    const double reverse = c.reverse->relevance;
    c.features.set_reciprocal(reverse);
    // A partner whose needs the asker cannot meet still meets the
    // asker's need: the floor bounds what a poor reverse fit costs (a
    // third, with the harmonic mean) so that mutual fits rank first
    // without erasing one-sided ones.
    const double counted = std::max(reverse, kMinReverseShare * forward);
    c.relevance = request_.reciprocity() == v1::RECIPROCITY_ARITHMETIC ? (forward + counted) / 2
                  : forward + counted > 0 ? 2 * forward * counted / (forward + counted)
                                          : 0.0;
  }

  const v1::Profile& partner = c.partner->profile;
  const QueryItem& query = *c.primary.query;
  const v1::GeographicScope scope = needs_to_offers_ ? query.scope : c.primary.partner_scope;
  const v1::Component component = needs_to_offers_ && query.ref.component() != v1::COMPONENT_UNSPECIFIED
                                      ? query.ref.component()
                                      : c.primary.partner_item.component();
  if (asker_ != nullptr) {
    c.distance_km = DistanceKm(asker_->profile.location(), partner.location());
    c.features.set_geography(GeographyScore(asker_->profile.location(), partner.location(), scope));
    c.features.set_sector(SectorScore(asker_->profile.sectors(), partner.sectors()));
    c.features.set_kind_fit(KindFit(component, needs_to_offers_ ? partner.kind() : asker_->profile.kind()));
  } else {
    c.features.set_geography(kNeutral);
    c.features.set_sector(kNeutral);
    c.features.set_kind_fit(needs_to_offers_ ? KindFit(component, partner.kind()) : kNeutral);
  }
  c.features.set_experience(ExperienceScore(partner.completed_projects()));
  if (asker_partners_ != nullptr) {
    c.past_partner = asker_partners_->contains(partner.id());
    for (const std::string& past : *asker_partners_) {
      const auto* theirs = Collaborators(past);
      if (theirs != nullptr && theirs->contains(partner.id())) ++c.shared_partners;
    }
  }
  c.features.set_network(NetworkScore(c.past_partner, c.shared_partners, 0));
  c.features.set_relevance(c.relevance);
  c.features.set_prior(PriorScore(c.features, weights_));
  c.score = GatedScore(c.relevance, c.features.prior(), weights_);
}

std::vector<Candidate> MatchRun::Score(const std::vector<const IndexedProfile*>& partners,
                                       std::vector<Candidate>& below_floor) ABSL_NO_THREAD_SAFETY_ANALYSIS {
  std::vector<Candidate> candidates;
  // Every partner already passed the profile-level filters when gathered.
  for (const IndexedProfile* partner_profile : partners) {
    std::optional<DirectionFit> primary =
        FitDirection(state_, primary_, *partner_profile, *primary_filter_, weights_, scope_.descriptions_as_items,
                     scope_.cover_need_words);
    if (!primary) continue;
    Candidate c;
    c.partner = partner_profile;
    c.primary = std::move(*primary);
    // The gate: the requested direction must be relevant on its own. Those
    // below it are completed only if they are shown as near misses.
    if (c.primary.pair_relevance < min_relevance_) {
      below_floor.push_back(std::move(c));
      continue;
    }
    Complete(c);
    candidates.push_back(std::move(c));
  }
  SortByScore(candidates);
  // The closest misses are those with the most substance, whatever their priors.
  std::sort(below_floor.begin(), below_floor.end(), [](const Candidate& a, const Candidate& b) {
    if (a.primary.pair_relevance != b.primary.pair_relevance) return a.primary.pair_relevance > b.primary.pair_relevance;
    return a.partner->profile.id() < b.partner->profile.id();
  });
  if (weights_.network > 0) {
    LinkToLikelyConsortium(candidates);
    SortByScore(candidates);
  }
  return candidates;
}

void MatchRun::LinkToLikelyConsortium(std::vector<Candidate>& ranked) const ABSL_NO_THREAD_SAFETY_ANALYSIS {
  const size_t seed = std::min(kConsortiumSeed, ranked.size());
  for (Candidate& c : ranked) {
    for (size_t i = 0; i < seed; ++i) {
      if (&ranked[i] == &c) continue;
      const auto* theirs = Collaborators(ranked[i].partner->profile.id());
      if (theirs != nullptr && theirs->contains(c.partner->profile.id())) ++c.linked_suggestions;
    }
  }
  for (Candidate& c : ranked) {
    c.features.set_network(NetworkScore(c.past_partner, c.shared_partners, c.linked_suggestions));
    c.features.set_prior(PriorScore(c.features, weights_));
    c.score = GatedScore(c.relevance, c.features.prior(), weights_);
  }
}

void MatchRun::Respond(std::vector<Candidate>& ranked, std::vector<Candidate>& below_floor,
                       v1::FindPartnersResponse& response) ABSL_NO_THREAD_SAFETY_ANALYSIS {
  if (ranked.empty()) {
    response.set_no_relevant_partner(true);
    for (size_t i = 0; i < below_floor.size() && i < kNearMisses; ++i) {
      if (below_floor[i].primary.pair_relevance <= 0) break;
      Complete(below_floor[i]);
      AddSuggestion(below_floor[i], /*near_miss=*/true, /*moved_up=*/false, *response.mutable_near_misses());
    }
    return;
  }
  std::vector<RankedOption> options;
  for (const Candidate& c : ranked) options.push_back({c.score, c.partner->profile.kind()});
  // Candidates are compared by the partner items they matched with.
  std::vector<std::optional<std::vector<float>>> vectors(ranked.size());
  auto vector_of = [&](size_t i) -> const std::vector<float>* ABSL_NO_THREAD_SAFETY_ANALYSIS {
    if (!vectors[i]) {
      absl::StatusOr<std::vector<float>> v = state_.index->Get(ranked[i].primary.partner_vector_id);
      vectors[i] = v.ok() ? std::move(*v) : std::vector<float>();
    }
    return &*vectors[i];
  };
  const DiversityOptions diversity{request_.diversity(), request_.max_per_kind()};
  const std::vector<size_t> chosen = SelectDiverse(diversity, top_k_, options, [&](size_t a, size_t b) {
    const std::vector<float>* va = vector_of(a);
    const std::vector<float>* vb = vector_of(b);
    return va->size() == vb->size() && !va->empty() ? static_cast<double>(Dot(*va, *vb)) : 0.0;
  });
  for (size_t i = 0; i < chosen.size(); ++i) {
    // Diversity placed this one above a higher score further down the page.
    bool moved_up = false;
    for (size_t j = i + 1; j < chosen.size(); ++j) moved_up |= ranked[chosen[j]].score > ranked[chosen[i]].score;
    AddSuggestion(ranked[chosen[i]], /*near_miss=*/false, moved_up, *response.mutable_suggestions());
  }
}

void MatchRun::AddSuggestion(const Candidate& c, bool near_miss, bool moved_up,
                             google::protobuf::RepeatedPtrField<v1::Suggestion>& list) const
    ABSL_NO_THREAD_SAFETY_ANALYSIS {
  v1::Suggestion* suggestion = list.Add();
  const v1::Profile& partner = c.partner->profile;
  *suggestion->mutable_partner() = ProfileSummaryOf(partner);
  *(needs_to_offers_ ? suggestion->mutable_need() : suggestion->mutable_offer()) = c.primary.query->ref;
  *(needs_to_offers_ ? suggestion->mutable_offer() : suggestion->mutable_need()) = c.primary.partner_item;
  // The reverse pair only when it is itself relevant: the asker's offer
  // meets the partner's need, or the partner's offer meets the asker's need.
  const bool mutual = c.reverse && c.reverse->pair_relevance >= min_relevance_;
  if (mutual) {
    *(needs_to_offers_ ? suggestion->mutable_mutual_offer() : suggestion->mutable_mutual_need()) =
        c.reverse->query->ref;
    *(needs_to_offers_ ? suggestion->mutable_mutual_need() : suggestion->mutable_mutual_offer()) =
        c.reverse->partner_item;
  }
  suggestion->set_score(std::clamp(c.score, 0.0, 1.0));
  *suggestion->mutable_components() = c.features;
  if (c.distance_km) suggestion->set_distance_km(*c.distance_km);

  MatchEvidence evidence;
  evidence.needs_to_offers = needs_to_offers_;
  evidence.asker = asker_ != nullptr ? &asker_->profile : nullptr;
  evidence.partner = &partner;
  evidence.query_item = c.primary.query->ref;
  evidence.partner_item = c.primary.partner_item;
  evidence.query_is_description = asker_ != nullptr && c.primary.query->ref.id().empty();
  evidence.partner_is_description = c.primary.partner_item.id().empty();
  evidence.features = c.features;
  evidence.distance_km = c.distance_km;
  evidence.min_relevance = min_relevance_;
  evidence.near_miss = near_miss;
  evidence.moved_up = moved_up;
  if (mutual) {
    evidence.mutual_query_item = c.reverse->query->ref;
    evidence.mutual_partner_item = c.reverse->partner_item;
    evidence.mutual_relevance = c.reverse->pair_relevance;
  }
  if (c.primary.query->lexical != nullptr && c.primary.partner_terms != nullptr) {
    evidence.shared_words = c.primary.query->lexical->SharedRareWords(*c.primary.partner_terms, kSharedWordsShown);
  }
  evidence.past_partner = c.past_partner;
  evidence.shared_partners = c.shared_partners;
  evidence.linked_suggestions = c.linked_suggestions;
  for (std::string& reason : ExplainMatch(evidence, weights_)) suggestion->add_reasons(std::move(reason));
}

absl::StatusOr<std::vector<Candidate>> MatchRun::Rank(std::vector<Candidate>& below_floor) {
  if (absl::Status s = PrepareQuery(); !s.ok()) return s;
  primary_.Pack();
  reverse_.Pack();
  if (asker_ != nullptr) asker_partners_ = Collaborators(asker_->profile.id());
  primary_filter_.emplace(state_, graph_, request_, primary_.target_side, /*filter_components=*/true, asker_, today_,
                          &scope_);
  reverse_filter_.emplace(state_, graph_, request_, reverse_.target_side, /*filter_components=*/false, asker_, today_);
  absl::StatusOr<std::vector<const IndexedProfile*>> partners = GatherCandidates();
  if (!partners.ok()) return partners.status();
  std::vector<Candidate> ranked = Score(*partners, below_floor);
  if (absl::Status s = ApplyModel(ranked); !s.ok()) return s;
  return ranked;
}

absl::Status MatchRun::ApplyModel(std::vector<Candidate>& ranked) const ABSL_NO_THREAD_SAFETY_ANALYSIS {
  if (state_.ranker == nullptr || ranked.empty()) return absl::OkStatus();
  std::vector<RankerFeatures> features;
  features.reserve(ranked.size());
  for (const Candidate& c : ranked) features.push_back(RankerFeaturesOf(c.features));
  absl::StatusOr<std::vector<float>> margins = state_.ranker->Score(features);
  if (!margins.ok()) {
    // The hand-set order stands; the response says the rules ranked it.
    LogError(absl::StrCat("tenant \"", state_.name, "\": ranker model failed, rules rank: ", margins.status().ToString()));
    model_failed_ = true;
    return absl::OkStatus();
  }
  // The model orders; the shown score is its margin squashed to (0, 1).
  for (size_t i = 0; i < ranked.size(); ++i) ranked[i].score = 1.0 / (1.0 + std::exp(-(*margins)[i]));
  SortByScore(ranked);
  return absl::OkStatus();
}

absl::Status MatchRun::Run(v1::FindPartnersResponse& response) ABSL_NO_THREAD_SAFETY_ANALYSIS {
  std::vector<Candidate> below_floor;
  absl::StatusOr<std::vector<Candidate>> ranked = Rank(below_floor);
  if (!ranked.ok()) return ranked.status();
  response.set_ranked_by(state_.ranker != nullptr && !model_failed_
                             ? RankedByModel(state_.record.active_ranker_version())
                             : std::string(kRankedByRules));
  Respond(*ranked, below_floor, response);
  return absl::OkStatus();
}

absl::StatusOr<std::vector<RankedCandidate>> MatchRun::RankedCandidates() {
  std::vector<Candidate> below_floor;
  absl::StatusOr<std::vector<Candidate>> ranked = Rank(below_floor);
  if (!ranked.ok()) return ranked.status();
  std::vector<RankedCandidate> out;
  for (size_t i = 0; i < ranked->size() && static_cast<int>(i) < top_k_; ++i) {
    const Candidate& c = (*ranked)[i];
    out.push_back({c.partner->profile.id(), c.features, c.score});
  }
  return out;
}

}  // namespace

v1::ProfileSummary ProfileSummaryOf(const v1::Profile& profile) {
  v1::ProfileSummary summary;
  summary.set_id(profile.id());
  summary.set_kind(profile.kind());
  summary.set_name(profile.name());
  *summary.mutable_location() = profile.location();
  *summary.mutable_sectors() = profile.sectors();
  return summary;
}

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

absl::StatusOr<int> Matcher::Validate(const v1::FindPartnersRequest& request) {
  if (absl::Status s = ValidateTenant(request.tenant()); !s.ok()) return s;
  absl::StatusOr<int> top_k = ResolveTopK(request.top_k());
  if (!top_k.ok()) return top_k.status();
  if (!v1::Direction_IsValid(request.direction())) {
    return absl::InvalidArgumentError(absl::StrCat("direction: unknown value ", request.direction()));
  }
  if (absl::Status s = ValidateFilters(request.filters()); !s.ok()) return s;
  if (absl::Status s = ValidateRankingOptions(request); !s.ok()) return s;
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
  return top_k;
}

absl::StatusOr<std::vector<RankedCandidate>> Matcher::RankedCandidates(const TenantState& state,
                                                                       const v1::FindPartnersRequest& request,
                                                                       const MatchHistory& history) const {
  absl::StatusOr<int> top_k = Validate(request);
  if (!top_k.ok()) return top_k.status();
  return MatchRun(state, request, weights_, today_(), *top_k, history, MatchScope()).RankedCandidates();
}

absl::StatusOr<v1::FindPartnersResponse> Matcher::FindPartners(const v1::FindPartnersRequest& request) const {
  return FindPartners(request, MatchScope());
}

absl::StatusOr<v1::FindPartnersResponse> Matcher::FindPartners(const v1::FindPartnersRequest& request,
                                                               const MatchScope& scope) const {
  absl::StatusOr<int> top_k = Validate(request);
  if (!top_k.ok()) return top_k.status();
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
        return MatchRun(*state, request, weights_, today, *top_k, MatchHistory(), scope).Run(response);
      });
  if (!status.ok()) return status;
  return response;
}

}  // namespace pollinator
