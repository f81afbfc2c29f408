// Per-tenant limits: the request rate (a token bucket, on a fake clock and
// through a real server over gRPC and HTTP), what a tenant may store
// (profiles and bytes, also after a restart), and the limits file that gives
// named tenants their own, re-read while serving. Going over answers
// RESOURCE_EXHAUSTED (HTTP 429) and changes nothing.
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include <httplib.h>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/guards/request_rate.h"
#include "services/guards/tenant_limits.h"
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

std::shared_ptr<TenantLimitTable> RateLimits(double per_second) {
  TenantLimits limits;
  limits.requests_per_second = per_second;
  return std::make_shared<TenantLimitTable>(limits);
}

TEST(TenantRequestRateTest, AdmitsABurstOfOneSecondThenRefillsAtTheRate) {
  absl::Time now = absl::FromUnixSeconds(1000);
  TenantRequestRate rate(RateLimits(3), [&] { return now; });
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
  TenantRequestRate rate(RateLimits(0));
  for (int i = 0; i < 10000; ++i) ASSERT_THAT(rate.Admit("a"), IsOk());
  TenantRequestRate no_table(nullptr);
  for (int i = 0; i < 10000; ++i) ASSERT_THAT(no_table.Admit("a"), IsOk());
}

TEST(TenantRequestRateTest, EachTenantGetsItsOwnRateAndAChangeAppliesAtOnce) {
  absl::Time now = absl::FromUnixSeconds(1000);
  std::shared_ptr<TenantLimitTable> limits = RateLimits(1);
  TenantLimitOverrides overrides;
  overrides["big"].requests_per_second = 5;
  overrides["free"].requests_per_second = 0;
  limits->SetOverrides(overrides);
  TenantRequestRate rate(limits, [&] { return now; });
  for (int i = 0; i < 5; ++i) EXPECT_THAT(rate.Admit("big"), IsOk());
  EXPECT_THAT(rate.Admit("big"), StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("limit of 5 requests")));
  EXPECT_THAT(rate.Admit("small"), IsOk());
  EXPECT_THAT(rate.Admit("small"), StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("limit of 1 requests")));
  for (int i = 0; i < 100; ++i) ASSERT_THAT(rate.Admit("free"), IsOk());
  // Without its override, "big" falls back to the default at once.
  limits->SetOverrides({});
  now += absl::Seconds(10);
  EXPECT_THAT(rate.Admit("big"), IsOk());
  EXPECT_THAT(rate.Admit("big"), StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("limit of 1 requests")));
}

TEST(TenantLimitsFileTest, OverridesNamedFieldsAndKeepsTheDefaultsForTheRest) {
  absl::StatusOr<TenantLimitOverrides> parsed = ParseTenantLimits(
      "# tenant   overrides\n"
      "\n"
      "assoc-north  max_profiles=200000 max_bytes=4000000000   # the big one\n"
      "  trial\trequests_per_second=2.5\tmax_profiles=0\n"
      "\"two words\" requests_per_second=0\n");
  ASSERT_THAT(parsed.status(), IsOk());
  ASSERT_EQ(parsed->size(), 3u);
  TenantLimits defaults;
  defaults.requests_per_second = 100;
  defaults.max_profiles = 1000;
  defaults.max_stored_bytes = 50000000;
  TenantLimitTable table(defaults);
  table.SetOverrides(*parsed);

  const TenantLimits north = table.For("assoc-north");
  EXPECT_EQ(north.requests_per_second, 100);
  EXPECT_EQ(north.max_profiles, 200000);
  EXPECT_EQ(north.max_stored_bytes, 4000000000);
  const TenantLimits trial = table.For("trial");
  EXPECT_EQ(trial.requests_per_second, 2.5);
  EXPECT_EQ(trial.max_profiles, 0);  // no limit
  EXPECT_EQ(trial.max_stored_bytes, 50000000);
  EXPECT_EQ(table.For("two words").requests_per_second, 0);
  const TenantLimits other = table.For("someone-else");
  EXPECT_EQ(other.requests_per_second, 100);
  EXPECT_EQ(other.max_profiles, 1000);
  EXPECT_EQ(other.max_stored_bytes, 50000000);
}

