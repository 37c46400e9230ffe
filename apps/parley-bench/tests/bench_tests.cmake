# parley-bench's tests (include()d by tests/CMakeLists.txt): the protocol
# parsers (label `unit`), and a smoke run against a real parleyd (label `bench`).
add_executable(parley_bench_unit_tests
  ${CMAKE_CURRENT_LIST_DIR}/resp_reader_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/seed_stream_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/irc_wire_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/payload_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/proc_stats_test.cpp
)
target_link_libraries(parley_bench_unit_tests PRIVATE parley_bench_lib GTest::gtest_main)
gtest_discover_tests(parley_bench_unit_tests
  DISCOVERY_MODE PRE_TEST
  PROPERTIES LABELS unit
)

# IRC fan-out for about a second through bench/run-scenario.sh (a fresh
# parleyd on free ports); passes when parley-bench exits 0: every message
# reached every other member, in order.
if(TARGET parleyd)
  add_test(NAME bench_smoke_irc_fanout
    COMMAND bash ${PROJECT_SOURCE_DIR}/bench/run-scenario.sh ${CMAKE_BINARY_DIR} fanout
            --proto irc --clients 8 --senders 3 --window 4 --size 64
            --warmup 0.2 --duration 1 --connect-rate 0 --time-limit 30)
  set_tests_properties(bench_smoke_irc_fanout PROPERTIES LABELS bench TIMEOUT 60)
endif()
