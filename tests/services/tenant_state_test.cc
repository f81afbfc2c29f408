#include "services/tenant_state.h"

#include <algorithm>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace pollinator {
namespace {

using ::testing::UnorderedElementsAre;

void AddVector(StoredProfile& stored, int64_t id, v1::ItemSide side, const std::string& item_id) {
  v1::VectorRecord* vector = stored.vectors.add_vectors();
  vector->set_vector_id(id);
  vector->set_side(side);
  vector->set_item_id(item_id);
}

StoredProfile TwoNeedsOneOfferAndADescription() {
  StoredProfile stored;
  stored.profile.set_id("p1");
  stored.profile.set_description("A battery pilot line in Saxony.");
  v1::Need* first = stored.profile.add_needs();
  first->set_id("n1");
  first->set_text("cathode materials testing");
  v1::Need* second = stored.profile.add_needs();
  second->set_id("n2");
  second->set_text("seed funding");
  v1::Offer* offer = stored.profile.add_offers();
  offer->set_id("o1");
  offer->set_text("cell assembly on a pilot line");
  // Vectors in another order than the entries.
  AddVector(stored, 12, v1::ITEM_SIDE_NEED, "n2");
  AddVector(stored, 11, v1::ITEM_SIDE_NEED, "n1");
  AddVector(stored, 13, v1::ITEM_SIDE_OFFER, "o1");
  AddVector(stored, 14, v1::ITEM_SIDE_DESCRIPTION, "");
  return stored;
}

TEST(TenantStateTest, EntriesFollowTheProfilesOrderWithTheirVectorsAndTerms) {
  TenantState state("t");
  absl::MutexLock lock(&state.mu);
  state.Insert(TwoNeedsOneOfferAndADescription());
  const IndexedProfile& indexed = state.profiles.at("p1");
  ASSERT_EQ(indexed.needs.size(), 2u);
  ASSERT_EQ(indexed.offers.size(), 1u);
  EXPECT_EQ(indexed.needs[0].vector_id, 11);
  EXPECT_EQ(indexed.needs[1].vector_id, 12);
  EXPECT_EQ(indexed.offers[0].vector_id, 13);
  EXPECT_EQ(indexed.description_vector_id, 14);
  const TextFeatures cathode = ExtractFeatures("cathode", state.term_statistics.feature_options());
  const uint32_t cathode_id = state.feature_ids.Find(cathode.words.begin()->first);
  ASSERT_NE(cathode_id, kNoFeatureId);
  EXPECT_TRUE(indexed.needs[0].terms.Contains(cathode_id));
  EXPECT_FALSE(indexed.needs[1].terms.Contains(cathode_id));
  EXPECT_THAT(indexed.VectorIds(), UnorderedElementsAre(11, 12, 13, 14));
}

TEST(TenantStateTest, AVectorOfNoEntryIsStillErasedWithItsProfile) {
  TenantState state("t");
  absl::MutexLock lock(&state.mu);
  StoredProfile stored = TwoNeedsOneOfferAndADescription();
  AddVector(stored, 15, v1::ITEM_SIDE_OFFER, "gone");
  state.Insert(stored);
  EXPECT_THAT(state.profiles.at("p1").VectorIds(), UnorderedElementsAre(11, 12, 13, 14, 15));
  EXPECT_EQ(state.items.size(), 5u);
  state.Erase("p1");
  EXPECT_TRUE(state.items.empty());
  EXPECT_EQ(state.term_statistics.document_count(), 0);
}

}  // namespace
}  // namespace pollinator
