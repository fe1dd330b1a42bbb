// Benchmark of the mock server over loopback (figures printed, nothing asserted):
//   - a 1,000,000-person synthetic store: generation time, open time;
//   - keep-alive load from several connections: requests/s, p50/p99 latency, for insurance-card
//     confirmations against that store, and, in the same run, for the same HTTP stack answering a fixed
//     body (the limit); the ratio; the process's peak RSS.
// Arguments: persons (1000000), seconds per load (5), connections (4), server I/O threads (1; both servers).
// Bounded: fixed duration, 127.0.0.1 only.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include "card/random_source.hpp"
#include "onshi/controllable_clock.hpp"
#include "onshi/gateway.hpp"
#include "onshi/http_server.hpp"
#include "onshi/service.hpp"
#include "onshi/store.hpp"
#include "pki/test_pki.hpp"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

long peak_rss_kb() {
    std::ifstream in("/proc/self/status");
    for (std::string line; std::getline(in, line);)
        if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
    return 0;
}

int connect_to(std::uint16_t port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) return -1;
    const int on = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    return fd;
}

// Sends one request and reads one response (Content-Length framed). False on any error.
bool round_trip(int fd, const std::string& request, std::string& buffer) {
    if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(request.size())) return false;
    buffer.clear();
    std::size_t header_end = std::string::npos, total = 0;
    char chunk[16384];
    while (true) {
        const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
        if (n <= 0) return false;
        buffer.append(chunk, static_cast<std::size_t>(n));
        if (header_end == std::string::npos) {
            header_end = buffer.find("\r\n\r\n");
            if (header_end == std::string::npos) continue;
            const auto cl = buffer.find("Content-Length: ");
            if (cl == std::string::npos || cl > header_end) return false;
            total = header_end + 4 + std::stoul(buffer.substr(cl + 16));
        }
        if (buffer.size() >= total) return buffer.compare(9, 3, "200") == 0;
    }
}

struct LoadResult {
    double rate = 0, p50_ms = 0, p99_ms = 0;
    std::size_t errors = 0;
};

LoadResult load(std::uint16_t port, const std::vector<std::string>& requests, int connections, double duration) {
    std::vector<std::vector<double>> latencies(static_cast<std::size_t>(connections));
    std::atomic<std::size_t> errors{0};
    std::vector<std::thread> threads;
    const auto start = Clock::now();
    for (int c = 0; c < connections; ++c)
        threads.emplace_back([&, c] {
            const int fd = connect_to(port);
            if (fd < 0) {
                ++errors;
                return;
            }
            std::string buffer;
            std::size_t i = static_cast<std::size_t>(c);
            while (seconds_since(start) < duration) {
                const auto t = Clock::now();
                if (!round_trip(fd, requests[i++ % requests.size()], buffer)) {
                    ++errors;
                    break;
                }
                latencies[static_cast<std::size_t>(c)].push_back(seconds_since(t) * 1000);
            }
            ::close(fd);
        });
    for (auto& t : threads) t.join();
    const double elapsed = seconds_since(start);
    std::vector<double> all;
    for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
    std::sort(all.begin(), all.end());
    LoadResult r;
    r.errors = errors;
    if (!all.empty()) {
        r.rate = static_cast<double>(all.size()) / elapsed;
        r.p50_ms = all[all.size() / 2];
        r.p99_ms = all[std::min(all.size() - 1, all.size() * 99 / 100)];
    }
    return r;
}

std::string http_post(const std::string& target, const std::string& body) {
    return "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/xml\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n\r\n" + body;
}

}  // namespace

