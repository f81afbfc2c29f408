// `pollinator import` and `pollinator export` end to end: the CLI's commands
// over its gRPC client against a real server (RocksDB in a temporary
// folder). An export imported into an empty tenant exports to the same
// bytes, interactions and deleted profiles' history included; the sample
// CSV and a CORDIS-layout folder import as documented.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "tests/testing/cordis_fixture.h"
#include "tests/testing/grpc_matchers.h"
#include "tests/testing/grpc_server_fixture.h"
#include "tests/testing/profiles.h"
#include "tools/cli/commands.h"
#include "tools/cli/grpc_pollinator_client.h"
#include "tools/cli/invocation.h"

namespace pollinator::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

std::string ReadFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

class TransferRoundTripTest : public GrpcServerTest {
 protected:
  void SetUp() override {
    GrpcServerTest::SetUp();
    client_ =
        std::make_unique<GrpcPollinatorClient>(channel_, absl::Seconds(60));
  }

  // Runs `pollinator --tenant=TENANT <positional>` with `flags`; stdout and
  // stderr land in out_ and err_.
  absl::Status Cli(const std::string& tenant,
                   const std::vector<std::string>& positional,
                   FlagValues flags = {}) {
    out_.str("");
    err_.str("");
    flags.tenant = tenant;
    absl::StatusOr<Invocation> invocation = ParseInvocation(positional, flags);
    if (!invocation.ok()) return invocation.status();
    return RunInvocation(*invocation, *client_, io_);
  }

  absl::Status Export(const std::string& tenant, const std::string& path) {
    FlagValues flags;
    flags.output = path;
    return Cli(tenant, {"export"}, flags);
  }

  void Interact(const std::string& tenant, const std::string& from,
                const std::string& to, v1::InteractionType type,
                const std::string& note = "") {
    v1::Interaction interaction;
    interaction.set_from_profile_id(from);
    interaction.set_to_profile_id(to);
    interaction.set_type(type);
    if (type == v1::INTERACTION_TYPE_DECLINED)
      interaction.set_decline_reason(v1::DECLINE_REASON_NO_CAPACITY);
    interaction.set_note(note);
    ASSERT_THAT(RecordInteraction(tenant, interaction), GrpcOk());
  }

  std::unique_ptr<GrpcPollinatorClient> client_;
  TempDir files_;
  std::istringstream stdin_;
  std::ostringstream out_;
  std::ostringstream err_;
  CommandIo io_{stdin_, out_, err_, [] { return absl::Now(); }};
};

