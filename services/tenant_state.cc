#include "services/tenant_state.h"

#include "services/validation.h"

namespace pollinator {
namespace {

void StripVectors(v1::Profile& profile) {
  profile.clear_description_vector();
  for (v1::Need& need : *profile.mutable_needs()) need.clear_vector();
  for (v1::Offer& offer : *profile.mutable_offers()) offer.clear_vector();
}

}  // namespace

std::vector<int64_t> IndexedProfile::VectorIds() const {
  std::vector<int64_t> ids;
  for (const std::vector<IndexedEntry>* entries : {&needs, &offers}) {
    for (const IndexedEntry& entry : *entries) {
      if (entry.vector_id != 0) ids.push_back(entry.vector_id);
    }
  }
  if (description_vector_id != 0) ids.push_back(description_vector_id);
  ids.insert(ids.end(), unmatched_vector_ids.begin(), unmatched_vector_ids.end());
  return ids;
}

std::vector<std::string> DocumentsOf(const v1::Profile& profile) {
  std::vector<std::string> documents;
  for (const v1::Need& need : profile.needs()) documents.push_back(need.text());
  for (const v1::Offer& offer : profile.offers()) documents.push_back(offer.text());
  if (!profile.description().empty()) documents.push_back(profile.description());
  return documents;
}

void InteractionGraph::Add(const v1::Interaction& interaction) {
  const std::string& from = interaction.from_profile_id();
  const std::string& to = interaction.to_profile_id();
  switch (interaction.type()) {
    case v1::INTERACTION_TYPE_DECLINED: declined[from].insert(to); break;
    case v1::INTERACTION_TYPE_COLLABORATED:
      collaborators[from].insert(to);
      collaborators[to].insert(from);
      break;
    default: break;
  }
}

void InteractionGraph::Forget(absl::string_view id) {
  // Collaborations are entered under both profiles, so only those `id`
  // lists list it back.
  if (auto own = collaborators.find(id); own != collaborators.end()) {
    for (const std::string& partner : own->second) {
      if (auto back = collaborators.find(partner); back != collaborators.end()) back->second.erase(id);
    }
    collaborators.erase(own);
  }
  // Declines are one-way: any asker may have declined `id`.
  declined.erase(id);
  for (auto& [asker, partners] : declined) partners.erase(id);
}

size_t StoredBytes(const StoredProfile& stored) { return stored.profile.ByteSizeLong() + stored.vectors.ByteSizeLong(); }

void TenantState::Insert(const StoredProfile& stored, const std::vector<TextFeatures>* features,
                         TermStatisticsUpdate statistics) {
  Erase(stored.profile.id());
  IndexedProfile indexed;
  indexed.stored_bytes = static_cast<int64_t>(StoredBytes(stored));
  stored_bytes += indexed.stored_bytes;
  indexed.profile = stored.profile;
  StripVectors(indexed.profile);
  indexed.needs.resize(static_cast<size_t>(stored.profile.needs_size()));
  indexed.offers.resize(static_cast<size_t>(stored.profile.offers_size()));
  // What search filters read of each need and offer, by side and id, and
  // the entry's position.
  struct ItemFacts {
    v1::Component component;
    v1::Date expires;
    bool challenge;
    size_t position;
  };
  absl::flat_hash_map<std::string, ItemFacts> need_facts, offer_facts;
  for (int i = 0; i < stored.profile.needs_size(); ++i) {
    const v1::Need& need = stored.profile.needs(i);
    need_facts[need.id()] = {need.component(), ItemExpiry(need), need.has_challenge(), static_cast<size_t>(i)};
  }
  for (int i = 0; i < stored.profile.offers_size(); ++i) {
    const v1::Offer& offer = stored.profile.offers(i);
    offer_facts[offer.id()] = {offer.component(), ItemExpiry(offer), false, static_cast<size_t>(i)};
  }
  for (const v1::VectorRecord& vector : stored.vectors.vectors()) {
    IndexedItem item{stored.profile.id(), vector.side(), vector.item_id()};
    const auto& facts = vector.side() == v1::ITEM_SIDE_NEED ? need_facts : offer_facts;
    auto it = facts.find(vector.item_id());
    if (it != facts.end()) {
      item.component = it->second.component;
      item.expires = it->second.expires;
      item.challenge = it->second.challenge;
    }
    items[vector.vector_id()] = std::move(item);
    if (vector.side() != v1::ITEM_SIDE_NEED && vector.side() != v1::ITEM_SIDE_OFFER) {
      indexed.description_vector_id = vector.vector_id();
    } else if (it != facts.end()) {
      // The Catalog makes one vector per need and offer, under its id.
      auto& entries = vector.side() == v1::ITEM_SIDE_NEED ? indexed.needs : indexed.offers;
      entries[it->second.position].vector_id = vector.vector_id();
    } else {
      indexed.unmatched_vector_ids.push_back(vector.vector_id());
    }
  }
  // Each text is tokenised once, for both the document frequencies and the
  // item's own terms: relevance is judged per need and offer, so that an
  // actor with many unrelated offers gains nothing from their sum.
  size_t document = 0;
  auto add_text = [&](const std::string& text, TermSet& terms) ABSL_NO_THREAD_SAFETY_ANALYSIS {
    const TextFeatures extracted = features == nullptr ? ExtractFeatures(text, term_statistics.feature_options())
                                                       : TextFeatures();
    const TextFeatures& used = features == nullptr ? extracted : (*features)[document];
    ++document;
    if (statistics == TermStatisticsUpdate::kAdd) term_statistics.AddDocument(used);
    terms.Add(used, feature_ids);
  };
  for (int i = 0; i < indexed.profile.needs_size(); ++i) {
    add_text(indexed.profile.needs(i).text(), indexed.needs[static_cast<size_t>(i)].terms);
  }
  for (int i = 0; i < indexed.profile.offers_size(); ++i) {
    add_text(indexed.profile.offers(i).text(), indexed.offers[static_cast<size_t>(i)].terms);
  }
  if (!indexed.profile.description().empty()) {
    // Counted in the document frequencies; challenges judge solvers by it too.
    add_text(indexed.profile.description(), indexed.description_terms);
  }
  if (free_ordinals.empty()) {
    indexed.ordinal = static_cast<uint32_t>(by_ordinal.size());
    by_ordinal.push_back(nullptr);
  } else {
    indexed.ordinal = free_ordinals.back();
    free_ordinals.pop_back();
  }
  auto [it, inserted] = profiles.emplace(stored.profile.id(), std::move(indexed));
  by_ordinal[it->second.ordinal] = &it->second;
}

void TenantState::Erase(absl::string_view id) {
  auto it = profiles.find(id);
  if (it == profiles.end()) return;
  for (int64_t vector_id : it->second.VectorIds()) items.erase(vector_id);
  for (const std::string& document : DocumentsOf(it->second.profile)) term_statistics.RemoveDocument(document);
  by_ordinal[it->second.ordinal] = nullptr;
  free_ordinals.push_back(it->second.ordinal);
  stored_bytes -= it->second.stored_bytes;
  profiles.erase(it);
}

void TenantState::ClearProfiles() {
  profiles.clear();
  stored_bytes = 0;
  by_ordinal.clear();
  free_ordinals.clear();
  items.clear();
  term_statistics.Clear();
}

VectorFacts TenantState::FactsOf(int64_t vector_id) const {
  VectorFacts facts;
  auto item = items.find(vector_id);
  if (item == items.end()) return facts;
  facts.side = static_cast<uint8_t>(item->second.side);
  facts.component = static_cast<uint8_t>(item->second.component);
  facts.last_day = DayCode(item->second.expires);
  facts.flags = item->second.challenge ? kChallengeFact : 0;
  auto profile = profiles.find(item->second.profile_id);
  if (profile == profiles.end()) return facts;
  facts.owner = profile->second.ordinal;
  facts.kind = static_cast<uint8_t>(profile->second.profile.kind());
  facts.country = CountryCode(profile->second.profile.location().country());
  return facts;
}

uint16_t CountryCode(absl::string_view country) {
  if (country.size() != 2) return 0;
  return static_cast<uint16_t>((static_cast<uint8_t>(country[0]) << 8) | static_cast<uint8_t>(country[1]));
}

int32_t DayCode(const v1::Date& date) {
  if (date.year() == 0) return VectorFacts::kNeverExpires;
  return date.year() * 10000 + date.month() * 100 + date.day();
}

}  // namespace pollinator
