// The mock server's data: the strict dataset loader, the SQLite store and the synthetic generator.
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "onshi/store/dataset_loader.hpp"
#include "onshi/store/store.hpp"
#include "test_support.hpp"

using namespace mynasim;
namespace fs = std::filesystem;

namespace {

std::string default_dataset() { return test::source_path("simulator/onshi/data/default-dataset.yaml"); }

}  // namespace

BOOST_AUTO_TEST_SUITE(test_onshi_store)

BOOST_AUTO_TEST_CASE(serials_are_normalised) {
    BOOST_TEST(*onshi::normalise_serial("0x1001") == "1001");
    BOOST_TEST(*onshi::normalise_serial("0X0001001") == "1001");
    BOOST_TEST(*onshi::normalise_serial("4097") == "1001");
    BOOST_TEST(*onshi::normalise_serial("0xabc") == "ABC");
    for (const char* bad : {"", "0", "0x", "0x0", "-1", "12a", "0xZZ", "1 2"}) BOOST_TEST(!onshi::normalise_serial(bad), bad);
    BOOST_TEST(!onshi::normalise_serial("0x" + std::string(42, 'F')));
}

BOOST_AUTO_TEST_CASE(default_dataset_matches_the_card_profiles) {
    const auto data = onshi::load_dataset(default_dataset());
    onshi::Store store(":memory:");
    store.load(data);
    BOOST_TEST(store.person_count() == 14u);
    // Every shipped profile with a JPKI AP names a person the dataset knows, except the deliberately
    // unknown-issuer card (J-LIS does not know a certificate from an unknown CA).
    for (const auto& entry : fs::directory_iterator(test::source_path("card-profiles"))) {
        if (entry.path().extension() != ".yaml") continue;
        const auto p = profile::load_profile(entry.path().string());
        if (!p.jpki_present || p.auth_certificate.issuer == pki::CaId::Unknown) continue;
        BOOST_TEST_CONTEXT(entry.path().filename().string()) {
            const auto cert = store.certificate(p.auth_certificate.serial);
            BOOST_REQUIRE(cert);
            BOOST_TEST(cert->person_id == p.person);
            BOOST_TEST(cert->status == (p.auth_certificate.revoked ? "revoked" : "active"));
            const auto person = store.person(p.person);
            BOOST_REQUIRE(person);
            BOOST_TEST(person->birth_date == p.birth_date);
        }
    }
}

BOOST_AUTO_TEST_CASE(store_queries) {
    onshi::Store store(":memory:");
    store.load(onshi::load_dataset(default_dataset()));
    const auto renewed = store.certificate("0x1101");
    BOOST_REQUIRE(renewed);
    BOOST_TEST(renewed->renews == "1001");
    BOOST_TEST(renewed->person_id == "TEST-0001");
    BOOST_TEST(!store.certificate("0x9999"));
    BOOST_TEST(!store.certificate("not a serial"));
    const auto history = store.qualifications("TEST-0001");
    BOOST_REQUIRE(history.size() == 2u);
    BOOST_TEST(history[0].valid_to == "20220331");
    BOOST_TEST(history[1].valid_to.empty());
    BOOST_TEST(history[1].insurer == "06139902");
    BOOST_TEST(store.qualifications("TEST-0002")[0].insurer == "  138999");
    const auto holder = store.card_holder("06139902", "TEST-B", "2001", "00", "19800101");
    BOOST_REQUIRE(holder);
    BOOST_TEST(holder->person.id == "TEST-0001");
    BOOST_REQUIRE(holder->history.size() == history.size());
    for (std::size_t i = 0; i < history.size(); ++i) {
        BOOST_TEST(holder->history[i].insurer == history[i].insurer);
        BOOST_TEST(holder->history[i].valid_from == history[i].valid_from);
    }
    BOOST_TEST(!store.card_holder("06139902", "TEST-B", "2001", "00", "19800102"));
    BOOST_TEST(store.registered("TEST-0001"));
    BOOST_TEST(!store.registered("TEST-0003"));
    BOOST_TEST(store.person("TEST-0001")->name == "テスト 太郎");
    BOOST_TEST(!store.person("TEST-9999"));
}

