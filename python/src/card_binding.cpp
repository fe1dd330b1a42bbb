// mynasim.Card: a card made from a profile, answering APDUs in this process (no PC/SC), with its state,
// counters, faults and decoded trace at hand.
#include <chrono>
#include <deque>
#include <thread>

#include <pybind11/stl.h>

#include "bindings.hpp"
#include "card/apdu_trace.hpp"
#include "card/card.hpp"
#include "pki/authorities.hpp"
#include "profile/card_factory.hpp"
#include "profile/profile_loader.hpp"

namespace mynasim::python {

namespace {

// A trace keeps this many exchanges, the newest (a long-running test must not grow without bound).
constexpr std::size_t trace_limit = 100000;

Bytes apdu_bytes(const py::handle& apdu) {
    if (py::isinstance<py::bytes>(apdu) || py::isinstance<py::bytearray>(apdu) || py::isinstance<py::memoryview>(apdu)) {
        const std::string raw = py::bytes(py::module_::import("builtins").attr("bytes")(apdu));
        return Bytes(raw.begin(), raw.end());
    }
    if (py::isinstance<py::str>(apdu)) {
        std::string text = py::str(apdu);
        std::erase_if(text, [](char c) { return c == ' ' || c == ':'; });
        const auto parsed = parse_hex(text);
        if (!parsed) raise_error("CardError", "APDU '" + std::string(py::str(apdu)) + "' is not hex");
        return *parsed;
    }
    raise_error("CardError", "an APDU is bytes or a hex string");
}

py::bytes to_bytes(ByteView b) { return py::bytes(reinterpret_cast<const char*>(b.data()), b.size()); }

// One exchange as Python sees it.
struct Exchange {
    py::bytes command, response;  // response b"" when the card did not answer
    bool answered = false;
    int sw = -1;                  // -1 when the card did not answer
    std::string command_text, response_text;
    bool forced = false, torn = false;
    std::uint32_t delay_ms = 0;
};

Exchange to_exchange(const card::ApduExchange& e) {
    Exchange x;
    x.command = to_bytes(e.command);
    x.answered = e.response.has_value();
    if (e.response) {
        x.response = to_bytes(*e.response);
        if (e.response->size() >= 2) x.sw = ((*e.response)[e.response->size() - 2] << 8) | e.response->back();
    }
    x.command_text = e.command_text;
    x.response_text = e.response_text;
    x.forced = e.forced;
    x.torn = e.torn;
    x.delay_ms = e.delay_ms;
    return x;
}

// A profile given as a name, a path or a dict, loaded and checked (throws yaml::LoadError).
profile::CardProfile load_profile_argument(const py::handle& profile) {
    if (py::isinstance<py::dict>(profile)) {
        // A dict is a profile document; JSON is YAML, indented so errors point at a line.
        const std::string text = py::str(py::module_::import("json").attr("dumps")(profile, py::arg("indent") = 2,
                                                                                  py::arg("ensure_ascii") = false));
        return profile::load_profile_text(text, "<dict>", profile_dir().string());
    }
    return profile::load_profile(profile_path(profile).string());
}

py::dict describe_profile(const profile::CardProfile& profile) {
    py::dict d;
    d["name"] = profile.name;
    d["file"] = profile.file;
    d["description"] = profile.description;
    d["person"] = profile.person;
    d["tags"] = profile.tags;
    d["reference_date"] = profile.reference_date;
    return d;
}

class PyCard {
public:
    PyCard(const py::handle& profile, std::optional<std::uint64_t> seed) : profile_(load_profile_argument(profile)) {
        if (seed) random_ = std::make_unique<SeededRandom>(*seed);
        else random_ = std::make_unique<SystemRandom>();
        card_ = std::make_unique<card::Card>(profile::make_card(profile_, pki_), *random_);
        card::power_on(card_->state());
    }

    py::object transmit(const py::handle& apdu) {
        const Bytes command = apdu_bytes(apdu);
        const auto e = card::exchange(*card_, command);
        trace_.push_back(e);
        if (trace_.size() > trace_limit) trace_.pop_front();
        if (e.delay_ms) {
            py::gil_scoped_release released;  // a slow card is slow for this caller only
            std::this_thread::sleep_for(std::chrono::milliseconds(e.delay_ms));
        }
        const Exchange x = to_exchange(e);
        if (!x.answered) raise_error("CardError", "the card did not answer (" + std::string(e.torn ? "torn: pulled out" : "mute") + ")");
        const std::string raw = x.response;
        return py::module_::import("mynasim.apdu").attr("Response")(py::bytes(raw.substr(0, raw.size() - 2)), x.sw);
    }

