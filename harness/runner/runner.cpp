#include "runner.hpp"

#include <atomic>
#include <mutex>
#include <thread>

namespace mynasim::harness {

std::vector<CaseResult> run_cases(const std::vector<Case>& cases, const std::map<std::string, const ClientAdapter*>& clients,
                                  const RunnerSettings& settings,
                                  const std::function<void(CaseResult&)>& on_done) {
    std::vector<CaseResult> results(cases.size());
    std::atomic<std::size_t> next{0};
    std::mutex report_mutex;
    const auto reception = make_reception_adapter();
    auto worker = [&](int number) {
        // A worker's bench lives as long as the worker: its pcscd and card environment are reused,
        // the card is replaced and the server restarted for every case.
        std::unique_ptr<TestBench> bench;
        for (std::size_t i = next++; i < cases.size(); i = next++) {
            if (!bench) bench = std::make_unique<TestBench>(settings.work_dir / ("worker-" + std::to_string(number)), settings.case_settings.mynasim_binary);
            results[i] = run_case(cases[i], *bench, *clients.at(cases[i].client), *reception, settings.case_settings);
            // A bench that broke is not trusted with the next case.
            if (results[i].verdict == Verdict::Error) bench.reset();
            std::lock_guard lock(report_mutex);
            on_done(results[i]);
        }
    };
    std::vector<std::thread> threads;
    const int jobs = std::max(1, std::min<int>(settings.jobs, static_cast<int>(cases.size())));
    for (int n = 1; n < jobs; ++n) threads.emplace_back(worker, n + 1);
    worker(1);
    for (auto& t : threads) t.join();
    return results;
}

}  // namespace mynasim::harness