TEST_F(TransferRoundTripTest,
       AnExportImportedIntoAnEmptyTenantExportsTheSameBytes) {
  ASSERT_THAT(Cli("source", {"import", std::string(POLLINATOR_SOURCE_DIR) +
                                           "/data/samples/ecosystem.jsonl"}),
              IsOk());
  const std::string asker = "smb-de-lindenau-battery-systems";
  Interact("source", asker, "inst-de-saxon-electrochemical-storage",
           v1::INTERACTION_TYPE_SHOWN);
  Interact("source", asker, "inst-de-saxon-electrochemical-storage",
           v1::INTERACTION_TYPE_CONTACTED,
           "Met at the \"battery day\", follow up in Q3 – ünïcode too");
  Interact("source", "inst-de-saxon-electrochemical-storage", asker,
           v1::INTERACTION_TYPE_ACCEPTED);
  Interact("source", asker, "uni-de-tu-elbtal", v1::INTERACTION_TYPE_DECLINED);
  Interact("source", asker, "svc-de-erzgebirge-battery-lab",
           v1::INTERACTION_TYPE_COLLABORATED);
  // A deleted profile takes its history with it: the export carries
  // neither.
  ASSERT_THAT(Delete("source", "svc-de-erzgebirge-battery-lab"), GrpcOk());
  // A client-vector tenant keeps its floats exactly (a negative zero is
  // written as 0, which it equals).
  v1::Profile with_vector =
      MakeProfile("v1", v1::PROFILE_KIND_SMB, {"laser welding"}, {});
  for (float value : {0.1f, -1.0f / 3, 2.5e-7f, 12345.678f})
    with_vector.mutable_needs(0)->add_vector(value);
  with_vector.mutable_location()->set_lat(0.1 + 0.2);
  with_vector.mutable_location()->set_lon(-0.0);
  ASSERT_THAT(Upsert("vectors", with_vector), GrpcOk());

  for (const std::string tenant : {"source", "vectors"}) {
    const std::string first = files_.Sub(tenant + "-1.jsonl");
    const std::string second = files_.Sub(tenant + "-2.jsonl");
    ASSERT_THAT(Export(tenant, first), IsOk());
    if (tenant == "source")
      EXPECT_EQ(err_.str(), "export: 169 profiles, 4 interactions\n");
    ASSERT_THAT(Cli(tenant + "-copy", {"import", first}), IsOk()) << out_.str();
    ASSERT_THAT(Export(tenant + "-copy", second), IsOk());
    const std::string original = ReadFile(first);
    ASSERT_FALSE(original.empty());
    EXPECT_EQ(ReadFile(second), original) << tenant;
  }

  const std::vector<std::string> lines = absl::StrSplit(
      ReadFile(files_.Sub("source-1.jsonl")), '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 169u + 4u);
  for (const std::string& line : lines) EXPECT_THAT(line, Not(HasSubstr("svc-de-erzgebirge-battery-lab")));
  EXPECT_THAT(lines[0], StartsWith(R"({"profile":{"id":"accel-)"));
  EXPECT_THAT(
      lines[169],
      StartsWith(
          R"({"interaction":{"fromProfileId":"smb-de-lindenau-battery-systems",)"));
  EXPECT_THAT(lines[169], HasSubstr(R"("sequence":"1","recordedAtUnixMs":")"));

  // The copy is the tenant, not just its file: the same profile and
  // history, and new interactions follow the last one exported (the
  // deleted collaboration was the source's fifth).
  v1::Profile original, copied;
  ASSERT_THAT(Get("source", asker, &original), GrpcOk());
  ASSERT_THAT(Get("source-copy", asker, &copied), GrpcOk());
  EXPECT_EQ(copied.SerializeAsString(), original.SerializeAsString());
  v1::Interaction next;
  v1::Interaction shown;
  shown.set_from_profile_id(asker);
  shown.set_to_profile_id("uni-de-tu-elbtal");
  shown.set_type(v1::INTERACTION_TYPE_SHOWN);
  ASSERT_THAT(RecordInteraction("source-copy", shown, &next), GrpcOk());
  EXPECT_EQ(next.sequence(), 5);
}

TEST_F(TransferRoundTripTest, ImportingAnExportAgainChangesNothingButADifferentHistoryIsRefused) {
  ASSERT_THAT(Upsert("t", MakeProfile("a", v1::PROFILE_KIND_SMB,
                                      {"laser welding"}, {})),
              GrpcOk());
  ASSERT_THAT(Upsert("t", MakeProfile("b", v1::PROFILE_KIND_UNIVERSITY, {},
                                      {"welding lab"})),
              GrpcOk());
  Interact("t", "a", "b", v1::INTERACTION_TYPE_CONTACTED);
  const std::string path = files_.Sub("t.jsonl");
  ASSERT_THAT(Export("t", path), IsOk());
  // A re-run (say, after a lost reply) is safe: nothing is stored twice.
  ASSERT_THAT(Cli("t", {"import", path}), IsOk()) << out_.str();
  const std::string again = files_.Sub("again.jsonl");
  ASSERT_THAT(Export("t", again), IsOk());
  EXPECT_EQ(ReadFile(again), ReadFile(path));

  // Another tenant's history with the same sequence is not this one's.
  ASSERT_THAT(Upsert("u", MakeProfile("a", v1::PROFILE_KIND_SMB,
                                      {"laser welding"}, {})),
              GrpcOk());
  ASSERT_THAT(Upsert("u", MakeProfile("b", v1::PROFILE_KIND_UNIVERSITY, {},
                                      {"welding lab"})),
              GrpcOk());
  Interact("u", "b", "a", v1::INTERACTION_TYPE_SHOWN);
  const absl::Status other = Cli("u", {"import", path});
  EXPECT_EQ(other.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(other.message(),
              HasSubstr("is not after the tenant's last interaction (1)"));
  EXPECT_THAT(out_.str(), HasSubstr("acknowledged through line 2;"));
}

TEST_F(TransferRoundTripTest, TheSampleCsvImportsAsDocumented) {
  ASSERT_THAT(Cli("staff", {"import", std::string(POLLINATOR_SOURCE_DIR) +
                                          "/data/samples/profiles.csv"}),
              IsOk())
      << out_.str();
  EXPECT_EQ(out_.str(), "import: 7 lines read, 4 upserted, 0 errors\n");
  v1::Profile corp;
  ASSERT_THAT(Get("staff", "corp-de-saale-chemicals", &corp), GrpcOk());
  ASSERT_EQ(corp.needs_size(), 1);
  EXPECT_EQ(corp.needs(0).challenge().deadline().year(), 2027);
  EXPECT_EQ(corp.needs(0).challenge().solver_kinds_size(), 3);
  v1::Profile university;
  ASSERT_THAT(Get("staff", "uni-de-tu-elbtal", &university), GrpcOk());
  EXPECT_EQ(university.offers_size(), 2);
  EXPECT_EQ(university.completed_projects(), 38);
}

TEST_F(TransferRoundTripTest, ACsvWithBadCellsImportsTheRestAndNamesEachCell) {
  const std::string path = files_.Sub("staff.csv");
  WriteFile(path,
            "profile_id,kind,name,side,item_id,text,expires\n"
            "p1,smb,One,need,n1,laser welding,\n"
            "p2,unicorn,Two,need,n1,cutting,2024-13-01\n"
            "p3,university,Three,offer,o1,welding lab,\n");
  const absl::Status status = Cli("t", {"import", path});
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(out_.str(),
              HasSubstr("import: 3 lines read, 2 upserted, 2 errors\n"
                        "line 3, column kind (id p2): INVALID_ARGUMENT: "
                        "unknown kind \"unicorn\";"));
  EXPECT_THAT(out_.str(), HasSubstr("line 3, column expires (id p2): "
                                    "INVALID_ARGUMENT: \"2024-13-01\" is not a "
                                    "calendar date\n"));
  EXPECT_THAT(Get("t", "p3"), GrpcOk());
  EXPECT_THAT(Get("t", "p2"),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("p2")));
}

TEST_F(TransferRoundTripTest, ACordisFolderImportsOneProfilePerOrganisation) {
  TempDir cordis;
  WriteCordisFixture(cordis.path());
  FlagValues flags;
  flags.format = "cordis";
  ASSERT_THAT(Cli("cordis", {"import", cordis.path()}, flags), IsOk())
      << out_.str();
  EXPECT_EQ(out_.str(), "import: 5 lines read, 5 upserted, 0 errors\n");
  EXPECT_THAT(
      err_.str(),
      HasSubstr("cordis: 5 organisations, 4 projects, 8 participations"));
  v1::Profile sme;
  ASSERT_THAT(Get("cordis", "org-100", &sme), GrpcOk());
  EXPECT_EQ(sme.kind(), v1::PROFILE_KIND_SMB);
  EXPECT_EQ(sme.offers_size(), 3);

  std::filesystem::remove(cordis.Sub("organisations.csv"));
  const absl::Status missing = Cli("cordis", {"import", cordis.path()}, flags);
  EXPECT_EQ(missing.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(missing.message(), HasSubstr("no organisations.csv"));
}

}  // namespace
}  // namespace pollinator::testing
