// The synthetic population of `server gen`: deterministic, within the code tables and the calendar, and
// holding every kind of person the result fields need, in the ages the rules give them.
#include <boost/test/unit_test.hpp>

#include <map>
#include <string>

#include "base/time.hpp"
#include "onshi/codes/code_tables.hpp"
#include "onshi/service/qualification_resolution.hpp"
#include "onshi/store/store.hpp"
#include "onshi/store/synthetic_person.hpp"

using namespace mynasim;

namespace {

int age_on_reference(const std::string& birth) {  // on 2026-04-01
    const int year = std::stoi(birth.substr(0, 4));
    return 2026 - year - (birth.substr(4) > "0401" ? 1 : 0);
}

bool in_table(const char* element, const std::string& value) {
    const auto* table = onshi::CodeTables::builtin().for_element(element);
    return table && table->contains(value);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(test_synthetic_person)

BOOST_AUTO_TEST_CASE(the_same_seed_gives_the_same_persons_and_another_seed_others) {
    onshi::SyntheticPopulation a(5), b(5), c(6);
    int differing = 0;
    for (std::size_t n = 0; n < 200; ++n) {
        const auto pa = a.next(n), pb = b.next(n), pc = c.next(n);
        BOOST_TEST(pa.name == pb.name);
        BOOST_TEST(pa.birth_date == pb.birth_date);
        BOOST_TEST(pa.qualifications.size() == pb.qualifications.size());
        BOOST_TEST(pa.qualifications.back().insurer == pb.qualifications.back().insurer);
        differing += pa.birth_date != pc.birth_date;
        BOOST_TEST(pa.id == "SYN-" + std::string(7 - std::to_string(n + 1).size(), '0') + std::to_string(n + 1));
    }
    BOOST_TEST(differing > 150);
}

BOOST_AUTO_TEST_CASE(every_value_is_within_its_table_and_the_calendar_and_every_kind_occurs) {
    std::map<std::string, int> insurers;
    for (const auto& i : onshi::synthetic_insurers()) BOOST_TEST(insurers.emplace(i.number, 0).second);  // unique
    std::map<std::string, int> kinds;
    onshi::SyntheticPopulation population(1);
    for (std::size_t n = 0; n < 20000; ++n) {
        const auto p = population.next(n);
        BOOST_REQUIRE(is_compact_date(p.birth_date));
        BOOST_TEST(in_table("Sex1", p.sex));
        if (!p.sex2.empty()) BOOST_TEST(in_table("Sex2", p.sex2));
        BOOST_TEST(!p.name_kana.empty());
        if (p.name.find("●") != std::string::npos) ++kinds["gaiji"];
        if (!p.name_of_other.empty()) ++kinds["name of other"];
        if (!p.address.empty()) BOOST_TEST(p.post_number.size() == 8u);
        const int age = age_on_reference(p.birth_date);
        BOOST_REQUIRE(!p.qualifications.empty());
        for (std::size_t i = 0; i < p.qualifications.size(); ++i) {
            const auto& q = p.qualifications[i];
            BOOST_TEST_CONTEXT(p.id << " qualification " << i) {
                BOOST_TEST(insurers.count(q.insurer) == 1u);
                BOOST_TEST(in_table("InsuredCardClassification", q.classification));
                BOOST_TEST(in_table("PersonalFamilyClassification", q.personal_family));
                BOOST_TEST(is_compact_date(q.valid_from));
                BOOST_TEST(q.valid_from >= p.birth_date);
                if (!q.valid_to.empty()) BOOST_TEST((is_compact_date(q.valid_to) && q.valid_to >= q.valid_from));
                if (!q.certificate_issued.empty()) BOOST_TEST(is_compact_date(q.certificate_issued));
                if (!q.preschool.empty()) BOOST_TEST(in_table("PreschoolClassification", q.preschool));
                if (!q.reason_of_loss.empty()) {
                    BOOST_TEST(in_table("ReasonOfLoss", q.reason_of_loss));
                    BOOST_TEST(is_compact_date(q.disqualification_date));
                    ++kinds["lost, reason " + q.reason_of_loss];
                }
                if (i + 1 < p.qualifications.size()) BOOST_TEST(q.valid_to < p.qualifications[i + 1].valid_from);  // one after the other
                if (q.limit) {
                    BOOST_TEST(in_table("LimitApplicationCertificateClassificationFlag", q.limit->flag));
                    ++kinds["limit"];
                }
                if (!q.diseases.empty()) ++kinds["specific diseases"];
            }
        }
        const auto& current = p.qualifications.back();
        if (current.insurer.rfind("39", 0) == 0) {
            ++kinds["後期高齢者"];
            BOOST_TEST(age >= 75);
            BOOST_TEST((current.contribution_ratio == "010" || current.contribution_ratio == "030"));
        }
        if (current.elderly) {
            ++kinds["高齢受給者証"];
            BOOST_TEST((age >= 70 && age <= 74));
            BOOST_TEST(current.elderly->ratio == current.contribution_ratio);
        }
        if (current.preschool == "1") {
            ++kinds["未就学"];
            BOOST_TEST(age <= 6);
            BOOST_TEST(current.contribution_ratio == "020");
        }
        if (current.personal_family == "2") {
            ++kinds["家族"];
            BOOST_TEST(current.insured_name != p.name);  // the head of household
            BOOST_TEST(current.branch != "00");
        }
        if (current.classification == "A1") {
            ++kinds[onshi::welfare_without_ticket(current, "20260401") ? "医療扶助 without ticket" : "医療扶助 with ticket"];
            BOOST_TEST(age >= 18);
        }
        if (p.qualifications.size() > 1) ++kinds["earlier insurance"];
    }
    for (const char* kind : {"gaiji", "name of other", "lost, reason 03", "lost, reason 99", "limit", "specific diseases", "後期高齢者",
                             "高齢受給者証", "未就学", "家族", "医療扶助 without ticket", "医療扶助 with ticket", "earlier insurance"})
        BOOST_TEST_CONTEXT(kind) { BOOST_TEST(kinds[kind] > 0); }
    // Shares near what clinics meet (the generator's own figures: docs/onshi-dataset.md).
    BOOST_TEST(kinds["家族"] > 3000);
    BOOST_TEST(kinds["limit"] < 1000);
}

BOOST_AUTO_TEST_CASE(a_generated_store_gives_the_fields_back) {
    onshi::Store store(":memory:");
    store.generate(3000, 1);
    onshi::SyntheticPopulation population(1);
    int with_address = 0, elderly = 0;
    for (std::size_t n = 0; n < 3000; ++n) {
        const auto expected = population.next(n);
        const auto person = store.person(expected.id);
        BOOST_REQUIRE(person);
        BOOST_TEST(person->address == expected.address);
        BOOST_TEST(person->name_of_other == expected.name_of_other);
        const auto history = store.qualifications(expected.id);
        BOOST_REQUIRE(history.size() == expected.qualifications.size());
        const auto& q = history.back();
        BOOST_TEST(q.insured_name == expected.qualifications.back().insured_name);
        BOOST_TEST(q.tickets.size() == expected.qualifications.back().tickets.size());
        BOOST_TEST(!q.insurer_name.empty());
        with_address += !person->address.empty();
        elderly += q.elderly.has_value();
    }
    BOOST_TEST(with_address > 2700);
    BOOST_TEST(elderly > 0);
}

BOOST_AUTO_TEST_SUITE_END()
