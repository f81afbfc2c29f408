// Deadlines are honoured: when a client gives up on a long call, the server
// stops working on it. A cohort screening of 400 members runs against a
// real in-process PollinatorServer, once to the end and once with a
// deadline a small fraction of that; the request log says how long the
// server worked on each.
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "pollinator/v1/cohort.grpc.pb.h"
#include "services/observability/log.h"
#include "tests/testing/grpc_matchers.h"
#include "tests/testing/grpc_server_fixture.h"
#include "tests/testing/profiles.h"

namespace pollinator {
namespace {

using ::pollinator::testing::GrpcOk;
using ::pollinator::testing::GrpcServerTest;
using ::pollinator::testing::MakeProfile;

constexpr int kMembers = 400;

class DeadlineTest : public GrpcServerTest {
 protected:
  void TearDown() override {
    GrpcServerTest::TearDown();
    ConfigureLog(LogOptions());
  }

  // The server's working time of the one ScreenCohort line in `log`.
  static double ServerMilliseconds(const std::string& log) {
    for (absl::string_view line : absl::StrSplit(log, '\n', absl::SkipEmpty())) {
      if (!absl::StrContains(line, "ScreenCohort")) continue;
      const size_t at = line.find("ms=");
      double ms = -1;
      if (at != absl::string_view::npos && absl::SimpleAtod(line.substr(at + 3), &ms)) return ms;
    }
    ADD_FAILURE() << "no ScreenCohort line in:\n" << log;
    return -1;
  }

  // Screens every member with `deadline_ms`, then waits `settle_ms` for the
  // server's request line; returns the server's time.
  double Screen(int deadline_ms, grpc::StatusCode expected, int settle_ms) {
    auto cohorts = v1::CohortService::NewStub(channel_);
    v1::ScreenCohortRequest request;
    request.set_tenant("t");
    for (int i = 0; i < kMembers; ++i) request.add_cohort(absl::StrCat("m", i));
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(deadline_ms));
    v1::ScreenCohortResponse response;
    ::testing::internal::CaptureStderr();
    EXPECT_EQ(cohorts->ScreenCohort(&context, request, &response).error_code(), expected);
    // The call returns to the client before the server's line is out.
    std::this_thread::sleep_for(std::chrono::milliseconds(settle_ms));
    return ServerMilliseconds(::testing::internal::GetCapturedStderr());
  }
};

TEST_F(DeadlineTest, WorkStopsWhenTheClientGivesUp) {
  static const char* const kTopics[] = {"battery cell cycling", "LiDAR analytics", "GMP clean room",
                                        "EMC testing", "predictive maintenance", "perovskite stability"};
  for (int i = 0; i < kMembers; ++i) {
    ASSERT_THAT(Upsert("t", MakeProfile(absl::StrCat("m", i), v1::PROFILE_KIND_STARTUP,
                                        {absl::StrCat(kTopics[i % 6], " for prototype ", i)}, {})),
                GrpcOk());
    ASSERT_THAT(Upsert("t", MakeProfile(absl::StrCat("p", i), v1::PROFILE_KIND_RESEARCH_INSTITUTE, {},
                                        {absl::StrCat(kTopics[(i + 1) % 6], " services, line ", i % 9)})),
                GrpcOk());
  }
  ConfigureLog({LogFormat::kText, /*requests=*/true, /*debug=*/false});
  const double full = Screen(60000, grpc::StatusCode::OK, 0);
  ASSERT_GT(full, 100) << "the screening is too quick to tell a stop from an end";
  const int deadline = static_cast<int>(full / 10);
  // Long enough for a server that does not stop to finish and log.
  const double stopped =
      Screen(deadline, grpc::StatusCode::DEADLINE_EXCEEDED, static_cast<int>(full * 1.5) + 1000);
  RecordProperty("full_ms", static_cast<int>(full));
  RecordProperty("stopped_ms", static_cast<int>(stopped));
  EXPECT_LT(stopped, full / 2) << "the server went on for " << stopped << " ms of a " << full
                               << " ms screening after a " << deadline << " ms deadline";
}

}  // namespace
}  // namespace pollinator
