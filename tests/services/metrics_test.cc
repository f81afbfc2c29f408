// GET /metrics on a real server's HTTP port after real gRPC calls: the
// Prometheus text counts each call under its method and final code, times
// it, gives each tenant's size, parses as the text format, and is for the
// operator only when keys are enforced.
#include <limits>
#include <map>
#include <regex>
#include <sstream>
#include <string>

#include <httplib.h>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/grpc_matchers.h"
#include "tests/testing/grpc_server_fixture.h"
#include "tests/testing/profiles.h"

namespace pollinator {
namespace {

using ::pollinator::testing::GrpcOk;
using ::pollinator::testing::GrpcStatusIs;
using ::pollinator::testing::MakeProfile;
using ::testing::HasSubstr;

constexpr char kTenant[] = "assoc-1";
constexpr char kOperatorKey[] = "operator-key-of-the-metrics-test-0123456789abcdef";

class MetricsTest : public testing::GrpcServerTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(StartServer([](ServerOptions& options) { options.http.listen = "127.0.0.1:0"; }));
  }

  httplib::Result Scrape(const std::string& authorization = "") {
    httplib::Client http("127.0.0.1", server_->http_port());
    http.set_read_timeout(10);
    httplib::Headers headers;
    if (!authorization.empty()) headers.emplace("Authorization", authorization);
    return http.Get("/metrics", headers);
  }

  // Sample lines "name{labels} value" as name{labels} -> value.
  static std::map<std::string, double> Samples(const std::string& text) {
    std::map<std::string, double> samples;
    std::istringstream lines(text);
    std::string line;
    const std::regex sample(R"(^([a-z_]+(\{[^}]*\})?) (-?[0-9.e+-]+|\+Inf)$)");
    while (std::getline(lines, line)) {
      if (line.empty() || line[0] == '#') continue;
      std::smatch match;
      EXPECT_TRUE(std::regex_match(line, match, sample)) << "not the text format: " << line;
      if (!match.empty()) samples[match[1]] = std::stod(match[3]);
    }
    return samples;
  }
};

TEST_F(MetricsTest, CountsAndTimesCallsByMethodAndCodeAndSizesTenants) {
  ASSERT_THAT(Upsert(kTenant, MakeProfile("acme", v1::PROFILE_KIND_SMB, {"battery cathode coating"}, {})), GrpcOk());
  ASSERT_THAT(Upsert(kTenant, MakeProfile("lab", v1::PROFILE_KIND_UNIVERSITY, {}, {"cathode coating line"})),
              GrpcOk());
  EXPECT_THAT(Get(kTenant, "nobody"), GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("nobody")));
  v1::FindPartnersRequest find;
  find.set_tenant(kTenant);
  find.set_profile_id("acme");
  v1::FindPartnersResponse found;
  ASSERT_THAT(Find(find, &found), GrpcOk());

  httplib::Result scraped = Scrape();
  ASSERT_TRUE(scraped);
  ASSERT_EQ(scraped->status, 200) << scraped->body;
  EXPECT_THAT(scraped->get_header_value("Content-Type"), HasSubstr("text/plain"));
  const std::map<std::string, double> samples = Samples(scraped->body);
  const std::string upsert = R"(method="/pollinator.v1.ProfileService/UpsertProfile",code="OK")";
  EXPECT_EQ(samples.at(absl::StrCat("pollinator_rpc_requests_total{", upsert, "}")), 2);
  EXPECT_EQ(samples.at(absl::StrCat("pollinator_rpc_duration_seconds_count{", upsert, "}")), 2);
  EXPECT_EQ(samples.at(absl::StrCat("pollinator_rpc_duration_seconds_bucket{", upsert, R"(,le="+Inf"})")), 2);
  EXPECT_GT(samples.at(absl::StrCat("pollinator_rpc_duration_seconds_sum{", upsert, "}")), 0.0);
  EXPECT_EQ(samples.at(
                R"(pollinator_rpc_requests_total{method="/pollinator.v1.ProfileService/GetProfile",code="NOT_FOUND"})"),
            1);
  EXPECT_EQ(samples.at(
                R"(pollinator_rpc_requests_total{method="/pollinator.v1.MatchService/FindPartners",code="OK"})"),
            1);
  EXPECT_EQ(samples.at(R"(pollinator_tenant_profiles{tenant="assoc-1"})"), 2);
  // Needs, offers and descriptions: at least one vector each.
  EXPECT_GE(samples.at(R"(pollinator_index_vectors{tenant="assoc-1"})"), 2);
  EXPECT_EQ(samples.at("pollinator_index_rebuilds_total"), 0);
  // A call ends (and leaves this gauge) a moment after its answer is sent.
  EXPECT_GE(samples.at("pollinator_rpc_in_flight"), 0);
}

