// Writing the reference data: a whole dataset (load) or synthetic persons (generate), each in one
// transaction that replaces the content; afterwards every thread's reference data is made anew.
#include "store.hpp"

#include <algorithm>

#include "onshi/store/store_connections.hpp"
#include "onshi/store/store_schema.hpp"
#include "onshi/store/synthetic_person.hpp"

namespace mynasim::onshi {

void Store::load(const Dataset& data) {
    {
        auto use = writing();
        sql::Transaction transaction(use.db());
        store_schema::clear(use.db());
        store_schema::RowWriter writer(use.db());
        for (const auto& i : data.insurers) writer.insurer.bind(1, i.number).bind(2, i.name).run();
        std::vector<const Person*> in_id_order;
        for (const auto& p : data.persons) in_id_order.push_back(&p);
        std::sort(in_id_order.begin(), in_id_order.end(), [](const Person* a, const Person* b) { return a->id < b->id; });
        for (const Person* p : in_id_order) writer.add(*p);
        transaction.commit();
    }
    // With the writer given back: in memory, reference() takes it.
    forget_reference();
}

void Store::generate(std::size_t persons, std::uint64_t seed) {
    {
        auto use = writing();
        // The generator's rows refer only to what it wrote before them: checking each reference (an index
        // seek per row) would cost a third of the time. (Changed outside a transaction, as SQLite requires.)
        use.db().exec("PRAGMA foreign_keys = OFF");
        struct Restore {
            sql::Database& db;
            ~Restore() {
                try { db.exec("PRAGMA foreign_keys = ON"); } catch (...) {}
            }
        } restore{use.db()};
        sql::Transaction transaction(use.db());
        store_schema::clear(use.db());
        store_schema::RowWriter writer(use.db());
        for (const auto& i : synthetic_insurers()) writer.insurer.bind(1, i.number).bind(2, i.name).run();
        SyntheticPopulation population(seed);
        for (std::size_t n = 0; n < persons; ++n) writer.add(population.next(n));
        transaction.commit();
    }
    // With the writer given back: in memory, reference() takes it.
    forget_reference();
}

}  // namespace mynasim::onshi