BOOST_AUTO_TEST_CASE(registration_is_idempotent_and_durable) {
    const auto file = fs::temp_directory_path() / ("mynasim-store-" + std::to_string(::getpid()) + ".sqlite");
    {
        onshi::Store store(file.string());
        store.load(onshi::load_dataset(default_dataset()));
        BOOST_TEST(store.register_person("TEST-0003", "1011", "2026-04-01T09:00:00Z"));
        BOOST_TEST(!store.register_person("TEST-0003", "1011", "2026-04-01T09:05:00Z"));
    }
    {
        onshi::Store reopened(file.string());
        BOOST_TEST(reopened.registered("TEST-0003"));
        BOOST_TEST(reopened.person_count() == 14u);
    }
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(file.string() + suffix);
}

// A store file: reads in a unit see one state while the writer commits beside them; many threads read
// and write at once without errors.
BOOST_AUTO_TEST_CASE(read_units_see_one_state_while_others_read_and_write) {
    const auto file = fs::temp_directory_path() / ("mynasim-store-units-" + std::to_string(::getpid()) + ".sqlite");
    {
        onshi::Store store(file.string());
        store.load(onshi::load_dataset(default_dataset()));
        BOOST_TEST(!store.registered("TEST-0003"));  // a reader now idles, keeping its snapshot
        BOOST_TEST(store.register_person("TEST-0003", "1011", "2026-04-01T09:00:00Z"));
        BOOST_TEST(store.registered("TEST-0003"));   // the write ended that snapshot
        {
            onshi::Store::Unit unit(store, onshi::Store::Unit::Kind::Read);
            BOOST_TEST(!store.consent("C-X"));
            std::thread([&] { store.record_consent("C-X", "TEST-0001", {"TEST-0001", "1", "1", "", ""}, "now"); }).join();
            BOOST_TEST(!store.consent("C-X"));  // its snapshot
            unit.commit();
        }
        BOOST_TEST(store.consent("C-X").has_value());
        {
            // A unit's snapshot begins at its first read: it sees what was committed before that.
            onshi::Store::Unit unit(store, onshi::Store::Unit::Kind::Read);
            std::thread([&] { store.record_consent("C-Y", "TEST-0001", {"TEST-0001", "1", "1", "", ""}, "now"); }).join();
            BOOST_TEST(store.consent("C-Y").has_value());
            std::thread([&] { store.record_consent("C-Z", "TEST-0001", {"TEST-0001", "1", "1", "", ""}, "now"); }).join();
            BOOST_TEST(!store.consent("C-Z"));  // and keeps it from there
            unit.commit();
        }

        std::atomic<int> failures{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&, t] {
                for (int i = 0; i < 200; ++i) {
                    try {
                        onshi::Store::Unit unit(store, onshi::Store::Unit::Kind::Read);
                        const auto holder = store.card_holder("06139902", "TEST-B", "2001", "00", "19800101");
                        if (!holder || holder->person.id != "TEST-0001" || holder->history.empty()) ++failures;
                        if (t == 0) store.record_consent("C-" + std::to_string(i), "TEST-0001", {"TEST-0001", "1", "0", "", ""}, "now");
                        unit.commit();
                    } catch (const std::exception&) {
                        ++failures;
                    }
                }
            });
        for (auto& t : threads) t.join();
        BOOST_TEST(failures == 0);
        BOOST_TEST(store.consent("C-199")->pharmaceutical == "1");
    }
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(file.string() + suffix);
}

