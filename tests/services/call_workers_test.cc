#include "services/calls/call_workers.h"

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "tests/testing/grpc_server_fixture.h"
#include "tests/testing/profiles.h"
#include "tests/testing/status_matchers.h"

namespace pollinator {
namespace {

using ::pollinator::testing::MakeProfile;
using ::pollinator::testing::StatusIs;
using ::testing::HasSubstr;

// The process's shared pool, which every server of this binary uses: one
// worker and room for one waiting call, so that a test can fill both.
class OneWorkerEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    ASSERT_TRUE(CallWorkers::Configure({/*threads=*/1, /*max_queued=*/1}).ok());
    ASSERT_EQ(CallWorkers::Shared().load().threads, 1);
  }
};
::testing::Environment* const one_worker = ::testing::AddGlobalTestEnvironment(new OneWorkerEnvironment);

// Waits up to 10 s for `done()`.
template <typename Done>
bool Eventually(Done done) {
  for (int i = 0; i < 1000 && !done(); ++i) absl::SleepFor(absl::Milliseconds(10));
  return done();
}

TEST(CallWorkersTest, RunsWorkOnItsOwnThreadsAndCountsThemBusy) {
  CallWorkers workers({/*threads=*/2, /*max_queued=*/10});
  absl::Notification release;
  std::atomic<int> off_caller{0};
  const std::thread::id caller = std::this_thread::get_id();
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(workers.Submit([&] {
      if (std::this_thread::get_id() != caller) ++off_caller;
      release.WaitForNotification();
    }));
  }
  EXPECT_TRUE(Eventually([&] { return workers.load().busy == 2; }));
  EXPECT_EQ(workers.load().threads, 2);
  EXPECT_EQ(workers.load().queued, 0);
  release.Notify();
  EXPECT_TRUE(Eventually([&] { return workers.load().busy == 0; }));
  EXPECT_EQ(off_caller.load(), 2);
}

TEST(CallWorkersTest, RefusesWorkPastTheQueueBoundAndRunsWhatItTook) {
  CallWorkers workers({/*threads=*/1, /*max_queued=*/2});
  absl::Notification release;
  std::atomic<int> ran{0};
  ASSERT_TRUE(workers.Submit([&] { release.WaitForNotification(); }));
  ASSERT_TRUE(Eventually([&] { return workers.load().busy == 1; }));
  EXPECT_TRUE(workers.Submit([&] { ++ran; }));
  EXPECT_TRUE(workers.Submit([&] { ++ran; }));
  EXPECT_FALSE(workers.Submit([&] { ran += 100; }));
  EXPECT_EQ(workers.load().queued, 2);
  EXPECT_EQ(workers.load().refused, 1);
  release.Notify();
  EXPECT_TRUE(Eventually([&] { return ran.load() == 2; }));
  EXPECT_EQ(workers.load().refused, 1);
}

TEST(CallWorkersTest, StoppingRunsWhatIsQueued) {
  std::atomic<int> ran{0};
  {
    CallWorkers workers({/*threads=*/1, /*max_queued=*/0});
    EXPECT_EQ(workers.max_queued(), 64);
    for (int i = 0; i < 20; ++i) ASSERT_TRUE(workers.Submit([&] { ++ran; }));
  }
  EXPECT_EQ(ran.load(), 20);
}

TEST(CallWorkersTest, ConfigureRejectsNegativesAndComesTooLateOnceStarted) {
  EXPECT_THAT(CallWorkers::Configure({-1, 0}), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(CallWorkers::Configure({0, -5}), StatusIs(absl::StatusCode::kInvalidArgument));
  // The environment started the shared pool.
  EXPECT_THAT(CallWorkers::Configure({4, 0}), StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(CallWorkers::Shared().load().threads, 1);
}

// Through a real server: gRPC's threads hand calls to the shared pool.
class CallQueueTest : public testing::GrpcServerTest {
 protected:
  // Occupies the only worker until the returned notification is notified.
  std::unique_ptr<absl::Notification> OccupyTheWorker() {
    auto release = std::make_unique<absl::Notification>();
    absl::Notification* const wait_for = release.get();
    EXPECT_TRUE(CallWorkers::Shared().Submit([wait_for] { wait_for->WaitForNotification(); }));
    EXPECT_TRUE(Eventually([] { return CallWorkers::Shared().load().busy == 1; }));
    return release;
  }

  grpc::Status UpsertWithin(const v1::Profile& profile, std::chrono::milliseconds deadline) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + deadline);
    v1::UpsertProfileRequest request;
    request.set_tenant("t");
    *request.mutable_profile() = profile;
    v1::UpsertProfileResponse response;
    return profiles_->UpsertProfile(&context, request, &response);
  }
};

TEST_F(CallQueueTest, ACallIsAnsweredByAWorker) {
  EXPECT_TRUE(Upsert("t", MakeProfile("a", v1::PROFILE_KIND_SMB, {"solar panel cleaning"}, {})).ok());
  EXPECT_TRUE(Get("t", "a").ok());
}

TEST_F(CallQueueTest, ACallPastAFullQueueIsRefusedAtOnce) {
  std::unique_ptr<absl::Notification> release = OccupyTheWorker();
  const int64_t refused_before = CallWorkers::Shared().load().refused;
  // The first call takes the one place in the queue.
  grpc::Status queued_status;
  std::thread queued([&] {
    queued_status = UpsertWithin(MakeProfile("a", v1::PROFILE_KIND_SMB, {"solar panel cleaning"}, {}),
                                 std::chrono::seconds(10));
  });
  ASSERT_TRUE(Eventually([] { return CallWorkers::Shared().load().queued == 1; }));
  const auto start = std::chrono::steady_clock::now();
  const grpc::Status refused = Get("t", "a");
  const auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(refused.error_message(), HasSubstr("at capacity"));
  EXPECT_LT(waited, std::chrono::seconds(2));
  EXPECT_EQ(CallWorkers::Shared().load().refused, refused_before + 1);
  release->Notify();
  queued.join();
  // The queued call ran once the worker was free.
  EXPECT_TRUE(queued_status.ok()) << queued_status.error_message();
  EXPECT_TRUE(Get("t", "a").ok());
}

TEST_F(CallQueueTest, ACallWhoseDeadlinePassedWhileQueuedIsNotRun) {
  std::unique_ptr<absl::Notification> release = OccupyTheWorker();
  const grpc::Status late = UpsertWithin(MakeProfile("a", v1::PROFILE_KIND_SMB, {"solar panel cleaning"}, {}),
                                         std::chrono::milliseconds(300));
  EXPECT_EQ(late.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  // The call still waits in the queue; the worker, once free, must drop it.
  EXPECT_EQ(CallWorkers::Shared().load().queued, 1);
  release->Notify();
  ASSERT_TRUE(Eventually([] {
    const CallWorkers::Load load = CallWorkers::Shared().load();
    return load.queued == 0 && load.busy == 0;
  }));
  const grpc::Status got = Get("t", "a");
  EXPECT_EQ(got.error_code(), grpc::StatusCode::NOT_FOUND) << "the upsert ran after its client gave up";
}

}  // namespace
}  // namespace pollinator
