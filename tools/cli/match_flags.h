// Builds the FindPartnersRequest of `pollinator match` from the raw values of
// its flags, and parses the comma-separated values those flags take
// (`--kinds=university,research_institute`, `--vector=0.1,0.2`).
//
// Every error is InvalidArgument and names the flag:
//   --kinds: unknown kind "univ"; expected one of smb, startup, ...
//
//   MatchFlags flags;
//   flags.text = "pilot line for battery cells";
//   flags.kinds = "university,research_institute";
//   flags.diversity = 0.3;
//   absl::StatusOr<v1::FindPartnersRequest> request =
//       BuildFindPartnersRequest(flags, "acme");
#ifndef POLLINATOR_TOOLS_CLI_MATCH_FLAGS_H_
#define POLLINATOR_TOOLS_CLI_MATCH_FLAGS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "pollinator/v1/matching.pb.h"
#include "pollinator/v1/profile.pb.h"

namespace pollinator {

// The `match` flags as given on the command line. Empty strings mean "not
// given".
struct MatchFlags {
  // The query: exactly one of profile, text and vector must be given.
  std::string profile;  // --profile: match this profile's needs or offers
  std::string text;     // --text: an ad-hoc need or offer
  std::string vector;   // --vector: an ad-hoc embedding, "f1,f2,..."
  std::string item;     // --item: with --profile, only this need or offer
  // --direction: "needs" (find offers that meet needs) or "offers".
  std::string direction = "needs";
  int32_t top_k = 10;  // --top_k: 1 to 100
  // Filters; comma-separated lists.
  std::string kinds;       // --kinds: short kind names
  std::string countries;   // --countries: ISO 3166-1 alpha-2 codes
  std::string components;  // --components: short component names
  std::string sectors;     // --sectors: NACE code prefixes
  std::string exclude;     // --exclude: profile ids to leave out
  double max_km = 0;       // --max_km: 0 means no distance limit
  // Ranking. --reciprocity: harmonic, arithmetic or off, with --profile
  // only; empty leaves it to the server (harmonic).
  std::string reciprocity;
  double diversity = 0;      // --diversity: 0 to 1; 0 ranks by score alone
  int32_t max_per_kind = 0;  // --max_per_kind: 0 to 100; 0 means no cap
  // --min_relevance: 0 to 1; negative leaves it to the server (0.2).
  double min_relevance = -1;
};

// Splits "a, b,,c" into {"a", "b", "c"}: items are trimmed, empty ones dropped.
std::vector<std::string> SplitList(absl::string_view value);

absl::StatusOr<std::vector<v1::ProfileKind>> ParseKindList(
    absl::string_view value);
absl::StatusOr<std::vector<v1::Component>> ParseComponentList(
    absl::string_view value);
// Upper-cases the codes; each must be two ASCII letters.
absl::StatusOr<std::vector<std::string>> ParseCountryList(
    absl::string_view value);
// Finite floats; at least one.
absl::StatusOr<std::vector<float>> ParseVector(absl::string_view value);
// "needs" or "offers", case-insensitively.
absl::StatusOr<v1::Direction> ParseDirection(absl::string_view value);

// Validates the flags and builds the request for `tenant`.
absl::StatusOr<v1::FindPartnersRequest> BuildFindPartnersRequest(
    const MatchFlags& flags, absl::string_view tenant);

}  // namespace pollinator

#endif  // POLLINATOR_TOOLS_CLI_MATCH_FLAGS_H_
