// cohort_screening_bench: the whole ScreenCohort, end to end below gRPC. A
// seeded synthetic ecosystem (members with needs, a pool of partners with
// offers, on shared topics) goes into a real RocksDB catalog in a temporary
// folder; each run screens the whole cohort: one FindPartners per member,
// then the min-cost-flow assignment. Prints the wall time per screening
// (median and max over --runs) and what the assignment achieved.
//
//   build/bin/cohort_screening_bench --members=200 --partners=500 --runs=5
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "data/rocksdb_store.h"
#include "services/catalog.h"
#include "services/matcher.h"
#include "services/workflows/cohort_screening.h"

ABSL_FLAG(int, members, 200, "Cohort members (SMBs with one need each), 1 to 500.");
ABSL_FLAG(int, partners, 500, "Pool partners (research institutes, universities, service providers).");
ABSL_FLAG(int, per_member, 3, "Partners to assign per member.");
ABSL_FLAG(int, capacity, 5, "Members per partner.");
ABSL_FLAG(int, runs, 5, "Screenings to time.");
ABSL_FLAG(uint64_t, seed, 7, "Seed of the synthetic ecosystem.");

namespace pollinator {
namespace {

constexpr char kTenant[] = "bench";

// Topics both sides talk about; a need and an offer on the same topic match.
const char* const kTopics[] = {
    "battery cell testing and cycling",       "lithium cathode slurry formulation",
    "machine vision inspection of surfaces",  "predictive maintenance of machine tools",
    "food packaging with recycled plastics",  "textile fibre recycling and sorting",
    "medical device certification under MDR", "clean room production of implants",
    "hydrogen electrolyser stack testing",    "precision agriculture soil sensors",
    "laser welding of thin metal sheets",     "industrial robot programming and cells",
    "wastewater treatment membranes",         "power electronics for electric drives",
    "biodegradable polymers from residues",   "cybersecurity audits for factories"};
const char* const kNeedFrames[] = {"We need a partner for %s to scale our pilot.",
                                   "Looking for expertise in %s for a new product line.",
                                   "Access to facilities for %s, ideally nearby."};
const char* const kOfferFrames[] = {"We offer %s with our own laboratory and staff.",
                                    "Contract research and services in %s.",
                                    "Our group has twenty years of experience in %s."};

v1::Profile MakeMember(int i, std::mt19937_64& rng) {
  v1::Profile profile;
  profile.set_id(absl::StrCat("member-", i));
  profile.set_kind(v1::PROFILE_KIND_SMB);
  profile.set_name(absl::StrCat("Member ", i));
  v1::Need* need = profile.add_needs();
  need->set_id("n1");
  need->set_text(absl::StrFormat(kNeedFrames[rng() % 3], kTopics[rng() % std::size(kTopics)]));
  return profile;
}

v1::Profile MakePartner(int i, std::mt19937_64& rng) {
  static const v1::ProfileKind kKinds[] = {v1::PROFILE_KIND_RESEARCH_INSTITUTE, v1::PROFILE_KIND_UNIVERSITY,
                                           v1::PROFILE_KIND_SERVICE_PROVIDER};
  v1::Profile profile;
  profile.set_id(absl::StrCat("partner-", i));
  profile.set_kind(kKinds[rng() % 3]);
  profile.set_name(absl::StrCat("Partner ", i));
  for (int o = 0; o < 2; ++o) {
    v1::Offer* offer = profile.add_offers();
    offer->set_id(absl::StrCat("o", o + 1));
    offer->set_text(absl::StrFormat(kOfferFrames[rng() % 3], kTopics[rng() % std::size(kTopics)]));
  }
  return profile;
}

int Run() {
  const int members = absl::GetFlag(FLAGS_members);
  const int partners = absl::GetFlag(FLAGS_partners);
  const int runs = absl::GetFlag(FLAGS_runs);
  if (members < 1 || members > kMaxCohortSize || partners < 1 || runs < 1) {
    std::cerr << "cohort_screening_bench: --members must be 1 to " << kMaxCohortSize
              << ", --partners and --runs at least 1\n";
    return 2;
  }
  std::string pattern = (std::filesystem::temp_directory_path() / "pollinator-cohort-bench-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    std::cerr << "cohort_screening_bench: cannot make a temporary folder\n";
    return 1;
  }
  const std::filesystem::path dir(pattern);
  int status = 0;
  {
    StoreOptions store_options;
    store_options.path = (dir / "db").string();
    absl::StatusOr<std::unique_ptr<RocksDbStore>> store = RocksDbStore::Open(store_options);
    CatalogOptions catalog_options;
    catalog_options.index_dir = (dir / "index").string();
    absl::StatusOr<std::unique_ptr<Catalog>> catalog =
        store.ok() ? Catalog::Open(store->get(), catalog_options) : absl::StatusOr<std::unique_ptr<Catalog>>(store.status());
    if (!catalog.ok()) {
      std::cerr << "cohort_screening_bench: " << catalog.status() << "\n";
      return 1;
    }
    std::mt19937_64 rng(absl::GetFlag(FLAGS_seed));
    v1::ScreenCohortRequest request;
    request.set_tenant(kTenant);
    request.set_per_member(absl::GetFlag(FLAGS_per_member));
    request.set_default_capacity(absl::GetFlag(FLAGS_capacity));
    std::cerr << "cohort_screening_bench: loading " << members << " members and " << partners << " partners\n";
    for (int i = 0; i < members; ++i) {
      (*catalog)->Upsert(kTenant, MakeMember(i, rng)).IgnoreError();
      request.add_cohort(absl::StrCat("member-", i));
    }
    for (int i = 0; i < partners; ++i) (*catalog)->Upsert(kTenant, MakePartner(i, rng)).IgnoreError();
    const Matcher matcher(**catalog, ScoringWeights());

    std::vector<double> seconds;
    absl::StatusOr<v1::ScreenCohortResponse> screened;
    for (int r = 0; r < runs; ++r) {
      const auto start = std::chrono::steady_clock::now();
      screened = ScreenCohort(**catalog, matcher, request, nullptr);
      seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
      if (!screened.ok()) {
        std::cerr << "cohort_screening_bench: " << screened.status() << "\n";
        status = 1;
        break;
      }
    }
    if (status == 0) {
      std::sort(seconds.begin(), seconds.end());
      int empty_slots = 0;
      for (const v1::UnassignedSlots& slots : screened->unassigned()) empty_slots += slots.count();
      std::cout << absl::StrFormat(
          "cohort_screening_bench: %d members x %d partners, per_member %d, capacity %d, seed %d, %d runs\n\n",
          members, partners, request.per_member(), request.default_capacity(), absl::GetFlag(FLAGS_seed), runs);
      std::cout << "median s   max s   per member ms   assigned pairs   unassigned slots   total score\n";
      std::cout << absl::StrFormat("%8.3f  %6.3f  %14.1f  %15d  %17d  %12.3f\n", seconds[seconds.size() / 2],
                                   seconds.back(), 1000 * seconds[seconds.size() / 2] / members,
                                   screened->assignments_size(), empty_slots, screened->total_score());
    }
  }
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
  return status;
}

}  // namespace
}  // namespace pollinator

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Times ScreenCohort end to end (FindPartners per member, then the assignment) on a synthetic "
      "ecosystem in a temporary RocksDB catalog.\n\nUsage: cohort_screening_bench [--members=N] [--partners=N] "
      "[--runs=N]");
  absl::ParseCommandLine(argc, argv);
  return pollinator::Run();
}
