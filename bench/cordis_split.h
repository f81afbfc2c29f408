// CordisSplit: the Horizon Europe consortium data (cordis_he_hopon) cut into
// a past corpus and future queries by project start date, for the matching
// quality benchmark.
//
// The corpus describes each organisation only by what it did in projects that
// started before the split date. Each later project with an SME yields one
// query per SME: the SME's need is the project's idea, and the ground truth
// is the rest of the real consortium (those members that are in the corpus).
//
//   absl::StatusOr<CordisSplit> split = LoadCordisSplit("../shared/datasets/cordis_he_hopon", "2024-07-01");
#ifndef POLLINATOR_BENCH_CORDIS_SPLIT_H_
#define POLLINATOR_BENCH_CORDIS_SPLIT_H_

#include <optional>
#include <utility>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "data/cordis_import.h"
#include "pollinator/v1/interaction.pb.h"
#include "pollinator/v1/profile.pb.h"

namespace pollinator {

struct CordisQuery {
  std::string project_id;
  std::string sme_org_id;
  // Profile of the asking SME for this project: location and the need (id
  // kIdeaNeedId, the last one). For a returning SME it is its corpus profile
  // (same id) with the need added.
  v1::Profile asker;
  // The SME is in the corpus (it took part in an earlier project).
  bool returning = false;
  // Corpus profile ids of the other consortium members.
  absl::flat_hash_set<std::string> relevant;
};

struct CordisSplit {
  // One profile per organisation of a past project; offers are its past
  // projects (see LoadCordisSplit's describe_until), newest first, at most
  // 100. An SME's later past projects are its needs (the ideas it sought
  // partners for), expired on the project's start date: FindPartners ignores
  // them, TrainRanker learns from them.
  std::vector<v1::Profile> corpus;
  // Number of past projects per corpus profile id (the popularity prior).
  absl::flat_hash_map<std::string, int> past_projects;
  // The past consortia as COLLABORATED interactions, project by project in
  // start-date order: each SME member with every other member (the SME's
  // outcomes, for a learned ranker), and each other pair of members once.
  std::vector<v1::Interaction> collaborations;
  std::vector<CordisQuery> queries;
  int past_project_count = 0;
  int future_project_count = 0;
  // Queries dropped because no other consortium member is in the corpus.
  int queries_without_known_partners = 0;
};

// Reads projects.csv, participations.csv and organisations.csv from `dir`.
// NotFound when the folder or a file is missing.
//
// Offers describe only projects that started before `describe_until` (empty:
// the split date); the SMEs' past projects from then to the split date become
// their (expired) needs. Training a ranker on those later projects then sees
// partners as they were described before them: a project never describes
// its own members.
absl::StatusOr<CordisSplit> LoadCordisSplit(const std::string& dir, const std::string& split_date,
                                            std::string describe_until = "");

// Id of a query's need: the later project's idea. Corpus profile ids are
// CordisProfileId(PIC), as the CORDIS importer gives them.
extern const char* const kIdeaNeedId;

}  // namespace pollinator

#endif  // POLLINATOR_BENCH_CORDIS_SPLIT_H_
