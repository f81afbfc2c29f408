// Per-tenant limits: the request rate (a token bucket, on a fake clock and
// through a real server over gRPC and HTTP) and what a tenant may store
// (profiles and bytes, also after a restart). Going over answers
// RESOURCE_EXHAUSTED (HTTP 429) and changes nothing.
#include <memory>
#include <string>

#include <httplib.h>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/guards/request_rate.h"
#include "tests/testing/grpc_matchers.h"
#include "tests/testing/grpc_server_fixture.h"
#include "tests/testing/profiles.h"
#include "tests/testing/status_matchers.h"

namespace pollinator {
namespace {

using ::pollinator::testing::GrpcOk;
using ::pollinator::testing::GrpcStatusIs;
using ::pollinator::testing::IsOk;
using ::pollinator::testing::MakeProfile;
using ::pollinator::testing::StatusIs;
using ::testing::HasSubstr;

constexpr char kTenant[] = "assoc-1";

TEST(TenantRequestRateTest, AdmitsABurstOfOneSecondThenRefillsAtTheRate) {
  absl::Time now = absl::FromUnixSeconds(1000);
  TenantRequestRate rate(3, [&] { return now; });
  for (int i = 0; i < 3; ++i) EXPECT_THAT(rate.Admit("a"), IsOk());
  EXPECT_THAT(rate.Admit("a"), StatusIs(absl::StatusCode::kResourceExhausted,
                                        HasSubstr("tenant \"a\" is over its limit of 3 requests per second; retry in "
                                                  "334 ms")));
  // Other tenants have their own buckets.
  EXPECT_THAT(rate.Admit("b"), IsOk());
  now += absl::Milliseconds(340);
  EXPECT_THAT(rate.Admit("a"), IsOk());
  EXPECT_THAT(rate.Admit("a"), StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("retry in")));
  // Idle time refills up to one second's worth, not more.
  now += absl::Seconds(60);
  for (int i = 0; i < 3; ++i) EXPECT_THAT(rate.Admit("a"), IsOk());
  EXPECT_THAT(rate.Admit("a"), StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("retry in")));
}

TEST(TenantRequestRateTest, ZeroMeansNoLimit) {
  TenantRequestRate rate(0);
  for (int i = 0; i < 10000; ++i) ASSERT_THAT(rate.Admit("a"), IsOk());
}

class TenantLimitsTest : public testing::GrpcServerTest {
 protected:
  void SetUp() override {}

  static v1::Profile Small(const std::string& id) {
    return MakeProfile(id, v1::PROFILE_KIND_SMB, {"battery cathode coating pilot line"}, {});
  }
};

TEST_F(TenantLimitsTest, RequestsOverTheRateAreRefusedOverGrpcAndHttp) {
  ASSERT_NO_FATAL_FAILURE(StartServer([](ServerOptions& options) {
    options.http.listen = "127.0.0.1:0";
    // One call per 5 s: slow enough that no refill can come in mid-test.
    options.access.tenant_requests_per_second = 0.2;
  }));
  EXPECT_THAT(Get(kTenant, "x"), GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("x")));
  EXPECT_THAT(Get(kTenant, "x"), GrpcStatusIs(grpc::StatusCode::RESOURCE_EXHAUSTED,
                                              HasSubstr("over its limit of 0.2 requests per second; retry in")));
  // Another tenant is not held back.
  EXPECT_THAT(Get("assoc-2", "x"), GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("x")));

  // A stream is one call: refused, each of its items says so.
  {
    grpc::ClientContext context;
    SetDeadline(context);
    v1::BulkUpsertResponse report;
    std::unique_ptr<grpc::ClientWriter<v1::UpsertProfileRequest>> stream = profiles_->BulkUpsert(&context, &report);
    for (const char* id : {"s1", "s2"}) {
      v1::UpsertProfileRequest item;
      item.set_tenant(kTenant);
      *item.mutable_profile() = Small(id);
      ASSERT_TRUE(stream->Write(item));
    }
    stream->WritesDone();
    ASSERT_THAT(stream->Finish(), GrpcOk());
    EXPECT_EQ(report.upserted(), 0);
    ASSERT_EQ(report.errors_size(), 2);
    EXPECT_EQ(report.errors(0).code(), static_cast<int>(grpc::StatusCode::RESOURCE_EXHAUSTED));
    EXPECT_EQ(report.errors(1).code(), static_cast<int>(grpc::StatusCode::RESOURCE_EXHAUSTED));
    EXPECT_THAT(report.errors(1).message(), HasSubstr("requests per second"));
  }
  httplib::Client http("127.0.0.1", server_->http_port());
  httplib::Result result = http.Get("/v1/profiles/x?tenant=assoc-1");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 429) << result->body;
  EXPECT_THAT(result->body, HasSubstr("RESOURCE_EXHAUSTED"));
}

TEST_F(TenantLimitsTest, ProfilesPastTheLimitAreRefusedAndReplacingOneIsNot) {
  ASSERT_NO_FATAL_FAILURE(StartServer([](ServerOptions& options) { options.tenant_max_profiles = 2; }));
  ASSERT_THAT(Upsert(kTenant, Small("a")), GrpcOk());
  ASSERT_THAT(Upsert(kTenant, Small("b")), GrpcOk());
  EXPECT_THAT(Upsert(kTenant, Small("c")),
              GrpcStatusIs(grpc::StatusCode::RESOURCE_EXHAUSTED, HasSubstr("holds its limit of 2 profiles")));
  EXPECT_THAT(Get(kTenant, "c"), GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("c")));
  EXPECT_THAT(Upsert(kTenant, Small("a")), GrpcOk());  // a replacement adds none
  ASSERT_THAT(Delete(kTenant, "b"), GrpcOk());
  EXPECT_THAT(Upsert(kTenant, Small("c")), GrpcOk());
  // Each tenant has its own.
  EXPECT_THAT(Upsert("assoc-2", Small("c")), GrpcOk());
}

TEST_F(TenantLimitsTest, BytesPastTheLimitAreRefusedAlsoAfterARestart) {
  ASSERT_NO_FATAL_FAILURE(StartServer([](ServerOptions& options) { options.tenant_max_stored_bytes = 6000; }));
  ASSERT_THAT(Upsert(kTenant, Small("a")), GrpcOk());
  v1::Profile big = Small("big");
  big.set_description(std::string(8000, 'x'));
  EXPECT_THAT(Upsert(kTenant, big),
              GrpcStatusIs(grpc::StatusCode::RESOURCE_EXHAUSTED, HasSubstr("over its limit of 6000")));
  EXPECT_THAT(Get(kTenant, "big"), GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("big")));
  // Fill up with small profiles until one is refused.
  int stored = 1;
  for (; stored < 100; ++stored) {
    if (!Upsert(kTenant, Small(absl::StrCat("p", stored))).ok()) break;
  }
  ASSERT_LT(stored, 100);
  ASSERT_NO_FATAL_FAILURE(StopServer());
  ASSERT_NO_FATAL_FAILURE(StartServer([](ServerOptions& options) { options.tenant_max_stored_bytes = 6000; }));
  EXPECT_THAT(Upsert(kTenant, Small("one-more")),
              GrpcStatusIs(grpc::StatusCode::RESOURCE_EXHAUSTED, HasSubstr("over its limit of 6000")));
  ASSERT_THAT(Delete(kTenant, "a"), GrpcOk());
  EXPECT_THAT(Upsert(kTenant, Small("one-more")), GrpcOk());
}

}  // namespace
}  // namespace pollinator
