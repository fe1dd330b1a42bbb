// Benchmark of the real PC/SC path: a libpcsclite client -> private pcscd -> vpcd -> card.
// Prints figures; asserts nothing (speed targets live here, not in tests).
//   1. APDU round trips per second to a raw echo card (answers 90 00: the path's limit) and to the
//      emulator (READ BINARY of 256 bytes; VERIFY), in one run, with the ratio.
//   2. Card insert / remove -> SCardGetStatusChange event latency (median, max over N tries).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

#include <PCSC/winscard.h>

#include "pcsc/private_pcscd.hpp"
#include "pcsc/sim_control.hpp"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using mynasim::pcsc::reader_name;

namespace {

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

struct Connection {
    SCARDCONTEXT context = 0;
    SCARDHANDLE card = 0;
    DWORD protocol = 0;
};

bool connect_card(Connection& c) {
    if (SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &c.context) != SCARD_S_SUCCESS) return false;
    return SCardConnect(c.context, reader_name, SCARD_SHARE_SHARED, SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, &c.card,
                        &c.protocol) == SCARD_S_SUCCESS;
}

bool transmit(Connection& c, const std::vector<unsigned char>& apdu, DWORD& length, unsigned char* response) {
    const SCARD_IO_REQUEST* pci = c.protocol == SCARD_PROTOCOL_T1 ? SCARD_PCI_T1 : SCARD_PCI_T0;
    length = 300;
    return SCardTransmit(c.card, pci, apdu.data(), static_cast<DWORD>(apdu.size()), nullptr, response, &length) ==
           SCARD_S_SUCCESS;
}

// APDUs per second for `apdu` repeated during `duration`, after `setup` APDUs. Runs in this process.
double rate(Connection& c, const std::vector<std::vector<unsigned char>>& setup, const std::vector<unsigned char>& apdu,
            double duration, std::size_t expected_length) {
    unsigned char response[300];
    DWORD length = 0;
    for (const auto& s : setup)
        if (!transmit(c, s, length, response)) return -1;
    std::size_t count = 0;
    const auto start = Clock::now();
    while (seconds_since(start) < duration) {
        if (!transmit(c, apdu, length, response) || length != expected_length) return -1;
        ++count;
    }
    return static_cast<double>(count) / seconds_since(start);
}

// Runs `body` in a child whose libpcsclite talks to `socket` (libpcsclite reads the variable once).
template <class Body>
int in_child(const fs::path& socket, Body body) {
    std::fflush(stdout);
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::setenv("PCSCLITE_CSOCK_NAME", socket.c_str(), 1);
        const int code = body();
        std::fflush(stdout);
        ::_exit(code);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : (v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2);
}

