// The server's journal: bounded, newest kept, oldest first in answers, filtered by tag, bodies cut.
#include <boost/test/unit_test.hpp>

#include <string>

#include "onshi/adapters/journal.hpp"

using namespace mynasim;

BOOST_AUTO_TEST_SUITE(test_onshi_journal)

BOOST_AUTO_TEST_CASE(keeps_the_newest_entries_in_order) {
    onshi::Journal journal;
    BOOST_TEST(journal.query("", 10).empty());
    const std::size_t total = onshi::Journal::capacity * 2 + 7;  // wraps the ring twice and a bit
    for (std::size_t i = 0; i < total; ++i)
        journal.record(mynasim::default_reference_time + static_cast<mynasim::UnixTime>(i), i % 3 ? "" : "tag-" + std::to_string(i % 2),
                       "/v2/confirmations", 200, "request " + std::to_string(i), "answer " + std::to_string(i),
                       i == total - 1 ? "latency 5 ms" : "");
    const auto all = journal.query("", onshi::Journal::capacity + 100);
    BOOST_REQUIRE(all.size() == onshi::Journal::capacity);
    BOOST_TEST(all.front()["request"] == "request " + std::to_string(total - onshi::Journal::capacity));
    BOOST_TEST(all.back()["request"] == "request " + std::to_string(total - 1));
    BOOST_TEST(all.back()["response"] == "answer " + std::to_string(total - 1));
    BOOST_TEST(all.back()["fault"] == "latency 5 ms");
    BOOST_TEST(!all.front().contains("fault"));
    BOOST_TEST(all.back()["at"] == mynasim::format_time(mynasim::default_reference_time + static_cast<mynasim::UnixTime>(total - 1)));
    for (std::size_t i = 1; i < all.size(); ++i) BOOST_TEST(all[i - 1]["at"].get<std::string>() < all[i]["at"].get<std::string>());

    const auto last_three = journal.query("", 3);
    BOOST_REQUIRE(last_three.size() == 3u);
    BOOST_TEST(last_three[0]["request"] == "request " + std::to_string(total - 3));
    const auto tagged = journal.query("tag-0", 5);  // i % 3 == 0 and i even: every sixth
    BOOST_REQUIRE(tagged.size() == 5u);
    for (const auto& entry : tagged) BOOST_TEST(std::stoul(entry["request"].get<std::string>().substr(8)) % 6 == 0u);
    BOOST_TEST(journal.query("no-such-tag", 10).empty());
    BOOST_TEST(journal.query("", 0).empty());

    // A slot that held a long body, then a short one: nothing of the long one is left.
    for (std::size_t i = 0; i < onshi::Journal::capacity; ++i)
        journal.record(0, "", "/v2/x", 200, i == 0 ? std::string(300, 'L') : "", "", "");
    for (std::size_t i = 0; i < onshi::Journal::capacity; ++i) journal.record(0, "", "/v2/x", 200, "s", "", "");
    for (const auto& entry : journal.query("", onshi::Journal::capacity)) BOOST_TEST(entry["request"] == "s");

    journal.clear();
    BOOST_TEST(journal.query("", 10).empty());
    journal.record(mynasim::default_reference_time, "", "/v2/challenge", 200, "", "after clear", "");
    BOOST_TEST(journal.query("", 10).size() == 1u);
}

BOOST_AUTO_TEST_CASE(bodies_are_cut_at_the_limit) {
    onshi::Journal journal;
    journal.record(0, "", "/v2/confirmations", 200, std::string(onshi::Journal::body_limit + 10, 'q'), "short", "");
    journal.record(0, "", "/v2/confirmations", 200, "short", std::string(onshi::Journal::body_limit * 2, 'a'), "");
    const auto entries = journal.query("", 2);
    BOOST_TEST(entries[0]["request"].get<std::string>().size() == onshi::Journal::body_limit);
    BOOST_TEST(entries[1]["response"].get<std::string>().size() == onshi::Journal::body_limit);
    BOOST_TEST(entries[1]["request"] == "short");
}

BOOST_AUTO_TEST_SUITE_END()
