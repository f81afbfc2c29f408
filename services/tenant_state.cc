#include "services/tenant_state.h"

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
  for (const auto& [item, id] : need_vectors) ids.push_back(id);
  for (const auto& [item, id] : offer_vectors) ids.push_back(id);
  if (description_vector_id != 0) ids.push_back(description_vector_id);
  return ids;
}

std::vector<std::string> DocumentsOf(const v1::Profile& profile) {
  std::vector<std::string> documents;
  for (const v1::Need& need : profile.needs()) documents.push_back(need.text());
  for (const v1::Offer& offer : profile.offers()) documents.push_back(offer.text());
  if (!profile.description().empty()) documents.push_back(profile.description());
  return documents;
}

void TenantState::Insert(const StoredProfile& stored) {
  Erase(stored.profile.id());
  IndexedProfile indexed;
  indexed.profile = stored.profile;
  StripVectors(indexed.profile);
  // Component and expiry of each need and offer, by side and id.
  absl::flat_hash_map<std::string, std::pair<v1::Component, const v1::Date*>> need_facts, offer_facts;
  for (const v1::Need& need : stored.profile.needs()) need_facts[need.id()] = {need.component(), &need.expires()};
  for (const v1::Offer& offer : stored.profile.offers()) {
    offer_facts[offer.id()] = {offer.component(), &offer.expires()};
  }
  for (const v1::VectorRecord& vector : stored.vectors.vectors()) {
    IndexedItem item{stored.profile.id(), vector.side(), vector.item_id()};
    const auto& facts = vector.side() == v1::ITEM_SIDE_NEED ? need_facts : offer_facts;
    if (auto it = facts.find(vector.item_id()); it != facts.end()) {
      item.component = it->second.first;
      item.expires = *it->second.second;
    }
    items[vector.vector_id()] = std::move(item);
    switch (vector.side()) {
      case v1::ITEM_SIDE_NEED: indexed.need_vectors[vector.item_id()] = vector.vector_id(); break;
      case v1::ITEM_SIDE_OFFER: indexed.offer_vectors[vector.item_id()] = vector.vector_id(); break;
      default: indexed.description_vector_id = vector.vector_id(); break;
    }
  }
  if (embedder != nullptr) {
    for (const std::string& document : DocumentsOf(indexed.profile)) term_statistics.AddDocument(document);
  }
  profiles.emplace(stored.profile.id(), std::move(indexed));
}

void TenantState::Erase(absl::string_view id) {
  auto it = profiles.find(id);
  if (it == profiles.end()) return;
  for (int64_t vector_id : it->second.VectorIds()) items.erase(vector_id);
  if (embedder != nullptr) {
    for (const std::string& document : DocumentsOf(it->second.profile)) term_statistics.RemoveDocument(document);
  }
  profiles.erase(it);
}

}  // namespace pollinator
