#include "sim_daemon.hpp"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iostream>
#include <memory>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "base/time.hpp"
#include "card/status_words.hpp"
#include "pcsc/private_pcscd.hpp"
#include "pcsc/sim_control.hpp"
#include "pki/authorities.hpp"
#include "profile/card_factory.hpp"
#include "profile/profile_loader.hpp"
#include "state/counter_store.hpp"
#include "transport/emulated_card.hpp"
#include "transport/vpcd_link.hpp"

namespace mynasim::pcsc {

namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

volatile std::sig_atomic_t stop_requested = 0;
void on_stop_signal(int) { stop_requested = 1; }

void log_line(const std::string& text) {
    std::cout << format_time_millis(std::chrono::system_clock::now()) << " " << text << std::endl;
}

// The card in the reader: a profile-driven emulated card (or the benchmark's echo card).
struct LoadedCard {
    std::string profile_file;
    std::string name;
    std::string person;
    std::unique_ptr<transport::CardEndpoint> endpoint;
    transport::EmulatedCard* emulated = nullptr;  // null for the echo card
};

LoadedCard load_card(const SimOptions& options, const std::string& profile_file) {
    LoadedCard loaded;
    if (options.echo_card) {
        loaded.name = "echo";
        loaded.endpoint = std::make_unique<transport::EchoCard>();
        return loaded;
    }
    static const pki::TestPki pki;
    const auto p = profile::load_profile(profile_file);
    auto definition = profile::make_card(p, pki);
    std::unique_ptr<RandomSource> random;
    if (options.seed) random = std::make_unique<SeededRandom>(*options.seed);
    else random = std::make_unique<SystemRandom>();
    std::function<void(const card::CardState&)> persist;
    std::optional<std::filesystem::path> counter_file;
    if (p.persist_counters) {
        counter_file = options.state_dir / (p.name + ".counters");
        persist = [file = *counter_file](const card::CardState& state) { state::save_counters(file, state.tries_left); };
    }
    auto emulated = std::make_unique<transport::EmulatedCard>(definition, std::move(random), persist);
    if (counter_file)
        state::restore_counters(*definition, emulated->card().state(), state::load_counters(*counter_file));
    loaded.profile_file = profile_file;
    loaded.name = p.name;
    loaded.person = p.person;
    loaded.emulated = emulated.get();
    loaded.endpoint = std::move(emulated);
    return loaded;
}

class Daemon {
public:
    explicit Daemon(SimOptions options) : options_(std::move(options)), paths_(options_.dir), files_(options_.dir) {}

    int run() {
        isolate_process(paths_);
        pcscd_ = start_pcscd(paths_);
        log_line("pcscd started, pid " + std::to_string(pcscd_) + ", socket " + paths_.socket.string());
        card_ = load_card(options_, options_.profile);
        log_line("card: " + card_.name);
        open_control();
        inserted_ = options_.start_inserted;
        while (!stop_requested && !shutdown_) {
            keep_link();
            poll_once();
            watch_pcscd();
            if (options_.owner && !process_running(*options_.owner)) {
                log_line("owner process " + std::to_string(*options_.owner) + " has ended; stopping");
                break;
            }
        }
        stop();
        return 0;
    }

private:
    void open_control() {
        std::error_code ignored;
        std::filesystem::remove(files_.control, ignored);
        control_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        const std::string path = files_.control.string();
        if (control_ < 0 || path.size() >= sizeof address.sun_path)
            throw EnvironmentError("control socket path too long: " + path);
        std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
        const mode_t old_mask = ::umask(0077);  // only the owner may control the environment
        const int bound = ::bind(control_, reinterpret_cast<sockaddr*>(&address), sizeof address);
        ::umask(old_mask);
        if (bound != 0 || ::listen(control_, 16) != 0)
            throw EnvironmentError("control socket " + path + ": " + std::strerror(errno));
    }

    // While the card is meant to be in the reader, keep it connected to vpcd (and reconnect after a
    // pcscd restart); a removed card is simply not connected.
    void keep_link() {
        if (!inserted_ || link_) return;
        const auto now = Clock::now();
        if (now < next_connect_) return;
        next_connect_ = now + std::chrono::milliseconds(100);
        const int fd = transport::VpcdLink::connect_loopback(vpcd_port);
        if (fd < 0) return;
        link_ = std::make_unique<transport::VpcdLink>(fd);
        log_line("card inserted (connected to vpcd)");
    }

