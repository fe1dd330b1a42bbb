// Writing the reference data: a whole dataset (load) or synthetic persons (generate), each in one
// transaction that replaces the content; afterwards every thread's reference data is made anew.
#include "store.hpp"

#include <algorithm>
#include <cstdio>

#include "base/random_source.hpp"
#include "onshi/store/store_connections.hpp"
#include "onshi/store/store_schema.hpp"

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
        sql::Transaction transaction(use.db());
        store_schema::clear(use.db());
        store_schema::RowWriter writer(use.db());
        constexpr int insurer_count = 50;
        for (int i = 0; i < insurer_count; ++i) {
            char number[32];
            std::snprintf(number, sizeof number, "%08d", 6900000 + i);
            writer.insurer.bind(1, std::string(number)).bind(2, "SYNTHETIC 健康保険組合 " + std::to_string(i)).run();
        }
        std::uint64_t state = seed;
        static const char* kana[] = {"ｱ", "ｲ", "ｳ", "ｴ", "ｵ", "ｶ", "ｷ", "ｸ", "ｹ", "ｺ", "ｻ", "ｼ", "ｽ", "ｾ", "ｿ"};
        for (std::size_t n = 0; n < persons; ++n) {
            const std::uint64_t r = splitmix64(state);
            char id[32], serial[32], birth[32], number[32], insurer[32];
            std::snprintf(id, sizeof id, "SYN-%07zu", n + 1);
            std::snprintf(serial, sizeof serial, "%llX", static_cast<unsigned long long>(0x5000000ULL + n));
            std::snprintf(birth, sizeof birth, "%04d%02d%02d", static_cast<int>(1930 + r % 90), static_cast<int>(1 + (r >> 8) % 12),
                          static_cast<int>(1 + (r >> 16) % 28));
            std::snprintf(number, sizeof number, "%zu", 100000 + n);
            std::snprintf(insurer, sizeof insurer, "%08d", static_cast<int>(6900000 + (r >> 24) % insurer_count));
            Person p;
            p.id = id;
            p.name = "SYNTHETIC 被保険者 " + std::to_string(n + 1);
            p.name_kana = std::string("ｼﾝｾｲ ") + kana[(r >> 32) % 15] + kana[(r >> 36) % 15];
            p.sex = (r >> 40) % 2 ? "1" : "2";
            p.birth_date = birth;
            p.registered = (r >> 44) % 10 != 0;  // 90 % registered
            p.certificates.push_back(Certificate{serial, "active", ""});
            Qualification q;
            q.insurer = insurer;
            q.symbol = "SYN" + std::to_string((r >> 48) % 100);
            q.number = number;
            q.branch = "00";
            q.valid_from = "20200401";
            q.qualification_date = q.valid_from;
            p.qualifications.push_back(q);
            writer.add(p);
        }
        transaction.commit();
    }
    // With the writer given back: in memory, reference() takes it.
    forget_reference();
}

}  // namespace mynasim::onshi
