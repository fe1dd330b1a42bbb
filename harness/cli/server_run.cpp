// mynasim server run: the mock オンライン資格確認等システム over HTTP(S).
#include <chrono>
#include <csignal>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include <pthread.h>

#include "base/file_io.hpp"
#include "base/random_source.hpp"
#include "crypto/base64.hpp"
#include "cli/commands.hpp"
#include "onshi/store/dataset_loader.hpp"
#include "onshi/adapters/controllable_clock.hpp"
#include "onshi/service/error_table.hpp"
#include "onshi/adapters/file_drop.hpp"
#include "onshi/wire/xml_msg.hpp"
#include "onshi/adapters/gateway.hpp"
#include "onshi/adapters/http_server.hpp"
#include "onshi/service/service.hpp"
#include "onshi/store/store.hpp"
#include "pki/authorities.hpp"
#include "base/yaml_strict.hpp"

namespace mynasim::cli {

namespace {

struct RunOptions {
    std::string data, listen = "127.0.0.1:8420", tls_cert, tls_key, client_ca, clock = "2026-04-01T00:00:00Z", store;
    std::string admin_token;
    std::string crl;
    std::string files;
    std::string institution = onshi::xmlmsg::test_institution_code;
    std::string charset_codes = "0,1";  // CharacterCodeIdentifier for UTF-8, Shift_JIS
    std::string face_encoding = "Shift_JIS";
    std::string expiry_grace_from = "expiry";
    std::int64_t bulk_ready_after = 10, bulk_keep_days = 7;
    bool bulk_zip = false;
};

// "0,1" or "1,2": the CharacterCodeIdentifier values of UTF-8 and Shift_JIS (the sources disagree).
void apply_charset_codes(const std::string& text, onshi::ServiceSettings& settings) {
    const auto comma = text.find(',');
    const std::string utf8 = text.substr(0, comma), sjis = comma == std::string::npos ? "" : text.substr(comma + 1);
    const auto is_code = [](const std::string& c) { return c.size() == 1 && c[0] >= '0' && c[0] <= '9'; };
    if (!is_code(utf8) || !is_code(sjis) || utf8 == sjis)
        throw std::invalid_argument("--charset-codes takes UTF8,SHIFT_JIS, two different digits (e.g. 0,1 or 1,2), found '" + text + "'");
    settings.utf8_code = utf8;
    settings.shift_jis_code = sjis;
}

// A CRL file in PEM or DER.
Bytes read_crl(const std::string& path) {
    const std::string text = read_file(path);
    const std::string begin = "-----BEGIN X509 CRL-----", end = "-----END X509 CRL-----";
    const auto b = text.find(begin);
    if (b == std::string::npos) return Bytes(text.begin(), text.end());
    const auto e = text.find(end, b);
    if (e == std::string::npos) throw std::runtime_error(path + ": PEM CRL without its END line");
    auto der = crypto::base64_decode(text.substr(b + begin.size(), e - b - begin.size()));
    if (!der) throw std::runtime_error(path + ": the PEM CRL is not base64");
    return *der;
}

int run(const RunOptions& o) {
    // The store: a SQLite file as is (e.g. from `server gen`), or a YAML dataset loaded into memory
    // (or into --store FILE, so registrations survive a restart).
    std::unique_ptr<onshi::Store> store;
    std::optional<onshi::Dataset> dataset;
    const bool sqlite = o.data.size() > 7 && o.data.substr(o.data.size() - 7) == ".sqlite";
    if (sqlite) {
        store = std::make_unique<onshi::Store>(o.data);
    } else {
        dataset = o.data.empty() ? onshi::load_dataset_text(onshi::default_dataset_text(), "default-dataset.yaml")
                                 : onshi::load_dataset(o.data);
        store = std::make_unique<onshi::Store>(o.store.empty() ? ":memory:" : o.store);
        store->load(*dataset);
    }
    // The reference data is read into memory now (about 2 s for a million persons), not by the first request.
    store->reference();
    std::string error;
    const auto start = resolve_time(o.clock, default_reference_time, error);
    if (!start) throw std::runtime_error("--clock: " + error);
    // The server's clock starts at --clock and runs at real speed; the admin API sets or moves it.
    onshi::ControllableClock clock(*start);
    const pki::TestPki pki;
    std::optional<Bytes> crl;
    if (!o.crl.empty()) crl = read_crl(o.crl);
    std::unique_ptr<onshi::CertificateVerifier> verifier_holder;
    try {
        verifier_holder = std::make_unique<onshi::CertificateVerifier>(pki.ca_certificate(pki::CaId::JpkiAuth), crl);
    } catch (const std::invalid_argument& e) {
        throw std::runtime_error("--crl " + o.crl + ": " + e.what());
    }
    const onshi::CertificateVerifier& verifier = *verifier_holder;
    SystemRandom random;
    onshi::ServiceSettings settings;
    settings.institution_code = o.institution;
    apply_charset_codes(o.charset_codes, settings);
    settings.expiry.count = *onshi::grace_count_named(o.expiry_grace_from);  // (checked by the option)
    onshi::Service service(*store, verifier, [&clock] { return clock.now(); }, random, onshi::ErrorTable::builtin(), settings);
    std::string token = o.admin_token;
    if (token.empty()) {
        Bytes bytes(16);
        random.fill(bytes);
        token = to_hex(bytes);
    }
    onshi::Gateway gateway(service, clock, token, [&] {
        if (!dataset) throw std::invalid_argument("reset needs a YAML dataset (this server runs on a .sqlite store)");
        store->load(*dataset);
        store->reference();
    });

    onshi::ServerOptions options;
    const auto colon = o.listen.rfind(':');
    if (colon == std::string::npos) throw std::runtime_error("--listen must be ADDRESS:PORT, found '" + o.listen + "'");
    options.address = o.listen.substr(0, colon);
    if (options.address.size() > 2 && options.address.front() == '[') options.address = options.address.substr(1, options.address.size() - 2);
    options.port = static_cast<std::uint16_t>(std::stoul(o.listen.substr(colon + 1)));
    if (!o.tls_cert.empty() || !o.tls_key.empty()) {
        if (o.tls_cert.empty() || o.tls_key.empty()) throw std::runtime_error("--tls-cert and --tls-key go together");
        options.tls = onshi::TlsOptions{read_file(o.tls_cert), read_file(o.tls_key),
                                        o.client_ca.empty() ? std::string() : read_file(o.client_ca)};
    }

    // SIGINT/SIGTERM end the server cleanly: blocked in every thread, awaited by one.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    onshi::HttpServer server([&gateway](const onshi::HttpRequest& request) { return gateway.handle(request); }, options);
    // The file interface shares the service and the journal with HTTP; reader confirmations go to Face.
    // It is ready (folders made, watch set) before the first line says the server is up.
    std::unique_ptr<onshi::FileDrop> files;
    if (!o.files.empty()) {
        onshi::FileDropOptions file_options;
        file_options.root = o.files;
        file_options.face_encoding = o.face_encoding == "UTF-8" ? onshi::xmlmsg::Encoding::Utf8 : onshi::xmlmsg::Encoding::ShiftJis;
        file_options.bulk_ready_after_seconds = o.bulk_ready_after;
        file_options.bulk_keep_seconds = o.bulk_keep_days * 24 * 3600;
        file_options.bulk_zip = o.bulk_zip;
        files = std::make_unique<onshi::FileDrop>(service, gateway.journal(), [&clock] { return clock.now(); }, file_options);
        files->start();
        service.set_reader_observer([&files](const onshi::ReaderConfirmation& event) { files->reader_confirmation(event); });
    }
    std::cout << "mock オンライン資格確認等システム listening on " << (options.tls ? "https" : "http") << "://"
              << options.address << ":" << server.port() << " (" << store->person_count() << " persons, clock "
              << format_time(*start) << ")" << std::endl;
    std::cout << "admin token: " << token << std::endl;
    std::cout << "institution: " << o.institution << std::endl;
    if (files) std::cout << "file interface: " << o.files << " (Req → Res, Face)" << std::endl;
    std::thread waiter([&] {
        int received = 0;
        sigwait(&signals, &received);
        server.stop();
    });
    server.run();
    // If run() ended for another reason, release the waiting thread.
    pthread_kill(waiter.native_handle(), SIGTERM);
    waiter.join();
    if (files) {
        service.set_reader_observer(nullptr);
        files->stop();
    }
    std::cout << "stopped" << std::endl;
    return exit_ok;
}

}  // namespace

void add_server_run_command(CLI::App& server, int& exit_code) {
    auto o = std::make_shared<RunOptions>();
    auto* run_command = server.add_subcommand(
        "run", "Serve the mock server's calls over HTTP(S) until SIGINT/SIGTERM (docs/onshi-api.md)");
    run_command->add_option("--data", o->data, "Dataset: YAML, or a .sqlite store (default: the shipped default dataset)")
        ->check(CLI::ExistingFile);
    run_command->add_option("--listen", o->listen, "ADDRESS:PORT to listen on (port 0: any free port)")->capture_default_str();
    run_command->add_option("--tls-cert", o->tls_cert, "Server certificate (PEM), e.g. from `mynasim pki emit`: server/server.crt")
        ->check(CLI::ExistingFile);
    run_command->add_option("--tls-key", o->tls_key, "Server private key (PEM)")->check(CLI::ExistingFile);
    run_command->add_option("--client-ca", o->client_ca, "Require client certificates issued by this CA (PEM)")
        ->check(CLI::ExistingFile);
    run_command->add_option("--clock", o->clock, "Start of the server's clock (absolute, or relative to 2026-04-01)")
        ->capture_default_str();
    run_command->add_option("--store", o->store, "With a YAML dataset: keep the store (and registrations) in this SQLite file");
    run_command->add_option("--admin-token", o->admin_token, "Bearer token of the admin API (default: random, printed at start)");
    run_command->add_option("--crl", o->crl, "CRL of the JPKI auth CA (PEM or DER), e.g. from `mynasim pki emit`: crl/jpki-auth-ca.crl")
        ->check(CLI::ExistingFile);
    run_command->add_option("--files", o->files, "Serve the file interface in this folder: Req/ in, Res/ and Face/ out (docs/file-interface.md)");
    run_command->add_option("--institution", o->institution, "The 医療機関コード this terminal serves (10 digits; a request for another is refused)")
        ->capture_default_str()->check([](const std::string& v) {
            return v.size() == 10 && v.find_first_not_of("0123456789") == std::string::npos ? std::string() : std::string("10 digits");
        });
    run_command->add_option("--charset-codes", o->charset_codes, "CharacterCodeIdentifier of UTF-8 and of Shift_JIS (0,1; one source says 1,2)")
        ->capture_default_str();
    run_command->add_option("--face-encoding", o->face_encoding, "Encoding of the face files")->capture_default_str()
        ->check(CLI::IsMember({"Shift_JIS", "UTF-8"}));
    run_command->add_option("--expiry-grace-from", o->expiry_grace_from,
                            "The 3 months' grace after an auth certificate's notAfter count from the expiry date or from the end of "
                            "its month (the sources disagree)")
        ->capture_default_str()->check(CLI::IsMember({"expiry", "month-end"}));
    run_command->add_option("--bulk-ready-after", o->bulk_ready_after,
                            "Seconds (server clock) after a bulk job's step 1 until step 2 answers it; before: SegmentOfResult 2")
        ->capture_default_str()->check(CLI::Range(std::int64_t{0}, std::int64_t{86400}));
    run_command->add_option("--bulk-keep-days", o->bulk_keep_days, "Days a ReceptionNumber answers; after: refused as expired (OQS-E0009)")
        ->capture_default_str()->check(CLI::Range(std::int64_t{1}, std::int64_t{365}));
    run_command->add_flag("--bulk-zip", o->bulk_zip, "Answer a bulk job's step 2 as OQS…02res_<id>.zip holding the XML");
    run_command->callback([o, &exit_code] {
        try {
            exit_code = run(*o);
        } catch (const yaml::LoadError& e) {
            std::cerr << e.what() << "\n";
            exit_code = exit_failed;
        } catch (const std::exception& e) {
            std::cerr << "mynasim server run: " << e.what() << "\n";
            exit_code = exit_failed;
        }
    });
}

}  // namespace mynasim::cli
