#include "sim_daemon.hpp"

#include <csignal>
#include <memory>
#include <optional>
#include <vector>

#include <poll.h>

#include "pcsc/control_protocol.hpp"
#include "pcsc/control_socket.hpp"
#include "pcsc/pcscd_supervisor.hpp"
#include "pcsc/private_pcscd.hpp"
#include "pcsc/reader_slot.hpp"
#include "pcsc/sim_card.hpp"
#include "pcsc/sim_control.hpp"
#include "pcsc/sim_log.hpp"

namespace mynasim::pcsc {

namespace {

volatile std::sig_atomic_t stop_requested = 0;
void on_stop_signal(int) { stop_requested = 1; }

// The poll loop: the control socket, the card's vpcd link and the pcscd it supervises.
class Daemon {
public:
    explicit Daemon(SimOptions options) : options_(std::move(options)), paths_(options_.dir), files_(options_.dir), pcscd_(paths_) {}

    int run() {
        isolate_process(paths_);
        pcscd_.start();
        slot_.emplace(options_, load_sim_card(options_, options_.profile), options_.start_inserted);
        log_line("card: " + slot_->card().name);
        control_.emplace(files_.control);
        while (!stop_requested && !shutdown_) {
            slot_->keep_link();
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
    void poll_once() {
        std::vector<pollfd> fds;
        control_->add_poll_fds(fds);
        const int link = slot_->link_fd();
        if (link >= 0) fds.push_back({link, POLLIN, 0});
        const int ready = ::poll(fds.data(), fds.size(), 100);
        if (ready <= 0) return;
        if (link >= 0 && (fds.back().revents & (POLLIN | POLLHUP | POLLERR))) slot_->serve_card();
        control_->serve(fds.data(), [this](const std::string& line) {
            ControlTarget target{*slot_, paths_, pcscd_.pid()};
            std::string answer = answer_control_request(line, target);
            if (target.shutdown_requested) shutdown_ = true;
            return answer;
        });
    }

    void watch_pcscd() {
        bool restarted = false;
        if (!pcscd_.watch(restarted)) {
            slot_->drop_link();
            shutdown_ = true;
        } else if (restarted) {
            slot_->drop_link();
        }
    }

    void stop() {
        if (slot_) slot_->drop_link();
        control_.reset();  // closes the connections and removes the socket
        pcscd_.stop();
        log_line("environment stopped");
    }

    SimOptions options_;
    PcscPaths paths_;
    SimFiles files_;
    PcscdSupervisor pcscd_;
    std::optional<ReaderSlot> slot_;
    std::optional<ControlSocket> control_;
    bool shutdown_ = false;
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
