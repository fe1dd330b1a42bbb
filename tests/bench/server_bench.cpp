// Benchmark of the mock server over loopback (figures printed, nothing asserted):
//   - a 1,000,000-person synthetic store: generation time, open time (with the first read, which makes
//     the in-memory reference data), the reference data's size;
//   - keep-alive load from several connections: requests/s, p50/p99 latency and CPU per request, for
//     insurance-card confirmations spread over every person of the store, and, in the same run, for the
//     same HTTP stack answering a fixed body of the same size as a confirmation's answer (the limit);
//     the two loads alternate in one-second rounds, so that a change in the machine's speed (shared
//     cores) touches both alike; the ratio; the process's peak RSS.
// Arguments: persons (1000000), seconds per load (10), connections (4), server I/O threads (both
// servers; by default as many as `mynasim server run` uses, 2), and a store file to reuse (made when
// missing; by default a temporary one, removed).
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
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/random_source.hpp"
#include "onshi/adapters/controllable_clock.hpp"
#include "onshi/adapters/gateway.hpp"
#include "onshi/adapters/http_server.hpp"
#include "onshi/service/service.hpp"
#include "onshi/store/store.hpp"
#include "pki/authorities.hpp"

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
    double seconds = 0, cpu_seconds = 0;
    std::vector<double> latencies_ms;
    std::size_t errors = 0;
    double rate() const { return seconds > 0 ? static_cast<double>(latencies_ms.size()) / seconds : 0; }
};

double process_cpu_seconds() {
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// `connections` clients, each sending `request(n)` for n = its own sequence, for `duration` seconds;
// adds to `into`.
template <typename MakeRequest>
void load(std::uint16_t port, MakeRequest request, int connections, double duration, std::uint64_t& sequence,
          LoadResult& into) {
    std::vector<std::vector<double>> latencies(static_cast<std::size_t>(connections));
    std::atomic<std::size_t> errors{0};
    std::atomic<std::uint64_t> next{sequence};
    std::vector<std::thread> threads;
    const double cpu_before = process_cpu_seconds();
    const auto start = Clock::now();
    for (int c = 0; c < connections; ++c)
        threads.emplace_back([&, c] {
            const int fd = connect_to(port);
            if (fd < 0) {
                ++errors;
                return;
            }
            std::string buffer, text;
            while (seconds_since(start) < duration) {
                request(next++, text);
                const auto t = Clock::now();
                if (!round_trip(fd, text, buffer)) {
                    ++errors;
                    break;
                }
                latencies[static_cast<std::size_t>(c)].push_back(seconds_since(t) * 1000);
            }
            ::close(fd);
        });
    for (auto& t : threads) t.join();
    into.seconds += seconds_since(start);
    into.cpu_seconds += process_cpu_seconds() - cpu_before;
    into.errors += errors;
    for (auto& l : latencies) into.latencies_ms.insert(into.latencies_ms.end(), l.begin(), l.end());
    sequence = next;
}

double percentile(std::vector<double> values, double p) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    return values[std::min(values.size() - 1, static_cast<std::size_t>(static_cast<double>(values.size()) * p))];
}

std::string http_post(const std::string& target, const std::string& body) {
    return "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/xml\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n\r\n" + body;
}


// An insurance card's fields and its holder's birth date, of one person of the store.
struct CardKey {
    std::string insurer, symbol, number, branch, birth_date;
};

std::string confirmation_body(const CardKey& k) {
    return "<QualificationConfirmationRequest><Mode>card</Mode><InsurerNumber>" + k.insurer + "</InsurerNumber>"
           "<InsuredCardSymbol>" + k.symbol + "</InsuredCardSymbol><InsuredIdentificationNumber>" + k.number +
           "</InsuredIdentificationNumber><InsuredBranchNumber>" + k.branch + "</InsuredBranchNumber><Birthdate>" +
           k.birth_date + "</Birthdate></QualificationConfirmationRequest>";
}

}  // namespace