    void poll_once() {
        std::vector<pollfd> fds;
        fds.push_back({control_, POLLIN, 0});
        const std::size_t polled_clients = clients_.size();
        for (const auto& client : clients_) fds.push_back({client.fd, POLLIN, 0});
        const bool polled_link = link_ != nullptr;
        if (polled_link) fds.push_back({link_->fd(), POLLIN, 0});
        const int ready = ::poll(fds.data(), fds.size(), 100);
        if (ready <= 0) return;
        // Indexes follow the set polled, not the lists as they change below (accept adds a client).
        for (std::size_t c = 0; c < polled_clients; ++c)
            if (fds[1 + c].revents & (POLLIN | POLLHUP | POLLERR)) clients_[c].readable = true;
        if (polled_link && (fds[1 + polled_clients].revents & (POLLIN | POLLHUP | POLLERR))) serve_card();
        if (fds[0].revents & POLLIN) accept_client();
        serve_clients();
    }

    void serve_card() {
        const auto status = link_->serve_one(*card_.endpoint);
        if (status == transport::LinkStatus::Open) return;
        if (status == transport::LinkStatus::Torn) {
            log_line("card torn out (a profile fault, or sim ctl tear-after)");
            inserted_ = false;
        } else {
            log_line("vpcd link closed (" + link_->last_error() + "); reconnecting while inserted");
        }
        link_.reset();
    }

    struct Client {
        int fd;
        std::string buffer;
        bool readable = false;
    };

    void accept_client() {
        const int fd = ::accept4(control_, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0) return;
        constexpr std::size_t max_clients = 32;  // idle connections must not pile up without bound
        if (clients_.size() >= max_clients) {
            ::close(clients_.front().fd);
            clients_.erase(clients_.begin());
        }
        clients_.push_back({fd, {}, false});
    }

    void serve_clients() {
        for (auto& client : clients_) {
            if (!client.readable) continue;
            client.readable = false;
            char buffer[4096];
            const ssize_t n = ::read(client.fd, buffer, sizeof buffer);
            if (n <= 0 || client.buffer.size() > 1 << 20) {
                ::close(client.fd);
                client.fd = -1;
                continue;
            }
            client.buffer.append(buffer, static_cast<std::size_t>(n));
            std::size_t newline;
            while ((newline = client.buffer.find('\n')) != std::string::npos) {
                const std::string line = client.buffer.substr(0, newline);
                client.buffer.erase(0, newline + 1);
                const std::string answer = handle(line).dump() + "\n";
                if (::send(client.fd, answer.data(), answer.size(), MSG_NOSIGNAL) < 0) break;
            }
        }
        std::erase_if(clients_, [](const Client& c) { return c.fd < 0; });
    }

    json handle(const std::string& line) {
        json request;
        try {
            request = json::parse(line);
        } catch (const json::exception& e) {
            return {{"ok", false}, {"error", std::string("request is not JSON: ") + e.what()}};
        }
        const std::string command = request.value("cmd", "");
        try {
            if (command == "status") return status();
            if (command == "insert") return insert(request.value("profile", ""));
            if (command == "remove") return remove();
            if (command == "reset") return reset();
            if (command == "trace") return trace(request.value("max", 200));
            if (command == "set_tries") return set_tries(request.value("pin", std::string("auth")), request.value("tries", -1));
            if (command == "tear_after") return tear_after(request.value("apdus", -1));
            if (command == "shutdown") {
                shutdown_ = true;
                return {{"ok", true}};
            }
        } catch (const std::exception& e) {
            return {{"ok", false}, {"error", e.what()}};
        }
        return {{"ok", false}, {"error", "unknown command '" + command + "' (status, insert, remove, reset, trace, set_tries, tear_after, shutdown)"}};
    }

    json status() const {
        json out{{"ok", true},          {"inserted", inserted_},      {"connected", link_ != nullptr},
                 {"card", card_.name},  {"profile", card_.profile_file}, {"person", card_.person},
                 {"reader", reader_name}, {"socket", paths_.socket.string()}, {"pcscd_pid", pcscd_}};
        if (card_.emulated) {
            const auto& state = card_.emulated->card().state();
            json tries = json::object();
            for (const auto& [id, left] : state.tries_left) tries[id] = left;
            out["tries_left"] = tries;
            out["powered"] = state.powered;
            out["torn"] = state.torn;
            out["apdus_answered"] = state.answered;
        }
        return out;
    }

    json insert(const std::string& profile_file) {
        if (!profile_file.empty()) {
            LoadedCard replacement = load_card(options_, profile_file);  // throws with file:line:col
            link_.reset();
            card_ = std::move(replacement);
            log_line("card replaced: " + card_.name);
        } else if (card_.emulated && card_.emulated->card().state().torn) {
            // Re-inserting a torn card: it is whole again (its fault may tear it again).
            auto& state = card_.emulated->card().state();
            state.torn = false;
            state.answered = 0;
            state.tear_at.reset();
        }
        inserted_ = true;
        next_connect_ = Clock::now();
        const auto deadline = Clock::now() + std::chrono::seconds(5);
        while (!link_ && Clock::now() < deadline) {
            keep_link();
            if (!link_) ::usleep(20000);
        }
        if (!link_) return {{"ok", false}, {"error", "vpcd does not accept the card (is pcscd running? see pcscd.log)"}};
        return {{"ok", true}, {"card", card_.name}};
    }

