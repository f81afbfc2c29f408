// The JSON/HTTP API through a real server: real HTTP requests (cpp-httplib's
// client) against pollinatord's HTTP port with API keys on. Checks the
// OpenAPI document against an independent list of routes, the protobuf JSON
// mapping with its conveniences, the error mapping, the size limit, and the
// authorisation matrix of every route.
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "data/profile_jsonl.h"
#include "data/utf8.h"
#include "tests/testing/grpc_server_fixture.h"

namespace pollinator::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kOperatorKey[] = "operator-key-for-http-tests-0123456789abcdef";

// Every route the HTTP API promises, written out here independently of the
// server's route table: method, path (with sample values), body, and who
// may call it ("reader", "writer", "admin", "operator" or "anyone").
struct ExpectedRoute {
  std::string method;
  std::string openapi_path;  // as the OpenAPI document names it
  std::string path;          // with values for the parameters
  std::string body;
  std::string needs;
};

std::vector<ExpectedRoute> ExpectedRoutes() {
  return {
      {"POST", "/v1/profiles", "/v1/profiles",
       R"({"id":"p3","kind":"university","name":"U","offers":[{"id":"o1","text":"battery testing lab"}]})", "writer"},
      {"GET", "/v1/profiles", "/v1/profiles?page_size=10", "", "reader"},
      {"GET", "/v1/profiles/{id}", "/v1/profiles/p1", "", "reader"},
      {"DELETE", "/v1/profiles/{id}", "/v1/profiles/p3", "", "writer"},
      {"POST", "/v1/profiles:bulkUpsert", "/v1/profiles:bulkUpsert",
       R"({"requests":[{"profile":{"id":"p4","kind":"smb","name":"B","needs":[{"id":"n1","text":"funding"}]}}]})",
       "writer"},
      {"POST", "/v1/profiles:match", "/v1/profiles:match", R"({"profile_id":"p1"})", "reader"},
      {"POST", "/v1/ranker:train", "/v1/ranker:train", "{}", "admin"},
      {"POST", "/v1/interactions", "/v1/interactions",
       R"({"from_profile_id":"p2","to_profile_id":"p1","type":"accepted"})", "writer"},
      {"POST", "/v1/interactions:batch", "/v1/interactions:batch",
       R"({"interactions":[{"fromProfileId":"p2","toProfileId":"p1","type":"INTERACTION_TYPE_SHOWN"}]})", "writer"},
      {"GET", "/v1/profiles/{profile_id}/interactions", "/v1/profiles/p1/interactions", "", "reader"},
      {"POST", "/v1/cohorts:screen", "/v1/cohorts:screen", R"({"cohort":["p1"],"per_member":1})", "reader"},
      {"POST", "/v1/challenges:findSolvers", "/v1/challenges:findSolvers", R"({"profile_id":"p1","need_id":"n1"})",
       "reader"},
      {"POST", "/v1/challenges:find", "/v1/challenges:find", R"({"profileId":"p2"})", "reader"},
      {"POST", "/v1/ecosystem:analyze", "/v1/ecosystem:analyze", "{}", "reader"},
      {"GET", "/v1/export", "/v1/export", "", "reader"},
      {"GET", "/v1/profiles/{id}/export", "/v1/profiles/p1/export", "", "reader"},
      {"POST", "/v1/keys", "/v1/keys", R"({"role":"reader","label":"x"})", "admin"},
      {"GET", "/v1/keys", "/v1/keys", "", "admin"},
      {"POST", "/v1/keys/{key_id}:revoke", "/v1/keys/KEYID:revoke", "{}", "admin"},
      {"POST", "/v1/tenants", "/v1/tenants", R"({"name":"gamma"})", "operator"},
      {"GET", "/v1/tenants", "/v1/tenants", "", "operator"},
      {"POST", "/v1/tenants/{name}:setSuspended", "/v1/tenants/alpha:setSuspended", R"({"suspended":true})",
       "operator"},
      {"DELETE", "/v1/tenants/{name}", "/v1/tenants/alpha", "", "operator"},
      {"GET", "/v1/health", "/v1/health", "", "anyone"},
  };
}

struct HttpResult {
  int status = 0;
  std::string body;
};