    int tries_left(const std::string& pin) const {
        if (!card_->definition().pin(pin)) raise_error("CardError", "no PIN '" + pin + "' on this card (" + pin_names() + ")");
        return card_->state().tries_left.at(pin);
    }
    void set_tries(const std::string& pin, int tries) {
        const auto* definition = card_->definition().pin(pin);
        if (!definition) raise_error("CardError", "no PIN '" + pin + "' on this card (" + pin_names() + ")");
        if (tries < 0 || tries > 15) raise_error("CardError", "tries must be 0..15, not " + std::to_string(tries));
        card_->state().tries_left[pin] = tries;
    }
    std::vector<std::string> pins() const {
        std::vector<std::string> ids;
        for (const auto& p : card_->definition().pins) ids.push_back(p.id);
        return ids;
    }
    std::optional<std::string> selected_application() const {
        const auto& index = card_->state().session.current_application;
        if (!index) return std::nullopt;
        return card_->definition().applications.at(*index).name;
    }
    std::vector<std::string> verified_pins() const {
        const auto& v = card_->state().session.verified_pins;
        return {v.begin(), v.end()};
    }
    bool powered() const { return card_->state().powered; }
    bool torn() const { return card_->state().torn; }
    void power_on() { card::power_on(card_->state()); }
    void power_off() { card::power_off(card_->state()); }
    void reset() { card::reset(card_->state()); }

    // Faults are part of the definition (the core never changes one): a changed copy replaces it and
    // the state carries over.
    void set_latency(std::uint32_t ms) {
        change_faults([&](card::CardFaults& f) { f.latency_ms = ms; });
    }
    void mute_after(std::uint64_t apdus) {
        const auto at = card_->state().answered + apdus;
        change_faults([&](card::CardFaults& f) { f.mute_after = at; });
    }
    void tear_after(std::uint64_t apdus) { card_->state().tear_at = card_->state().answered + apdus; }
    void force_status(const py::handle& header, int sw, std::optional<std::uint32_t> times) {
        const Bytes prefix = apdu_bytes(header);
        if (prefix.empty() || prefix.size() > 4) raise_error("CardError", "force_status needs 1 to 4 header bytes");
        if (sw < 0 || sw > 0xFFFF) raise_error("CardError", "a status word is 0x0000..0xFFFF");
        change_faults([&](card::CardFaults& f) { f.forced.push_back({prefix, static_cast<card::StatusWord>(sw), times}); });
    }
    void clear_faults() {
        change_faults([](card::CardFaults& f) { f = card::CardFaults{}; });
        card_->state().tear_at.reset();
    }

    std::vector<Exchange> trace() const {
        std::vector<Exchange> out;
        for (const auto& e : trace_) out.push_back(to_exchange(e));
        return out;
    }
    std::string trace_text() const {
        std::string text;
        for (const auto& e : trace_) text += card::format_exchange(e) + "\n";
        return text;
    }
    void clear_trace() { trace_.clear(); }

    py::dict profile_info() const { return describe_profile(profile_); }
    std::string repr() const {
        return "<mynasim.Card " + profile_.name + " (" + profile_.person + "), selected " + selected_application().value_or("nothing") +
               ">";
    }

private:
    template <class Change>
    void change_faults(Change change) {
        auto definition = std::make_shared<card::CardDefinition>(card_->definition());
        change(definition->faults);
        const card::CardState state = card_->state();
        card_ = std::make_unique<card::Card>(definition, *random_);
        card_->state() = state;
    }
    std::string pin_names() const {
        std::string names;
        for (const auto& id : pins()) names += (names.empty() ? "" : ", ") + id;
        return names;
    }