// The writes of the upserts are in RocksDB's memtables (no flush has run),
// and resident memory is the process's own, as /proc reads it.
TEST_F(MetricsTest, GivesTheProcessAndStoreMemory) {
  std::string text;
  for (int i = 0; i < 1500; ++i) absl::StrAppend(&text, "coating ");
  ASSERT_THAT(Upsert(kTenant, MakeProfile("acme", v1::PROFILE_KIND_SMB, {text}, {})), GrpcOk());
  httplib::Result scraped = Scrape();
  ASSERT_TRUE(scraped);
  ASSERT_EQ(scraped->status, 200) << scraped->body;
  const std::map<std::string, double> samples = Samples(scraped->body);
  EXPECT_GE(samples.at("pollinator_store_memtable_bytes"), text.size());
  EXPECT_LE(samples.at("pollinator_store_memtable_bytes"), 32 << 20);
  EXPECT_GE(samples.at("pollinator_store_table_readers_bytes"), 0);
  EXPECT_GE(samples.at("pollinator_store_block_cache_bytes"), 0);
  EXPECT_LE(samples.at("pollinator_store_block_cache_bytes"), 32 << 20);
  // The test process is the server's: its resident memory is at least the
  // text and the server's index, and less than the machine's.
  const double resident = samples.at("process_resident_memory_bytes");
  EXPECT_GT(resident, 1 << 20);
  EXPECT_LT(resident, 1e12);
}

// The malformed-request guard runs first, so the code counted is the one the
// client gets, not gRPC's empty UNIMPLEMENTED.
TEST_F(MetricsTest, CountsRequestsThatDoNotParseAsInvalidArgument) {
  const grpc::Status status =
      RawUnary("/pollinator.v1.ProfileService/UpsertProfile", std::string("\xff\xff\xff", 3));
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
  httplib::Result scraped = Scrape();
  ASSERT_TRUE(scraped);
  EXPECT_EQ(Samples(scraped->body).at(
                R"(pollinator_rpc_requests_total{method="/pollinator.v1.ProfileService/UpsertProfile",code="INVALID_ARGUMENT"})"),
            1);
}

TEST_F(MetricsTest, LatencyBucketsAreCumulative) {
  for (int i = 0; i < 3; ++i) {
    EXPECT_THAT(Get(kTenant, "nobody"), GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("nobody")));
  }
  httplib::Result scraped = Scrape();
  ASSERT_TRUE(scraped);
  const std::string prefix =
      R"(pollinator_rpc_duration_seconds_bucket{method="/pollinator.v1.ProfileService/GetProfile",code="NOT_FOUND",le=")";
  std::map<double, double> by_bound;  // le -> count, in bound order
  for (const auto& [name, value] : Samples(scraped->body)) {
    if (name.rfind(prefix, 0) != 0) continue;
    const std::string bound = name.substr(prefix.size(), name.size() - prefix.size() - 2);
    by_bound[bound == "+Inf" ? std::numeric_limits<double>::infinity() : std::stod(bound)] = value;
  }
  ASSERT_EQ(by_bound.size(), 15u);
  double previous = 0;
  for (const auto& [bound, count] : by_bound) {
    EXPECT_GE(count, previous) << "le=" << bound;
    previous = count;
  }
  EXPECT_EQ(by_bound.rbegin()->second, 3);
}

TEST_F(MetricsTest, OnlyTheOperatorReadsThemWhenKeysAreEnforced) {
  ASSERT_NO_FATAL_FAILURE(StopServer());
  ASSERT_NO_FATAL_FAILURE(StartServer([](ServerOptions& options) {
    options.http.listen = "127.0.0.1:0";
    options.access.enforce = true;
    options.access.operator_key = kOperatorKey;
  }));
  httplib::Result anonymous = Scrape();
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);
  httplib::Result wrong = Scrape("Bearer not-the-operator-key-0123456789abcdefghij");
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 401);
  httplib::Result operator_scrape = Scrape(absl::StrCat("Bearer ", kOperatorKey));
  ASSERT_TRUE(operator_scrape);
  EXPECT_EQ(operator_scrape->status, 200);
  EXPECT_THAT(operator_scrape->body, HasSubstr("# TYPE pollinator_rpc_requests_total counter"));
}

}  // namespace
}  // namespace pollinator
