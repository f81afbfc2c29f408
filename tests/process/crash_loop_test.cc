// Crash loop: starts the real pollinatord, lets three client threads upsert
// profiles, delete profiles and record interactions at the same time, kills
// the server with SIGKILL while they are mid-call, restarts it and checks the
// store against a client-side model of every acknowledged write; K times
// over. A call that failed because of the kill is "unknown": either outcome
// is allowed, and the restart shows which one happened.
//
// K is POLLINATOR_CRASH_LOOP_KILLS (default 5, which keeps the suite short).
// The longer mode, `tools/crash_loop.sh --kills=50`, runs this test with 50
// or more kills. The random choices come from a seed printed at the start;
// POLLINATOR_CRASH_LOOP_SEED=<seed> replays them (thread timing still
// differs from run to run).
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "pollinator/v1/service.grpc.pb.h"
#include "tests/testing/processes.h"
#include "tests/testing/temp_dir.h"

namespace pollinator {
namespace {

using ::pollinator::testing::TempDir;

constexpr char kTenant[] = "crash-loop";
// Profiles s0..s7: written once before the first kill, never deleted; the
// only ones interactions are recorded between.
constexpr int kSeededProfiles = 8;
// Writers run this long (uniformly drawn) before each kill.
constexpr int kMinRunMs = 300;
constexpr int kMaxRunMs = 1500;
// A server that is not healthy this long after its start fails the test.
constexpr auto kStartBudget = std::chrono::seconds(30);

// A profile's state in the store: absent, or present at a version (the
// version is in its name, "<id> v<version>").
using State = std::optional<int>;

std::string StateText(const State& state) { return state ? absl::StrCat("v", *state) : "absent"; }

// One write to a profile, as its client saw it.
struct ProfileWrite {
  State effect;  // a version for an upsert, absent for a delete
  bool acknowledged;
};

// What the client knows about one profile id: the state the store showed
// after the last restart, and the writes since, in the order their (single)
// thread sent them.
struct IdModel {
  State base;
  std::vector<ProfileWrite> writes;
  // Versions are never reused, so an unknown write cannot be mistaken for a
  // later one.
  int next_version = 1;

  // The state the store holds if every write sent so far happened. Exact
  // while the owning thread runs: it stops at its first failed call.
  State Current() const { return writes.empty() ? base : writes.back().effect; }

  // States the store may hold: an acknowledged write fixes the state, an
  // unknown one may or may not have happened.
  std::set<State> Allowed() const {
    std::set<State> allowed = {base};
    for (const ProfileWrite& write : writes) {
      if (write.acknowledged) allowed.clear();
      allowed.insert(write.effect);
    }
    return allowed;
  }

  std::string History() const {
    std::string text = absl::StrCat("after last restart ", StateText(base));
    for (const ProfileWrite& write : writes) {
      absl::StrAppend(&text, ", then ", write.effect ? absl::StrCat("upsert v", *write.effect) : "delete", " (",
                      write.acknowledged ? "acknowledged" : "unknown", ")");
    }
    return text;
  }
};

// Ids owned by one writer thread (or by the seeding), so that every id's
// writes come in one order.
using IdModels = std::map<std::string, IdModel>;

// One recorded interaction; the note names it uniquely.
struct InteractionModel {
  std::string from;
  std::string to;
  int64_t sequence = 0;  // as acknowledged or as listed after a restart
  bool acknowledged = false;
};

// Codes a call may end with when the server dies under it: the write may or
// may not have happened.
bool Indeterminate(grpc::StatusCode code) {
  return code == grpc::StatusCode::UNAVAILABLE || code == grpc::StatusCode::DEADLINE_EXCEEDED ||
         code == grpc::StatusCode::CANCELLED || code == grpc::StatusCode::UNKNOWN ||
         code == grpc::StatusCode::INTERNAL;
}

int EnvInt(const char* name, int fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? std::atoi(value) : fallback;
}

v1::Profile MakeProfile(const std::string& id, int version) {
  static const char* const kTopics[] = {"battery cathode pilot line", "LiDAR point cloud analytics",
                                        "GMP clean room for cell therapy", "seed funding for hardware",
                                        "EMC certification testing", "predictive maintenance machine learning",
                                        "perovskite solar stability", "export distribution in Nordic markets"};
  static const v1::ProfileKind kKinds[] = {v1::PROFILE_KIND_SMB, v1::PROFILE_KIND_UNIVERSITY,
                                           v1::PROFILE_KIND_RESEARCH_INSTITUTE, v1::PROFILE_KIND_INVESTOR};
  // New versions change the texts, so each upsert re-embeds and re-indexes.
  const size_t mix = std::hash<std::string>()(id) + static_cast<size_t>(version);
  v1::Profile profile;
  profile.set_id(id);
  profile.set_kind(kKinds[mix % 4]);
  profile.set_name(absl::StrCat(id, " v", version));
  profile.mutable_location()->set_country("DE");
  v1::Need* need = profile.add_needs();
  need->set_id("n1");
  need->set_text(absl::StrCat("need ", kTopics[mix % 8], " variant ", version % 13));
  v1::Offer* offer = profile.add_offers();
  offer->set_id("o1");
  offer->set_text(absl::StrCat("we offer ", kTopics[(mix + 3) % 8], " at scale ", version % 11));
  return profile;
}

// The version in a listed profile's name, or -1 when the name is not ours.
int VersionOf(const v1::Profile& profile) {
  const std::string prefix = profile.id() + " v";
  if (profile.name().rfind(prefix, 0) != 0) return -1;
  return std::atoi(profile.name().c_str() + prefix.size());
}

class CrashLoopTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    server_address_ = absl::StrCat("127.0.0.1:", FreePort());
  }