class HttpGatewayTest : public GrpcServerTest {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    ASSERT_NO_FATAL_FAILURE(StartServer([](ServerOptions& options) {
      options.access.enforce = true;
      options.access.operator_key = kOperatorKey;
      options.http.listen = "127.0.0.1:0";
      options.http.max_body_bytes = 64 << 10;
    }));
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->http_port());
    client_->set_read_timeout(10, 0);
    alpha_admin_ = Secret(Call("POST", "/v1/tenants", R"({"name":"alpha"})", kOperatorKey), "adminKey");
    beta_admin_ = Secret(Call("POST", "/v1/tenants", R"({"name":"beta"})", kOperatorKey), "adminKey");
    ASSERT_FALSE(alpha_admin_.empty());
    alpha_reader_ = Secret(Call("POST", "/v1/keys", R"({"role":"reader"})", alpha_admin_), "");
    alpha_writer_ = Secret(Call("POST", "/v1/keys", R"({"role":"writer"})", alpha_admin_), "");
    revoked_ = Secret(Call("POST", "/v1/keys", R"({"role":"admin"})", alpha_admin_), "");
    ASSERT_EQ(Call("POST", absl::StrCat("/v1/keys/", revoked_.substr(3, 12), ":revoke"), "{}", alpha_admin_).status,
              200);
    for (const char* profile :
         {R"({"id":"p1","kind":"smb","name":"Welder","needs":[{"id":"n1","text":"battery cell testing"}]})",
          R"({"id":"p2","kind":"research_institute","name":"Lab","offers":[{"id":"o1","text":"battery cell testing and cycling"}]})"}) {
      ASSERT_EQ(Call("POST", "/v1/profiles", profile, alpha_writer_).status, 200);
    }
  }

  HttpResult Call(const std::string& method, const std::string& path, const std::string& body,
                  const std::string& key) {
    httplib::Headers headers;
    if (!key.empty()) headers.emplace("Authorization", "Bearer " + key);
    httplib::Result result = method == "GET"      ? client_->Get(path, headers)
                             : method == "DELETE" ? client_->Delete(path, headers)
                                                  : client_->Post(path, headers, body, "application/json");
    if (!result) return {};
    return {result->status, result->body};
  }

  // `field` ("adminKey" or "" for the top level) .secret of a JSON reply.
  static std::string Secret(const HttpResult& result, const std::string& field) {
    google::protobuf::Struct reply;
    if (!google::protobuf::util::JsonStringToMessage(result.body, &reply).ok()) return "";
    const google::protobuf::Struct* holder = &reply;
    if (!field.empty()) holder = &reply.fields().at(field).struct_value();
    auto it = holder->fields().find("secret");
    return it == holder->fields().end() ? "" : it->second.string_value();
  }

  std::string Snapshot() {
    std::string text;
    for (const std::string& tenant : {"alpha", "beta"}) {
      absl::StatusOr<ProfilePage> page = server_->catalog().List(tenant, 1000, "");
      if (page.ok()) {
        for (const v1::Profile& profile : page->profiles) absl::StrAppend(&text, profile.ShortDebugString(), "\n");
      }
      absl::StatusOr<std::vector<v1::Interaction>> interactions = server_->catalog().AllInteractions(tenant);
      if (interactions.ok()) {
        for (const v1::Interaction& interaction : *interactions) {
          absl::StrAppend(&text, interaction.ShortDebugString(), "\n");
        }
      }
      for (const v1::ApiKey& key : server_->access().ListKeys(tenant)) absl::StrAppend(&text, key.ShortDebugString());
    }
    for (const v1::RegisteredTenant& tenant : server_->access().RegisteredTenants()) {
      absl::StrAppend(&text, tenant.ShortDebugString(), "\n");
    }
    return text;
  }

  std::string WithKeyId(const std::string& path) {
    std::string result = path;
    const size_t at = result.find("KEYID");
    if (at != std::string::npos) result.replace(at, 5, alpha_reader_.substr(3, 12));
    return result;
  }

  std::unique_ptr<httplib::Client> client_;
  std::string alpha_admin_, alpha_reader_, alpha_writer_, revoked_, beta_admin_;
};

