// The optional parts of persons and qualifications as the store keeps them (store/record_details.hpp):
// what is written reads back the same; nothing costs nothing; what it did not write is refused.
#include <boost/test/unit_test.hpp>

#include <stdexcept>

#include "onshi/store/record_details.hpp"

using namespace mynasim;

BOOST_AUTO_TEST_SUITE(test_record_details)

BOOST_AUTO_TEST_CASE(nothing_costs_nothing) {
    BOOST_TEST(onshi::encode_details(onshi::Person{}).empty());
    BOOST_TEST(onshi::encode_details(onshi::Qualification{}).empty());
    onshi::Person p;
    onshi::decode_details("", p);
    BOOST_TEST(p.address.empty());
}

BOOST_AUTO_TEST_CASE(written_reads_back) {
    onshi::Person p;
    p.name_of_other = "TEST 通称";
    p.sex2 = "3";
    p.post_number = "100-0001";
    onshi::Person back;
    onshi::decode_details(onshi::encode_details(p), back);
    BOOST_TEST(back.name_of_other == "TEST 通称");
    BOOST_TEST(back.sex2 == "3");
    BOOST_TEST(back.post_number == "100-0001");
    BOOST_TEST(back.address.empty());

    onshi::Qualification q;
    q.reason_of_loss = "99";
    q.limit = onshi::LimitCertificate{"01", "A03", "20250725", "20250801", "20260731", ""};
    q.diseases.push_back({"1", "20240401", "20240401", "", "10000"});
    q.diseases.push_back({"2", "", "", "", std::string(300, 'x')});  // a length over one LEB128 byte
    auto& ticket = q.tickets.emplace_back();
    ticket.type = "1";
    ticket.institution_name = "TEST医院";
    ticket.injury_name3 = "TEST 傷病名";
    ticket.remarks3 = "TEST 備考";  // the last field
    onshi::Qualification out;
    onshi::decode_details(onshi::encode_details(q), out);
    BOOST_TEST(out.reason_of_loss == "99");
    BOOST_TEST(!out.elderly.has_value());
    BOOST_REQUIRE(out.limit.has_value());
    BOOST_TEST(out.limit->flag == "A03");
    BOOST_REQUIRE(out.diseases.size() == 2u);
    BOOST_TEST(out.diseases[1].self_pay.size() == 300u);
    BOOST_REQUIRE(out.tickets.size() == 1u);
    BOOST_TEST(out.tickets[0].institution_name == "TEST医院");
    BOOST_TEST(out.tickets[0].injury_name3 == "TEST 傷病名");
    BOOST_TEST(out.tickets[0].remarks3 == "TEST 備考");
    BOOST_TEST(out.tickets[0].remarks2.empty());
}

BOOST_AUTO_TEST_CASE(what_it_did_not_write_is_refused) {
    onshi::Qualification q;
    q.preschool = "1";
    const std::string good = onshi::encode_details(q);
    for (const std::string& bad : {std::string("2"), good.substr(0, good.size() - 1), good + "x", std::string("1\xFF\xFF\xFF"),
                                   std::string("1\x05" "ab")}) {
        onshi::Qualification out;
        BOOST_CHECK_THROW(onshi::decode_details(bad, out), std::runtime_error);
    }
}

BOOST_AUTO_TEST_SUITE_END()
