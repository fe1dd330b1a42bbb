// The ISO 7816 base operations are overridable per application: test applications that override VERIFY or
// READ BINARY (keeping the base for the rest) sit beside one that does not, on the same card; the shipped
// applications override only what they do differently.
#include <boost/test/unit_test.hpp>

#include <map>

#include "card/iso7816_operations.hpp"
#include "test_support.hpp"

using namespace mynasim;
using card::CommandApdu;
using card::CommandContext;
using card::ResponseApdu;

namespace {

const Bytes plain_aid{0xF0, 0x00, 0x00, 0x00, 0x01};
const Bytes face_only_aid{0xF0, 0x00, 0x00, 0x00, 0x02};
const Bytes sfi_less_aid{0xF0, 0x00, 0x00, 0x00, 0x03};
const Bytes with_get_data_aid{0xF0, 0x00, 0x00, 0x00, 0x04};

std::string select(const Bytes& aid) { return "00A4040C" + to_hex(Bytes{static_cast<std::uint8_t>(aid.size())}) + to_hex(aid); }

// Test applications that differ only in their operations: the same PIN EF and the same free EF.
card::ApplicationDefinition application(const std::string& name, const Bytes& aid, card::Operations operations) {
    card::ApplicationDefinition app;
    app.name = name;
    app.aid = aid;
    app.operations = std::make_shared<const card::Operations>(std::move(operations));
    app.files.push_back(card::pin_ef(0x0018, "auth PIN", card::auth_pin_id));
    app.files.push_back(card::binary_ef(0x000A, "data", Bytes{0xDE, 0xAD, 0xBE, 0xEF}));
    return app;
}

// A face-authentication-only application: it has no PIN to check (69 85 for any PIN) but still reports
// the counter to an empty VERIFY, through the base operation it replaced.
card::Operations face_only_operations() {
    card::Operations operations = card::iso7816_operations();
    const card::Operation base_verify = *operations.find(card::ins::verify);
    operations.set(card::ins::verify, card::cla_iso, [base_verify](const CommandApdu& command, CommandContext& context) {
        if (!command.data.empty()) return ResponseApdu::status(card::sw::conditions_not_satisfied);
        return base_verify(command, context);
    });
    return operations;
}

// READ BINARY without the short-EF form (P1 bit 8): the rest is the base's.
card::Operations sfi_less_operations() {
    card::Operations operations = card::iso7816_operations();
    operations.set(card::ins::read_binary, card::cla_iso, [](const CommandApdu& command, CommandContext& context) {
        if (command.p1 & 0x80) return ResponseApdu::status(card::sw::wrong_p1_p2);
        return card::iso7816::read_binary(command, context);
    });
    return operations;
}

// A command of its own with a proprietary class, as the JPKI AP adds COMPUTE DIGITAL SIGNATURE.
card::Operations with_get_data_operations() {
    card::Operations operations = card::iso7816_operations();
    operations.set(0xCA, 0x80, [](const CommandApdu&, CommandContext& context) {
        return ResponseApdu{bytes_of(context.application.name), card::sw::ok};
    });
    return operations;
}

struct OverrideCard {
    OverrideCard() : random(3), card(definition(), random) {}

    static std::shared_ptr<const card::CardDefinition> definition() {
        auto d = std::make_shared<card::CardDefinition>(*test::card_definition("valid"));  // its PINs: auth is 1234
        d->applications.push_back(application("plain", plain_aid, card::iso7816_operations()));
        d->applications.push_back(application("face only", face_only_aid, face_only_operations()));
        d->applications.push_back(application("no SFI", sfi_less_aid, sfi_less_operations()));
        d->applications.push_back(application("with GET DATA", with_get_data_aid, with_get_data_operations()));
        return d;
    }
    std::string send(const std::string& hex) {
        const auto outcome = card.transmit(*parse_hex(hex));
        return outcome.response ? to_hex(outcome.response->encode()) : "none";
    }