// (method, path) pairs under "paths:" of the OpenAPI YAML.
std::set<std::pair<std::string, std::string>> OpenApiRoutes(const std::string& yaml) {
  std::set<std::pair<std::string, std::string>> routes;
  bool in_paths = false;
  std::string path;
  for (absl::string_view line : absl::StrSplit(yaml, '\n')) {
    if (line == "paths:") {
      in_paths = true;
      continue;
    }
    if (!in_paths) continue;
    if (absl::StartsWith(line, "  /") && absl::EndsWith(line, ":")) {
      path = std::string(line.substr(2, line.size() - 3));
    } else if (absl::StartsWith(line, "    ") && !absl::StartsWith(line, "     ") && absl::EndsWith(line, ":")) {
      std::string method = absl::AsciiStrToUpper(line.substr(4, line.size() - 5));
      routes.emplace(method, path);
    }
  }
  return routes;
}

TEST_F(HttpGatewayTest, TheOpenApiDocumentListsExactlyTheRoutesThatExist) {
  const HttpResult document = Call("GET", "/v1/openapi.yaml", "", "");
  ASSERT_EQ(document.status, 200);
  EXPECT_THAT(document.body, ::testing::StartsWith("openapi: 3.0.3\n"));
  std::set<std::pair<std::string, std::string>> expected;
  for (const ExpectedRoute& route : ExpectedRoutes()) expected.emplace(route.method, route.openapi_path);
  EXPECT_EQ(OpenApiRoutes(document.body), expected);
  // And every one of them is served: no "no route" answer, whatever the key.
  for (const ExpectedRoute& route : ExpectedRoutes()) {
    const HttpResult result = Call(route.method, WithKeyId(route.path), route.body, "");
    EXPECT_THAT(result.body, Not(HasSubstr("no route"))) << route.method << " " << route.path;
    EXPECT_NE(result.status, 0) << route.method << " " << route.path;
  }
  EXPECT_THAT(Call("GET", "/v1/nowhere", "", alpha_admin_).body, HasSubstr("no route GET /v1/nowhere"));
}

TEST_F(HttpGatewayTest, EveryRouteRefusesBadKeysWithTheRightStatusAndChangesNothing) {
  int cases = 0;
  for (const ExpectedRoute& route : ExpectedRoutes()) {
    if (route.needs == "anyone") continue;
    std::vector<std::pair<std::string, int>> refused = {{"", 401}, {"pk_000000000000_" + std::string(64, '0'), 401},
                                                        {revoked_, 401}};
    if (route.needs == "operator") {
      refused.emplace_back(alpha_admin_, 403);
    } else {
      refused.emplace_back(beta_admin_, 403);  // another tenant's key on alpha's data
      refused.emplace_back(kOperatorKey, 403);
      if (route.needs != "reader") refused.emplace_back(alpha_reader_, 403);
      if (route.needs == "admin") refused.emplace_back(alpha_writer_, 403);
    }
    for (const auto& [key, status] : refused) {
      const std::string before = Snapshot();
      std::string path = WithKeyId(route.path);
      // Tenant routes name alpha, so another tenant's key must be refused.
      if (route.needs != "operator") absl::StrAppend(&path, path.find('?') == std::string::npos ? "?" : "&", "tenant=alpha");
      const HttpResult result = Call(route.method, path, route.body, key);
      // A bulk upsert's stream is open to any writer key; an item for a
      // tenant the key cannot reach is refused on its own (code 7).
      if (route.openapi_path == "/v1/profiles:bulkUpsert" && key == beta_admin_) {
        EXPECT_EQ(result.status, 200) << result.body;
        EXPECT_THAT(result.body, HasSubstr(R"("code":7,"message":"tenant: the key belongs to tenant \"beta\")"));
        EXPECT_EQ(Snapshot(), before) << "bulk upsert with beta's key changed something";
        ++cases;
        continue;
      }
      EXPECT_EQ(result.status, status) << route.method << " " << path << " key " << key.substr(0, 10) << ": "
                                       << result.body;
      EXPECT_EQ(Snapshot(), before) << route.method << " " << path << " changed something";
      ++cases;
    }
  }
  // 23 keyed routes x 3 bad keys, plus another tenant's and the operator key
  // on 19 tenant routes (2 each) or a tenant key on 4 operator routes (1
  // each), readers on 9 writes, writers on 4 admin routes.
  EXPECT_EQ(cases, 23 * 3 + 19 * 2 + 4 + 9 + 4);
}