TEST(TenantLimitsFileTest, MistakesAreRefusedWithTheirLine) {
  const std::pair<const char*, const char*> cases[] = {
      {"a max_profiles=5\nb max_profile=5\n", "line 2: unknown setting \"max_profile\""},
      {"a max_profiles=five\n", "line 1: max_profiles: \"five\" is not a whole number"},
      {"a max_profiles=1.5\n", "line 1: max_profiles: \"1.5\" is not a whole number"},
      {"a max_bytes=-1\n", "line 1: max_bytes: negative"},
      {"a requests_per_second=nan\n", "line 1: requests_per_second: \"nan\" is not a number"},
      {"a requests_per_second=2000000\n", "line 1: requests_per_second: must be 0 (no limit) to 1000000"},
      {"a max_profiles=1 max_profiles=2\n", "line 1: max_profiles: set twice"},
      {"a max_profiles\n", "line 1: \"max_profiles\" is not KEY=VALUE"},
      {"lonely\n", "line 1: tenant \"lonely\" has no settings"},
      {"a max_profiles=1\n\na max_bytes=1\n", "line 3: tenant \"a\" is already named above"},
      {"\"open max_profiles=1\n", "line 1: the tenant's closing \" is missing"},
      {"\"\" max_profiles=1\n", "line 1: tenant: empty"},
      {"\"a\"max_profiles=1\n", "line 1: expected a blank after the quoted tenant"},
  };
  for (const auto& [text, message] : cases) {
    EXPECT_THAT(ParseTenantLimits(text).status(), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(message)))
        << text;
  }
}

TEST(TenantLimitsFileTest, ABadOrMissingFileKeepsTheLimitsInForce) {
  const std::filesystem::path path = std::filesystem::path(::testing::TempDir()) / "tenant_limits_keep.txt";
  std::ofstream(path) << "big max_profiles=10\n";
  TenantLimitTable table;
  ASSERT_THAT(table.LoadFile(path.string()).status(), IsOk());
  EXPECT_EQ(table.For("big").max_profiles, 10);
  std::ofstream(path) << "big max_profiles=20\nbroken\n";
  EXPECT_THAT(table.LoadFile(path.string()).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("tenant_limits_keep.txt: line 2")));
  EXPECT_EQ(table.For("big").max_profiles, 10);
  std::filesystem::remove(path);
  EXPECT_THAT(table.LoadFile(path.string()).status(), StatusIs(absl::StatusCode::kNotFound, HasSubstr("cannot read")));
  EXPECT_EQ(table.For("big").max_profiles, 10);
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
    options.tenant_limits.requests_per_second = 0.2;
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
  ASSERT_NO_FATAL_FAILURE(StartServer([](ServerOptions& options) { options.tenant_limits.max_profiles = 2; }));
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
  ASSERT_NO_FATAL_FAILURE(StartServer([](ServerOptions& options) { options.tenant_limits.max_stored_bytes = 6000; }));
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
  ASSERT_NO_FATAL_FAILURE(StartServer([](ServerOptions& options) { options.tenant_limits.max_stored_bytes = 6000; }));
  EXPECT_THAT(Upsert(kTenant, Small("one-more")),
              GrpcStatusIs(grpc::StatusCode::RESOURCE_EXHAUSTED, HasSubstr("over its limit of 6000")));
  ASSERT_THAT(Delete(kTenant, "a"), GrpcOk());
  EXPECT_THAT(Upsert(kTenant, Small("one-more")), GrpcOk());
}

