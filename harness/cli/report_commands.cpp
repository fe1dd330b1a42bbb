// mynasim report verify | merge: check a report folder's signed manifest; join shards into one report.
#include <fstream>
#include <iostream>
#include <sstream>

#include "base/file_io.hpp"
#include "cli/commands.hpp"
#include "reports/merge.hpp"
#include "reports/report_folder.hpp"

namespace mynasim::cli {

void add_report_commands(CLI::App& app, int& exit_code) {
    auto* report = app.add_subcommand("report", "Conformance reports: verify a signed report folder, merge shards");
    report->require_subcommand(1);

    auto dir = std::make_shared<std::string>();
    auto key = std::make_shared<std::string>();
    auto* verify = report->add_subcommand("verify", "Check DIR's manifest signature and every report file's SHA-256; exit 1 on any edit");
    verify->add_option("dir", *dir, "The report folder")->required()->check(CLI::ExistingDirectory);
    verify->add_option("--key", *key, "The signer's public key (PEM): also require that signer")->check(CLI::ExistingFile);
    verify->callback([dir, key, &exit_code] {
        const std::string pem = key->empty() ? std::string() : read_file(*key);
        const auto v = reports::verify_manifest(*dir, pem);
        for (const auto& problem : v.problems) std::cout << "FAIL " << problem << "\n";
        if (v.ok) std::cout << "ok: every file matches the manifest, signed by key sha256:" << v.signer_fingerprint << "\n";
        exit_code = v.ok ? exit_ok : exit_failed;
    });

    auto out = std::make_shared<std::string>();
    auto sources = std::make_shared<std::vector<std::string>>();
    auto sign_key = std::make_shared<std::string>();
    auto* merge = report->add_subcommand("merge", "Join the reports of shards (mynasim run --shard K/N) into one signed report");
    merge->add_option("sources", *sources, "Report folders of the shards")->required()->check(CLI::ExistingDirectory);
    merge->add_option("--out", *out, "The merged report's folder")->required();
    merge->add_option("--sign-key", *sign_key, "Ed25519 private key (PEM) for the manifest (default: a throwaway TEST key)")
        ->check(CLI::ExistingFile);
    merge->callback([out, sources, sign_key, &exit_code] {
        try {
            std::vector<std::filesystem::path> dirs(sources->begin(), sources->end());
            const auto merged = reports::merge_reports(dirs);
            const auto key_material = reports::load_or_generate_signing_key(*sign_key);
            reports::write_report_folder(merged, *out, key_material);
            const auto& t = merged["totals"];
            std::cout << "merged " << dirs.size() << " reports: " << t["cases"].get<int>() << " cases, " << t["pass"].get<int>() << " passed, "
                      << t["fail"].get<int>() << " failed, " << t["error"].get<int>() << " errors, " << t["waived"].get<int>()
                      << " waived; in " << *out << "\n";
            if (key_material.generated) std::cerr << "warning: signed with a throwaway TEST key (give --sign-key FILE)\n";
            exit_code = exit_ok;
        } catch (const std::exception& e) {
            std::cerr << "mynasim report merge: " << e.what() << "\n";
            exit_code = exit_failed;
        }
    });
}

}  // namespace mynasim::cli