    SeededRandom random;
    card::Card card;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(test_card_operations)

BOOST_AUTO_TEST_CASE(an_override_of_verify_changes_verify_only) {
    OverrideCard c;
    // The face-only application first: a PIN it refuses must not count as verified for the plain one.
    for (const Bytes* aid : {&face_only_aid, &plain_aid}) {
        const bool overridden = aid == &face_only_aid;
        BOOST_TEST_CONTEXT(to_hex(*aid)) {
            BOOST_TEST(c.send(select(*aid)) == "9000");
            BOOST_TEST(c.send("00A4020C020018") == "9000");                         // SELECT: the base's in both
            BOOST_TEST(c.send("0020008004" + to_hex(bytes_of("1234"))) == (overridden ? "6985" : "9000"));
            BOOST_TEST(c.send("00200080") == "63C3");                              // empty VERIFY: the base's, via the override
            BOOST_TEST(c.send("80200080") == "6E00");                              // the class rule holds for an override
            BOOST_TEST(c.send("00B08A0004") == "DEADBEEF9000");                    // READ BINARY: the base's in both
            BOOST_TEST(c.send("00CA000000") == "6D00");
        }
    }
    BOOST_TEST(c.card.state().tries_left.at(card::auth_pin_id) == 3);
}

BOOST_AUTO_TEST_CASE(an_override_of_read_binary_keeps_the_rest_of_the_base) {
    OverrideCard c;
    for (const Bytes* aid : {&sfi_less_aid, &plain_aid}) {
        const bool overridden = aid == &sfi_less_aid;
        BOOST_TEST_CONTEXT(to_hex(*aid)) {
            BOOST_TEST(c.send(select(*aid)) == "9000");
            BOOST_TEST(c.send("00B08A0004") == (overridden ? "6A86" : "DEADBEEF9000"));
            BOOST_TEST(c.send("00A4020C02000A") == "9000");
            BOOST_TEST(c.send("00B0000004") == "DEADBEEF9000");
            BOOST_TEST(c.send("00B0000404") == "6B00");
            BOOST_TEST(c.send("00200080") == "6981");  // VERIFY with a binary EF current: the base's
        }
    }
}

BOOST_AUTO_TEST_CASE(an_application_adds_a_command_with_its_own_class) {
    OverrideCard c;
    BOOST_TEST(c.send(select(with_get_data_aid)) == "9000");
    BOOST_TEST(c.send("80CA000000") == to_hex(bytes_of("with GET DATA")) + "9000");
    BOOST_TEST(c.send("00CA000000") == "6E00");  // its instruction, another class
    BOOST_TEST(c.send(select(plain_aid)) == "9000");
    BOOST_TEST(c.send("80CA000000") == "6D00");  // not an instruction of the plain application
}

BOOST_AUTO_TEST_CASE(shipped_applications_override_only_what_they_do_differently) {
    using Base = ResponseApdu (*)(const CommandApdu&, CommandContext&);
    const std::map<std::uint8_t, Base> base{{card::ins::select, &card::iso7816::select_file},
                                            {card::ins::read_binary, &card::iso7816::read_binary},
                                            {card::ins::verify, &card::iso7816::verify}};
    // instructions on top of the base
    const std::map<std::string, std::vector<std::uint8_t>> own{{"JPKI AP", {0x2A}},
                                                               {"券面事項入力補助 AP", {}},
                                                               {"券面 AP", {0x2A, 0x82, 0x84}},
                                                               {"住基 AP", {}},
                                                               {"共通 AP", {}}};
    const auto definition = test::card_definition("valid");
    BOOST_REQUIRE(definition->applications.size() == own.size());
    for (const auto& app : definition->applications) {
        BOOST_TEST_CONTEXT(app.name) {
            std::vector<std::uint8_t> expected = own.at(app.name);
            for (const auto& [ins, operation] : base) expected.push_back(ins);
            std::sort(expected.begin(), expected.end());
            BOOST_TEST(app.operations->instructions() == expected, boost::test_tools::per_element());
            for (const auto& [ins, operation] : base) {
                const Base* kept = app.operations->find(ins)->target<Base>();
                BOOST_TEST((kept && *kept == operation), "INS " << int(ins) << " is the base operation");
            }
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
