#pragma once
// The store file's layout (private to the store): connection settings, the schema and its version, and
// the inserts that load() and generate() share. Store::Store opens a file through open_schema().
#include <cstdint>
#include <string>

#include "onshi/store/dataset.hpp"
#include "onshi/store/sqlite.hpp"

namespace mynasim::onshi::store_schema {

// Sets the writer's settings, refuses a store of another format, creates what is missing.
void open_schema(sql::Database& writer, const std::string& path);
// Settings of a reader connection: it only reads.
extern const char* const reader_settings;
// Empties every table (load() and generate() replace the whole content).
void clear(sql::Database& db);

// Inserts shared by load() and generate(). Persons must come in id order (their keys follow it).
struct RowWriter {
    explicit RowWriter(sql::Database& db);
    void add(const Person& p);

    sql::Database& database;
    std::int64_t qualification_id = 0;  // the dataset's order: ties of a history's dates keep it
    sql::Statement insurer, person, certificate, qualification, registration, medication, checkup, claim, remote_consent;
};

}  // namespace mynasim::onshi::store_schema
