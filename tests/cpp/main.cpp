// Entry point of the core test suite; the tests live in test_*.cpp.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
