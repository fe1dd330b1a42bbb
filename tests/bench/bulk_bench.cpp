// Benchmark of a bulk job over the file interface (figures printed, nothing asserted): the real
// `mynasim server run --files DIR` process on a synthetic store, one OQSmuquc01req of 10,000 persons
// (95 % of them found, 5 % with a birth date the store does not hold), then OQSmuquc02req until the
// answer is whole: the time from dropping step 1 into Req to the final 02res (and each step's), the
// answer's size, and the server's peak RSS (VmHWM) before the first job and after each. Runs alternate
// the XML and the ZIP answer (two servers, A B A B), so that a change of the machine's speed touches both.
// Arguments: the mynasim binary, persons in the store (100000), persons in the job (10000), rounds (3).
// Bounded: a fixed number of jobs, files in a temporary folder, the servers on 127.0.0.1.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "base/file_io.hpp"
#include "base/zip_file.hpp"
#include "onshi/store/store.hpp"
#include "onshi/wire/file_names.hpp"
#include "onshi/wire/xml_msg_writer.hpp"
#include "runner/process.hpp"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using namespace mynasim;

namespace {

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

long peak_rss_kib(pid_t pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(status, line);)
        if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
    return -1;
}

void wait_for(const std::function<bool()>& done, const char* what) {
    const auto deadline = Clock::now() + std::chrono::minutes(5);
    while (!done()) {
        if (Clock::now() > deadline) throw std::runtime_error(std::string("bench: no ") + what + " within 5 minutes");
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
}

struct Server {
    std::unique_ptr<harness::Child> child;
    fs::path root;
    bool zip;
};

struct Figures {
    double step1, step2, total;
    std::uintmax_t answer_bytes;
    long rss_kib;
};

Figures run_job(Server& server, const std::string& request_text, const std::string& id) {
    const fs::path req = server.root / "Req", res = server.root / "Res";
    const auto submit = onshi::bulk_request_name(onshi::BulkFamily::List, onshi::RequestKind::BulkSubmission, id);
    const auto result = onshi::bulk_request_name(onshi::BulkFamily::List, onshi::RequestKind::BulkResult, id);
    const auto started = Clock::now();
    write_file_atomically(req / submit.request_name, request_text);
    wait_for([&] { return fs::exists(res / submit.answer_name); }, "step 1 answer");
    const double step1 = seconds_since(started);
    const std::string accepted = read_file(res / submit.answer_name);
    const auto at = accepted.find("<ReceptionNumber>");
    const std::string number = accepted.substr(at + 17, accepted.find('<', at + 17) - at - 17);
    onshi::xmlmsg::BulkResultRequest ask;
    ask.header.medical_institution_code = onshi::xmlmsg::test_institution_code;
    ask.reception_number = number;
    const auto asked = Clock::now();
    write_file_atomically(req / result.request_name, onshi::xmlmsg::write_bulk_result_request(ask, onshi::xmlmsg::Encoding::ShiftJis));
    const fs::path answer = res / (server.zip ? result.zip_answer_name : result.answer_name);
    wait_for([&] { return fs::exists(answer); }, "step 2 answer");
    const double step2 = seconds_since(asked), total = seconds_since(started);
    // whole: the counts say 10,000 (read from the XML, inside the ZIP for a ZIP)
    const std::string xml = server.zip ? read_zip_entry(answer, ".xml")->content : read_file(answer);
    if (xml.find("<SegmentOfResult>1</SegmentOfResult>") == std::string::npos) throw std::runtime_error("bench: step 2 did not succeed: " + xml.substr(0, 600));
    return {step1, step2, total, fs::file_size(answer), peak_rss_kib(server.child->pid())};
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s MYNASIM [store persons] [job persons] [rounds]\n", argv[0]);
        return 2;
    }
    const std::string binary = argv[1];
    const std::size_t persons = argc > 2 ? std::stoul(argv[2]) : 100000;
    const std::size_t job = argc > 3 ? std::stoul(argv[3]) : 10000;
    const int rounds = argc > 4 ? std::stoi(argv[4]) : 3;
    const fs::path dir = fs::temp_directory_path() / ("mynasim-bulk-bench-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    try {
        const fs::path store_file = dir / "store.sqlite";
        std::vector<onshi::xmlmsg::SearchInfo> searches;
        {
            onshi::Store store(store_file.string());
            store.generate(persons);
            // every (persons / job)-th synthetic person, by their newest card; every 20th with a birth date off by a day
            const std::size_t step = std::max<std::size_t>(1, persons / job);
            for (std::size_t i = 0; searches.size() < job && i < persons; i += step) {
                char id[32];
                std::snprintf(id, sizeof id, "SYN-%07zu", i + 1);
                const auto person = store.person(id);
                const auto history = store.qualifications(id);
                if (!person || history.empty()) continue;
                const auto& q = history.back();
                std::string birth = person->birth_date;
                if (searches.size() % 20 == 19) birth[7] = birth[7] == '1' ? '2' : '1';
                searches.push_back({q.insurer.size() == 6 ? "  " + q.insurer : q.insurer, q.symbol, q.number, q.branch, birth, "0", {}});
            }
        }
        onshi::xmlmsg::BulkRequest request;
        request.header.medical_institution_code = onshi::xmlmsg::test_institution_code;
        request.header.arbitrary_file_identifier = "BENCH";
        request.searches = searches;
        const std::string request_text = onshi::xmlmsg::write_bulk_request(request, false, onshi::xmlmsg::Encoding::ShiftJis);
        std::printf("bulk bench: store of %zu synthetic persons; one OQSmuquc01req of %zu searches (%zu bytes, Shift_JIS); %d rounds, "
                    "XML and ZIP answers alternating\n",
                    persons, searches.size(), request_text.size(), rounds);

        std::vector<Server> servers;
        for (const bool zip : {false, true}) {
            Server s;
            s.root = dir / (zip ? "oqs-zip" : "oqs-xml");
            s.zip = zip;
            std::vector<std::string> args{binary, "server", "run", "--listen", "127.0.0.1:0", "--data", store_file.string(), "--files",
                                          s.root.string(), "--bulk-ready-after", "0"};
            if (zip) args.push_back("--bulk-zip");
            s.child = std::make_unique<harness::Child>(args, std::map<std::string, std::string>{});
            const std::string line = s.child->read_line(std::chrono::seconds(120));
            if (line.find("listening on") == std::string::npos) throw std::runtime_error("bench: the server did not start: " + line + s.child->drain());
            servers.push_back(std::move(s));
        }
        for (auto& s : servers) std::printf("  %s server: peak RSS before any job %ld KiB\n", s.zip ? "ZIP" : "XML", peak_rss_kib(s.child->pid()));
        std::vector<Figures> by_kind[2];
        for (int round = 0; round < rounds; ++round)
            for (auto& s : servers) {
                const auto f = run_job(s, request_text, "bench-" + std::to_string(round));
                by_kind[s.zip].push_back(f);
                std::printf("  round %d %s: 01req→01res %.3f s, 02req→02res %.3f s, 01req→final 02res %.3f s; answer %ju bytes; server peak RSS %ld KiB\n",
                            round + 1, s.zip ? "ZIP" : "XML", f.step1, f.step2, f.total, f.answer_bytes, f.rss_kib);
            }
        for (int kind = 0; kind < 2; ++kind) {
            auto totals = by_kind[kind];
            std::sort(totals.begin(), totals.end(), [](const Figures& a, const Figures& b) { return a.total < b.total; });
            const auto& median = totals[totals.size() / 2];
            std::printf("%s answer: median 01req→final 02res %.3f s (min %.3f, max %.3f); peak RSS after the jobs %ld KiB\n", kind ? "ZIP" : "XML",
                        median.total, totals.front().total, totals.back().total, by_kind[kind].back().rss_kib);
        }
        servers.clear();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s\n", e.what());
        fs::remove_all(dir);
        return 1;
    }
    fs::remove_all(dir);
    return 0;
}
