// The store's in-memory reference data (RegistrySnapshot): it must answer exactly as SQL over the same
// file does, for every person, and follow every load.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <set>

#include <atomic>
#include <filesystem>
#include <memory>
#include <thread>
#include <vector>

#include "onshi/store/dataset_loader.hpp"
#include "onshi/store/registry_snapshot.hpp"
#include "onshi/store/store.hpp"
#include "test_support.hpp"

using namespace mynasim;
namespace fs = std::filesystem;

namespace {

// A store file removed at the end of the test.
struct TemporaryStoreFile {
    explicit TemporaryStoreFile(const std::string& name)
        : path((fs::temp_directory_path() / ("mynasim-" + name + "-" + std::to_string(::getpid()) + ".sqlite")).string()) {}
    ~TemporaryStoreFile() {
        std::error_code ignored;
        for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path + suffix, ignored);
    }
    std::string path;
};

onshi::Qualification qualification(std::string insurer, std::string symbol, std::string number, std::string branch,
                                   std::string from, std::string to = "") {
    onshi::Qualification q;
    q.insurer = std::move(insurer);
    q.symbol = std::move(symbol);
    q.number = std::move(number);
    q.branch = std::move(branch);
    q.valid_from = from;
    q.valid_to = std::move(to);
    q.qualification_date = std::move(from);
    return q;
}

onshi::Person person(std::string id, std::string birth_date, std::vector<onshi::Qualification> history) {
    onshi::Person p;
    p.id = std::move(id);
    p.name = "SYNTHETIC " + p.id;
    p.name_kana = "ｼﾝｾｲ";
    p.sex = "2";
    p.birth_date = std::move(birth_date);
    p.qualifications = std::move(history);
    return p;
}