BOOST_AUTO_TEST_CASE(a_store_of_another_format_is_refused) {
    const auto file = fs::temp_directory_path() / ("mynasim-store-old-" + std::to_string(::getpid()) + ".sqlite");
    {
        onshi::sql::Database old(file.string());
        old.exec("CREATE TABLE persons (id TEXT PRIMARY KEY, name TEXT) WITHOUT ROWID;");  // format 1, user_version 0
    }
    try {
        onshi::Store store(file.string());
        BOOST_FAIL("opened");
    } catch (const onshi::sql::Error& e) {
        BOOST_TEST(std::string(e.what()).find("make it again") != std::string::npos, e.what());
    }
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(file.string() + suffix);
}

BOOST_AUTO_TEST_CASE(a_failed_load_leaves_the_old_content) {
    onshi::Store store(":memory:");
    store.load(onshi::load_dataset(default_dataset()));
    onshi::Dataset broken;
    onshi::Person p;
    p.id = "X";
    onshi::Qualification q;
    q.insurer = "NOPE";
    q.symbol = "s";
    q.number = "n";
    q.branch = "00";
    q.valid_from = q.qualification_date = "20200101";
    p.qualifications.push_back(q);
    broken.persons.push_back(p);  // the qualification's insurer does not exist: a foreign-key failure mid-load
    BOOST_CHECK_THROW(store.load(broken), onshi::sql::Error);
    BOOST_TEST(store.person_count() == 14u);
    BOOST_TEST(store.registered("TEST-0001"));
}

BOOST_AUTO_TEST_CASE(synthetic_generation_is_deterministic) {
    onshi::Store a(":memory:"), b(":memory:");
    a.generate(2000, 42);
    b.generate(2000, 42);
    BOOST_TEST(a.person_count() == 2000u);
    for (const char* id : {"SYN-0000001", "SYN-0001000", "SYN-0002000"}) {
        const auto pa = a.person(id), pb = b.person(id);
        BOOST_REQUIRE(pa && pb);
        BOOST_TEST(pa->birth_date == pb->birth_date);
        BOOST_TEST(pa->name_kana == pb->name_kana);
        BOOST_TEST(pa->name == pb->name);
        BOOST_TEST(a.qualifications(id)[0].insurer == b.qualifications(id)[0].insurer);
        BOOST_TEST(a.qualifications(id).back().insurer_name.find("SYNTHETIC") == 0u);  // its insurer says it
    }
    BOOST_TEST(a.certificate("0x5000000")->person_id == "SYN-0000001");
    onshi::Store c(":memory:");
    c.generate(2000, 43);
    bool differs = false;
    for (const char* id : {"SYN-0000001", "SYN-0000002", "SYN-0000003"})
        differs |= c.person(id)->birth_date != a.person(id)->birth_date;
    BOOST_TEST(differs);
}

BOOST_AUTO_TEST_CASE(every_broken_dataset_fails_at_the_right_place) {
    std::size_t checked = 0;
    for (const auto& entry : fs::directory_iterator(test::source_path("tests/data/bad-datasets"))) {
        std::ifstream in(entry.path());
        std::string first;
        std::getline(in, first);
        const std::string expected = first.substr(std::string("# expect: ").size());
        const auto second_colon = expected.find(':', expected.find(':') + 1);
        const std::string where = expected.substr(0, second_colon);
        const std::string text = expected.substr(second_colon + 2);
        BOOST_TEST_CONTEXT(entry.path().filename().string()) {
            try {
                onshi::load_dataset(entry.path().string());
                BOOST_ERROR("loaded without error, expected " << expected);
            } catch (const yaml::LoadError& e) {
                const std::string location = std::to_string(e.where().line) + ":" + std::to_string(e.where().column);
                BOOST_CHECK_MESSAGE(location == where, "location " << location << ", expected " << where << ": " << e.what());
                BOOST_CHECK_MESSAGE(std::string(e.what()).find(text) != std::string::npos, e.what() << " lacks " << text);
            }
        }
        ++checked;
    }
    BOOST_TEST(checked >= 14u);
}

BOOST_AUTO_TEST_SUITE_END()
