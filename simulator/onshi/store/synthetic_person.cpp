#include "synthetic_person.hpp"

#include <chrono>
#include <cstdio>
#include <string>

#include "base/random_source.hpp"

namespace mynasim::onshi {

namespace {

namespace chr = std::chrono;

// Names: common readings, each with its half-width kana (the answer's NameKana), so that names vary in
// length as real ones do. Combined at random they name nobody in particular.
struct Reading {
    const char* name;
    const char* kana;
};
constexpr Reading surnames[] = {
    {"佐藤", "ｻﾄｳ"}, {"鈴木", "ｽｽﾞｷ"}, {"高橋", "ﾀｶﾊｼ"}, {"田中", "ﾀﾅｶ"}, {"伊藤", "ｲﾄｳ"}, {"渡辺", "ﾜﾀﾅﾍﾞ"},
    {"山本", "ﾔﾏﾓﾄ"}, {"中村", "ﾅｶﾑﾗ"}, {"小林", "ｺﾊﾞﾔｼ"}, {"加藤", "ｶﾄｳ"}, {"吉田", "ﾖｼﾀﾞ"}, {"山田", "ﾔﾏﾀﾞ"},
    {"佐々木", "ｻｻｷ"}, {"山口", "ﾔﾏｸﾞﾁ"}, {"松本", "ﾏﾂﾓﾄ"}, {"井上", "ｲﾉｳｴ"}, {"木村", "ｷﾑﾗ"}, {"長谷川", "ﾊｾｶﾞﾜ"},
    {"五十嵐", "ｲｶﾞﾗｼ"}, {"小野寺", "ｵﾉﾃﾞﾗ"}};
constexpr Reading male_names[] = {{"太郎", "ﾀﾛｳ"}, {"一郎", "ｲﾁﾛｳ"}, {"健", "ｹﾝ"}, {"翔太", "ｼｮｳﾀ"}, {"大輔", "ﾀﾞｲｽｹ"},
                                  {"誠", "ﾏｺﾄ"}, {"蓮", "ﾚﾝ"}, {"悠真", "ﾕｳﾏ"}, {"浩二", "ｺｳｼﾞ"}, {"修", "ｵｻﾑ"}};
constexpr Reading female_names[] = {{"花子", "ﾊﾅｺ"}, {"陽子", "ﾖｳｺ"}, {"恵", "ﾒｸﾞﾐ"}, {"美咲", "ﾐｻｷ"}, {"結衣", "ﾕｲ"},
                                    {"葵", "ｱｵｲ"}, {"和子", "ｶｽﾞｺ"}, {"幸子", "ｻﾁｺ"}, {"凛", "ﾘﾝ"}, {"真由美", "ﾏﾕﾐ"}};
constexpr const char* towns[] = {"本町", "中央", "栄町", "緑町", "旭町", "若葉", "桜台", "東雲"};

// The mock's default medical institution (xmlmsg::test_institution_code, one floor up): the 医療券 name it.
constexpr const char* test_institution = "9999000001";

constexpr int union_count = 40, kokuho_count = 6, kouki_count = 3, welfare_count = 2;

template <std::size_t N>
const Reading& pick(const Reading (&table)[N], std::uint64_t bits) {
    return table[bits % N];
}

// Random bits, drawn as needed.
class Draw {
public:
    explicit Draw(std::uint64_t& state) : state_(state) {}
    std::uint64_t bits() { return splitmix64(state_); }
    std::uint64_t below(std::uint64_t n) { return bits() % n; }
    bool percent(std::uint64_t p) { return below(1000) < p * 10; }
    bool permille(std::uint64_t p) { return below(1000) < p; }

private:
    std::uint64_t& state_;
};

std::string date_text(chr::year_month_day d) {
    char out[16];
    std::snprintf(out, sizeof out, "%04d%02u%02u", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                  static_cast<unsigned>(d.day()));
    return out;
}
chr::year_month_day plus_days(chr::year_month_day d, int days) { return chr::year_month_day(chr::sys_days(d) + chr::days(days)); }
chr::year_month_day first_of_next_month(chr::year_month_day d) { return (d.year() / d.month() / 1) + chr::months(1); }

constexpr chr::year_month_day reference_date = chr::year(2026) / 4 / 1;  // base/time.hpp's default_reference_time

int age_on_reference(chr::year_month_day birth) {
    int age = static_cast<int>(reference_date.year()) - static_cast<int>(birth.year());
    if (chr::month_day(birth.month(), birth.day()) > chr::month_day(reference_date.month(), reference_date.day())) --age;
    return age;
}

std::string union_number(std::uint64_t i) {
    char out[16];
    std::snprintf(out, sizeof out, "%08d", static_cast<int>(6900000 + i));  // 06: 組合管掌健康保険's 法別番号
    return out;
}
std::string kokuho_number(std::uint64_t i) {
    char out[16];
    std::snprintf(out, sizeof out, "  %06d", static_cast<int>(138900 + i));  // 6-digit 国保, right-aligned
    return out;
}
std::string kouki_number(std::uint64_t i) {
    char out[16];
    std::snprintf(out, sizeof out, "%08d", static_cast<int>(39138900 + i));  // 39: 後期高齢者医療
    return out;
}
std::string welfare_number(std::uint64_t i) {
    char out[16];
    std::snprintf(out, sizeof out, "%08d", static_cast<int>(12138900 + i));  // 12: 生活保護 (医療扶助)
    return out;
}

}  // namespace

std::vector<Insurer> synthetic_insurers() {
    std::vector<Insurer> out;
    for (int i = 0; i < union_count; ++i) out.push_back({union_number(i), "SYNTHETIC 健康保険組合 " + std::to_string(i)});
    for (int i = 0; i < kokuho_count; ++i) out.push_back({kokuho_number(i), "SYNTHETIC市 国民健康保険 " + std::to_string(i)});
    for (int i = 0; i < kouki_count; ++i) out.push_back({kouki_number(i), "SYNTHETIC県 後期高齢者医療広域連合 " + std::to_string(i)});
    for (int i = 0; i < welfare_count; ++i) out.push_back({welfare_number(i), "SYNTHETIC市 福祉事務所 " + std::to_string(i)});
    return out;
}

Person SyntheticPopulation::next(std::size_t n) {
    Draw draw(state_);
    Person p;
    char text[64];
    std::snprintf(text, sizeof text, "SYN-%07zu", n + 1);
    p.id = text;
    const auto birth = chr::year(static_cast<int>(1930 + draw.below(96))) / chr::month(static_cast<unsigned>(1 + draw.below(12))) /
                       chr::day(static_cast<unsigned>(1 + draw.below(28)));
    p.birth_date = date_text(birth);
    const int age = age_on_reference(birth);
    const bool male = draw.below(2) == 0;
    p.sex = male ? "1" : "2";
    const Reading& surname = pick(surnames, draw.bits());
    const Reading& given = male ? pick(male_names, draw.bits()) : pick(female_names, draw.bits());
    // A 外字 in the given name reaches the terminal as ● (the kana keeps the reading).
    p.name = std::string(surname.name) + " " + (draw.permille(2) ? "●" : "") + given.name;
    p.name_kana = std::string(surname.kana) + " " + given.kana;
    if (draw.permille(5)) {  // 通称名
        const Reading& other = pick(surnames, draw.bits());
        p.name_of_other = std::string(other.name) + " " + given.name;
        p.name_of_other_kana = std::string(other.kana) + " " + given.kana;
    }
    if (draw.permille(1)) p.sex2 = "3";
    if (draw.below(100) < 97) {
        std::snprintf(text, sizeof text, "%03d-%04d", static_cast<int>(100 + draw.below(900)), static_cast<int>(draw.below(10000)));
        p.post_number = text;
        std::snprintf(text, sizeof text, "%d-%d-%d", static_cast<int>(1 + draw.below(9)), static_cast<int>(1 + draw.below(30)),
                      static_cast<int>(1 + draw.below(20)));
        p.address = "TEST県SYNTHETIC市" + std::string(towns[draw.below(std::size(towns))]) + text;
    }
    p.registered = draw.below(10) != 0;  // 90 % did 初回登録
    std::snprintf(text, sizeof text, "%llX", static_cast<unsigned long long>(0x5000000ULL + n));
    p.certificates.push_back(Certificate{text, "active", ""});

    // The current qualification.
    Qualification q;
    q.number = std::to_string(100000 + n);
    q.branch = "00";
    const bool welfare = age >= 18 && draw.permille(15);
    const bool kouki = !welfare && age >= 75;
    const bool kokuho = !welfare && !kouki && (age >= 65 ? draw.below(100) < 70 : draw.below(100) < 25);
    std::string head_of_household = p.name;  // InsuredName
    if (welfare) {
        q.insurer = welfare_number(draw.below(welfare_count));
        q.classification = "A1";
        q.number = std::to_string(2000000 + n);  // 受給者番号, 7 digits
        q.contribution_ratio = "000";
    } else if (kouki) {
        q.insurer = kouki_number(draw.below(kouki_count));
        q.number = std::to_string(10000000 + n);  // 8 digits, no 記号
        q.contribution_ratio = draw.below(100) < 8 ? "030" : "010";  // 現役並み所得者: 3割
    } else {
        q.insurer = kokuho ? kokuho_number(draw.below(kokuho_count)) : union_number(draw.below(union_count));
        q.symbol = "SYN" + std::to_string(draw.below(100));
        const bool child = age < 18;
        const bool dependant = child || (!kokuho && draw.below(100) < (age < 23 ? 50 : 25));
        if (dependant) {
            if (!kokuho) {
                q.personal_family = "2";
                q.branch = "0" + std::to_string(1 + draw.below(5));
            }
            // A parent or spouse: same surname, another given name.
            const bool head_is_male = draw.below(2) == 0;
            std::uint64_t bits = draw.bits();
            if ((head_is_male ? &pick(male_names, bits) : &pick(female_names, bits)) == &given) ++bits;
            head_of_household = std::string(surname.name) + " " + (head_is_male ? pick(male_names, bits) : pick(female_names, bits)).name;
        }
        q.contribution_ratio = age >= 70 ? (draw.below(100) < 10 ? "030" : "020") : "030";
        if (p.birth_date > "20200401") {  // not yet at school on the reference date: 2割
            q.contribution_ratio = "020";
            q.preschool = "1";
        }
    }
    q.insured_name = head_of_household;
    // Since when: a child since birth, a 後期高齢者 since the 75th birthday, others since an April.
    chr::year_month_day from = chr::year(static_cast<int>(2010 + draw.below(16))) / 4 / 1;
    if (kouki) from = chr::year_month_day(birth.year() + chr::years(75), birth.month(), birth.day());
    if (chr::sys_days(from) < chr::sys_days(birth)) from = birth;
    q.valid_from = date_text(from);
    q.qualification_date = q.valid_from;
    if (draw.below(100) < 85) q.certificate_issued = date_text(plus_days(from, -static_cast<int>(draw.below(15))));
    if (!welfare && !kouki && age >= 70) {  // 高齢受給者証: from the month after the 70th birthday, renewed each August
        const auto seventy = first_of_next_month(chr::year_month_day(birth.year() + chr::years(70), birth.month(), birth.day()));
        const auto valid_from = chr::sys_days(seventy) > chr::sys_days(chr::year(2025) / 8 / 1) ? seventy : chr::year(2025) / 8 / 1;
        q.elderly = ElderlyCertificate{date_text(plus_days(valid_from, -7)), date_text(valid_from), "20260731", q.contribution_ratio};
    }
    if (!welfare && age < 70 && draw.percent(3)) {
        static constexpr const char* flags[] = {"A01", "A02", "A03", "A04", "A05"};
        q.limit = LimitCertificate{"01", flags[draw.below(std::size(flags))], "20250725", "20250801", "20260731", ""};
    }
    if (!welfare && draw.permille(3))
        q.diseases.push_back(DiseaseCertificate{std::to_string(1 + draw.below(3)), q.valid_from, q.valid_from, "",
                                                draw.below(2) ? "10000" : "20000"});
    if (welfare && draw.below(100) < 80) {  // this month's 医療券; without one the answer says 6 (有効・未登録)
        MedicalTicket& t = q.tickets.emplace_back();
        t.type = "1";
        t.valid_from = "20260401";
        t.valid_to = "20260430";
        t.issue_number = "SYN-" + std::to_string(n + 1);
        t.month = "202604";
        t.institution_code = test_institution;
        t.institution_flag = "1";
        t.institution_name = "TEST医院";
        t.self_pay = draw.below(10) ? "0" : "2000";
        t.injury_name1 = "SYNTHETIC 傷病名 " + std::to_string(1 + draw.below(20));
    }

    // Earlier insurance, lost when this one began (医療保険等の資格取得); or, for a few, nothing valid now.
    if (chr::sys_days(from) > chr::sys_days(birth) + chr::days(365) && draw.below(100) < (kouki ? 60 : 12)) {
        Qualification earlier;
        earlier.insurer = kouki || draw.below(2) ? kokuho_number(draw.below(kokuho_count)) : union_number(draw.below(union_count));
        earlier.symbol = "SYN" + std::to_string(draw.below(100));
        earlier.number = std::to_string(5000000 + n);
        earlier.branch = "00";
        earlier.insured_name = p.name;
        const auto began = std::max(chr::sys_days(birth), chr::sys_days(from) - chr::days(365 * (1 + static_cast<int>(draw.below(10)))));
        earlier.valid_from = date_text(chr::year_month_day(began));
        earlier.qualification_date = earlier.valid_from;
        earlier.valid_to = date_text(plus_days(from, -1));
        earlier.disqualification_date = q.valid_from;
        earlier.reason_of_loss = "03";
        earlier.contribution_ratio = "030";
        p.qualifications.push_back(std::move(earlier));
    }
    if (!welfare && draw.percent(2)) {  // lost last year (退職など): no qualification on the reference date
        const auto lost = chr::year(2025) / chr::month(static_cast<unsigned>(1 + draw.below(12))) / 1;
        if (chr::sys_days(lost) > chr::sys_days(from)) {
            q.valid_to = date_text(plus_days(lost, -1));
            q.disqualification_date = date_text(lost);
            q.reason_of_loss = "99";
        }
    }
    p.qualifications.push_back(std::move(q));
    return p;
}

}  // namespace mynasim::onshi
