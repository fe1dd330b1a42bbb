#define BOOST_TEST_MODULE mynasim unit tests
#include <boost/test/unit_test.hpp>