    json remove() {
        const bool was = inserted_;
        inserted_ = false;
        if (link_) {
            link_.reset();
            log_line("card removed");
        }
        if (card_.emulated) card_.emulated->power_off();
        return {{"ok", true}, {"was_inserted", was}};
    }

    // A scenario sets a PIN's retry counter directly (as if earlier visits had used tries).
    json set_tries(const std::string& pin, int tries) {
        if (!card_.emulated) return {{"ok", false}, {"error", "this card has no PINs"}};
        auto& state = card_.emulated->card().state();
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
    json tear_after(int apdus) {
        if (!card_.emulated) return {{"ok", false}, {"error", "this card cannot be torn"}};
        if (apdus < 0 || apdus > 100000) return {{"ok", false}, {"error", "apdus must be 0 to 100000"}};
        auto& state = card_.emulated->card().state();
        state.tear_at = state.answered + static_cast<std::uint64_t>(apdus);
        log_line("card will be torn after " + std::to_string(apdus) + " more APDUs");
        return {{"ok", true}, {"tear_at", *state.tear_at}};
    }

    json reset() {
        card_.endpoint->reset();
        return {{"ok", true}};
    }

    json trace(int max) const {
        json items = json::array();
        if (card_.emulated) {
            const auto& all = card_.emulated->trace();
            const std::size_t count = std::min<std::size_t>(all.size(), static_cast<std::size_t>(std::max(max, 0)));
            for (std::size_t i = all.size() - count; i < all.size(); ++i) {
                const auto e = card_.emulated->describe(all[i]);
                json item{{"at", format_time_millis(all[i].at)}, {"command_text", e.command_text}, {"response_text", e.response_text}};
                if (!e.command.empty()) item["command"] = to_hex(e.command);
                if (e.response) item["response"] = to_hex(*e.response);
                items.push_back(item);
            }
        }
        return {{"ok", true}, {"exchanges", items}};
    }

    void watch_pcscd() {
        int status = 0;
        if (pcscd_ <= 0 || ::waitpid(pcscd_, &status, WNOHANG) != pcscd_) return;
        log_line("pcscd exited unexpectedly (status " + std::to_string(status) + ")");
        link_.reset();
        if (++pcscd_restarts_ > 5) {
            log_line("pcscd keeps exiting; giving up");
            pcscd_ = -1;
            shutdown_ = true;
            return;
        }
        pcscd_ = start_pcscd(paths_);
        log_line("pcscd restarted, pid " + std::to_string(pcscd_));
    }

    void stop() {
        link_.reset();
        for (auto& client : clients_) ::close(client.fd);
        if (control_ >= 0) ::close(control_);
        std::error_code ignored;
        std::filesystem::remove(files_.control, ignored);
        if (pcscd_ > 0) {
            ::kill(pcscd_, SIGTERM);
            for (int i = 0; i < 50; ++i) {
                if (::waitpid(pcscd_, nullptr, WNOHANG) == pcscd_) {
                    pcscd_ = -1;
                    break;
                }
                ::usleep(100000);
            }
            if (pcscd_ > 0) {
                ::kill(pcscd_, SIGKILL);
                ::waitpid(pcscd_, nullptr, 0);
            }
        }
        log_line("environment stopped");
    }

    SimOptions options_;
    PcscPaths paths_;
    SimFiles files_;
    pid_t pcscd_ = -1;
    int pcscd_restarts_ = 0;
    int control_ = -1;
    std::vector<Client> clients_;
    LoadedCard card_;
    std::unique_ptr<transport::VpcdLink> link_;
    bool inserted_ = false;
    bool shutdown_ = false;
    Clock::time_point next_connect_{};
};

}  // namespace

int run_sim_daemon(const SimOptions& options) {
    struct sigaction action {};
    action.sa_handler = on_stop_signal;
    ::sigaction(SIGTERM, &action, nullptr);
    ::sigaction(SIGINT, &action, nullptr);
    ::signal(SIGPIPE, SIG_IGN);
    try {
        Daemon daemon(options);
        return daemon.run();
    } catch (const std::exception& e) {
        log_line(std::string("error: ") + e.what());
        return 1;
    }
}

}  // namespace mynasim::pcsc