    profile::CardProfile profile_;
    pki::TestPki pki_;
    std::unique_ptr<RandomSource> random_;
    std::unique_ptr<card::Card> card_;
    std::deque<card::ApduExchange> trace_;
};

}  // namespace

void bind_card(py::module_& m) {
    m.def("load_profile", [](const py::handle& profile) { return describe_profile(load_profile_argument(profile)); }, py::arg("profile"),
          "Loads and checks a card profile (name, path or dict) without making a card; returns name, file, description, "
          "person, tags, reference_date. A broken profile raises LoadError with its file:line:col.");
    py::class_<Exchange>(m, "Exchange", "One APDU and the card's answer, decoded.")
        .def_readonly("command", &Exchange::command, "The command APDU.")
        .def_readonly("response", &Exchange::response, "The whole response (data + SW1 SW2); b'' when the card did not answer.")
        .def_readonly("answered", &Exchange::answered, "False when the card was mute or torn.")
        .def_readonly("sw", &Exchange::sw, "The status word (e.g. 0x9000), -1 when the card did not answer.")
        .def_readonly("command_text", &Exchange::command_text, "What the command does, e.g. 'VERIFY EF 0018 (auth PIN) with 4-char PIN'.")
        .def_readonly("response_text", &Exchange::response_text, "What the answer means, e.g. '63C2 wrong PIN, 2 tries left'.")
        .def_readonly("forced", &Exchange::forced, "The status word was forced by a fault.")
        .def_readonly("torn", &Exchange::torn, "The card was pulled out at this command.")
        .def_readonly("delay_ms", &Exchange::delay_ms, "Latency the card added.")
        .def("__repr__", [](const Exchange& x) {
            const std::string c = x.command, r = x.response;
            return "<Exchange " + to_hex(Bytes(c.begin(), c.end())) + " -> " + (x.answered ? to_hex(Bytes(r.begin(), r.end())) : "(no answer)") +
                   " " + x.command_text + " / " + x.response_text + ">";
        });

    py::class_<PyCard>(m, "Card", R"(A My Number card made from a YAML profile, answering APDUs in this process.

Card(profile, seed=None)
  profile: a name from card-profiles/ ("valid", "expired-auth-cert", ...), a path to a YAML profile,
           or a dict written like a profile file ({"extends": "valid", "jpki": {"auth_pin_tries_left": 1}}).
  seed:    makes the card's random numbers (GET CHALLENGE) reproducible.
A broken profile raises mynasim.LoadError naming file:line:col.

  sw = card.transmit("00A4040C0AD392F000260100000001")[1]   # data, status word
)")
        .def(py::init<const py::handle&, std::optional<std::uint64_t>>(), py::arg("profile"), py::arg("seed") = py::none())
        .def("transmit", &PyCard::transmit, py::arg("apdu"),
             "Sends one command APDU (bytes or hex, spaces allowed); returns a Response: data (bytes) and sw, the status word (int; `.ok` for 90 00). Raises CardError when "
             "the card does not answer (mute, torn). A card with latency sleeps that long.")
        .def("tries_left", &PyCard::tries_left, py::arg("pin") = "auth", "Tries left of a PIN: auth, sign or kenmen_hojo.")
        .def("locked", [](const PyCard& c, const std::string& pin) { return c.tries_left(pin) == 0; }, py::arg("pin") = "auth",
             "True when the PIN has no try left.")
        .def("set_tries", &PyCard::set_tries, py::arg("pin"), py::arg("tries"), "Sets a PIN's tries left (0 locks it).")
        .def_property_readonly("pins", &PyCard::pins, "The card's PIN ids.")
        .def_property_readonly("selected_application", &PyCard::selected_application,
                               "The selected application's name ('JPKI AP', '券面 AP', ...) or None.")
        .def_property_readonly("verified_pins", &PyCard::verified_pins, "PINs verified in this card session.")
        .def_property_readonly("powered", &PyCard::powered, "False after power_off() (the card answers nothing).")
        .def_property_readonly("torn", &PyCard::torn, "True once a tear fault pulled the card out.")
        .def_property_readonly("profile", &PyCard::profile_info, "The profile: name, file, description, person, tags, reference_date.")
        .def("power_on", &PyCard::power_on, "Cold reset: a fresh session (counters are kept).")
        .def("power_off", &PyCard::power_off, "Removes power: the card answers nothing until power_on().")
        .def("reset", &PyCard::reset, "Warm reset: a fresh session (counters are kept).")
        .def("set_latency", &PyCard::set_latency, py::arg("ms"), "Every answer is delayed by `ms` milliseconds.")
        .def("mute_after", &PyCard::mute_after, py::arg("apdus"), "The card answers `apdus` more commands, then nothing.")
        .def("tear_after", &PyCard::tear_after, py::arg("apdus"), "The card answers `apdus` more commands, then is pulled out.")
        .def("force_status", &PyCard::force_status, py::arg("header"), py::arg("sw"), py::arg("times") = py::none(),
             "Commands starting with `header` (1-4 bytes, bytes or hex) get status word `sw`, the first `times` times (None: always).")
        .def("clear_faults", &PyCard::clear_faults, "Removes latency, mute, tear and forced status words (the profile's too).")
        .def_property_readonly("trace", &PyCard::trace, "Every exchange since the card was made (or clear_trace()), oldest first.")
        .def("trace_text", &PyCard::trace_text, "The trace, one decoded line per exchange.")
        .def("clear_trace", &PyCard::clear_trace, "Forgets the trace.")
        .def("__repr__", &PyCard::repr);
}

}  // namespace mynasim::python