TEST_F(HttpGatewayTest, EveryRouteWorksWithTheRightKey) {
  for (const ExpectedRoute& route : ExpectedRoutes()) {
    std::string key = route.needs == "operator" ? kOperatorKey
                      : route.needs == "reader" ? alpha_reader_
                      : route.needs == "writer" ? alpha_writer_
                                                : alpha_admin_;
    if (route.method == "POST" && route.path == "/v1/keys/KEYID:revoke") key = alpha_admin_;
    const HttpResult result = Call(route.method, WithKeyId(route.path), route.body, key);
    if (route.path == "/v1/ranker:train" || route.path == "/v1/challenges:findSolvers") {
      // Two profiles have too few outcomes to train on, and p1's need is no
      // challenge: both past authorisation.
      EXPECT_EQ(result.status, 400) << result.body;
      EXPECT_THAT(result.body, HasSubstr("FAILED_PRECONDITION"));
    } else {
      EXPECT_EQ(result.status, 200) << route.method << " " << route.path << ": " << result.body;
    }
  }
}

TEST_F(HttpGatewayTest, ExportStreamsTheTenantAsTheLinesOfAnExportFile) {
  ASSERT_EQ(Call("POST", "/v1/interactions", R"({"from_profile_id":"p1","to_profile_id":"p2","type":"contacted"})",
                 alpha_writer_)
                .status,
            200);
  const httplib::Headers headers = {{"Authorization", "Bearer " + alpha_reader_}};
  httplib::Result result = client_->Get("/v1/export", headers);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200) << result->body;
  EXPECT_EQ(result->get_header_value("Content-Type"), "application/x-ndjson");
  const std::vector<std::string> lines = absl::StrSplit(result->body, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 3u) << result->body;
  // The very bytes `pollinator export` writes for the same records.
  for (size_t i = 0; i < 2; ++i) {
    absl::StatusOr<v1::Profile> profile = server_->catalog().Get("alpha", i == 0 ? "p1" : "p2");
    ASSERT_TRUE(profile.ok());
    v1::TransferRecord record;
    *record.mutable_profile() = *profile;
    EXPECT_EQ(lines[i], *TransferRecordJson(record));
  }
  EXPECT_THAT(lines[2], ::testing::StartsWith(R"({"interaction":{"fromProfileId":"p1","toProfileId":"p2",)"
                                              R"("type":"INTERACTION_TYPE_CONTACTED","sequence":"1",)"));
  EXPECT_EQ(result->body.back(), '\n');

  // A tenant without data: an empty body. Errors come as JSON errors.
  result = client_->Get("/v1/export", {{"Authorization", "Bearer " + beta_admin_}});
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(result->body, "");
  const HttpResult refused = Call("GET", "/v1/export?tenant=beta", "", alpha_reader_);
  EXPECT_EQ(refused.status, 403);
  EXPECT_THAT(refused.body, HasSubstr(R"("status":"PERMISSION_DENIED")"));
}

TEST_F(HttpGatewayTest, AnErrorAboutABodyThatIsNotUtf8IsItselfUtf8) {
  for (const std::string body : {std::string("{\"id\":\"caf\xE9\"}"), std::string("{\"id\":\"\xE0\x9C\x9A\"}")}) {
    const HttpResult result = Call("POST", "/v1/profiles", body, alpha_writer_);
    EXPECT_EQ(result.status, 400) << result.body;
    EXPECT_TRUE(IsValidUtf8(result.body)) << result.body;
    EXPECT_THAT(result.body, HasSubstr("INVALID_ARGUMENT"));
  }
}

TEST_F(HttpGatewayTest, TheRequestIdIsPassedThroughOrMadeUp) {
  httplib::Result given =
      client_->Get("/v1/profiles/p1", {{"Authorization", "Bearer " + alpha_reader_}, {"X-Request-Id", "portal-9"}});
  ASSERT_TRUE(given);
  EXPECT_EQ(given->status, 200);
  EXPECT_EQ(given->get_header_value("X-Request-Id"), "portal-9");
  // Errors carry one too, made up when the client sent none.
  httplib::Result made = client_->Get("/v1/profiles/nobody", {{"Authorization", "Bearer " + alpha_reader_}});
  ASSERT_TRUE(made);
  EXPECT_EQ(made->status, 404);
  EXPECT_EQ(made->get_header_value("X-Request-Id").size(), 16u);
}