int main(int argc, char** argv) {
    const std::size_t persons = argc > 1 ? std::stoul(argv[1]) : 1000000;
    const double duration = argc > 2 ? std::stod(argv[2]) : 10.0;
    const int connections = argc > 3 ? std::stoi(argv[3]) : 4;
    mynasim::onshi::ServerOptions options;  // as `mynasim server run` has them, unless told otherwise
    if (argc > 4) options.threads = std::stoi(argv[4]);
    const bool reused = argc > 5;
    const fs::path file = reused ? fs::path(argv[5])
                                 : fs::temp_directory_path() / ("mynasim-server-bench-" + std::to_string(::getpid()) + ".sqlite");

    auto t = Clock::now();
    if (!reused || !fs::exists(file)) {
        mynasim::onshi::Store generator(file.string());
        generator.generate(persons, 1);
        std::printf("%zu persons generated in %.1f s\n", persons, seconds_since(t));
    }
    t = Clock::now();
    mynasim::onshi::Store store(file.string());
    const std::size_t count = store.person_count();
    const double opened = seconds_since(t);
    if (count == 0) {
        std::printf("%s: no persons\n", file.c_str());
        return 1;
    }
    std::printf("mynasim mock server bench: %zu persons, store opened and reference data read in %.2f s (%.0f MB on disk, "
                "%.0f MB in memory)\n",
                count, opened, static_cast<double>(fs::file_size(file)) / 1e6,
                static_cast<double>(store.reference()->memory_bytes()) / 1e6);

    // Every person's card, so that the requests go to all of the store (no working set that a cache
    // could hold); a multiplicative step visits every person before any comes again.
    std::vector<CardKey> cards(count);
    {
        const auto reference = store.reference();
        for (std::size_t i = 0; i < count; ++i) {
            char id[32];
            std::snprintf(id, sizeof id, "SYN-%07zu", i + 1);
            const auto person = reference->person(id);
            const auto history = reference->qualifications(id);
            if (!person || history.empty()) {
                std::printf("%s: %s is not a synthetic person with a qualification\n", file.c_str(), id);
                return 1;
            }
            const auto& q = history.back();  // the current one: what a patient shows
            cards[i] = CardKey{q.insurer, q.symbol, q.number, q.branch, person->birth_date};
        }
    }
    const auto card_of = [&](std::uint64_t n) -> const CardKey& { return cards[(n * 2654435761ULL) % count]; };
    const auto request = [&](std::uint64_t n, std::string& out) { out = http_post("/v2/confirmations", confirmation_body(card_of(n))); };

    const mynasim::pki::TestPki pki;
    const mynasim::onshi::CertificateVerifier verifier(pki.ca_certificate(mynasim::pki::CaId::JpkiAuth), std::nullopt);
    mynasim::SeededRandom random(1);
    mynasim::onshi::ControllableClock clock(mynasim::default_reference_time);
    mynasim::onshi::Service service(store, verifier, [&] { return clock.now(); }, random);
    mynasim::onshi::Gateway gateway(service, clock, "bench", [] {});
    // The service alone, without HTTP: what one request costs in our own code.
    std::size_t answer_size = 0;
    {
        const auto begin = Clock::now();
        std::uint64_t calls = 0;
        while (seconds_since(begin) < 1.0) {
            const auto answer = service.handle({"POST", "/v2/confirmations", confirmation_body(card_of(calls)), {}, {}});
            if (answer.status != 200) {
                std::printf("unexpected answer: %s\n", answer.body.c_str());
                return 1;
            }
            answer_size = answer.body.size();
            ++calls;
        }
        const double per_call_us = seconds_since(begin) * 1e6 / static_cast<double>(calls);
        std::printf("service alone, one thread: %.1f us per insurance-card confirmation (%.0f calls/s, answers of %zu bytes)\n",
                    per_call_us, 1e6 / per_call_us, answer_size);
    }

    mynasim::onshi::HttpServer server([&](const mynasim::onshi::HttpRequest& r) { return gateway.handle(r); }, options);
    std::thread serving([&] { server.run(); });
    const std::string fixed_body(answer_size, 'x');  // as large as a confirmation's answer
    mynasim::onshi::HttpServer raw(
        [&](const mynasim::onshi::HttpRequest&) {
            return mynasim::onshi::HttpResponse{200, "application/xml; charset=UTF-8", fixed_body, 0,
                                                mynasim::onshi::Delivery::Normal};
        },
        options);
    std::thread raw_serving([&] { raw.run(); });

    // Alternating rounds of about one second each, the limit first in every other round.
    const int rounds = std::max(1, static_cast<int>(duration + 0.5));
    const double round_seconds = duration / rounds;
    LoadResult limit, real;
    std::vector<double> round_ratios;
    std::uint64_t limit_sequence = 0, real_sequence = 0;
    for (int r = 0; r < rounds; ++r) {
        const auto limit_before = limit.latencies_ms.size();
        const double limit_seconds_before = limit.seconds;
        const auto real_before = real.latencies_ms.size();
        const double real_seconds_before = real.seconds;
        for (int half = 0; half < 2; ++half) {
            if ((half == 0) == (r % 2 == 0)) load(raw.port(), request, connections, round_seconds, limit_sequence, limit);
            else load(server.port(), request, connections, round_seconds, real_sequence, real);
        }
        const double limit_rate = static_cast<double>(limit.latencies_ms.size() - limit_before) / (limit.seconds - limit_seconds_before);
        const double real_rate = static_cast<double>(real.latencies_ms.size() - real_before) / (real.seconds - real_seconds_before);
        if (limit_rate > 0) round_ratios.push_back(real_rate / limit_rate);
    }
    const auto report = [&](const char* label, const LoadResult& l) {
        const double requests = static_cast<double>(l.latencies_ms.size());
        std::printf("%-56s %8.0f req/s  p50 %.2f ms  p99 %.2f ms  CPU %.1f us/req  (%zu errors)\n", label, l.rate(),
                    percentile(l.latencies_ms, 0.5), percentile(l.latencies_ms, 0.99),
                    requests > 0 ? l.cpu_seconds * 1e6 / requests : 0.0, l.errors);
    };
    report("same HTTP stack, fixed body (the limit)", limit);
    const std::string label = "insurance-card confirmations over all " + std::to_string(count) + " persons";
    report(label.c_str(), real);
    if (limit.rate() > 0) {
        std::sort(round_ratios.begin(), round_ratios.end());
        std::printf("ratio server/limit: %.2f (goal >= 0.70; per round %.2f-%.2f); %d connections, keep-alive, %d rounds of "
                    "%.1f s each, %d I/O thread(s)\n",
                    real.rate() / limit.rate(), round_ratios.front(), round_ratios.back(), connections, rounds, round_seconds,
                    options.threads);
    }
    std::printf("CPU per request is the whole process's (server and load generator) on %u cores\n",
                std::thread::hardware_concurrency());
    std::printf("peak RSS of this process (server + load generator): %.0f MB\n", static_cast<double>(peak_rss_kb()) / 1024);

    server.stop();
    raw.stop();
    serving.join();
    raw_serving.join();
    if (!reused) {
        std::error_code ignored;
        for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(file.string() + suffix, ignored);
    }
    return real.errors == 0 && limit.errors == 0 ? 0 : 1;
}
