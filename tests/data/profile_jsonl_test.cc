#include "data/profile_jsonl.h"

#include <cmath>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/testing/status_matchers.h"

namespace pollinator {
namespace {

using ::pollinator::testing::IsOk;
using ::pollinator::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

std::vector<JsonlLine> ReadAll(const std::string& text, int64_t* last_line = nullptr) {
  std::istringstream input(text);
  JsonlProfileReader reader(&input);
  std::vector<JsonlLine> lines;
  JsonlLine line;
  while (reader.Next(&line)) lines.push_back(line);
  EXPECT_THAT(reader.status(), IsOk());
  if (last_line != nullptr) *last_line = reader.line_number();
  return lines;
}

TEST(JsonlProfileReaderTest, SkipsBlankLinesButCountsThem) {
  int64_t last_line = 0;
  std::vector<JsonlLine> lines = ReadAll("{\"id\":\"a\"}\n\n   \n{\"id\":\"b\"}\n\n", &last_line);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].number, 1);
  EXPECT_EQ(lines[0].profile->id(), "a");
  EXPECT_EQ(lines[1].number, 4);
  EXPECT_EQ(lines[1].profile->id(), "b");
  EXPECT_EQ(last_line, 5);
}

TEST(JsonlProfileReaderTest, ReportsBadLinesByNumberAndContinues) {
  std::vector<JsonlLine> lines = ReadAll(
      "{\"id\":\"a\"}\n{\"id\":\n{\"id\":\"c\",\"colour\":1}\n"
      R"({"id":"d","kind":"PROFILE_KIND_NOT_A_KIND"})"
      "\n{\"id\":\"e\"}\n");
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_THAT(lines[0].profile, IsOk());
  EXPECT_EQ(lines[1].number, 2);
  EXPECT_THAT(lines[1].profile,
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not a pollinator.v1.Profile")));
  EXPECT_EQ(lines[2].number, 3);
  EXPECT_THAT(lines[2].profile, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("colour")));
  EXPECT_THAT(lines[3].profile, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(lines[4].profile->id(), "e");
}

TEST(JsonlProfileReaderTest, HandlesCrlfBomAndMissingFinalNewline) {
  std::vector<JsonlLine> lines = ReadAll("\xEF\xBB\xBF{\"id\":\"a\"}\r\n\r\n{\"id\":\"b\"}");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].profile->id(), "a");
  EXPECT_EQ(lines[1].number, 3);
  EXPECT_EQ(lines[1].profile->id(), "b");
}

TEST(JsonlProfileReaderTest, EmptyInput) {
  int64_t last_line = -1;
  EXPECT_TRUE(ReadAll("", &last_line).empty());
  EXPECT_EQ(last_line, 0);
}

TEST(ParseProfileJsonTest, AcceptsProtoAndCamelCaseFieldNames) {
  auto profile = ParseProfileJson(R"({"id":"x","description_vector":[1.5],"needs":[{"text":"LiDAR"}]})");
  ASSERT_THAT(profile, IsOk());
  ASSERT_EQ(profile->description_vector_size(), 1);
  EXPECT_EQ(profile->description_vector(0), 1.5f);
  EXPECT_EQ(profile->needs(0).text(), "LiDAR");
  EXPECT_THAT(ParseProfileJson(R"({"id":"x","descriptionVector":[2]})"), IsOk());
}

TEST(ParseProfileJsonTest, ErrorsAreOneLineWithAShortExcerpt) {
  auto broken = ParseProfileJson(R"({"id": tru})");
  EXPECT_THAT(broken, StatusIs(absl::StatusCode::kInvalidArgument,
                               "not a pollinator.v1.Profile: Unexpected token. near \"tru}\""));
  auto long_line = ParseProfileJson("{\"id\": " + std::string(100, 'x') + "}");
  const std::string message(long_line.status().message());
  EXPECT_THAT(message, StartsWith("not a pollinator.v1.Profile: Unexpected token. near \""));
  EXPECT_THAT(message, Not(HasSubstr("\n")));
  EXPECT_LT(message.size(), 110u);
}

