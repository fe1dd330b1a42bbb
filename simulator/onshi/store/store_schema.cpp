#include "store_schema.hpp"

#include "onshi/store/record_details.hpp"

namespace mynasim::onshi::store_schema {

namespace {

constexpr const char* writer_settings = R"SQL(
-- Speed for a million persons: WAL, so that readers run in parallel with one another and with the writer;
-- pages read through a memory map.
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
PRAGMA foreign_keys = ON;
PRAGMA mmap_size = 4294967296;
PRAGMA cache_size = -65536;
)SQL";

// The schema's version, in SQLite's user_version: 2 since persons have integer keys, 3 since cards are
// looked up in memory (no card index), 4 since the optional result fields (details), 5 since a medical ticket
// keeps every element of MedicalTicketInfo, 6 since a visit's consent may carry a refusal (the expiry grace), 7 since remote consents (the 訪問診療 /
// オンライン診療 bulk families' search) and 照会番号.
constexpr std::int64_t schema_version = 7;

constexpr const char* schema = R"SQL(
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS insurers (number TEXT PRIMARY KEY, name TEXT NOT NULL) WITHOUT ROWID;
-- A person's public id is text; its key, in id order, is what the qualifications refer to: a
-- confirmation's seeks then compare integers.
CREATE TABLE IF NOT EXISTS persons (
    key INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, name TEXT NOT NULL, name_kana TEXT NOT NULL, sex TEXT NOT NULL,
    birth_date TEXT NOT NULL, details BLOB NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS certificates (
    serial TEXT PRIMARY KEY, person_id TEXT NOT NULL REFERENCES persons(id),
    status TEXT NOT NULL CHECK (status IN ('active', 'revoked')), renews TEXT) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS certificates_by_person ON certificates(person_id);
-- Stored in the order a confirmation reads them: a person's history, in date order (then in the dataset's
-- order), in one place.
CREATE TABLE IF NOT EXISTS qualifications (
    person_key INTEGER NOT NULL REFERENCES persons(key), valid_from TEXT NOT NULL, id INTEGER NOT NULL,
    insurer TEXT NOT NULL REFERENCES insurers(number), symbol TEXT NOT NULL, number TEXT NOT NULL,
    branch TEXT NOT NULL, classification TEXT NOT NULL, personal_family TEXT NOT NULL,
    valid_to TEXT, qualification_date TEXT NOT NULL, contribution_ratio TEXT NOT NULL, details BLOB NOT NULL DEFAULT '',
    PRIMARY KEY (person_key, valid_from, id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS registrations (
    person_id TEXT PRIMARY KEY REFERENCES persons(id), serial TEXT NOT NULL, registered_at TEXT NOT NULL)
    WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS medications (
    id INTEGER PRIMARY KEY, person_id TEXT NOT NULL REFERENCES persons(id), dispensed_on TEXT NOT NULL,
    drug TEXT NOT NULL, quantity TEXT NOT NULL, institution TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS checkups (
    id INTEGER PRIMARY KEY, person_id TEXT NOT NULL REFERENCES persons(id), examined_on TEXT NOT NULL,
    item TEXT NOT NULL, value TEXT NOT NULL, unit TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS consents (
    confirmation_id TEXT PRIMARY KEY, person_id TEXT NOT NULL REFERENCES persons(id),
    pharmaceutical TEXT NOT NULL, checkup TEXT NOT NULL, given_at TEXT NOT NULL, refused TEXT NOT NULL DEFAULT '',
    recorded INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
-- 照会番号: one per person and institution, and a number names one person there.
CREATE TABLE IF NOT EXISTS reference_numbers (
    institution TEXT NOT NULL, person_id TEXT NOT NULL REFERENCES persons(id), number TEXT NOT NULL, registered_at TEXT NOT NULL,
    PRIMARY KEY (institution, person_id), UNIQUE (institution, number)) WITHOUT ROWID;
-- One row per examination (examined_on '' when none yet): the bulk families search by either date.
-- A person's latest visit: the latest given_at, and of visits in the same second the last recorded.
CREATE INDEX IF NOT EXISTS consents_by_person ON consents(person_id, given_at, recorded);
CREATE INDEX IF NOT EXISTS consents_in_order ON consents(recorded);
CREATE TABLE IF NOT EXISTS remote_consents (
    person_id TEXT NOT NULL REFERENCES persons(id), treatment TEXT NOT NULL, institution TEXT NOT NULL,
    consented_on TEXT NOT NULL, examined_on TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS claims (
    id TEXT PRIMARY KEY, person_id TEXT NOT NULL REFERENCES persons(id), insurer TEXT NOT NULL,
    care_date TEXT NOT NULL, points INTEGER NOT NULL) WITHOUT ROWID;

)SQL";

}  // namespace

// Readers only read (a bug that writes through one fails instead of bypassing the writer's mutex).
const char* const reader_settings = "PRAGMA query_only = 1; PRAGMA mmap_size = 4294967296; PRAGMA cache_size = -65536;";

void open_schema(sql::Database& writer, const std::string& path) {
    writer.exec(writer_settings);
    sql::Statement version(writer, "PRAGMA user_version");
    version.step();
    const std::int64_t found = version.integer(0);
    version.reset();
    sql::Statement tables(writer, "SELECT COUNT(*) FROM sqlite_schema WHERE name = 'persons'");
    tables.step();
    if (found != schema_version && tables.integer(0) != 0)
        throw sql::Error(path + ": a store of another format (version " + std::to_string(found) + ", this mynasim reads " +
                         std::to_string(schema_version) + "); make it again: `mynasim server gen`, or `server run --data FILE.yaml --store`");
    writer.exec(schema);
    writer.exec("PRAGMA user_version = " + std::to_string(schema_version));
}

void clear(sql::Database& db) {
    db.exec("DELETE FROM reference_numbers; DELETE FROM remote_consents; DELETE FROM consents; DELETE FROM claims; DELETE FROM checkups; DELETE FROM medications; DELETE FROM registrations;"
            "DELETE FROM qualifications; DELETE FROM certificates; DELETE FROM persons; DELETE FROM insurers;");
}

RowWriter::RowWriter(sql::Database& db)
    : database(db),
      insurer(db, "INSERT INTO insurers VALUES (?, ?)"),
      person(db, "INSERT INTO persons (id, name, name_kana, sex, birth_date, details) VALUES (?, ?, ?, ?, ?, ?)"),
      certificate(db, "INSERT INTO certificates VALUES (?, ?, ?, ?)"),
      qualification(db, "INSERT INTO qualifications (person_key, id, insurer, symbol, number, branch, classification,"
                        " personal_family, valid_from, valid_to, qualification_date, contribution_ratio, details)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
      registration(db, "INSERT INTO registrations VALUES (?, ?, ?)"),
      medication(db, "INSERT INTO medications (person_id, dispensed_on, drug, quantity, institution) VALUES (?, ?, ?, ?, ?)"),
      checkup(db, "INSERT INTO checkups (person_id, examined_on, item, value, unit) VALUES (?, ?, ?, ?, ?)"),
      claim(db, "INSERT INTO claims VALUES (?, ?, ?, ?, ?)"),
      remote_consent(db, "INSERT INTO remote_consents VALUES (?, ?, ?, ?, ?)") {}

void RowWriter::add(const Person& p) {
    person.bind(1, p.id).bind(2, p.name).bind(3, p.name_kana).bind(4, p.sex).bind(5, p.birth_date).bind(6, encode_details(p)).run();
    const std::int64_t key = sqlite3_last_insert_rowid(database.handle());
    for (const auto& c : p.certificates) {
        certificate.bind(1, c.serial).bind(2, p.id).bind(3, c.status);
        if (c.renews.empty()) certificate.bind_null(4);
        else certificate.bind(4, c.renews);
        certificate.run();
    }
    for (const auto& q : p.qualifications) {
        qualification.bind(1, key).bind(2, ++qualification_id).bind(3, q.insurer).bind(4, q.symbol).bind(5, q.number)
            .bind(6, q.branch).bind(7, q.classification).bind(8, q.personal_family).bind(9, q.valid_from);
        if (q.valid_to.empty()) qualification.bind_null(10);
        else qualification.bind(10, q.valid_to);
        qualification.bind(11, q.qualification_date).bind(12, q.contribution_ratio).bind(13, encode_details(q)).run();
    }
    if (p.registered && !p.certificates.empty())
        registration.bind(1, p.id).bind(2, p.certificates.front().serial).bind(3, "dataset").run();
    for (const auto& m : p.medications)
        medication.bind(1, p.id).bind(2, m.dispensed_on).bind(3, m.drug).bind(4, m.quantity).bind(5, m.institution).run();
    for (const auto& c : p.checkups)
        checkup.bind(1, p.id).bind(2, c.examined_on).bind(3, c.item).bind(4, c.value).bind(5, c.unit).run();
    for (const auto& c : p.claims)
        claim.bind(1, c.id).bind(2, p.id).bind(3, c.insurer).bind(4, c.care_date).bind(5, static_cast<std::int64_t>(c.points)).run();
    for (const auto& c : p.remote_consents) {
        const auto row = [&](const std::string& examined) {
            remote_consent.bind(1, p.id).bind(2, c.treatment).bind(3, c.institution).bind(4, c.consented_on).bind(5, examined).run();
        };
        if (c.examined_on.empty()) row("");
        for (const auto& day : c.examined_on) row(day);
    }
}

}  // namespace mynasim::onshi::store_schema
