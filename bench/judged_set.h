// The judged benchmark's data (bench/judged/): a hand-written ecosystem, its
// recorded collaborations, and queries whose good partners a broker graded
// 0 to 3 before the ranking was run on them. See bench/judged/README.md.
//
//   absl::StatusOr<JudgedSet> set = LoadJudgedSet("bench/judged");
//
// Also read by tests/services/judged_cases_test.cc.
#ifndef POLLINATOR_BENCH_JUDGED_SET_H_
#define POLLINATOR_BENCH_JUDGED_SET_H_

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "pollinator/v1/matching.pb.h"
#include "pollinator/v1/profile.pb.h"

namespace pollinator {

struct JudgedQuery {
  std::string id;
  // A profile query (profile and need id) or a free-text one (text).
  std::string profile_id;
  std::string need_id;
  std::string text;
  // Kind filter of a free-text query, as enum values.
  std::vector<v1::ProfileKind> kinds;
  // Partner id -> grade (1 to 3); unlisted partners are 0.
  std::map<std::string, int> grades;
  // Partner id -> its need ids that one of the asker's offers meets.
  std::map<std::string, std::vector<std::string>> mutual;
  std::vector<std::string> traps;
  bool hopeless = false;
  std::string note;

  int Grade(const std::string& partner) const {
    auto it = grades.find(partner);
    return it == grades.end() ? 0 : it->second;
  }
  // Partners graded at least `grade`.
  int CountGradedAtLeast(int grade) const {
    int count = 0;
    for (const auto& [partner, g] : grades) count += g >= grade ? 1 : 0;
    return count;
  }
};

struct JudgedSet {
  std::vector<v1::Profile> profiles;
  // Recorded collaborations (from, to).
  std::vector<std::pair<std::string, std::string>> collaborations;
  std::vector<JudgedQuery> queries;
};

// Reads ecosystem.jsonl, interactions.jsonl and queries.jsonl from `dir`.
// NotFound when the folder has no ecosystem.jsonl; InvalidArgument naming
// the file and line for anything malformed.
absl::StatusOr<JudgedSet> LoadJudgedSet(const std::string& dir);

// The FindPartners request that asks `query` of `tenant`: the profile's
// graded need, or the free text with its kind filter.
v1::FindPartnersRequest JudgedRequest(const JudgedQuery& query, const std::string& tenant, int top_k);

}  // namespace pollinator

#endif  // POLLINATOR_BENCH_JUDGED_SET_H_
