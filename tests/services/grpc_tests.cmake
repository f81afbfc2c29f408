# In-process gRPC end-to-end tests: a real PollinatorServer per test (fresh
# temporary data_dir, port 0) driven through stubs on InProcessChannel().
# Included from tests/services/CMakeLists.txt. Paths use
# CMAKE_CURRENT_LIST_DIR, the folder of this file, so the targets resolve the
# same wherever the file is included from.

# Every RPC of ProfileService and MatchService with its success path and
# error codes, plus health checking.
add_executable(grpc_end_to_end_test ${CMAKE_CURRENT_LIST_DIR}/grpc_end_to_end_test.cc)
target_link_libraries(grpc_end_to_end_test PRIVATE
  pollinator::services
  pollinator::health_proto
  pollinator_testing
  absl::time
  GTest::gmock
  GTest::gtest_main
)
gtest_discover_tests(grpc_end_to_end_test)

# No RPC lets one tenant see, change or match another tenant's profiles.
add_executable(tenant_isolation_test ${CMAKE_CURRENT_LIST_DIR}/tenant_isolation_test.cc)
target_link_libraries(tenant_isolation_test PRIVATE
  pollinator::services
  pollinator_testing
  absl::time
  GTest::gmock
  GTest::gtest_main
)
gtest_discover_tests(tenant_isolation_test)