TEST_F(HttpGatewayTest, ProfileExportStreamsOneProfilesRecords) {
  ASSERT_EQ(Call("POST", "/v1/interactions", R"({"from_profile_id":"p1","to_profile_id":"p2","type":"contacted"})",
                 alpha_writer_)
                .status,
            200);
  const HttpResult result = Call("GET", "/v1/profiles/p2/export", "", alpha_reader_);
  EXPECT_EQ(result.status, 200) << result.body;
  const std::vector<std::string> lines = absl::StrSplit(result.body, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 2u) << result.body;
  EXPECT_THAT(lines[0], ::testing::StartsWith(R"({"profile":{"id":"p2",)"));
  EXPECT_THAT(lines[1], ::testing::StartsWith(R"({"interaction":{"fromProfileId":"p1","toProfileId":"p2",)"));
  const HttpResult missing = Call("GET", "/v1/profiles/nobody/export", "", alpha_reader_);
  EXPECT_EQ(missing.status, 404) << missing.body;
  EXPECT_THAT(missing.body, HasSubstr("NOT_FOUND"));
}

TEST_F(HttpGatewayTest, JsonAcceptsBothCasingsAndShortEnumsAndAnswersInCamelCase) {
  const HttpResult created = Call(
      "POST", "/v1/profiles",
      R"({"id":"p5","kind":"Research_Institute","name":"Inst","offers":[{"id":"o1","text":"battery cell cycling","component":"technology_infrastructure"}],"location":{"country":"DE"}})",
      alpha_writer_);
  ASSERT_EQ(created.status, 200) << created.body;
  EXPECT_EQ(created.body, R"({"created":true})");
  const HttpResult got = Call("GET", "/v1/profiles/p5", "", alpha_reader_);
  EXPECT_THAT(got.body, HasSubstr(R"("kind":"PROFILE_KIND_RESEARCH_INSTITUTE")"));
  EXPECT_THAT(got.body, HasSubstr(R"("component":"COMPONENT_TECHNOLOGY_INFRASTRUCTURE")"));

  const HttpResult matched = Call("POST", "/v1/profiles:match", R"({"profileId":"p1","top_k":2,"filters":{"kinds":["research_institute"]}})",
                                  alpha_reader_);
  ASSERT_EQ(matched.status, 200) << matched.body;
  EXPECT_THAT(matched.body, HasSubstr(R"("suggestions":[)"));
  EXPECT_THAT(matched.body, HasSubstr(R"("rankedBy":"rules")"));
  EXPECT_THAT(matched.body, HasSubstr(R"("pairRelevance")"));
}

TEST_F(HttpGatewayTest, ErrorsMapToHttpStatusesWithTheFieldNamed) {
  HttpResult result = Call("POST", "/v1/profiles", R"({"id":"x","kind":"smb","name":"X","needs":[{"id":"n1","text":""}]})",
                           alpha_writer_);
  EXPECT_EQ(result.status, 400);
  EXPECT_THAT(result.body, HasSubstr(R"("status":"INVALID_ARGUMENT")"));
  EXPECT_THAT(result.body, HasSubstr("needs[0].text"));

  result = Call("POST", "/v1/profiles", R"({"id":"x","kind":"smb","colour":"red"})", alpha_writer_);
  EXPECT_EQ(result.status, 400);
  EXPECT_THAT(result.body, HasSubstr("colour"));
  result = Call("POST", "/v1/profiles", "{not json", alpha_writer_);
  EXPECT_EQ(result.status, 400);
  EXPECT_THAT(result.body, HasSubstr("not valid JSON"));
  result = Call("GET", "/v1/profiles?page_size=many", "", alpha_reader_);
  EXPECT_EQ(result.status, 400);
  EXPECT_THAT(result.body, HasSubstr("page_size"));
  result = Call("GET", "/v1/profiles?colour=red", "", alpha_reader_);
  EXPECT_EQ(result.status, 400);
  EXPECT_THAT(result.body, HasSubstr("query parameter \\\"colour\\\""));

  result = Call("GET", "/v1/profiles/nobody", "", alpha_reader_);
  EXPECT_EQ(result.status, 404);
  EXPECT_THAT(result.body, HasSubstr(R"("code":404)"));
  result = Call("POST", "/v1/tenants", R"({"name":"alpha"})", kOperatorKey);
  EXPECT_EQ(result.status, 409);
  result = Call("POST", "/v1/profiles:match", R"({"profile_id":"p2"})", alpha_reader_);  // p2 has no needs
  EXPECT_EQ(result.status, 400);
  EXPECT_THAT(result.body, HasSubstr("FAILED_PRECONDITION"));
}

