#include "control_protocol.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "base/time.hpp"
#include "pcsc/sim_log.hpp"

namespace mynasim::pcsc {

namespace {

using nlohmann::json;

json status(const ControlTarget& t) {
    const SimCard& card = t.slot.card();
    json out{{"ok", true},          {"inserted", t.slot.inserted()}, {"connected", t.slot.connected()},
             {"card", card.name},   {"profile", card.profile_file},  {"person", card.person},
             {"reader", reader_name}, {"socket", t.paths.socket.string()}, {"pcscd_pid", t.pcscd_pid}};
    if (card.emulated) {
        const auto& state = card.emulated->card().state();
        json tries = json::object();
        for (const auto& [id, left] : state.tries_left) tries[id] = left;
        out["tries_left"] = tries;
        out["powered"] = state.powered;
        out["torn"] = state.torn;
        out["apdus_answered"] = state.answered;
    }
    return out;
}

json insert(ControlTarget& t, const std::string& profile_file) {
    if (const auto problem = t.slot.insert(profile_file)) return {{"ok", false}, {"error", *problem}};
    return {{"ok", true}, {"card", t.slot.card().name}};
}

// A scenario sets a PIN's retry counter directly (as if earlier visits had used tries).
json set_tries(ControlTarget& t, const std::string& pin, int tries) {
    SimCard& card = t.slot.card();
    if (!card.emulated) return {{"ok", false}, {"error", "this card has no PINs"}};
    auto& state = card.emulated->card().state();
    if (!state.tries_left.count(pin)) {
        std::string known;
        for (const auto& [id, left] : state.tries_left) known += (known.empty() ? "" : ", ") + id;
        return {{"ok", false}, {"error", "no PIN '" + pin + "' on this card (it has: " + known + ")"}};
    }
    if (tries < 0 || tries > 15) return {{"ok", false}, {"error", "tries must be 0 to 15"}};
    state.tries_left[pin] = tries;
    log_line("PIN " + pin + " set to " + std::to_string(tries) + " tries left");
    return {{"ok", true}, {"pin", pin}, {"tries_left", tries}};
}

// A scenario tears the card after N more answered APDUs (the card is pulled mid-transaction).
json tear_after(ControlTarget& t, int apdus) {
    SimCard& card = t.slot.card();
    if (!card.emulated) return {{"ok", false}, {"error", "this card cannot be torn"}};
    if (apdus < 0 || apdus > 100000) return {{"ok", false}, {"error", "apdus must be 0 to 100000"}};
    auto& state = card.emulated->card().state();
    state.tear_at = state.answered + static_cast<std::uint64_t>(apdus);
    log_line("card will be torn after " + std::to_string(apdus) + " more APDUs");
    return {{"ok", true}, {"tear_at", *state.tear_at}};
}

json trace(const ControlTarget& t, int max) {
    json items = json::array();
    if (const auto* emulated = t.slot.card().emulated) {
        const auto& all = emulated->trace();
        const std::size_t count = std::min<std::size_t>(all.size(), static_cast<std::size_t>(std::max(max, 0)));
        for (std::size_t i = all.size() - count; i < all.size(); ++i) {
            const auto e = emulated->describe(all[i]);
            json item{{"at", format_time_millis(all[i].at)}, {"command_text", e.command_text}, {"response_text", e.response_text}};
            if (!e.command.empty()) item["command"] = to_hex(e.command);
            if (e.response) item["response"] = to_hex(*e.response);
            items.push_back(item);
        }
    }
    return {{"ok", true}, {"exchanges", items}};
}

json answer(const std::string& line, ControlTarget& t) {
    json request;
    try {
        request = json::parse(line);
    } catch (const json::exception& e) {
        return {{"ok", false}, {"error", std::string("request is not JSON: ") + e.what()}};
    }
    const std::string command = request.value("cmd", "");
    try {
        if (command == "status") return status(t);
        if (command == "insert") return insert(t, request.value("profile", ""));
        if (command == "remove") return {{"ok", true}, {"was_inserted", t.slot.remove()}};
        if (command == "reset") {
            t.slot.reset();
            return {{"ok", true}};
        }
        if (command == "trace") return trace(t, request.value("max", 200));
        if (command == "set_tries") return set_tries(t, request.value("pin", std::string("auth")), request.value("tries", -1));
        if (command == "tear_after") return tear_after(t, request.value("apdus", -1));
        if (command == "shutdown") {
            t.shutdown_requested = true;
            return {{"ok", true}};
        }
    } catch (const std::exception& e) {
        return {{"ok", false}, {"error", e.what()}};
    }
    return {{"ok", false}, {"error", "unknown command '" + command + "' (status, insert, remove, reset, trace, set_tries, tear_after, shutdown)"}};
}

}  // namespace

std::string answer_control_request(const std::string& line, ControlTarget& target) {
    // Replacing bad UTF-8: a byte of the request echoed in an error must not end the daemon.
    return answer(line, target).dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace mynasim::pcsc
