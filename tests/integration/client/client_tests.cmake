# The parley client's tests (include()d by tests/integration/CMakeLists.txt):
# its pure parts, and the real binary in script mode against a peer socket
# the test itself accepts on. They need no parleyd.
add_executable(parley_client_test
  ${CMAKE_CURRENT_LIST_DIR}/client_process.cpp
  ${CMAKE_CURRENT_LIST_DIR}/client_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/peer_socket.cpp
  ${CMAKE_CURRENT_LIST_DIR}/terminal_text_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/client_secret_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/chat_state_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/terminal_session_test.cpp
)
target_link_libraries(parley_client_test PRIVATE parley_client GTest::gtest_main util)  # util: forkpty
target_compile_definitions(parley_client_test PRIVATE PARLEY_CLIENT_BIN="$<TARGET_FILE:parley>")
# Building the test builds the client it runs.
add_dependencies(parley_client_test parley)
# One label only: CMake 3.25's gtest_discover_tests splits a list-valued
# property ("integration;client") into separate words, which drops it and
# every property after it.
gtest_discover_tests(parley_client_test
  DISCOVERY_MODE PRE_TEST
  PROPERTIES LABELS integration TIMEOUT 60)

# The client against the real server.
if(TARGET parleyd AND TARGET parley_test_support)
  add_executable(parley_client_server_test
    ${CMAKE_CURRENT_LIST_DIR}/client_process.cpp
    ${CMAKE_CURRENT_LIST_DIR}/peer_socket.cpp
    ${CMAKE_CURRENT_LIST_DIR}/client_server_test.cpp
  )
  target_include_directories(parley_client_server_test PRIVATE ${CMAKE_CURRENT_LIST_DIR})
  target_link_libraries(parley_client_server_test PRIVATE parley_client parley_test_support GTest::gtest_main)
  target_compile_definitions(parley_client_server_test PRIVATE PARLEY_CLIENT_BIN="$<TARGET_FILE:parley>")
  add_dependencies(parley_client_server_test parley parleyd)
  gtest_discover_tests(parley_client_server_test DISCOVERY_MODE PRE_TEST PROPERTIES LABELS integration TIMEOUT 60)
endif()
