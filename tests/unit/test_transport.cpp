// The vpcd card side over a real socket pair: framing, controls, ATR, APDUs, faults, hang-ups.
#include <boost/test/unit_test.hpp>

#include <ostream>

#include <sys/socket.h>
#include <unistd.h>

#include "test_support.hpp"
#include "transport/emulated_card.hpp"
#include "transport/vpcd_link.hpp"

using namespace mynasim;

namespace mynasim::transport {
// For readable failures.
inline std::ostream& operator<<(std::ostream& out, LinkStatus status) {
    return out << (status == LinkStatus::Open ? "Open" : status == LinkStatus::Closed ? "Closed" : "Torn");
}
}  // namespace mynasim::transport

namespace {

// The pcscd side of the pair: writes frames the way vpcd does (length, then payload) and reads answers.
struct VpcdSide {
    int fd;
    void frame(const Bytes& payload) {
        const std::uint8_t header[2] = {static_cast<std::uint8_t>(payload.size() >> 8),
                                        static_cast<std::uint8_t>(payload.size() & 0xFF)};
        BOOST_REQUIRE(::write(fd, header, 2) == 2);
        if (!payload.empty())
            BOOST_REQUIRE(::write(fd, payload.data(), payload.size()) == static_cast<ssize_t>(payload.size()));
    }
    Bytes answer() {
        std::uint8_t header[2];
        BOOST_REQUIRE(::recv(fd, header, 2, MSG_WAITALL) == 2);
        Bytes payload(static_cast<std::size_t>(header[0] << 8 | header[1]));
        if (!payload.empty())
            BOOST_REQUIRE(::recv(fd, payload.data(), payload.size(), MSG_WAITALL) == static_cast<ssize_t>(payload.size()));
        return payload;
    }
};

struct Pair {
    Pair() {
        int fds[2];
        BOOST_REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
        link = std::make_unique<transport::VpcdLink>(fds[0]);  // TCP options fail quietly on a Unix socket
        vpcd.fd = fds[1];
    }
    ~Pair() { ::close(vpcd.fd); }
    std::unique_ptr<transport::VpcdLink> link;
    VpcdSide vpcd;
};

transport::EmulatedCard make_card(const std::string& profile) {
    return transport::EmulatedCard(test::card_definition(profile), std::make_unique<mynasim::SeededRandom>(3));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(test_transport)

BOOST_AUTO_TEST_CASE(controls_atr_and_apdus) {
    Pair p;
    auto card = make_card("valid");
    p.vpcd.frame({0x04});
    BOOST_TEST(p.link->serve_one(card) == transport::LinkStatus::Open);
    BOOST_TEST(p.vpcd.answer() == card::my_number_card_atr());
    p.vpcd.frame({0x01});  // power on: no answer
    BOOST_TEST(p.link->serve_one(card) == transport::LinkStatus::Open);
    BOOST_TEST(card.card().state().powered);
    p.vpcd.frame(*parse_hex(test::select_jpki));
    BOOST_TEST(p.link->serve_one(card) == transport::LinkStatus::Open);
    BOOST_TEST(to_hex(p.vpcd.answer()) == "9000");
    p.vpcd.frame(*parse_hex("00B08A0000"));
    BOOST_TEST(p.link->serve_one(card) == transport::LinkStatus::Open);
    const Bytes read = p.vpcd.answer();
    BOOST_TEST(read.size() == 258u);
    p.vpcd.frame({0x02});  // reset clears the session
    BOOST_TEST(p.link->serve_one(card) == transport::LinkStatus::Open);
    p.vpcd.frame(*parse_hex("00B0000004"));
    BOOST_TEST(p.link->serve_one(card) == transport::LinkStatus::Open);
    BOOST_TEST(to_hex(p.vpcd.answer()) == "6986");
    p.vpcd.frame({0x00});  // power off
    BOOST_TEST(p.link->serve_one(card) == transport::LinkStatus::Open);
    BOOST_TEST(!card.card().state().powered);
    p.vpcd.frame({0x04});  // the ATR is answered even for a powered-off card
    BOOST_TEST(p.link->serve_one(card) == transport::LinkStatus::Open);
    BOOST_TEST(p.vpcd.answer() == card::my_number_card_atr());
    // The trace has the exchanges and the power events, decoded on demand.
    const auto& trace = card.trace();
    BOOST_REQUIRE(trace.size() >= 5u);
    bool saw_select = false;
    for (const auto& t : trace) saw_select |= card.describe(t).command_text == "SELECT JPKI AP";
    BOOST_TEST(saw_select);
}

BOOST_AUTO_TEST_CASE(vpcd_hanging_up_closes_the_link) {
    Pair p;
    auto card = make_card("valid");
    ::shutdown(p.vpcd.fd, SHUT_WR);
    BOOST_TEST(p.link->serve_one(card) == transport::LinkStatus::Closed);
    BOOST_TEST(p.link->last_error() == "vpcd closed the connection");
}

BOOST_AUTO_TEST_CASE(half_a_frame_then_hang_up_is_closed_not_hung) {
    Pair p;
    auto card = make_card("valid");
    const std::uint8_t partial[3] = {0x00, 0x10, 0x00};  // announces 16 bytes, sends 1
    BOOST_REQUIRE(::write(p.vpcd.fd, partial, 3) == 3);
    ::shutdown(p.vpcd.fd, SHUT_WR);
    BOOST_TEST(p.link->serve_one(card) == transport::LinkStatus::Closed);
}

BOOST_AUTO_TEST_CASE(torn_card_asks_to_disconnect) {
    Pair p;
    auto card = make_card("torn-mid-read");
    p.vpcd.frame({0x01});
    p.link->serve_one(card);
    for (int i = 0; i < 5; ++i) {
        p.vpcd.frame(*parse_hex(test::select_jpki));
        BOOST_TEST(p.link->serve_one(card) == transport::LinkStatus::Open);
        BOOST_TEST(to_hex(p.vpcd.answer()) == "9000");
    }
    p.vpcd.frame(*parse_hex(test::select_jpki));
    BOOST_TEST(p.link->serve_one(card) == transport::LinkStatus::Torn);
}

BOOST_AUTO_TEST_CASE(persistent_counters_are_reported_when_they_change) {
    Pair p;
    int saves = 0;
    int last_auth = -1;
    transport::EmulatedCard card(test::card_definition("valid-persistent"), std::make_unique<mynasim::SeededRandom>(3),
                                 [&](const card::CardState& state) {
                                     ++saves;
                                     last_auth = state.tries_left.at("auth");
                                 });
    card.power_on();
    card.transmit(*parse_hex(test::select_jpki));
    card.transmit(*parse_hex("00200098"));  // asking does not change anything
    BOOST_TEST(saves == 0);
    card.transmit(*parse_hex("002000980430303030"));
    BOOST_TEST(saves == 1);
    BOOST_TEST(last_auth == 2);
}

BOOST_AUTO_TEST_SUITE_END()