int main(int argc, char** argv) {
    const std::size_t persons = argc > 1 ? std::stoul(argv[1]) : 1000000;
    const double duration = argc > 2 ? std::stod(argv[2]) : 5.0;
    const int connections = argc > 3 ? std::stoi(argv[3]) : 4;
    const fs::path file = fs::temp_directory_path() / ("mynasim-server-bench-" + std::to_string(::getpid()) + ".sqlite");

    auto t = Clock::now();
    {
        mynasim::onshi::Store generator(file.string());
        generator.generate(persons, 1);
    }
    const double generated = seconds_since(t);
    t = Clock::now();
    mynasim::onshi::Store store(file.string());
    const std::size_t count = store.person_count();
    const double opened = seconds_since(t);
    std::printf("mynasim mock server bench: %zu persons generated in %.1f s, store opened in %.3f s (%.0f MB on disk)\n",
                count, generated, opened, static_cast<double>(fs::file_size(file)) / 1e6);

    // Requests: insurance-card confirmations of 2000 persons spread over the store.
    std::vector<std::string> requests;
    for (std::size_t i = 0; i < 2000; ++i) {
        char id[32];
        std::snprintf(id, sizeof id, "SYN-%07zu", 1 + (i * 7919) % count);
        const auto person = store.person(id);
        const auto q = store.qualifications(id).at(0);
        requests.push_back(http_post(
            "/v1/confirmations",
            "<QualificationConfirmationRequest><Mode>card</Mode><InsurerNumber>" + q.insurer + "</InsurerNumber>"
            "<InsuredCardSymbol>" + q.symbol + "</InsuredCardSymbol><InsuredIdentificationNumber>" + q.number +
            "</InsuredIdentificationNumber><InsuredBranchNumber>" + q.branch + "</InsuredBranchNumber><Birthdate>" +
            person->birth_date + "</Birthdate></QualificationConfirmationRequest>"));
    }

    const mynasim::pki::TestPki pki;
    const mynasim::onshi::CertificateVerifier verifier(pki.ca_certificate(mynasim::pki::CaId::JpkiAuth), std::nullopt);
    mynasim::card::SeededRandom random(1);
    mynasim::onshi::ControllableClock clock(mynasim::pki::default_reference_time);
    mynasim::onshi::Service service(store, verifier, [&] { return clock.now(); }, random);
    mynasim::onshi::Gateway gateway(service, clock, "bench", [] {});
    // The service alone, without HTTP: what one request costs in our own code.
    {
        const auto begin = Clock::now();
        std::size_t calls = 0;
        while (seconds_since(begin) < 1.0) {
            const auto& raw = requests[calls % requests.size()];
            const auto answer = service.handle({"POST", "/v1/confirmations", raw.substr(raw.find("\r\n\r\n") + 4), {}, {}});
            if (answer.status != 200) std::printf("unexpected answer: %s\n", answer.body.c_str());
            ++calls;
        }
        const double per_call_us = seconds_since(begin) * 1e6 / static_cast<double>(calls);
        std::printf("service alone, one thread: %.1f us per insurance-card confirmation (%.0f calls/s)\n", per_call_us,
                    1e6 / per_call_us);
    }
    mynasim::onshi::ServerOptions options;
    options.threads = argc > 4 ? std::stoi(argv[4]) : 1;

    mynasim::onshi::HttpServer server([&](const mynasim::onshi::HttpRequest& r) { return gateway.handle(r); }, options);
    std::thread serving([&] { server.run(); });
    const std::string fixed_body(600, 'x');  // about the size of a confirmation answer
    mynasim::onshi::HttpServer raw(
        [&](const mynasim::onshi::HttpRequest&) {
            return mynasim::onshi::HttpResponse{200, "application/xml; charset=UTF-8", fixed_body, 0,
                                                mynasim::onshi::Delivery::Normal};
        },
        options);
    std::thread raw_serving([&] { raw.run(); });

    const auto limit = load(raw.port(), requests, connections, duration);
    const auto real = load(server.port(), requests, connections, duration);
    std::printf("%-52s %8.0f req/s  p50 %.2f ms  p99 %.2f ms  (%zu errors)\n", "same HTTP stack, fixed body (the limit)",
                limit.rate, limit.p50_ms, limit.p99_ms, limit.errors);
    const std::string label = "insurance-card confirmations, " + std::to_string(count) + "-person store";
    std::printf("%-52s %8.0f req/s  p50 %.2f ms  p99 %.2f ms  (%zu errors)\n", label.c_str(), real.rate, real.p50_ms,
                real.p99_ms, real.errors);
    if (limit.rate > 0) std::printf("ratio server/limit: %.2f (goal >= 0.70); %d connections, keep-alive, %.0f s each, %d I/O thread(s)\n",
                                    real.rate / limit.rate, connections, duration, options.threads);
    std::printf("peak RSS of this process (server + load generator): %.0f MB\n", static_cast<double>(peak_rss_kb()) / 1024);

    server.stop();
    raw.stop();
    serving.join();
    raw_serving.join();
    std::error_code ignored;
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(file.string() + suffix, ignored);
    return real.errors == 0 && limit.errors == 0 ? 0 : 1;
}
