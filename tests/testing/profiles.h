// Small profile builders for tests.
#ifndef POLLINATOR_TESTS_TESTING_PROFILES_H_
#define POLLINATOR_TESTS_TESTING_PROFILES_H_

#include <optional>
#include <string>
#include <vector>

#include "pollinator/v1/profile.pb.h"

namespace pollinator::testing {

inline v1::Profile MakeProfile(const std::string& id, v1::ProfileKind kind, const std::vector<std::string>& needs,
                               const std::vector<std::string>& offers) {
  v1::Profile profile;
  profile.set_id(id);
  profile.set_kind(kind);
  profile.set_name("Name of " + id);
  for (size_t i = 0; i < needs.size(); ++i) {
    v1::Need* need = profile.add_needs();
    need->set_id("n" + std::to_string(i + 1));
    need->set_text(needs[i]);
  }
  for (size_t i = 0; i < offers.size(); ++i) {
    v1::Offer* offer = profile.add_offers();
    offer->set_id("o" + std::to_string(i + 1));
    offer->set_text(offers[i]);
  }
  return profile;
}

inline void SetLocation(v1::Profile& profile, const std::string& country, const std::string& region,
                        const std::string& city, std::optional<std::pair<double, double>> lat_lon = std::nullopt) {
  v1::Location* location = profile.mutable_location();
  location->set_country(country);
  location->set_region(region);
  location->set_city(city);
  if (lat_lon) {
    location->set_lat(lat_lon->first);
    location->set_lon(lat_lon->second);
  }
}

}  // namespace pollinator::testing

#endif  // POLLINATOR_TESTS_TESTING_PROFILES_H_