// Milliseconds from a control request until SCardGetStatusChange reports the change.
int event_latency(const fs::path& dir, int tries) {
    SCARDCONTEXT context = 0;
    if (SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &context) != SCARD_S_SUCCESS) return 1;
    SCARD_READERSTATE state{};
    state.szReader = reader_name;
    state.dwCurrentState = SCARD_STATE_UNAWARE;
    SCardGetStatusChange(context, 0, &state, 1);
    std::vector<double> inserted, removed;
    for (int i = 0; i < tries; ++i) {
        for (const bool insert : {false, true}) {
            state.dwCurrentState = state.dwEventState & ~SCARD_STATE_CHANGED;
            const auto start = Clock::now();
            mynasim::pcsc::sim_request(dir, {{"cmd", insert ? "insert" : "remove"}});
            while (true) {
                if (SCardGetStatusChange(context, 5000, &state, 1) != SCARD_S_SUCCESS) return 1;
                const bool present = state.dwEventState & SCARD_STATE_PRESENT;
                if (present == insert) break;
                state.dwCurrentState = state.dwEventState & ~SCARD_STATE_CHANGED;
            }
            (insert ? inserted : removed).push_back(seconds_since(start) * 1000);
        }
    }
    SCardReleaseContext(context);
    std::printf("card insert -> event: median %.0f ms, max %.0f ms (%d tries)\n", median(inserted),
                *std::max_element(inserted.begin(), inserted.end()), tries);
    std::printf("card remove -> event: median %.0f ms, max %.0f ms (%d tries)\n", median(removed),
                *std::max_element(removed.begin(), removed.end()), tries);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const double duration = argc > 1 ? std::stod(argv[1]) : 3.0;
    const int tries = argc > 2 ? std::stoi(argv[2]) : 20;
    const fs::path work = fs::temp_directory_path() / ("mynasim-bench-" + std::to_string(::getpid()));
    const fs::path echo_dir = work / "echo", card_dir = work / "card";
    int code = 0;
    try {
        mynasim::pcsc::SimOptions echo;
        echo.dir = echo_dir;
        echo.echo_card = true;
        echo.state_dir = work / "state";
        mynasim::pcsc::SimOptions card;
        card.dir = card_dir;
        card.profile = std::string(MYNASIM_SOURCE_DIR) + "/card-profiles/valid.yaml";
        card.state_dir = work / "state";
        const auto echo_env = mynasim::pcsc::sim_up(echo);
        const auto card_env = mynasim::pcsc::sim_up(card);

        std::printf("mynasim PC/SC bench: libpcsclite -> private pcscd -> vpcd -> card, %.1f s per figure\n", duration);
        const std::vector<unsigned char> select_jpki{0x00, 0xA4, 0x04, 0x0C, 0x0A, 0xD3, 0x92, 0xF0,
                                                     0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01};
        const std::vector<unsigned char> read_256{0x00, 0xB0, 0x8A, 0x00, 0x00};
        const std::vector<unsigned char> verify{0x00, 0x20, 0x00, 0x98, 0x04, '1', '2', '3', '4'};
        // Each figure in its own child: one PC/SC socket per process.
        auto measure = [&](const fs::path& socket, const char* label, const std::vector<std::vector<unsigned char>>& setup,
                           const std::vector<unsigned char>& apdu, std::size_t expected, const char* file) {
            return in_child(socket, [&] {
                Connection c;
                if (!connect_card(c)) return 1;
                const double r = rate(c, setup, apdu, duration, expected);
                std::printf("%-44s %8.0f APDU/s\n", label, r);
                if (FILE* f = std::fopen(file, "w")) {
                    std::fprintf(f, "%f\n", r);
                    std::fclose(f);
                }
                return r > 0 ? 0 : 1;
            });
        };
        const std::string echo_file = (work / "echo.rate").string(), read_file = (work / "read.rate").string(),
                          verify_file = (work / "verify.rate").string();
        code |= measure(echo_env.socket, "raw echo card (90 00)", {}, read_256, 2, echo_file.c_str());
        code |= measure(card_env.socket, "emulator READ BINARY 256 bytes (by SFI)", {select_jpki}, read_256, 258,
                        read_file.c_str());
        code |= measure(card_env.socket, "emulator VERIFY auth PIN (right PIN)", {select_jpki}, verify, 2,
                        verify_file.c_str());
        auto read_rate = [](const std::string& file) {
            double r = 0;
            if (FILE* f = std::fopen(file.c_str(), "r")) {
                if (std::fscanf(f, "%lf", &r) != 1) r = 0;
                std::fclose(f);
            }
            return r;
        };
        const double e = read_rate(echo_file), r = read_rate(read_file), v = read_rate(verify_file);
        if (e > 0)
            std::printf("ratio emulator/echo: READ BINARY %.2f, VERIFY %.2f (goal >= 0.90)\n", r / e, v / e);
        code |= in_child(card_env.socket, [&] { return event_latency(card_dir, tries); });
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench: %s\n", e.what());
        code = 1;
    }
    mynasim::pcsc::sim_down(echo_dir);
    mynasim::pcsc::sim_down(card_dir);
    std::error_code ignored;
    fs::remove_all(work, ignored);
    return code;
}
