// mynasim server gen | server check (and `server run`, in server_run.cpp).
#include <chrono>
#include <filesystem>
#include <iostream>

#include "cli/commands.hpp"
#include "onshi/store/dataset_loader.hpp"
#include "onshi/store/store.hpp"
#include "base/yaml_strict.hpp"

namespace mynasim::cli {

void add_server_commands(CLI::App& app, int& exit_code) {
    auto* server = app.add_subcommand("server", "The mock オンライン資格確認等システム: run it, check and generate datasets");
    server->require_subcommand(1);
    add_server_run_command(*server, exit_code);

    struct GenOptions {
        std::size_t persons = 0;
        std::string out;
        std::uint64_t seed = 1;
        bool force = false;
    };
    auto gen = std::make_shared<GenOptions>();
    auto* gen_command = server->add_subcommand(
        "gen", "Write a deterministic synthetic dataset (names and numbers say SYNTHETIC) as a SQLite store");
    gen_command->add_option("--persons", gen->persons, "How many persons")->required()->check(CLI::Range(1, 10000000));
    gen_command->add_option("-o,--out", gen->out, "SQLite file to write")->required();
    gen_command->add_option("--seed", gen->seed, "Seed (same seed, same data)");
    gen_command->add_flag("--force", gen->force, "Overwrite an existing file");
    gen_command->callback([gen, &exit_code] {
        try {
            if (std::filesystem::exists(gen->out) && !gen->force) {
                std::cerr << "mynasim server gen: " << gen->out << " exists (use --force to replace it)\n";
                exit_code = exit_failed;
                return;
            }
            for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(gen->out + suffix);
            const auto start = std::chrono::steady_clock::now();
            onshi::Store store(gen->out);
            store.generate(gen->persons, gen->seed);
            const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            // (What was written, not read back: reading it would build the server's in-memory copy for nothing.)
            std::cout << "wrote " << gen->persons << " synthetic persons to " << gen->out << " in " << seconds
                      << " s\n";
            exit_code = exit_ok;
        } catch (const std::exception& e) {
            std::cerr << "mynasim server gen: " << e.what() << "\n";
            exit_code = exit_failed;
        }
    });

    auto files = std::make_shared<std::vector<std::string>>();
    auto* check = server->add_subcommand("check", "Load dataset YAML files strictly; print a summary or file:line:col errors");
    check->add_option("files", *files, "Dataset files")->required()->check(CLI::ExistingFile);
    check->callback([files, &exit_code] {
        int bad = 0;
        for (const auto& file : *files) {
            try {
                const auto data = onshi::load_dataset(file);
                std::size_t certificates = 0, qualifications = 0;
                for (const auto& p : data.persons) {
                    certificates += p.certificates.size();
                    qualifications += p.qualifications.size();
                }
                onshi::Store store(":memory:");
                store.load(data);  // the store's own constraints too
                std::cout << "ok    " << file << "  (" << data.insurers.size() << " insurers, " << data.persons.size()
                          << " persons, " << certificates << " certificates, " << qualifications << " qualifications)\n";
            } catch (const yaml::LoadError& e) {
                std::cerr << e.what() << "\n";
                ++bad;
            } catch (const std::exception& e) {
                std::cerr << file << ":1:1: " << e.what() << "\n";
                ++bad;
            }
        }
        exit_code = bad ? exit_failed : exit_ok;
    });
}

}  // namespace mynasim::cli