TEST_F(HttpGatewayTest, AnAuthorizationHeaderGrpcCannotCarryIs401AndTheServerLivesOn) {
  for (const char* value : {"Bearer%0Aabc", "Bearer%00abc", "Bearer%C3%A9"}) {
    httplib::Headers headers = {{"Authorization", value}};
    httplib::Result result = client_->Get("/v1/profiles", headers);
    ASSERT_TRUE(result) << value;
    EXPECT_EQ(result->status, 401) << value;
  }
  EXPECT_EQ(Call("GET", "/v1/health", "", "").status, 200);
  EXPECT_EQ(Call("GET", "/v1/profiles/p1", "", alpha_reader_).status, 200);
}

TEST_F(HttpGatewayTest, APathParameterWinsOverTheSameFieldInTheBodyOrQuery) {
  // Were the query's "ghost" used, the answer would be 404.
  const HttpResult result = Call("GET", "/v1/profiles/p1/interactions?profileId=ghost", "", alpha_reader_);
  EXPECT_EQ(result.status, 200) << result.body;
  EXPECT_EQ(result.body, "{}");  // p1 exists and has no interactions yet
  const HttpResult body = Call("POST", "/v1/keys/000000000000:revoke", R"({"keyId":")" + alpha_reader_.substr(3, 12) + R"("})",
                               alpha_admin_);
  EXPECT_EQ(body.status, 404) << body.body;  // the path's key id, which does not exist
  EXPECT_EQ(Call("GET", "/v1/profiles", "", alpha_reader_).status, 200);  // the reader key still works
}

TEST_F(HttpGatewayTest, TheStaffConsoleIsServedWithoutAKeyAndIsNoApiRoute) {
  httplib::Result page = client_->Get("/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_THAT(page->body, HasSubstr("<title>Pollinator staff console</title>"));
  EXPECT_THAT(page->get_header_value("Content-Security-Policy"), HasSubstr("script-src 'self'"));
  for (const auto& [path, type] : std::vector<std::pair<std::string, std::string>>{
           {"/console/console.js", "text/javascript; charset=utf-8"},
           {"/console/api.js", "text/javascript; charset=utf-8"},
           {"/console/console.css", "text/css; charset=utf-8"}}) {
    httplib::Result asset = client_->Get(path);
    ASSERT_TRUE(asset) << path;
    EXPECT_EQ(asset->status, 200) << path;
    EXPECT_EQ(asset->get_header_value("Content-Type"), type) << path;
    EXPECT_FALSE(asset->body.empty()) << path;
  }
  // Only the embedded files: no file system behind the paths.
  EXPECT_THAT(Call("GET", "/console/../CMakeLists.txt", "", "").body, HasSubstr("no route"));
  EXPECT_THAT(Call("GET", "/console/consoleXjs", "", "").body, HasSubstr("no route"));
}

TEST_F(HttpGatewayTest, OversizedBodiesGet413BeforeAnythingIsParsed) {
  const std::string before = Snapshot();
  const std::string huge = absl::StrCat(R"({"id":"big","kind":"smb","name":")", std::string(70 << 10, 'a'), R"("})");
  const HttpResult result = Call("POST", "/v1/profiles", huge, alpha_writer_);
  EXPECT_EQ(result.status, 413);
  EXPECT_THAT(result.body, HasSubstr("larger than 65536 bytes"));
  EXPECT_EQ(Snapshot(), before);
}

TEST_F(HttpGatewayTest, BulkUpsertReportsBadItemsAndKeepsGoodOnes) {
  const HttpResult result = Call(
      "POST", "/v1/profiles:bulkUpsert",
      R"({"requests":[{"profile":{"id":"b1","kind":"smb","name":"B","offers":[{"id":"o1","text":"welding"}]}},{"profile":{"id":""}}]})",
      alpha_writer_);
  ASSERT_EQ(result.status, 200) << result.body;
  EXPECT_THAT(result.body, HasSubstr(R"("received":"2","upserted":"1")"));
  EXPECT_THAT(result.body, HasSubstr(R"("message":"id: empty")"));
  EXPECT_EQ(Call("GET", "/v1/profiles/b1", "", alpha_reader_).status, 200);
  EXPECT_EQ(Call("POST", "/v1/profiles:bulkUpsert", R"({"profiles":[]})", alpha_writer_).status, 400);
}

}  // namespace
}  // namespace pollinator::testing