// Cards shared by several persons, a card held twice by one person, long and empty values.
onshi::Dataset edge_cases() {
    onshi::Dataset d;
    d.insurers = {{"06900001", "SYNTHETIC 組合 1"}, {"06900002", "SYNTHETIC 組合 2"}};
    // Same card, same birth date, given in the reverse of id order: the first in id order holds it.
    d.persons.push_back(person("P-3", "19700101", {qualification("06900001", "S", "1", "00", "20200401")}));
    d.persons.push_back(person("P-2", "19700101", {qualification("06900001", "S", "1", "00", "20200401")}));
    // Same card, another birth date.
    d.persons.push_back(person("P-4", "19800101", {qualification("06900001", "S", "1", "00", "20200401")}));
    // A history over two insurers, given out of date order, the first card held again later.
    d.persons.push_back(person("P-1", "19600101",
                               {qualification("06900002", "T", "7", "01", "20230401"),
                                qualification("06900001", "U", "9", "00", "20150401", "20190331"),
                                qualification("06900001", "U", "9", "00", "20190401", "20230331")}));
    auto long_name = person("P-5", "19900101", {qualification("06900002", "", "55", "00", "20200401")});
    long_name.name = std::string(300, 'N');  // a length of two bytes in the record
    d.persons.push_back(long_name);
    d.persons.push_back(person("P-6", "19900101", {}));  // no qualification at all
    return d;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(test_onshi_registry_snapshot)

BOOST_AUTO_TEST_CASE(edge_cases_answer_as_the_dataset_says) {
    onshi::Store store(":memory:");
    store.load(edge_cases());
    BOOST_TEST(store.person_count() == 6u);
    BOOST_TEST(store.card_holder("06900001", "S", "1", "00", "19700101")->person.id == "P-2");
    BOOST_TEST(store.card_holder("06900001", "S", "1", "00", "19800101")->person.id == "P-4");
    BOOST_TEST(!store.card_holder("06900001", "S", "1", "00", "19700102"));
    BOOST_TEST(!store.card_holder("06900001", "S", "1", "01", "19700101"));  // another branch
    BOOST_TEST(!store.card_holder("06900001", "s", "1", "00", "19700101"));  // exact text, as SQL compares it
    BOOST_TEST(!store.card_holder("06900002", "S", "1", "00", "19700101"));

    const auto holder = store.card_holder("06900001", "U", "9", "00", "19600101");
    BOOST_REQUIRE(holder);
    BOOST_TEST(holder->person.id == "P-1");
    BOOST_TEST(holder->person.name == "SYNTHETIC P-1");
    BOOST_TEST(holder->person.birth_date == "19600101");
    BOOST_REQUIRE(holder->history.size() == 3u);
    BOOST_TEST(holder->history[0].valid_from == "20150401");  // date order
    BOOST_TEST(holder->history[0].valid_to == "20190331");
    BOOST_TEST(holder->history[1].valid_from == "20190401");
    BOOST_TEST(holder->history[2].insurer == "06900002");
    BOOST_TEST(holder->history[2].insurer_name == "SYNTHETIC 組合 2");
    BOOST_TEST(holder->history[2].valid_to.empty());
    BOOST_TEST(holder->history[2].branch == "01");
    BOOST_TEST(store.card_holder("06900002", "T", "7", "01", "19600101")->person.id == "P-1");

    BOOST_TEST(store.person("P-5")->name == std::string(300, 'N'));
    BOOST_TEST(store.qualifications("P-5").at(0).symbol.empty());
    BOOST_TEST(store.card_holder("06900002", "", "55", "00", "19900101")->person.id == "P-5");
    BOOST_TEST(store.person("P-6").has_value());
    BOOST_TEST(store.qualifications("P-6").empty());
    BOOST_TEST(!store.person("P-7"));
    BOOST_TEST(!store.person(""));
    BOOST_TEST(store.qualifications("P-7").empty());
    BOOST_TEST(store.insurer_name("06900001") == "SYNTHETIC 組合 1");
    BOOST_TEST(store.insurer_name("06900009").empty());
}

// Every person of a generated store, through the snapshot and through SQL on the same file.
BOOST_AUTO_TEST_CASE(every_person_answers_as_sql_does) {
    TemporaryStoreFile file("snapshot-oracle");
    onshi::Store store(file.path);
    store.generate(3000, 7);
    onshi::sql::Database sql(file.path);
    onshi::sql::Statement persons(sql, "SELECT p.id, p.name, p.name_kana, p.sex, p.birth_date, q.insurer, q.symbol, q.number,"
                                       " q.branch, q.valid_from, i.name, (SELECT COUNT(*) FROM qualifications h WHERE h.person_key = p.key)"
                                       " FROM persons p JOIN qualifications q ON q.person_key = p.key"
                                       " JOIN insurers i ON i.number = q.insurer ORDER BY p.key");
    std::size_t checked = 0;
    std::set<std::string> people;
    while (persons.step()) {
        const std::string id = persons.text(0), birth = persons.text(4), insurer = persons.text(5), symbol = persons.text(6),
                          number = persons.text(7), branch = persons.text(8);
        // Each of a person's cards (the current one and any lost before) finds the person and the whole history.
        const auto holder = store.card_holder(insurer, symbol, number, branch, birth);
        BOOST_REQUIRE_MESSAGE(holder, id);
        BOOST_TEST(holder->person.id == id);
        BOOST_TEST(holder->person.name == persons.text(1));
        BOOST_TEST(holder->person.name_kana == persons.text(2));
        BOOST_TEST(holder->person.sex == persons.text(3));
        BOOST_REQUIRE(holder->history.size() == static_cast<std::size_t>(persons.integer(11)));
        const auto card = std::find_if(holder->history.begin(), holder->history.end(), [&](const onshi::Qualification& q) {
            return q.insurer == insurer && q.symbol == symbol && q.number == number && q.branch == branch;
        });
        BOOST_REQUIRE(card != holder->history.end());
        BOOST_TEST(card->valid_from == persons.text(9));
        BOOST_TEST(card->insurer_name == persons.text(10));
        BOOST_TEST(!store.card_holder(insurer, symbol, number, branch, birth == "19000101" ? "19000102" : "19000101"));
        BOOST_TEST(!store.card_holder(insurer, symbol, number + "0", branch, birth));
        BOOST_TEST(store.person(id)->birth_date == birth);
        people.insert(id);
        ++checked;
    }
    BOOST_TEST(people.size() == 3000u);
    BOOST_TEST(checked > 3000u);  // some have lost an earlier insurance
    BOOST_TEST(store.reference()->memory_bytes() > 3000u * 100);
}

// A load replaces the reference data for every later read, even for a thread whose SQLite snapshot
// (a read unit begun before the load) is older; a snapshot already taken stays whole.
BOOST_AUTO_TEST_CASE(reads_after_a_load_see_the_new_dataset) {
    TemporaryStoreFile file("snapshot-reload");
    onshi::Store store(file.path);
    store.load(edge_cases());
    const auto before = store.reference();
    BOOST_TEST(before->person_count() == 6u);
    std::atomic<int> step{0};
    std::size_t seen_in_old_unit = 0;
    std::thread reader([&] {
        onshi::Store::Unit unit(store, onshi::Store::Unit::Kind::Read);
        BOOST_TEST(!store.registered("P-1"));  // the unit's SQLite snapshot is taken now
        step = 1;
        while (step != 2) std::this_thread::yield();
        seen_in_old_unit = store.person_count();
        unit.commit();
    });
    while (step != 1) std::this_thread::yield();
    store.load(onshi::load_dataset(test::source_path("simulator/onshi/data/default-dataset.yaml")));
    step = 2;
    reader.join();
    BOOST_TEST(seen_in_old_unit == 14u);
    BOOST_TEST(store.person_count() == 14u);
    BOOST_TEST(store.person("TEST-0001").has_value());
    BOOST_TEST(!store.person("P-1"));
    BOOST_TEST(before->person("P-1").has_value());  // the old snapshot, still whole for whoever holds it
    BOOST_TEST(!store.card_holder("06900001", "S", "1", "00", "19700101"));

    onshi::Store reopened(file.path);  // made again from the file
    BOOST_TEST(reopened.person_count() == 14u);
    BOOST_TEST(reopened.card_holder("06139902", "TEST-B", "2001", "00", "19800101")->person.id == "TEST-0001");
}

// Readers on several threads while loads replace the data: each read sees one whole dataset.
BOOST_AUTO_TEST_CASE(loads_while_others_read) {
    TemporaryStoreFile file("snapshot-concurrent");
    onshi::Store store(file.path);
    const auto a = edge_cases();
    const auto b = onshi::load_dataset(test::source_path("simulator/onshi/data/default-dataset.yaml"));
    store.load(a);
    std::atomic<bool> done{false};
    std::atomic<int> failures{0}, reads{0};
    std::vector<std::thread> readers;
    for (int t = 0; t < 3; ++t)
        readers.emplace_back([&] {
            while (!done) {
                // The per-thread path, then a whole snapshot.
                const auto holder = store.card_holder("06900001", "S", "1", "00", "19700101");
                if (holder && holder->person.id != "P-2") ++failures;
                const auto reference = store.reference();
                const bool is_a = reference->person_count() == 6u && reference->card_holder("06900001", "S", "1", "00", "19700101");
                const bool is_b = reference->person_count() == 14u &&
                                  reference->card_holder("06139902", "TEST-B", "2001", "00", "19800101");
                if (!is_a && !is_b) ++failures;
                ++reads;
            }
        });
    for (int i = 0; i < 20; ++i) store.load(i % 2 ? a : b);
    done = true;
    for (auto& r : readers) r.join();
    BOOST_TEST(failures == 0);
    BOOST_TEST(reads > 0);
    BOOST_TEST(store.person_count() == 6u);
}

// Each thread keeps the reference data it last used, per store: stores on one thread, one after another
// (the second made where the first was), never answer with each other's data.
BOOST_AUTO_TEST_CASE(stores_on_one_thread_keep_their_own_reference_data) {
    auto a = std::make_unique<onshi::Store>(":memory:");
    a->load(edge_cases());
    onshi::Store b(":memory:");
    b.load(onshi::load_dataset(test::source_path("simulator/onshi/data/default-dataset.yaml")));
    for (int i = 0; i < 3; ++i) {
        BOOST_TEST(a->person("P-1").has_value());
        BOOST_TEST(!b.person("P-1"));
        BOOST_TEST(b.person_count() == 14u);
        BOOST_TEST(a->person_count() == 6u);
    }
    a.reset();
    a = std::make_unique<onshi::Store>(":memory:");
    a->load(onshi::Dataset{});
    BOOST_TEST(a->person_count() == 0u);
    BOOST_TEST(!a->person("P-1"));
}

BOOST_AUTO_TEST_SUITE_END()
