// The code tables (simulator/onshi/codes/*.yaml): what ships, strict loading, and the XSD's enumerations
// (docs/schema/xmlmsg-types.xsd) naming exactly the same codes.
#include <boost/test/unit_test.hpp>

#include <set>

#include <pugixml.hpp>

#include "base/yaml_strict.hpp"
#include "onshi/codes/code_tables.hpp"
#include "test_support.hpp"

using namespace mynasim;

BOOST_AUTO_TEST_SUITE(test_code_tables)

BOOST_AUTO_TEST_CASE(the_shipped_tables) {
    const auto& codes = onshi::CodeTables::builtin();
    BOOST_TEST(codes.tables().size() >= 15u);
    const auto& consent = codes.table("ConsentFlag");
    BOOST_TEST(consent.id == "OQSCD016");
    BOOST_TEST(consent.listing() == "0 同意なし, 1 同意あり, 2 同意有効期限切れ, 3 同意取得困難");
    BOOST_TEST(codes.for_element("PharmacistsInfoConsFlg") == &consent);
    const auto& classification = codes.table("InsuredCardClassification");
    BOOST_TEST(classification.contains("A1"));
    BOOST_TEST(!classification.contains("08"));
    BOOST_TEST(codes.table("MedicalTreatmentFlag").id == "OQSCD028");
    BOOST_TEST(codes.for_element("Birthdate") == nullptr);
    for (const auto& table : codes.tables()) BOOST_TEST(!table.source.empty(), table.name);
    BOOST_CHECK_THROW(codes.table("NoSuchTable"), std::out_of_range);
}

BOOST_AUTO_TEST_CASE(loading_is_strict) {
    const auto fails = [](const std::string& text, const std::string& expected) {
        try {
            onshi::CodeTables::parse({{"t", text}}, "codes");
            BOOST_ERROR("accepted: " << text);
        } catch (const yaml::LoadError& e) {
            BOOST_TEST(std::string(e.what()).find(expected) != std::string::npos, e.what());
            BOOST_TEST(std::string(e.what()).rfind("codes/t.yaml:", 0) == 0u, e.what());
        }
    };
    const std::string head = "table: T\nsource: s\nelements: [E]\n";
    fails(head + "values:\n  - {code: \"1\", meaning: a}\n  - {code: \"1\", meaning: b}\n", "appears twice");
    fails(head + "values: []\n", "at least one value");
    fails(head + "values:\n  - {code: \"1\"}\n", "needs 'code' and 'meaning'");
    fails(head + "colour: red\nvalues:\n  - {code: \"1\", meaning: a}\n", "unknown key");
    fails("table: T\nelements: [E]\nvalues:\n  - {code: \"1\", meaning: a}\n", "needs 'source'");
    fails(head + "values:\n  - {code: \"1\", meaning: a, only_with: {Nothing: [\"1\"]}}\n", "only_with names 'Nothing', which takes no code table");
    fails(head + "values:\n  - {code: \"1\", meaning: a, only_with: {E: [\"9\"]}}\n", "only_with E '9' is not in T (1 a)");
    fails(head + "values:\n  - {code: \"1\", meaning: a, only_with: {E: []}}\n", "needs at least one code");
    // The shipped rule: 同意取得困難 only at 救急時.
    const auto* difficult = onshi::CodeTables::builtin().table("ConsentFlag").find("3");
    BOOST_REQUIRE(difficult);
    BOOST_TEST(difficult->only_with.at("MedicalTreatmentFlag") == std::vector<std::string>{"4"});
    BOOST_CHECK_THROW(onshi::CodeTables::parse({{"a", head + "values:\n  - {code: \"1\", meaning: a}\n"},
                                                {"b", "table: U\nsource: s\nelements: [E]\nvalues:\n  - {code: \"1\", meaning: a}\n"}},
                                               "codes"),
                      yaml::LoadError);  // one element, two tables
}

// The XSD is written by hand from the spec; where it enumerates a table's codes, they are the table's.
BOOST_AUTO_TEST_CASE(the_schema_enumerates_the_same_codes) {
    pugi::xml_document schema;
    BOOST_REQUIRE(schema.load_file(test::source_path("docs/schema/xmlmsg-types.xsd").c_str()));
    std::size_t compared = 0;
    for (const auto type : schema.document_element().children("xs:simpleType")) {
        const std::string name = type.attribute("name").value();
        std::set<std::string> enumerated;
        for (const auto value : type.child("xs:restriction").children("xs:enumeration")) enumerated.insert(value.attribute("value").value());
        if (enumerated.empty()) continue;
        const auto& table = onshi::CodeTables::builtin().table(name);
        std::set<std::string> codes;
        for (const auto& value : table.values) codes.insert(value.code);
        BOOST_TEST((enumerated == codes), name);
        ++compared;
    }
    BOOST_TEST(compared >= 14u);
}

BOOST_AUTO_TEST_SUITE_END()