TEST_F(TenantLimitsTest, TheLimitsFileGivesNamedTenantsTheirOwnAndIsReReadWhileServing) {
  const std::filesystem::path path = std::filesystem::path(::testing::TempDir()) / "tenant_limits_server.txt";
  std::ofstream(path) << "# the trial cohort gets less, the association more\n"
                         "trial max_profiles=1\n"
                         "assoc-1 max_profiles=3 requests_per_second=0.2\n";
  ASSERT_NO_FATAL_FAILURE(StartServer([&](ServerOptions& options) {
    options.http.listen = "127.0.0.1:0";
    options.tenant_limits.max_profiles = 2;
    options.tenant_limits_file = path.string();
  }));
  ASSERT_THAT(Upsert("trial", Small("a")), GrpcOk());
  EXPECT_THAT(Upsert("trial", Small("b")),
              GrpcStatusIs(grpc::StatusCode::RESOURCE_EXHAUSTED, HasSubstr("tenant \"trial\" holds its limit of 1")));
  // A tenant the file does not name keeps the default.
  ASSERT_THAT(Upsert("other", Small("a")), GrpcOk());
  ASSERT_THAT(Upsert("other", Small("b")), GrpcOk());
  EXPECT_THAT(Upsert("other", Small("c")),
              GrpcStatusIs(grpc::StatusCode::RESOURCE_EXHAUSTED, HasSubstr("holds its limit of 2")));
  // assoc-1 gets one call per 5 s from the file, over HTTP too.
  httplib::Client http("127.0.0.1", server_->http_port());
  httplib::Result first = http.Get("/v1/profiles/x?tenant=assoc-1");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 404) << first->body;
  httplib::Result second = http.Get("/v1/profiles/x?tenant=assoc-1");
  ASSERT_TRUE(second);
  EXPECT_EQ(second->status, 429) << second->body;
  EXPECT_THAT(second->body, HasSubstr("over its limit of 0.2 requests per second"));

  // A changed file applies once re-read: trial may hold 3, assoc-1 falls
  // back to the default rate (none).
  std::ofstream(path) << "trial max_profiles=3\n";
  absl::StatusOr<size_t> reloaded = server_->ReloadTenantLimits();
  ASSERT_THAT(reloaded.status(), IsOk());
  EXPECT_EQ(*reloaded, 1u);
  ASSERT_THAT(Upsert("trial", Small("b")), GrpcOk());
  ASSERT_THAT(Upsert("trial", Small("c")), GrpcOk());
  EXPECT_THAT(Upsert("trial", Small("d")),
              GrpcStatusIs(grpc::StatusCode::RESOURCE_EXHAUSTED, HasSubstr("holds its limit of 3")));
  EXPECT_THAT(Get(kTenant, "x"), GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("x")));
  EXPECT_THAT(Get(kTenant, "x"), GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("x")));

  // A broken file is refused and changes nothing.
  std::ofstream(path) << "trial max_profiles=many\n";
  EXPECT_THAT(server_->ReloadTenantLimits().status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("line 1: max_profiles")));
  EXPECT_THAT(Upsert("trial", Small("d")),
              GrpcStatusIs(grpc::StatusCode::RESOURCE_EXHAUSTED, HasSubstr("holds its limit of 3")));
  ASSERT_NO_FATAL_FAILURE(StopServer());
  std::filesystem::remove(path);
}

TEST_F(TenantLimitsTest, ABrokenLimitsFileStopsTheStart) {
  const std::filesystem::path path = std::filesystem::path(::testing::TempDir()) / "tenant_limits_broken.txt";
  std::ofstream(path) << "trial max_profiles=1\ntrial max_bytes=5\n";
  ServerOptions options;
  options.listen = "127.0.0.1:0";
  options.data_dir = dir_.path();
  options.access.enforce = false;
  options.tenant_limits_file = path.string();
  EXPECT_THAT(PollinatorServer::Start(options).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("line 2: tenant \"trial\" is already named")));
  options.tenant_limits_file = (std::filesystem::path(::testing::TempDir()) / "no-such-limits.txt").string();
  EXPECT_THAT(PollinatorServer::Start(options).status(),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("no-such-limits.txt")));
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace pollinator