TEST(ParseTransferJsonTest, ReadsTaggedRecordsAndPlainProfiles) {
  auto profile = ParseTransferJson(R"({"profile":{"id":"a","kind":"PROFILE_KIND_SMB"}})");
  ASSERT_THAT(profile, IsOk());
  EXPECT_EQ(profile->profile().id(), "a");
  auto interaction = ParseTransferJson(
      R"({"interaction":{"fromProfileId":"a","toProfileId":"b","type":"INTERACTION_TYPE_SHOWN","sequence":"7",)"
      R"("recordedAtUnixMs":"1700000000000"}})");
  ASSERT_THAT(interaction, IsOk());
  EXPECT_EQ(interaction->interaction().sequence(), 7);
  EXPECT_EQ(interaction->interaction().recorded_at_unix_ms(), 1700000000000);
  // The format before exports: one Profile object per line.
  auto plain = ParseTransferJson(R"({"id":"b","name":"B"})");
  ASSERT_THAT(plain, IsOk());
  EXPECT_EQ(plain->profile().name(), "B");
}

TEST(ParseTransferJsonTest, ErrorsNameTheShapeOfTheLine) {
  EXPECT_THAT(ParseTransferJson(R"({"interaction":{"colour":1}})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not a pollinator.v1.TransferRecord")));
  // Two keys: not a record, so it is read as a Profile, which has neither.
  EXPECT_THAT(ParseTransferJson(R"({"profile":{},"interaction":{}})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not a pollinator.v1.Profile")));
  EXPECT_THAT(ParseTransferJson("{not json"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not a pollinator.v1.Profile")));
}

TEST(TransferRecordJsonTest, WritesWhatParseReadsBackToTheSameBytes) {
  v1::TransferRecord record;
  v1::Profile* profile = record.mutable_profile();
  profile->set_id("p");
  profile->set_kind(v1::PROFILE_KIND_UNIVERSITY);
  profile->mutable_location()->set_lat(0.1 + 0.2);  // not a short decimal
  profile->mutable_location()->set_lon(0);          // set, though zero
  profile->add_needs()->add_vector(1.0f / 3);
  absl::StatusOr<std::string> line = TransferRecordJson(record);
  ASSERT_THAT(line, IsOk());
  EXPECT_THAT(*line, StartsWith(R"({"profile":{"id":"p","kind":"PROFILE_KIND_UNIVERSITY")"));
  EXPECT_THAT(*line, Not(HasSubstr("\n")));
  absl::StatusOr<v1::TransferRecord> back = ParseTransferJson(*line);
  ASSERT_THAT(back, IsOk());
  EXPECT_EQ(back->SerializeAsString(), record.SerializeAsString());
  EXPECT_EQ(*TransferRecordJson(*back), *line);
}

TEST(TransferRecordJsonTest, WritesNegativeZeroAsZeroSoThatItReadsBackTheSame) {
  v1::TransferRecord record;
  record.mutable_profile()->mutable_location()->set_lon(-0.0);
  record.mutable_profile()->add_offers()->add_vector(-0.0f);
  absl::StatusOr<std::string> line = TransferRecordJson(record);
  ASSERT_THAT(line, IsOk());
  EXPECT_EQ(*line, R"({"profile":{"location":{"lon":0},"offers":[{"vector":[0]}]}})");
  EXPECT_EQ(*TransferRecordJson(*ParseTransferJson(*line)), *line);
  EXPECT_TRUE(std::signbit(record.profile().location().lon()));  // the caller's record is left alone
}

TEST(JsonlRecordReaderTest, NumbersLinesAndReadsBothShapes) {
  std::istringstream input("{\"id\":\"a\"}\n\n{\"interaction\":{\"sequence\":\"1\"}}\nbad\n");
  JsonlRecordReader reader(&input);
  JsonlRecordLine line;
  ASSERT_TRUE(reader.Next(&line));
  EXPECT_EQ(line.record->profile().id(), "a");
  ASSERT_TRUE(reader.Next(&line));
  EXPECT_EQ(line.number, 3);
  EXPECT_TRUE(line.record->has_interaction());
  ASSERT_TRUE(reader.Next(&line));
  EXPECT_THAT(line.record, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_FALSE(reader.Next(&line));
  EXPECT_EQ(reader.line_number(), 4);
  EXPECT_THAT(reader.status(), IsOk());
}

}  // namespace
}  // namespace pollinator
