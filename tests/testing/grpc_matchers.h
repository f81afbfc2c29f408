// gMock matchers for grpc::Status:
//   EXPECT_THAT(stub->GetProfile(&context, request, &profile), GrpcOk());
//   EXPECT_THAT(status, GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr("top_k")));
#ifndef POLLINATOR_TESTS_TESTING_GRPC_MATCHERS_H_
#define POLLINATOR_TESTS_TESTING_GRPC_MATCHERS_H_

#include <gmock/gmock.h>
#include <grpcpp/support/status.h>

namespace pollinator::testing {

MATCHER(GrpcOk, "is OK") {
  *result_listener << "status is " << arg.error_code() << ": " << arg.error_message();
  return arg.ok();
}

// The exact code, and a message matching `message_matcher` (usually the
// field name).
MATCHER_P2(GrpcStatusIs, code, message_matcher,
           "has code " + ::testing::PrintToString(static_cast<int>(code))) {
  *result_listener << "status is " << arg.error_code() << ": " << arg.error_message();
  return arg.error_code() == code && ::testing::Matches(message_matcher)(arg.error_message());
}

}  // namespace pollinator::testing

#endif  // POLLINATOR_TESTS_TESTING_GRPC_MATCHERS_H_