  void TearDown() override {
    if (server_pid_ > 0) {
      kill(server_pid_, SIGKILL);
      WaitExit(server_pid_);
    }
  }

  static void SetDeadline(grpc::ClientContext& context, std::chrono::milliseconds timeout) {
    context.set_deadline(std::chrono::system_clock::now() + timeout);
  }

  // Starts the server on the same data_dir and port, connects fresh stubs
  // and returns the time until it answered the health check as SERVING.
  double StartServer() {
    ++server_starts_;
    server_log_ = dir_.Sub(absl::StrCat("server", server_starts_, ".log"));
    const auto start = std::chrono::steady_clock::now();
    const std::vector<std::string> argv = {POLLINATORD_PATH, "--auth=none", "--listen=" + server_address_,
                                           "--data_dir=" + dir_.Sub("data")};
    server_pid_ = Spawn(argv, dir_.Sub("server.out"), server_log_);
    // Each probe on a channel of its own: a channel whose connection was
    // refused waits out a reconnect backoff (seconds), which would be
    // measured as restart time.
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    while (std::chrono::steady_clock::now() - start < kStartBudget) {
      int status = 0;
      if (waitpid(server_pid_, &status, WNOHANG) == server_pid_) {
        server_pid_ = -1;
        // 127: the binary could not be run at all.
        ADD_FAILURE() << "server exited during start with code "
                      << (WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status)) << "; log:\n"
                      << ReadFile(server_log_);
        return -1;
      }
      channel_ = grpc::CreateCustomChannel(server_address_, grpc::InsecureChannelCredentials(), args);
      grpc::ClientContext context;
      SetDeadline(context, std::chrono::milliseconds(500));
      grpc::health::v1::HealthCheckResponse response;
      if (grpc::health::v1::Health::NewStub(channel_)
              ->Check(&context, grpc::health::v1::HealthCheckRequest(), &response)
              .ok() &&
          response.status() == grpc::health::v1::HealthCheckResponse::SERVING) {
        const double elapsed_ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
        profiles_ = v1::ProfileService::NewStub(channel_);
        interactions_ = v1::InteractionService::NewStub(channel_);
        matches_ = v1::MatchService::NewStub(channel_);
        return elapsed_ms;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ADD_FAILURE() << "server not healthy within " << kStartBudget.count() << " s; log:\n" << ReadFile(server_log_);
    return -1;
  }

  grpc::Status Upsert(const std::string& id, int version, v1::UpsertProfileResponse* response) {
    grpc::ClientContext context;
    SetDeadline(context, std::chrono::seconds(10));
    v1::UpsertProfileRequest request;
    request.set_tenant(kTenant);
    *request.mutable_profile() = MakeProfile(id, version);
    return profiles_->UpsertProfile(&context, request, response);
  }

  grpc::Status Delete(const std::string& id) {
    grpc::ClientContext context;
    SetDeadline(context, std::chrono::seconds(10));
    v1::DeleteProfileRequest request;
    request.set_tenant(kTenant);
    request.set_id(id);
    v1::DeleteProfileResponse response;
    return profiles_->DeleteProfile(&context, request, &response);
  }

  // True when the call was acknowledged. A failure is expected only once
  // the kill is under way and only with a code that leaves the outcome open;
  // anything else is a server fault (reported) and still counts as unknown.
  bool Acknowledged(const grpc::Status& status, const std::string& call) {
    if (status.ok()) return true;
    if (!killing_ || !Indeterminate(status.error_code())) {
      ADD_FAILURE() << call << " failed " << (killing_ ? "during the kill" : "with the server up") << ": code "
                    << status.error_code() << " " << status.error_message() << " (round " << round_ << ")";
    }
    return false;
  }

  // Writer 1: new profiles and new versions of existing ones, u0, u1, ...
  void UpsertLoop(std::mt19937_64 rng) {
    while (!stop_) {
      const bool fresh = upserted_.empty() || rng() % 4 == 0;
      const std::string id = absl::StrCat("u", fresh ? upserted_.size() : rng() % upserted_.size());
      IdModel& model = upserted_[id];
      const bool existed = model.Current().has_value();
      const int version = model.next_version++;
      v1::UpsertProfileResponse response;
      in_flight_[0] = true;
      const grpc::Status status = Upsert(id, version, &response);
      in_flight_[0] = false;
      const bool acknowledged = Acknowledged(status, absl::StrCat("UpsertProfile ", id, " v", version));
      model.writes.push_back({version, acknowledged});
      ++(acknowledged ? acknowledged_writes_ : unknown_writes_);
      if (!acknowledged) return;
      ++acknowledged_by_kind_[0];
      EXPECT_EQ(response.created(), !existed) << id << " v" << version << ": " << model.History();
    }
  }

  // Writer 2: deletes of its own profiles d0, d1, ..., which it creates and
  // re-creates itself; none of them ever has an interaction.
  void DeleteLoop(std::mt19937_64 rng) {
    while (!stop_) {
      std::vector<std::string> present, absent;
      for (const auto& [id, model] : deleted_) (model.Current() ? present : absent).push_back(id);
      const bool do_delete = !present.empty() && rng() % 2 == 0;
      std::string id;
      if (do_delete) {
        id = present[rng() % present.size()];
      } else {
        id = absent.empty() || rng() % 2 == 0 ? absl::StrCat("d", deleted_.size()) : absent[rng() % absent.size()];
      }
      IdModel& model = deleted_[id];
      const bool existed = model.Current().has_value();
      grpc::Status status;
      v1::UpsertProfileResponse response;
      State effect;
      if (!do_delete) effect = model.next_version++;
      in_flight_[1] = true;
      status = do_delete ? Delete(id) : Upsert(id, *effect, &response);
      in_flight_[1] = false;
      const bool acknowledged = Acknowledged(status, absl::StrCat(do_delete ? "DeleteProfile " : "UpsertProfile ", id));
      model.writes.push_back({effect, acknowledged});
      ++(acknowledged ? acknowledged_writes_ : unknown_writes_);
      if (!acknowledged) return;
      if (do_delete) {
        ++acknowledged_by_kind_[1];
      } else {
        EXPECT_EQ(response.created(), !existed) << id << ": " << model.History();
      }
    }
  }

  // Writer 3: interactions between the seeded profiles, each with a unique
  // note so that the listing shows which ones are stored, and how often.
  void InteractionLoop(std::mt19937_64 rng) {
    static const v1::InteractionType kTypes[] = {v1::INTERACTION_TYPE_SHOWN, v1::INTERACTION_TYPE_CONTACTED,
                                                 v1::INTERACTION_TYPE_ACCEPTED, v1::INTERACTION_TYPE_DECLINED,
                                                 v1::INTERACTION_TYPE_COLLABORATED};
    for (int n = 0; !stop_; ++n) {
      const int from = static_cast<int>(rng() % kSeededProfiles);
      const int to = (from + 1 + static_cast<int>(rng() % (kSeededProfiles - 1))) % kSeededProfiles;
      v1::RecordInteractionRequest request;
      request.set_tenant(kTenant);
      v1::Interaction& interaction = *request.mutable_interaction();
      interaction.set_from_profile_id(absl::StrCat("s", from));
      interaction.set_to_profile_id(absl::StrCat("s", to));
      interaction.set_type(kTypes[rng() % 5]);
      if (interaction.type() == v1::INTERACTION_TYPE_DECLINED) {
        interaction.set_decline_reason(v1::DECLINE_REASON_NOT_RELEVANT);
      }
      const std::string note = absl::StrCat("r", round_, "-", n);
      interaction.set_note(note);
      grpc::ClientContext context;
      SetDeadline(context, std::chrono::seconds(10));
      v1::RecordInteractionResponse response;
      in_flight_[2] = true;
      const grpc::Status status = interactions_->RecordInteraction(&context, request, &response);
      in_flight_[2] = false;
      const bool acknowledged = Acknowledged(status, absl::StrCat("RecordInteraction ", note));
      pending_interactions_[note] = {interaction.from_profile_id(), interaction.to_profile_id(),
                                     response.interaction().sequence(), acknowledged};
      ++(acknowledged ? acknowledged_writes_ : unknown_writes_);
      if (!acknowledged) return;
      ++acknowledged_by_kind_[2];
      EXPECT_EQ(response.interaction().note(), note);
      EXPECT_GT(response.interaction().sequence(), 0) << note;
    }
  }

  // Lists every profile of the tenant, id -> profile.
  std::map<std::string, v1::Profile> ListProfiles() {
    std::map<std::string, v1::Profile> listed;
    std::string token;
    do {
      grpc::ClientContext context;
      SetDeadline(context, std::chrono::seconds(30));
      v1::ListProfilesRequest request;
      request.set_tenant(kTenant);
      request.set_page_size(1000);
      request.set_page_token(token);
      v1::ListProfilesResponse response;
      const grpc::Status status = profiles_->ListProfiles(&context, request, &response);
      EXPECT_TRUE(status.ok()) << "ListProfiles: " << status.error_message();
      if (!status.ok()) break;
      for (const v1::Profile& profile : response.profiles()) {
        EXPECT_TRUE(listed.emplace(profile.id(), profile).second) << "listed twice: " << profile.id();
      }
      token = response.next_page_token();
    } while (!token.empty());
    return listed;
  }

  std::vector<v1::Interaction> ListInteractions(const std::string& profile_id) {
    std::vector<v1::Interaction> listed;
    std::string token;
    do {
      grpc::ClientContext context;
      SetDeadline(context, std::chrono::seconds(30));
      v1::ListInteractionsRequest request;
      request.set_tenant(kTenant);
      request.set_profile_id(profile_id);
      request.set_page_size(1000);
      request.set_page_token(token);
      v1::ListInteractionsResponse response;
      const grpc::Status status = interactions_->ListInteractions(&context, request, &response);
      EXPECT_TRUE(status.ok()) << "ListInteractions " << profile_id << ": " << status.error_message();
      if (!status.ok()) break;
      listed.insert(listed.end(), response.interactions().begin(), response.interactions().end());
      token = response.next_page_token();
    } while (!token.empty());
    return listed;
  }

  // Compares the restarted store with the model, then makes what the store
  // shows the model's new base (an unknown write is settled either way).
  void Verify() {
    const std::map<std::string, v1::Profile> listed = ListProfiles();
    std::set<std::string> modelled;
    for (IdModels* models : {&seeded_, &upserted_, &deleted_}) {
      for (auto& [id, model] : *models) {
        modelled.insert(id);
        const auto it = listed.find(id);
        const State observed = it == listed.end() ? State() : State(VersionOf(it->second));
        const std::set<State> allowed = model.Allowed();
        if (allowed.count(observed) == 0) {
          ++lost_writes_;
          ADD_FAILURE() << "lost write in round " << round_ << " (seed " << seed_ << "): " << id << " is "
                        << StateText(observed) << "; " << model.History();
        }
        if (model.writes.empty()) continue;
        // The unknown write, if any, is the last one of its thread.
        if (!model.writes.back().acknowledged && observed == model.writes.back().effect) ++unknown_applied_;
        // Touched ids: a direct read must agree with the listing.
        grpc::ClientContext context;
        SetDeadline(context, std::chrono::seconds(10));
        v1::GetProfileRequest request;
        request.set_tenant(kTenant);
        request.set_id(id);
        v1::Profile got;
        const grpc::Status status = profiles_->GetProfile(&context, request, &got);
        if (observed) {
          EXPECT_TRUE(status.ok()) << "GetProfile " << id << ": " << status.error_message();
          EXPECT_EQ(got.name(), it->second.name()) << id;
        } else {
          EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << "GetProfile " << id << " (not listed)";
        }
        model.base = observed;
        model.writes.clear();
      }
    }
    for (const auto& [id, profile] : listed) {
      EXPECT_EQ(modelled.count(id), 1u) << "profile never written: " << id << " (" << profile.name() << ")";
    }

    std::map<std::string, int64_t> listed_sequences;  // note -> sequence
    for (int p = 0; p < kSeededProfiles; ++p) {
      const std::string profile_id = absl::StrCat("s", p);
      int acknowledged = 0, unknown = 0;
      std::set<std::string> expected;
      for (const auto* notes : {&interactions_model_, &pending_interactions_}) {
        for (const auto& [note, model] : *notes) {
          if (model.from != profile_id && model.to != profile_id) continue;
          ++(model.acknowledged ? acknowledged : unknown);
          if (model.acknowledged) expected.insert(note);
        }
      }
      std::set<std::string> notes;
      int64_t previous_sequence = 0;
      for (const v1::Interaction& interaction : ListInteractions(profile_id)) {
        const std::string& note = interaction.note();
        EXPECT_TRUE(notes.insert(note).second) << profile_id << ": listed twice: " << note;
        EXPECT_GT(interaction.sequence(), previous_sequence) << profile_id << ": out of order at " << note;
        previous_sequence = interaction.sequence();
        listed_sequences[note] = interaction.sequence();
        const InteractionModel* known = nullptr;
        for (const auto* models : {&interactions_model_, &pending_interactions_}) {
          if (auto it = models->find(note); it != models->end()) known = &it->second;
        }
        if (known == nullptr) {
          ADD_FAILURE() << profile_id << ": interaction never recorded, or settled as not stored: " << note;
          continue;
        }
        EXPECT_EQ(interaction.from_profile_id(), known->from) << note;
        EXPECT_EQ(interaction.to_profile_id(), known->to) << note;
        if (known->acknowledged) {
          EXPECT_EQ(interaction.sequence(), known->sequence) << note << " changed its sequence";
        }
      }
      int missing = 0;
      for (const std::string& note : expected) {
        if (notes.count(note) == 0) {
          ++missing;
          ADD_FAILURE() << "lost interaction in round " << round_ << " (seed " << seed_ << "): " << note << " of "
                        << profile_id;
        }
      }
      lost_writes_ += missing;
      const int count = static_cast<int>(notes.size());
      EXPECT_GE(count, acknowledged) << profile_id;
      EXPECT_LE(count, acknowledged + unknown) << profile_id;
    }
    // Settled: the acknowledged ones and the unknown ones that happened are
    // expected from now on, with the sequence they got; the rest never are.
    for (auto& [note, model] : pending_interactions_) {
      const auto stored = listed_sequences.find(note);
      if (stored == listed_sequences.end()) continue;
      if (!model.acknowledged) ++unknown_applied_;
      model.acknowledged = true;
      model.sequence = stored->second;
      interactions_model_[note] = model;
    }
    pending_interactions_.clear();

    // Matching works on the rebuilt index and suggests no deleted profile.
    grpc::ClientContext context;
    SetDeadline(context, std::chrono::seconds(30));
    v1::FindPartnersRequest request;
    request.set_tenant(kTenant);
    request.set_profile_id("s0");
    request.set_top_k(100);
    request.set_min_relevance(0);
    v1::FindPartnersResponse response;
    const grpc::Status status = matches_->FindPartners(&context, request, &response);
    EXPECT_TRUE(status.ok()) << "FindPartners: " << status.error_message();
    EXPECT_FALSE(response.suggestions().empty()) << "FindPartners s0 with min_relevance 0 suggested nobody";
    for (const v1::Suggestion& suggestion : response.suggestions()) {
      EXPECT_EQ(listed.count(suggestion.partner().id()), 1u) << "suggested a profile not stored: "
                                                             << suggestion.partner().id();
    }
  }

  TempDir dir_;
  std::string server_address_;
  std::string server_log_;
  pid_t server_pid_ = -1;
  int server_starts_ = 0;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::ProfileService::Stub> profiles_;
  std::unique_ptr<v1::InteractionService::Stub> interactions_;
  std::unique_ptr<v1::MatchService::Stub> matches_;

  uint64_t seed_ = 0;
  int round_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<bool> killing_{false};
  std::atomic<bool> in_flight_[3] = {};
  // Each map is written by one thread only while the writers run.
  IdModels seeded_, upserted_, deleted_;
  std::map<std::string, InteractionModel> interactions_model_;    // settled as stored
  std::map<std::string, InteractionModel> pending_interactions_;  // since the last restart
  std::atomic<int64_t> acknowledged_writes_{0};
  std::atomic<int64_t> unknown_writes_{0};
  std::atomic<int64_t> acknowledged_by_kind_[3] = {};
  int64_t unknown_applied_ = 0;
  int64_t lost_writes_ = 0;
};

TEST_F(CrashLoopTest, AcknowledgedWritesSurviveRepeatedSigkill) {
  const int kills = EnvInt("POLLINATOR_CRASH_LOOP_KILLS", 5);
  ASSERT_GE(kills, 1) << "POLLINATOR_CRASH_LOOP_KILLS must be at least 1";
  const char* seed_text = std::getenv("POLLINATOR_CRASH_LOOP_SEED");
  std::random_device entropy;
  seed_ = seed_text != nullptr && *seed_text != '\0' ? std::strtoull(seed_text, nullptr, 10)
                                                      : (uint64_t{entropy()} << 32) | entropy();
  std::cout << "crash loop: " << kills << " kills, seed " << seed_ << " (replay: POLLINATOR_CRASH_LOOP_SEED=" << seed_
            << ")" << std::endl;
  std::mt19937_64 rng(seed_);

  ASSERT_GE(StartServer(), 0);
  for (int i = 0; i < kSeededProfiles; ++i) {
    const std::string id = absl::StrCat("s", i);
    v1::UpsertProfileResponse response;
    const grpc::Status status = Upsert(id, 1, &response);
    ASSERT_TRUE(status.ok()) << id << ": " << status.error_message();
    seeded_[id].writes.push_back({1, true});
    ++acknowledged_writes_;
  }

  std::vector<double> restart_ms;
  int kills_mid_call = 0;
  for (round_ = 1; round_ <= kills; ++round_) {
    const int64_t acknowledged_before = acknowledged_writes_, unknown_before = unknown_writes_;
    stop_ = false;
    std::vector<std::thread> writers;
    const auto thread_rng = [&](int writer) {
      // seed_seq keeps 32 bits of each value.
      std::seed_seq seq = {seed_ & 0xffffffffu, seed_ >> 32, static_cast<uint64_t>(round_),
                           static_cast<uint64_t>(writer)};
      return std::mt19937_64(seq);
    };
    writers.emplace_back([this, rng = thread_rng(0)] { UpsertLoop(rng); });
    writers.emplace_back([this, rng = thread_rng(1)] { DeleteLoop(rng); });
    writers.emplace_back([this, rng = thread_rng(2)] { InteractionLoop(rng); });
    const int run_ms = kMinRunMs + static_cast<int>(rng() % (kMaxRunMs - kMinRunMs + 1));
    std::this_thread::sleep_for(std::chrono::milliseconds(run_ms));

    killing_ = true;
    const int calls_in_flight = in_flight_[0] + in_flight_[1] + in_flight_[2];
    if (calls_in_flight > 0) ++kills_mid_call;
    kill(server_pid_, SIGKILL);
    const int exit_code = WaitExit(server_pid_);
    server_pid_ = -1;
    stop_ = true;
    for (std::thread& writer : writers) writer.join();
    killing_ = false;
    EXPECT_EQ(exit_code, 128 + SIGKILL) << "server had exited before the kill; log:\n" << ReadFile(server_log_);

    const double started_ms = StartServer();
    ASSERT_GE(started_ms, 0) << "round " << round_ << ", seed " << seed_;
    restart_ms.push_back(started_ms);
    ASSERT_NO_FATAL_FAILURE(Verify());
    std::cout << "round " << round_ << ": killed after " << run_ms << " ms with " << calls_in_flight
              << " calls in flight; acknowledged " << acknowledged_writes_ - acknowledged_before << ", unknown "
              << unknown_writes_ - unknown_before << "; restart " << static_cast<int>(started_ms) << " ms" << std::endl;
    if (::testing::Test::HasFailure()) break;
  }

  std::sort(restart_ms.begin(), restart_ms.end());
  const double median_ms = restart_ms.empty() ? 0 : restart_ms[restart_ms.size() / 2];
  std::cout << "crash loop summary: kills=" << restart_ms.size() << " acknowledged_writes=" << acknowledged_writes_
            << " unknown_writes=" << unknown_writes_ << " (applied " << unknown_applied_ << ") lost_writes="
            << lost_writes_ << " median_restart_ms=" << static_cast<int>(median_ms) << " seed=" << seed_ << std::endl;
  EXPECT_EQ(lost_writes_, 0);
  // The loop must have tested something: each kind of write acknowledged,
  // and kills that landed during a call.
  for (int writer = 0; writer < 3; ++writer) EXPECT_GT(acknowledged_by_kind_[writer], 0) << "writer " << writer;
  EXPECT_GT(kills_mid_call, 0);
}

}  // namespace
}  // namespace pollinator
